/*
 * 已离线保存 (templates/home/saved_lessons.html): the lessons kept on this phone for the account
 * last signed in here, the space each takes, and a button to remove each. Under a lesson: a
 * 「完成」 the server held back (sent again by itself), and progress it refused for good, with
 * its reason and a button that dismisses it. Uses what offline-lessons.js (loaded before it)
 * shares on window.huiaiOfflineLessons.
 */
(function () {
  "use strict";

  var offline = window.huiaiOfflineLessons;
  var list = document.querySelector("[data-saved-lessons-list]");
  if (!offline || !offline.supported || !list) return;

  function removeLesson(record) {
    return offline.all("saved").then(function (records) {
      var stillUsed = {};
      records.forEach(function (other) {
        if (other.url !== record.url && other.key === record.key) other.files.forEach(function (url) { stillUsed[url] = true; });
      });
      return caches.open(offline.SAVED_PREFIX + record.key).then(function (cache) {
        var drop = [record.url].concat(record.files.filter(function (url) { return !stillUsed[url]; }));
        return Promise.all(drop.map(function (url) { return cache.delete(url); }));
      });
    }).then(function () { return offline.remove("saved", record.url); }).then(function () {
      // What the server refused for this lesson goes with it (nothing more can be done about it).
      return offline.all("queue").then(function (entries) {
        return Promise.all(entries.filter(function (entry) {
          return entry.refused && entry.key === record.key && entry.url === record.url + "offline-progress/";
        }).map(function (entry) { return offline.remove("queue", entry.id); }));
      });
    });
  }

  function refusedNote(entries, list) {
    var note = document.createElement("div");
    note.className = "saved-lessons__refused";
    note.setAttribute("role", "note");
    var text = document.createElement("p");
    var reasons = entries.map(function (entry) { return entry.refused.reason; }).filter(function (reason, index, all) {
      return reason && all.indexOf(reason) === index;
    });
    text.textContent = offline.format(list.dataset.refusedText, { reason: reasons.join(" ") || list.dataset.refusedUnknown });
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "button button--secondary saved-lessons__dismiss";
    dismiss.textContent = list.dataset.dismissText;
    dismiss.addEventListener("click", function () {
      Promise.all(entries.map(function (entry) { return offline.remove("queue", entry.id); })).then(function () {
        return renderList(list);
      }).then(function () {
        var heading = document.querySelector("h1");
        if (heading) heading.focus();
      });
    });
    note.append(text, dismiss);
    return note;
  }

  function renderList(list) {
    var empty = document.querySelector("[data-saved-empty]");
    var total = document.querySelector("[data-saved-total]");
    return Promise.all([offline.currentKey(), offline.all("saved"), offline.all("queue")]).then(function (results) {
      var key = results[0];
      var records = results[1].filter(function (record) { return key && record.key === key; });
      // A 「完成」 the server held back (not enough reading time yet), by lesson address.
      var held = {};
      var refused = {};
      results[2].forEach(function (entry) {
        if (entry.key !== key) return;
        if (entry.refused) (refused[entry.url] = refused[entry.url] || []).push(entry);
        else if (entry.held && entry.done) held[entry.url] = entry.held.reason;
      });
      records.sort(function (a, b) { return b.savedAt - a.savedAt; });
      list.textContent = "";
      var bytes = 0;
      records.forEach(function (record) {
        bytes += record.bytes;
        var item = document.createElement("li");
        item.className = "saved-lessons__item";
        var link = document.createElement("a");
        link.href = record.url;
        link.textContent = record.title;
        var size = document.createElement("span");
        size.className = "saved-lessons__size";
        size.textContent = offline.megabytes(record.bytes) + (record.withVideos ? " · " + list.dataset.videoLabel : "");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--secondary saved-lessons__remove";
        button.textContent = list.dataset.removeText;
        button.setAttribute("aria-label", offline.format(list.dataset.removeLabel, { title: record.title }));
        button.addEventListener("click", function () {
          removeLesson(record).then(function () { return renderList(list); }).then(function () {
            var heading = document.querySelector("h1");
            if (heading) heading.focus();
          });
        });
        item.append(link, " ", size, " ", button);
        var progressUrl = record.url + "offline-progress/";
        if (progressUrl in held) {
          var note = document.createElement("p");
          note.className = "saved-lessons__held";
          note.textContent = offline.format(list.dataset.heldText, { reason: held[progressUrl] });
          item.appendChild(note);
        }
        if (progressUrl in refused) item.appendChild(refusedNote(refused[progressUrl], list));
        list.appendChild(item);
      });
      empty.hidden = records.length > 0;
      total.hidden = records.length === 0;
      total.textContent = offline.format(total.dataset.totalText, { count: records.length, size: offline.megabytes(bytes) });
    });
  }

  renderList(list);
})();
