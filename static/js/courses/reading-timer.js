/*
 * The reading clock of a text lesson: counts the seconds left down, live, and enables the
 * "mark as done" button (rendered disabled) when they are over. The server keeps its own clock
 * and is the one that decides; this only shows it. The status is announced once, when the
 * button becomes usable, not every second.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-reading-seconds]");
  if (!form) return;
  var button = form.querySelector("button[type=submit]");
  var status = form.querySelector("[data-reading-status]");
  var deadline = Date.now() + 1000 * parseInt(form.dataset.readingSeconds, 10);
  if (status) status.setAttribute("aria-live", "off");

  function tick() {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (left > 0) {
      if (status) status.textContent = status.dataset.waitingText.replace("{seconds}", left);
      window.setTimeout(tick, 250);
      return;
    }
    button.disabled = false;
    if (status) {
      status.setAttribute("aria-live", "polite");
      status.textContent = status.dataset.readyText;
    }
  }
  tick();
})();
