/*
 * Lesson player progress: reports the intervals actually played and the resume point.
 *
 * The server merges the intervals and decides completion (90 % of the running time); this
 * script never sends a percentage, it shows the one the server answers (the status line and
 * the bar under the player move on while playing). Reports are debounced (every 10 s while playing, and on
 * pause, end, seek and when the page is hidden) and sent as form data with the CSRF token,
 * so navigator.sendBeacon works when the parent leaves the page. Without a connection (a lesson
 * saved with 「离线保存」), or when a report cannot be sent, it is queued on the phone instead
 * (offline-lessons.js) and sent with the lesson's watch token when the phone is back online.
 */
(function () {
  "use strict";

  var REPORT_EVERY_MS = 10000; // the watched share on the page moves on at this pace while playing
  var MAX_STEP_SECONDS = 3; // a larger jump between two timeupdates is a seek, not playback

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function track(player) {
    var url = player.dataset.progressUrl;
    var resume = parseFloat(player.dataset.resume || "0");
    var pending = [];
    var current = null;
    var lastTime = null;
    var timer = null;
    var status = document.querySelector("[data-watched-status]");
    var bar = document.querySelector("[data-watched-bar]");

    function closeInterval() {
      if (current && current[1] > current[0]) pending.push(current);
      current = null;
    }

    function payload() {
      closeInterval();
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken());
      data.append("intervals", JSON.stringify(pending));
      data.append("position", String(player.currentTime || 0));
      pending = [];
      return data;
    }

    var inFlight = false;
    var again = false;

    // One request at a time: a report asked for while another is on its way follows it.
    // Offline (a saved lesson, offline-lessons.js), the report waits in the phone's queue.
    function queue(data) {
      var offline = window.huiaiOfflineLessons;
      if (offline) offline.queueFromPlayer(data.get("intervals"), Number(data.get("position")) || 0);
    }

    function report(useBeacon) {
      if (timer) { clearTimeout(timer); timer = null; }
      if (!navigator.onLine) { queue(payload()); return; }
      if (useBeacon && navigator.sendBeacon) { navigator.sendBeacon(url, payload()); return; }
      if (inFlight) { again = true; return; }
      inFlight = true;
      var data = payload();
      fetch(url, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (result) {
          if (!result) return;
          if (result.completed && status && status.dataset.doneText) status.textContent = status.dataset.doneText;
          else if (status && status.dataset.watchedText) status.textContent = status.dataset.watchedText.replace("{percent}", result.watched_percent);
          if (bar) bar.value = result.completed ? 100 : result.watched_percent;
        })
        .catch(function () { queue(data); })
        .then(function () {
          inFlight = false;
          if (again) { again = false; report(false); }
        });
    }

    function schedule() {
      if (!timer) timer = setTimeout(function () { timer = null; report(false); }, REPORT_EVERY_MS);
    }

    function resumeAtSavedPoint() {
      if (resume > 1 && resume < (player.duration || Infinity) - 2) player.currentTime = resume;
    }
    // The metadata may have loaded before this deferred script ran.
    if (player.readyState >= 1) resumeAtSavedPoint();
    else player.addEventListener("loadedmetadata", resumeAtSavedPoint, { once: true });
    player.addEventListener("timeupdate", function () {
      var now = player.currentTime;
      if (player.paused || player.seeking) { lastTime = now; return; }
      if (lastTime !== null && now >= lastTime && now - lastTime <= MAX_STEP_SECONDS) {
        if (!current) current = [lastTime, now];
        current[1] = now;
        schedule();
      } else {
        closeInterval();
      }
      lastTime = now;
    });
    player.addEventListener("seeking", function () { closeInterval(); lastTime = null; });
    player.addEventListener("pause", function () { report(false); });
    player.addEventListener("ended", function () { report(false); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") report(true);
    });
  }

  document.querySelectorAll("video[data-progress-url], audio[data-progress-url]").forEach(track);
})();
