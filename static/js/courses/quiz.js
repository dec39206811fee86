// Quiz form: saves answers as the parent goes (a reload restores them) and shows the time left.
// The server keeps the clock; this countdown is only a display, and grading never trusts it.
(function () {
  "use strict";
  var form = document.querySelector(".quiz-form");
  if (!form) return;
  var status = form.querySelector("[data-save-status]");
  var saveUrl = form.getAttribute("data-save-url");
  var timer = null;

  function save() {
    var body = new FormData(form);
    fetch(saveUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (status) status.textContent = data.saved ? form.dataset.savedText : (data.error || "");
      })
      .catch(function () { /* the submit button still sends every answer */ });
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  });

  var left = parseInt(form.getAttribute("data-seconds-left") || "", 10);
  var display = form.querySelector("[data-quiz-timer]");
  if (!isNaN(left) && display) {
    var end = Date.now() + left * 1000;
    var tick = function () {
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      display.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      if (seconds === 0) { form.submit(); return; }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
