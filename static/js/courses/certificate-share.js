/*
 * Certificate sharing: the phone's share sheet where there is one (navigator.share), else the
 * verification link is copied. Without JavaScript the button stays hidden and the verify
 * link beside it is what a parent shares.
 */
(function () {
  "use strict";

  document.querySelectorAll("[data-certificate]").forEach(function (card) {
    var button = card.querySelector("[data-share-url]");
    var status = card.querySelector("[data-share-status]");
    if (!button || !(navigator.share || (navigator.clipboard && window.isSecureContext))) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = button.dataset.shareUrl;
      if (navigator.share) {
        navigator.share({ title: button.dataset.shareTitle, url: url }).catch(function () { /* closed */ });
        return;
      }
      navigator.clipboard.writeText(url).then(function () {
        if (status) status.textContent = button.dataset.copiedText;
      });
    });
  });
})();
