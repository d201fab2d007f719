// Review list: "select all on this page" and a live count of selected rows.
(function () {
  var all = document.getElementById("select-all");
  if (!all) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll(".row-select"));
  var out = document.getElementById("selected-count");
  function update() {
    var n = rows.filter(function (r) { return r.checked; }).length;
    out.textContent = n ? ", " + n + " selected" : "";
    all.checked = n > 0 && n === rows.length;
    all.indeterminate = n > 0 && n < rows.length;
  }
  all.addEventListener("change", function () {
    rows.forEach(function (r) { r.checked = all.checked; });
    update();
  });
  rows.forEach(function (r) { r.addEventListener("change", update); });
})();
