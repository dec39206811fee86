// Receipt page: copy the code to the clipboard and print the slip. Without JavaScript the
// code is still on the page to write down, and the browser's own print works. The report was
// sent, so the draft the guided form kept in this tab is forgotten.
(function () {
  "use strict";
  try { window.sessionStorage.removeItem("huiai-anonymous-report-draft"); } catch (error) { /* unavailable */ }
  var status = document.querySelector(".receipt-copied");
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      if (!target || !navigator.clipboard) return;
      var code = target.getAttribute("data-code") || target.textContent.trim();
      navigator.clipboard.writeText(code).then(function () {
        if (status) status.textContent = button.getAttribute("data-copied-text");
        button.textContent = button.getAttribute("data-copied-text");
      });
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
