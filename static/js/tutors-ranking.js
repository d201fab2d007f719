/* Ranking page, enhanced: Add, Up, Down and Remove work in the page without a reload, focus
   stays on what the tutor is working with, each change is announced, and leaving with unsaved
   changes asks first. Without this script every button submits the form and the server does
   the same (the no-JavaScript path). Dragging is an extra, never needed. */
(function () {
  "use strict";
  var form = document.getElementById("ranking-form");
  var list = document.getElementById("ranking-list");
  if (!form || !list) { return; }
  var dirtyNote = document.getElementById("ranking-dirty");
  var count = document.getElementById("ranking-count");
  var heading = document.getElementById("my-ranking");
  var maxRank = parseInt(list.getAttribute("data-max-rank"), 10) || 999;
  var dirty = list.hasAttribute("data-dirty");
  var submitting = false;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  list.parentNode.insertBefore(status, list.nextSibling);

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".ranking-item")); }
  function titleOf(li) { var t = li.querySelector(".ranking-title"); return t ? t.textContent.trim() : "Topic"; }
  function row(pk) { return form.querySelector('tr[data-offering="' + pk + '"]'); }
  function say(text) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 30); }

  function markDirty() {
    dirty = true;
    if (dirtyNote) {
      dirtyNote.textContent = "You have unsaved changes: press \u201cSave ranking\u201d to keep them.";
      dirtyNote.hidden = false;
    }
  }

  function refresh() {
    var all = items();
    var empty = list.querySelector(".ranking-empty");
    if (empty) { empty.hidden = all.length > 0; }
    all.forEach(function (li, i) {
      var up = li.querySelector('button[value^="up:"]');
      var down = li.querySelector('button[value^="down:"]');
      if (up) { up.disabled = i === 0; }
      if (down) { down.disabled = i === all.length - 1; }
      var r = row(li.getAttribute("data-offering"));
      var ranked = r && r.querySelector("[data-ranked]");
      if (ranked) { ranked.textContent = "Ranked " + (i + 1); }
    });
    if (count) { count.textContent = String(all.length); }
  }

  function button(value, label, hidden, cls) {
    var b = document.createElement("button");
    b.type = "submit"; b.name = "action"; b.value = value;
    b.className = "btn btn-sm " + cls;
    b.appendChild(document.createTextNode(label));
    var sr = document.createElement("span");
    sr.className = "visually-hidden"; sr.textContent = hidden;
    b.appendChild(sr);
    return b;
  }

  function newItem(pk, code, title) {
    var li = document.createElement("li");
    li.className = "list-group-item ranking-item";
    li.setAttribute("data-offering", pk);
    var input = document.createElement("input");
    input.type = "hidden"; input.name = "item"; input.value = pk;
    var span = document.createElement("span");
    span.className = "ranking-title"; span.textContent = code + " " + title;
    var buttons = document.createElement("span");
    buttons.className = "ranking-buttons";
    buttons.appendChild(button("up:" + pk, "Up", ": move " + code + " up", "btn-outline-secondary"));
    buttons.appendChild(button("down:" + pk, "Down", ": move " + code + " down", "btn-outline-secondary"));
    buttons.appendChild(button("remove:" + pk, "Remove", " " + code, "btn-outline-danger"));
    li.appendChild(input); li.appendChild(span); li.appendChild(buttons);
    enableDrag(li);
    return li;
  }

  function add(pk) {
    var r = row(pk);
    if (!r) { return false; }
    if (items().length >= maxRank) {
      say("You can rank at most " + maxRank + " topics. Remove one first.");
      return true;
    }
    var li = newItem(pk, r.getAttribute("data-code"), r.getAttribute("data-title"));
    list.appendChild(li);
    var cell = r.querySelector("[data-rank-cell]");
    var addButton = cell.querySelector("button");
    var next = nextAddButton(r);
    cell.innerHTML = "";
    var ranked = document.createElement("span");
    ranked.setAttribute("data-ranked", "");
    cell.appendChild(ranked);
    markDirty(); refresh();
    say(titleOf(li) + " added at position " + items().length + " of " + items().length + ". Not saved yet.");
    (next || li.querySelector('button[value^="remove:"]')).focus();
    return addButton !== null;
  }

  function nextAddButton(r) {
    var after = r.nextElementSibling;
    while (after) {
      var b = after.querySelector('button[value^="add:"]');
      if (b) { return b; }
      after = after.nextElementSibling;
    }
    return null;
  }

  function move(pk, direction) {
    var li = list.querySelector('.ranking-item[data-offering="' + pk + '"]');
    if (!li) { return; }
    if (direction === "up" && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (direction === "down" && li.nextElementSibling && li.nextElementSibling.classList.contains("ranking-item")) {
      list.insertBefore(li.nextElementSibling, li);
    }
    markDirty(); refresh();
    var all = items();
    var position = all.indexOf(li) + 1;
    say(titleOf(li) + " moved to position " + position + " of " + all.length + ". Not saved yet.");
    var same = li.querySelector('button[value^="' + direction + ':"]');
    if (same && !same.disabled) { same.focus(); }
    else { li.querySelector('button[value^="' + (direction === "up" ? "down" : "up") + ':"]').focus(); }
  }

  function remove(pk) {
    var li = list.querySelector('.ranking-item[data-offering="' + pk + '"]');
    if (!li) { return; }
    var target = li.nextElementSibling && li.nextElementSibling.classList.contains("ranking-item")
      ? li.nextElementSibling : li.previousElementSibling;
    var name = titleOf(li);
    li.parentNode.removeChild(li);
    var r = row(pk);
    if (r) {
      var cell = r.querySelector("[data-rank-cell]");
      cell.innerHTML = "";
      cell.appendChild(button("add:" + pk, "Add", " " + r.getAttribute("data-code") + " to your ranking", "btn-outline-primary"));
    }
    markDirty(); refresh();
    say(name + " removed from your ranking. Not saved yet.");
    var focusTo = target && target.classList && target.classList.contains("ranking-item")
      ? target.querySelector('button[value^="remove:"]') : heading;
    focusTo.focus();
  }

  form.addEventListener("click", function (event) {
    var b = event.target.closest('button[name="action"]');
    if (!b || !form.contains(b)) { return; }
    var parts = (b.value || "").split(":");
    var verb = parts[0], pk = parts[1];
    if (verb === "add") { event.preventDefault(); add(pk); }
    else if (verb === "up" || verb === "down") { event.preventDefault(); move(pk, verb); }
    else if (verb === "remove") { event.preventDefault(); remove(pk); }
  });
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });

  // Dragging: an extra for mouse users; the buttons do the same.
  var dragged = null;
  function enableDrag(li) {
    li.setAttribute("draggable", "true");
    li.classList.add("ranking-draggable");
    li.addEventListener("dragstart", function (e) {
      dragged = li;
      li.classList.add("ranking-dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", li.getAttribute("data-offering"));
    });
    li.addEventListener("dragend", function () { li.classList.remove("ranking-dragging"); dragged = null; });
    li.addEventListener("dragover", function (e) {
      if (!dragged || dragged === li) { return; }
      e.preventDefault();
      var box = li.getBoundingClientRect();
      list.insertBefore(dragged, e.clientY > box.top + box.height / 2 ? li.nextSibling : li);
    });
    li.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!dragged) { return; }
      markDirty(); refresh();
      say(titleOf(dragged) + " moved to position " + (items().indexOf(dragged) + 1) + ". Not saved yet.");
    });
  }
  items().forEach(enableDrag);
  refresh();
})();
