// Availability grid: arrow keys move between cells, Space toggles (native checkbox), Shift+arrow
// copies the current cell's state to the next one, a pointer press-and-sweep paints (optional).
(function () {
  "use strict";
  document.querySelectorAll("[data-availability-grid]").forEach(function (grid) {
    var boxes = Array.prototype.slice.call(grid.querySelectorAll("input[type=checkbox]"));
    var at = {};
    var rows = 0;
    boxes.forEach(function (box) {
      var r = +box.dataset.row, c = +box.dataset.col;
      at[r + ":" + c] = box;
      rows = Math.max(rows, r + 1);
      box.tabIndex = -1;
    });
    if (boxes.length) { (boxes.find(function (b) { return b.checked; }) || boxes[0]).tabIndex = 0; }
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    grid.addEventListener("keydown", function (event) {
      var box = event.target, move = moves[event.key];
      if (!move || box.type !== "checkbox") { return; }
      var next = at[(+box.dataset.row + move[0]) + ":" + (+box.dataset.col + move[1])];
      event.preventDefault();
      if (!next) { return; }
      if (event.shiftKey) { next.checked = box.checked; }
      box.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    });
    var painting = null;
    grid.addEventListener("pointerdown", function (event) {
      var box = event.target;
      if (box.type !== "checkbox" || event.pointerType === "mouse" && event.button !== 0) { return; }
      painting = !box.checked;
    });
    grid.addEventListener("pointerover", function (event) {
      var box = event.target;
      if (painting === null || box.type !== "checkbox" || !event.buttons) { return; }
      box.checked = painting;
    });
    document.addEventListener("pointerup", function () { painting = null; });
  });
})();
