// When the server sends the form back with errors, put the keyboard and screen reader on the
// summary at the top (autofocus does this in most browsers; this covers the rest), and make
// each summary link land on its question's first choice.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  if (document.activeElement !== summary) { summary.focus(); }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus();
  });
})();
