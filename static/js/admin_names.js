/* Django's admin, as templates/admin/base_site.html loads it: names for what the admin's own
   scripts draw without one (WCAG 4.1.2; axe-core "aria-input-field-name", "label", "list",
   "aria-prohibited-attr").

   - select2 (autocomplete_fields) replaces a <select> with a combobox named only by the chosen
     value, nothing when none is chosen, and a search box with no name at all: both get the
     field's label (or, in a row of a table of inlines, the name the form gave the <select>).
   - select2's "clear" cross sits inside its list of chosen values, which may hold only items:
     it is moved beside the list, where select2 still handles its clicks.
   - The filter boxes of a two-list chooser (filter_horizontal) have a magnifier icon with an
     aria-label, which a plain <span> may not carry: it becomes an image, so the label is kept.

   select2 and the chooser draw themselves after the page has loaded, and again when a value is
   chosen or a row is added; a MutationObserver names whatever they draw, whenever they draw it. */
'use strict';
(function () {
  let counter = 0;

  function idOf(element, prefix) {
    if (!element.id) {
      counter += 1;
      element.id = prefix + '-' + counter;
    }
    return element.id;
  }

  // The element whose text names the <select>: its <label>, or a hidden one made from its aria-label.
  function namer(select) {
    const label = select.id ? document.querySelector('label[for="' + CSS.escape(select.id) + '"]') : null;
    if (label) {
      return idOf(label, 'label');
    }
    const name = select.getAttribute('aria-label');
    if (!name) {
      return null;
    }
    const id = (select.id || idOf(select, 'select')) + '-name';
    if (!document.getElementById(id)) {
      const span = document.createElement('span');
      span.id = id;
      span.className = 'visually-hidden';
      span.textContent = name;
      select.insertAdjacentElement('beforebegin', span);  // after it comes select2's own box
    }
    return id;
  }

  function setAttribute(element, name, value) {
    if (element.getAttribute(name) !== value) {  // unchanged attributes do not wake the observer again
      element.setAttribute(name, value);
    }
  }

  function nameSelect2(select) {
    let container = select.nextElementSibling;
    while (container && !container.classList.contains('select2')) {
      container = container.nextElementSibling;
    }
    if (!container) {
      return;
    }
    const labelId = namer(select);
    if (!labelId) {
      return;
    }
    const selection = container.querySelector('.select2-selection');
    const rendered = container.querySelector('.select2-selection__rendered');
    if (selection && selection.classList.contains('select2-selection--single') && rendered) {
      setAttribute(selection, 'aria-labelledby', labelId + ' ' + idOf(rendered, 'select2-rendered'));
      setAttribute(rendered, 'aria-labelledby', labelId);
    } else if (selection) {
      setAttribute(selection, 'aria-labelledby', labelId);
    }
    container.querySelectorAll('.select2-search__field').forEach(function (search) {
      setAttribute(search, 'aria-labelledby', labelId);
    });
    container.querySelectorAll('ul.select2-selection__rendered > :not(li)').forEach(function (stray) {
      stray.parentElement.insertAdjacentElement('beforebegin', stray);
    });
  }

  function nameAll() {
    document.querySelectorAll('select.admin-autocomplete').forEach(nameSelect2);
    document.querySelectorAll('.selector .help-tooltip[aria-label]:not([role])').forEach(function (icon) {
      icon.setAttribute('role', 'img');
    });
  }

  let scheduled = false;
  const observer = new MutationObserver(function () {
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(function () {
        scheduled = false;
        nameAll();
      });
    }
  });
  observer.observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener('DOMContentLoaded', nameAll);
  window.addEventListener('load', nameAll);
})();
