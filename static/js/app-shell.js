/*
 * On every page (templates/base.html): registers the service worker (templates/home/service-worker.js)
 * and wires 「朗读」 buttons to the browser's own speech synthesis. A button stays hidden where the
 * browser has no speechSynthesis; without JavaScript nothing here is needed to use the site.
 */
(function () {
  "use strict";

  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {});
    });
  }

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance === "undefined") return;
  var language = document.documentElement.lang === "en" ? "en" : "zh-CN";

  document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
    var target = document.querySelector(button.getAttribute("data-read-aloud"));
    if (!target) return;
    var readText = button.textContent.trim();
    var stopText = button.getAttribute("data-stop-text") || readText;
    function reset() {
      button.textContent = readText;
      button.setAttribute("aria-pressed", "false");
    }
    button.hidden = false;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-pressed") === "true") {
        synth.cancel();
        reset();
        return;
      }
      var utterance = new window.SpeechSynthesisUtterance(target.innerText);
      utterance.lang = language;
      utterance.onend = reset;
      utterance.onerror = reset;
      synth.cancel();
      synth.speak(utterance);
      button.textContent = stopText;
      button.setAttribute("aria-pressed", "true");
    });
  });
})();
