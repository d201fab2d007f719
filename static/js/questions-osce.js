// An OSCE mark sheet that survives a dropped connection: every change is kept in localStorage;
// a save that cannot reach the server stays there and is sent again every 5 seconds.
(function () {
  "use strict";
  var form = document.getElementById("osce-form");
  if (!form) return;
  var key = "meded-" + form.dataset.key;
  var state = document.getElementById("osce-state");
  function snapshot() { return new URLSearchParams(new FormData(form)).toString(); }
  function restore(saved) {
    var params = new URLSearchParams(saved);
    var items = params.getAll("item");
    form.querySelectorAll("input[name=item]").forEach(function (b) { b.checked = items.indexOf(b.value) >= 0; });
    form.querySelectorAll("input[name=global_rating]").forEach(function (r) { r.checked = r.value === params.get("global_rating"); });
    form.querySelector("textarea[name=comments]").value = params.get("comments") || "";
  }
  function send() {
    var body = localStorage.getItem(key);
    if (!body) return;
    fetch(form.action || window.location.href, {
      method: "POST", body: new URLSearchParams(body), credentials: "same-origin",
      headers: { "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
    }).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      if (localStorage.getItem(key) === body) localStorage.removeItem(key);
      state.textContent = "Saved.";
    }).catch(function () {
      state.textContent = "Offline: marks kept on this phone and sent when the connection returns.";
    });
  }
  var pending = localStorage.getItem(key);
  if (pending) { restore(pending); send(); }
  form.addEventListener("change", function () { localStorage.setItem(key, snapshot()); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    localStorage.setItem(key, snapshot());
    state.textContent = "Saving…";
    send();
  });
  setInterval(send, 5000);
})();
