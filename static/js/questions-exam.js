// A mock-exam sitting: every choice is saved as it is made (retried until the server has it,
// kept in localStorage meanwhile), a countdown from the server's remaining time, and the paper
// submitted when time is up. The server keeps the real clock; this is a courtesy.
(function () {
  "use strict";
  var form = document.getElementById("exam-form");
  if (!form) return;
  var url = form.dataset.answerUrl;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var storeKey = "meded-exam:" + url;
  var pending = {};
  try { pending = JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { pending = {}; }

  function remember() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* full */ }
  }
  function state(item, text) {
    var el = document.getElementById("save-" + item);
    if (el) el.textContent = text;
  }
  function progress() {
    var groups = form.querySelectorAll("fieldset.sba-options");
    var answered = 0;
    groups.forEach(function (g) { if (g.querySelector("input:checked")) answered += 1; });
    var el = document.getElementById("exam-progress");
    if (el) el.textContent = answered + " of " + groups.length + " answered";
  }
  function send(item, choice) {
    var body = new URLSearchParams({ item: item, choice: choice });
    state(item, "Saving…");
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": token, "Accept": "application/json" },
      body: body,
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok && data.saved) {
          if (pending[item] === choice) { delete pending[item]; remember(); }
          state(item, "Saved.");
        } else if (response.status === 409) {
          delete pending[item]; remember();
          state(item, data.error || "Not saved.");
        } else {
          throw new Error("retry");
        }
      });
    }).catch(function () {
      state(item, "Not saved yet: no connection. It will be sent when you are back online.");
    });
  }
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.dataset || !input.dataset.item) return;
    pending[input.dataset.item] = input.value;
    remember();
    progress();
    send(input.dataset.item, input.value);
  });
  // Restore choices made while offline before a reload, then resend them.
  Object.keys(pending).forEach(function (item) {
    var radio = form.querySelector("input[data-item='" + item + "'][value='" + pending[item] + "']");
    if (radio) radio.checked = true;
    send(item, pending[item]);
  });
  progress();
  setInterval(function () {
    Object.keys(pending).forEach(function (item) { send(item, pending[item]); });
  }, 5000);

  var timer = document.getElementById("exam-timer");
  var remaining = parseInt(timer.dataset.remaining, 10) || 0;
  var endsAt = Date.now() + remaining * 1000;
  var submitted = false;
  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    timer.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left === 300 || left === 60) timer.setAttribute("role", "alert");
    if (left <= 0 && !submitted) {
      submitted = true;
      document.getElementById("exam-finish").value = "1";
      form.submit();
    }
  }
  form.addEventListener("submit", function () { submitted = true; });
  tick();
  setInterval(tick, 1000);
})();
