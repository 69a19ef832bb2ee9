// "Print" buttons (data-print): inline scripts are not allowed by the Content Security Policy.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
