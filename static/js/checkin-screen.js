// The check-in screen: swap in the fresh QR code as it rotates, without reloading the page
// (no moving focus, no flashing). Without JavaScript the "Show a fresh code" link does it.
(function () {
  "use strict";
  var box = document.getElementById("checkin-qr");
  if (!box) return;
  var seconds = parseInt(box.getAttribute("data-refresh"), 10) || 30;
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("checkin-qr");
        if (fresh) box.innerHTML = fresh.innerHTML;
      })
      .catch(function () {});
  }
  window.setInterval(refresh, seconds * 1000);
})();
