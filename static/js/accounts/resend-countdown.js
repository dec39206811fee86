/*
 * "Send a new code": usable again only after the countdown (data-resend-wait seconds from
 * when the page was shown, i.e. from the last code sent). The server's rate limits decide
 * in the end; without JavaScript the button is simply usable and a too-early click is
 * answered by allauth's "too many requests" message.
 */
(function () {
  "use strict";

  document.querySelectorAll("[data-resend-wait]").forEach(function (button) {
    var readyText = button.textContent;
    var until = Date.now() + 1000 * parseInt(button.dataset.resendWait, 10);
    button.disabled = true;

    function tick() {
      var left = Math.ceil((until - Date.now()) / 1000);
      if (left > 0) {
        button.textContent = button.dataset.waitingText.replace("{seconds}", left);
        window.setTimeout(tick, 250);
        return;
      }
      button.textContent = readyText;
      button.disabled = false;
    }
    tick();
  });
})();
