// Answer single-best-answer questions by keyboard: 1-5 or A-E choose an option in the question
// that has focus (or the only one on the page); arrow keys move within a group natively.
(function () {
  "use strict";
  var LETTERS = "abcde";
  function groupFor(target) {
    var fieldset = target && target.closest ? target.closest("fieldset.sba-options") : null;
    if (fieldset) return fieldset;
    var all = document.querySelectorAll("fieldset.sba-options:not([disabled])");
    return all.length === 1 ? all[0] : null;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "textarea" || (tag === "input" && event.target.type === "text")) return;
    var key = (event.key || "").toLowerCase();
    var index = "12345".indexOf(key);
    if (index < 0) index = key.length === 1 ? LETTERS.indexOf(key) : -1;
    if (index < 0) return;
    var group = groupFor(event.target);
    if (!group || group.disabled) return;
    var radios = group.querySelectorAll("input[type=radio]");
    if (!radios[index]) return;
    event.preventDefault();
    radios[index].checked = true;
    radios[index].focus();
    radios[index].dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
