// On a phone, start with the filter panel folded so the sessions come first. Without
// JavaScript the panel simply stays open; the form works the same either way.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 575.98px)").matches) { return; }
  document.querySelectorAll("details[data-collapse-narrow]").forEach(function (panel) {
    panel.open = false;
  });
})();
