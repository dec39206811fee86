// Quick exit on the anonymous pages. The link alone already leaves for a neutral page; with
// JavaScript it first forgets the report draft kept in this tab, empties every form on the page,
// hides the page at once and *replaces* this page in the history (location.replace), so that
// Back from the neutral page does not show it again. Pages visited before this one stay in the
// history: a browser lets no page remove those.
(function () {
  "use strict";
  var DRAFT_KEY = "huiai-anonymous-report-draft";

  function clearForms() {
    Array.prototype.forEach.call(document.forms, function (form) {
      Array.prototype.forEach.call(form.elements, function (element) {
        if (element.type === "checkbox" || element.type === "radio") element.checked = false;
        else if (element.tagName === "SELECT") element.selectedIndex = 0;
        else if (["hidden", "submit", "button"].indexOf(element.type) === -1) element.value = "";
      });
    });
  }

  function leave(event) {
    event.preventDefault();
    var address = event.currentTarget.href;
    try { window.sessionStorage.removeItem(DRAFT_KEY); } catch (error) { /* storage unavailable */ }
    clearForms();
    document.body.style.visibility = "hidden";
    window.location.replace(address);
  }

  document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
    link.addEventListener("click", leave);
  });
  // On an open report the button posts to the server, which forgets the report and redirects.
  document.querySelectorAll("[data-quick-exit-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      try { window.sessionStorage.removeItem(DRAFT_KEY); } catch (error) { /* storage unavailable */ }
      Array.prototype.forEach.call(document.forms, function (other) {
        if (other !== form) other.querySelectorAll("textarea, input[type='text']").forEach(function (field) { field.value = ""; });
      });
      document.body.style.visibility = "hidden";
    });
  });
})();
