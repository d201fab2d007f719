// The recording player's extras, over the browser's own controls (which work without this):
// playback speed 0.75x-2x remembered across recordings, resume where the student stopped,
// chapter buttons that jump the player (without JavaScript they open the video at that time),
// and a captions switch. Stored only in this browser (localStorage); nothing is sent.
(function () {
  "use strict";
  var SPEED_KEY = "meded:playbackRate";
  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function clock(seconds) {
    seconds = Math.floor(seconds);
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  document.querySelectorAll("[data-recording-player]").forEach(function (player) {
    var video = player.querySelector("video");
    var tools = player.querySelector("[data-player-tools]");
    var speed = player.querySelector("[data-speed]");
    var status = player.querySelector("[data-resume-status]");
    var restart = player.querySelector("[data-restart]");
    var captions = player.querySelector("[data-captions-toggle]");
    var resumeKey = player.getAttribute("data-resume-key");
    if (!video) { return; }
    tools.hidden = false;

    // Speed: the last choice, for every recording.
    var saved = load(SPEED_KEY);
    if (saved && speed.querySelector('option[value="' + saved + '"]')) { speed.value = saved; }
    function applySpeed() { video.playbackRate = parseFloat(speed.value) || 1; }
    speed.addEventListener("change", function () { applySpeed(); store(SPEED_KEY, speed.value); });
    video.addEventListener("loadedmetadata", applySpeed);
    video.addEventListener("play", applySpeed);
    applySpeed();

    // Resume: where this recording was left, unless it was nearly finished.
    function offerResume() {
      var at = parseFloat(load(resumeKey) || "0");
      var tail = video.duration ? Math.min(5, video.duration * 0.1) : 0;
      if (at >= 1 && (!video.duration || at < video.duration - tail)) {
        video.currentTime = at;
        status.textContent = "Resumed at " + clock(at) + ".";
        restart.hidden = false;
      }
    }
    if (video.readyState >= 1) { offerResume(); } else { video.addEventListener("loadedmetadata", offerResume, { once: true }); }
    var lastSaved = 0;
    video.addEventListener("timeupdate", function () {
      if (Math.abs(video.currentTime - lastSaved) >= 2) {
        lastSaved = video.currentTime;
        store(resumeKey, String(video.currentTime));
      }
    });
    video.addEventListener("ended", function () { store(resumeKey, "0"); });
    restart.addEventListener("click", function () {
      video.currentTime = 0;
      store(resumeKey, "0");
      restart.hidden = true;
      status.textContent = "Back to the beginning.";
      video.focus();
    });

    // Captions on/off from a real button (the player's CC menu is not reachable everywhere).
    if (captions) {
      captions.addEventListener("click", function () {
        var track = video.textTracks && video.textTracks[0];
        if (!track) { return; }
        var on = track.mode !== "showing";
        track.mode = on ? "showing" : "hidden";
        captions.setAttribute("aria-pressed", on ? "true" : "false");
        captions.textContent = on ? "Captions on" : "Captions off";
      });
    }

    // Chapters: jump the player and keep the keyboard with it.
    var chapters = document.querySelectorAll("[data-seek]");
    chapters.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        video.currentTime = parseFloat(link.getAttribute("data-seek")) || 0;
        status.textContent = "Jumped to " + link.textContent.trim() + ".";
        video.focus();
      });
    });
    video.addEventListener("timeupdate", function () {
      var current = null;
      chapters.forEach(function (link) {
        if (video.currentTime + 0.25 >= parseFloat(link.getAttribute("data-seek"))) { current = link; }
      });
      chapters.forEach(function (link) {
        if (link === current) { link.setAttribute("aria-current", "true"); link.classList.add("active"); }
        else { link.removeAttribute("aria-current"); link.classList.remove("active"); }
      });
    });
  });
})();
