/* Ranking page: drag-and-drop reordering as an enhancement only.
   Without this script (or without dragging) the Up/Down/Remove buttons do everything. */
(function () {
  "use strict";
  var list = document.getElementById("ranking-list");
  if (!list) { return; }
  var dragged = null;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  list.parentNode.insertBefore(status, list.nextSibling);

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".ranking-item")); }

  function refresh(moved) {
    var all = items();
    all.forEach(function (li, i) {
      var up = li.querySelector('button[value^="up:"]');
      var down = li.querySelector('button[value^="down:"]');
      if (up) { up.disabled = i === 0; }
      if (down) { down.disabled = i === all.length - 1; }
    });
    if (moved) {
      var title = moved.querySelector(".ranking-title");
      status.textContent = (title ? title.textContent : "Topic") + " moved to position " +
        (all.indexOf(moved) + 1) + ". Not saved yet: press Save ranking.";
    }
  }

  items().forEach(function (li) {
    li.setAttribute("draggable", "true");
    li.classList.add("ranking-draggable");
    li.addEventListener("dragstart", function (e) {
      dragged = li;
      li.classList.add("ranking-dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", li.getAttribute("data-offering"));
    });
    li.addEventListener("dragend", function () {
      li.classList.remove("ranking-dragging");
      dragged = null;
    });
    li.addEventListener("dragover", function (e) {
      if (!dragged || dragged === li) { return; }
      e.preventDefault();
      var box = li.getBoundingClientRect();
      var after = e.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? li.nextSibling : li);
    });
    li.addEventListener("drop", function (e) {
      e.preventDefault();
      refresh(dragged);
    });
  });
})();
