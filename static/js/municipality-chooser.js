// The municipality chooser of the organisation form (organisations/widgets/municipality_field.html).
// Without this script every county's municipalities are listed as checkboxes, grouped by county.
// With it: a text filter, and the list narrowed to the county chosen in the form as it changes.
// A file of its own, no inline script and no eval, so it runs under the Content Security Policy.
(function () {
  "use strict";

  function fold(text) {
    return text.toLocaleLowerCase().trim();
  }

  function setUp(chooser) {
    var tools = chooser.querySelector("[data-filter-tools]");
    var filter = chooser.querySelector("[data-filter]");
    var showAll = chooser.querySelector("[data-show-all]");
    var status = chooser.querySelector("[data-filter-status]");
    var county = document.getElementById(chooser.getAttribute("data-area-field"));
    var groups = Array.prototype.slice.call(chooser.querySelectorAll(".municipality-group"));
    var template = chooser.getAttribute("data-status-template") || "{count}";

    function update(announce) {
      var text = fold(filter.value);
      var area = county && county.value && !showAll.checked ? county.value : "";
      var shown = 0;
      groups.forEach(function (group) {
        var items = Array.prototype.slice.call(group.querySelectorAll("li"));
        var ticked = group.querySelector("input:checked") !== null;
        var inCounty = !area || group.getAttribute("data-area") === area || ticked;
        var matches = 0;
        items.forEach(function (item) {
          var match = inCounty && (!text || fold(item.textContent).indexOf(text) !== -1);
          item.hidden = !match;
          if (match) { matches += 1; }
        });
        group.hidden = matches === 0;
        if (matches && (text || (area && group.getAttribute("data-area") === area))) {
          group.open = true;
        }
        shown += matches;
      });
      if (announce) {
        status.textContent = template.replace("{count}", String(shown));
      }
    }

    tools.hidden = false;
    filter.addEventListener("input", function () { update(true); });
    showAll.addEventListener("change", function () { update(true); });
    if (county) {
      county.addEventListener("change", function () { update(false); });
    }
    update(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-municipality-chooser]").forEach(setUp);
  });
})();
