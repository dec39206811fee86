/*
 * What every page shares (templates/base.html). The phone menu is a <details> disclosure that
 * works without JavaScript; this only adds what a disclosure lacks: Escape closes it and puts
 * the focus back on its toggle, and a click outside it closes it too.
 */
(function () {
  "use strict";

  function openMenus() {
    return document.querySelectorAll("details[data-closes-on-escape][open]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    openMenus().forEach(function (menu) {
      menu.open = false;
      var toggle = menu.querySelector("summary");
      if (toggle) toggle.focus();
    });
  });

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
})();
