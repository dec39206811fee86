// The anonymous report as a guided flow: one question per screen, Back keeps every answer, and a
// draft kept in this browser tab only (sessionStorage: gone when the tab is closed, cleared by the
// quick-exit button and by the receipt page), never sent to the server before "Send the report".
// Without JavaScript the same form is one page with every question (progressive enhancement).
(function () {
  "use strict";
  var form = document.querySelector("[data-guided-flow]");
  if (!form) return;
  var DRAFT_KEY = "huiai-anonymous-report-draft";
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var nav = form.querySelector("[data-flow-nav]");
  var back = form.querySelector("[data-flow-back]");
  var next = form.querySelector("[data-flow-next]");
  var progress = form.querySelector("[data-flow-progress]");
  var serverErrors = document.querySelector("[data-error-summary]");
  var current = 0;

  function store() {
    try { return window.sessionStorage; } catch (error) { return null; }
  }

  function answers() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && ["file", "hidden", "submit", "button"].indexOf(element.type) === -1;
    });
  }

  function saveDraft() {
    var storage = store();
    if (!storage) return;
    var data = { step: current, values: {} };
    answers().forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        if (!element.checked) return;
        (data.values[element.name] = data.values[element.name] || []).push(element.value);
      } else {
        data.values[element.name] = [element.value];
      }
    });
    var answeredAny = Object.keys(data.values).some(function (name) {
      return data.values[name].some(function (value) { return value !== ""; });
    });
    try {
      // Nothing typed yet, nothing kept: the tab holds no trace of an untouched form.
      if (answeredAny) storage.setItem(DRAFT_KEY, JSON.stringify(data));
      else storage.removeItem(DRAFT_KEY);
    } catch (error) { /* full or private mode */ }
  }

  function restoreDraft() {
    var storage = store();
    var data = null;
    try { data = JSON.parse((storage && storage.getItem(DRAFT_KEY)) || "null"); } catch (error) { data = null; }
    if (!data || !data.values) return 0;
    answers().forEach(function (element) {
      var values = data.values[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = !!values && values.indexOf(element.value) !== -1;
      } else if (values) {
        element.value = values[0];
      }
    });
    var step = parseInt(data.step, 10);
    return isNaN(step) ? 0 : Math.min(Math.max(step, 0), steps.length - 1);
  }

  function focusHeading(step) {
    var heading = step.querySelector(".flow-question");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  function show(index, moveFocus) {
    current = index;
    steps.forEach(function (step, position) { step.hidden = position !== index; });
    back.hidden = index === 0;
    next.hidden = index === steps.length - 1;
    progress.textContent = form.getAttribute("data-step-text")
      .replace("{number}", String(index + 1))
      .replace("{total}", String(steps.length));
    if (moveFocus) focusHeading(steps[index]);
    saveDraft();
  }

  function stepOf(element) {
    for (var i = 0; i < steps.length; i += 1) {
      if (steps[i].contains(element)) return i;
    }
    return -1;
  }

  // The GOV.UK pattern on a screen: a summary at the top linking to the field, and the message
  // by the field (tied to it with aria-describedby).
  function clearError(step) {
    var summary = step.querySelector(".error-summary");
    if (summary) summary.remove();
    var id = step.getAttribute("data-required");
    var field = id && document.getElementById(id);
    var message = id && document.getElementById(id + "_client_error");
    if (message) message.remove();
    if (field) {
      field.removeAttribute("aria-invalid");
      field.closest(".form-field").classList.remove("form-field--invalid");
    }
  }

  function showError(step) {
    clearError(step);
    var id = step.getAttribute("data-required");
    var field = document.getElementById(id);
    var text = step.getAttribute("data-required-message");
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    var title = document.createElement("h2");
    title.className = "error-summary__title";
    title.textContent = form.getAttribute("data-error-title");
    var list = document.createElement("ul");
    list.className = "error-summary__list";
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = "#" + id;
    link.textContent = text;
    link.addEventListener("click", function (event) { event.preventDefault(); field.focus(); });
    item.appendChild(link);
    list.appendChild(item);
    summary.appendChild(title);
    summary.appendChild(list);
    step.insertBefore(summary, step.firstChild);
    var message = document.createElement("div");
    message.className = "form-error";
    message.id = id + "_client_error";
    message.textContent = text;
    field.insertAdjacentElement("beforebegin", message);
    field.setAttribute("aria-invalid", "true");
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(message.id) === -1) described.push(message.id);
    field.setAttribute("aria-describedby", described.join(" "));
    field.closest(".form-field").classList.add("form-field--invalid");
    summary.focus();
  }

  function answered(step) {
    var id = step.getAttribute("data-required");
    if (!id) return true;
    var field = document.getElementById(id);
    return !field || field.value.trim() !== "";
  }

  function goNext() {
    var step = steps[current];
    if (!answered(step)) { showError(step); return; }
    clearError(step);
    if (current < steps.length - 1) show(current + 1, true);
  }

  form.classList.add("is-guided");
  nav.hidden = false;
  progress.hidden = false;
  next.addEventListener("click", goNext);
  back.addEventListener("click", function () { if (current > 0) show(current - 1, true); });
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  // Enter in a one-line field moves on instead of sending the form early.
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.tagName === "INPUT" && current < steps.length - 1) {
      event.preventDefault();
      goNext();
    }
  });
  form.addEventListener("submit", function (event) {
    var missing = steps.filter(function (step) { return !answered(step); })[0];
    if (missing) {
      event.preventDefault();
      show(steps.indexOf(missing), false);
      showError(missing);
    }
  });

  if (serverErrors) {
    // The server answered with errors: its answers are the ones to keep; open the first screen
    // with an error, and let the summary's links open the screen of their field.
    var first = form.querySelector(".form-field--invalid");
    show(first ? Math.max(stepOf(first), 0) : 0, false);
    serverErrors.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target || stepOf(target) === -1) return;
      event.preventDefault();
      show(stepOf(target), false);
      target.focus();
    });
    serverErrors.focus();
  } else {
    show(restoreDraft(), false);
  }
})();
