/* Suggestions while typing on the search page. The form works without this script. */
(function () {
  "use strict";
  /* The first click on a result of this results page is counted (searches nobody clicked, see
     search/clicks.py): the search's keyed digest only, nothing about the page or the person. */
  var results = document.querySelector(".search-results[data-click-search]");
  if (!results || !navigator.sendBeacon) return;
  var sent = false;
  function count(event) {
    var link = event.target.closest(".search-result__title a");
    if (sent || !link) return;
    sent = true;
    var data = new FormData();
    data.append("search", results.getAttribute("data-click-search"));
    navigator.sendBeacon(results.getAttribute("data-click-url"), data);
  }
  results.addEventListener("click", count);
  results.addEventListener("auxclick", count); /* opened in a new tab */
})();

(function () {
  "use strict";
  var form = document.querySelector(".search-form[data-suggest-url]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var list = document.getElementById("search-suggestions");
  var status = form.querySelector("[data-suggest-status]");
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var active = -1;
  var lastQuery = "";

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function mark(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(items) {
    list.innerHTML = "";
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "search-suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      a.tabIndex = -1;
      li.appendChild(a);
      list.appendChild(li);
    });
    var open = items.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    status.textContent = open ? (status.getAttribute("data-template") || "COUNT").replace("COUNT", items.length) : "";
    active = -1;
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (!query) { close(); return; }
    fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { if (data.query === input.value.trim()) render(data.suggestions || []); })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 200);
  });

  input.addEventListener("keydown", function (event) {
    var count = list.querySelectorAll("[role=option]").length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      mark((active + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      mark(active <= 0 ? count - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = list.querySelectorAll("[role=option] a")[active].href;
    } else if (event.key === "Escape") {
      close();
    }
  });

  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();
