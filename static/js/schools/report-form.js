// Report form: one submit per click (the server is idempotent too), a warning before leaving
// the page with unsaved changes, and an "add another student" button for the formset.
// Without JavaScript everything still works: saving the draft adds an empty student row.
(function () {
  "use strict";
  var form = document.querySelector(".report-form");
  if (!form) return;
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function (event) {
    if (form.dataset.submitting === "1") { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  var addButton = form.querySelector("[data-add-student]");
  var template = document.getElementById("student-row-template");
  var rows = form.querySelector("[data-student-rows]");
  var total = form.querySelector("#id_students-TOTAL_FORMS");
  var maximum = form.querySelector("#id_students-MAX_NUM_FORMS");
  if (!addButton || !template || !rows || !total) return;
  addButton.hidden = false;
  var hint = form.querySelector("[data-no-js-hint]");
  if (hint) hint.hidden = true;
  addButton.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (maximum && index >= parseInt(maximum.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild;
    var first = added && added.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
    dirty = true;
  });
})();
