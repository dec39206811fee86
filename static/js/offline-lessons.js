/*
 * 「离线保存」: lessons kept on the phone, their list, and the progress queued while offline.
 *
 * Loaded on every page (templates/base.html). Whose lessons these are is the account's storage
 * key (accounts/saved_lessons.py), on <body data-saved-lessons-key> of every page from the
 * server ("" when signed out; absent on the pages the service worker keeps for everyone).
 *
 * - Saving: the lesson page (or each lesson of a course) is fetched with the parent's session,
 *   its images and audio (and videos, once the parent agrees to the size shown) are fetched
 *   too, and all of it is put in the cache "huiai-saved-<key>", which the service worker
 *   (templates/home/service-worker.js) answers from when the network fails. A record per lesson
 *   (address, title, files, bytes) goes into IndexedDB ("huiai-offline", store "saved"); the
 *   list page 已离线保存 shows them (saved-lessons.js).
 * - Progress made offline (watched intervals from lesson-progress.js, 「标记为完成」) goes into
 *   the store "queue" with the lesson's watch token, and is sent, one entry per request, when
 *   the phone is back online; the server applies its usual rules (courses/services/offline.py).
 *   The queue and its sending are in offline-queue.js (shared with the service worker): with
 *   Background Sync, queueing registers the sync tag and the worker sends it; without, this
 *   page does on its "online" event. Every page of the account opened online sends it too.
 * - A page of another account wipes the previous account's copies and queue; signing out
 *   wipes everything (the server also says Clear-Site-Data).
 */
(function () {
  "use strict";

  var META_CACHE = "huiai-meta";
  var KEY_URL = "/__huiai/saved-lessons-key";
  var CSRF_URL = "/__huiai/csrf-token"; // for the worker's Background Sync, which cannot read cookies
  var SAVED_PREFIX = "huiai-saved-";
  var supported = "caches" in window && "indexedDB" in window && window.isSecureContext && !!window.huiaiOfflineQueue;
  var body = document.body;
  var pageKey = body.hasAttribute("data-saved-lessons-key") ? body.getAttribute("data-saved-lessons-key") : null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // IndexedDB and sending the queue: offline-queue.js (shared with the service worker).
  var queue = window.huiaiOfflineQueue || {};
  var all = queue.all;
  var put = queue.put;
  var remove = queue.remove;

  // --- Whose copies ---------------------------------------------------------------------------

  function storedKey() {
    return caches.open(META_CACHE)
      .then(function (cache) { return cache.match(KEY_URL); })
      .then(function (entry) { return entry ? entry.text() : ""; });
  }

  function currentKey() {
    return pageKey ? Promise.resolve(pageKey) : storedKey();
  }

  // Drops every saved copy and queued entry whose account is not ``keep`` ("" drops them all).
  function wipeExcept(keep) {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(SAVED_PREFIX) === 0 && name !== SAVED_PREFIX + keep;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () {
      return Promise.all([all("saved"), all("queue")]);
    }).then(function (stores) {
      var work = [];
      stores[0].forEach(function (item) { if (item.key !== keep) work.push(remove("saved", item.url)); });
      stores[1].forEach(function (item) { if (item.key !== keep) work.push(remove("queue", item.id)); });
      return Promise.all(work);
    });
  }

  function adoptPageKey() {
    if (pageKey === null || pageKey === "") return Promise.resolve();
    return storedKey().then(function (previous) {
      var wiped = previous && previous !== pageKey ? wipeExcept(pageKey) : Promise.resolve();
      return wiped.then(function () {
        return caches.open(META_CACHE).then(function (cache) {
          var text = { headers: { "Content-Type": "text/plain" } };
          return Promise.all([
            cache.put(KEY_URL, new Response(pageKey, text)),
            cache.put(CSRF_URL, new Response(csrfToken(), text)),
          ]);
        });
      });
    });
  }

  function wipeAll() {
    return Promise.all([
      wipeExcept(""),
      caches.open(META_CACHE).then(function (cache) { return Promise.all([cache.delete(KEY_URL), cache.delete(CSRF_URL)]); }),
    ]);
  }

  // --- The queue --------------------------------------------------------------------------------

  // Background Sync where the browser has it: the worker sends the queue when the connection
  // is back, even if no page of the site is open then. Resolves to whether it was registered.
  function requestSync() {
    if (!("serviceWorker" in navigator)) return Promise.resolve(false);
    return navigator.serviceWorker.getRegistration().then(function (registration) {
      if (!registration || !registration.sync || !registration.active) return false;
      return registration.sync.register(queue.SYNC_TAG).then(function () { return true; });
    }).catch(function () { return false; });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine || !pageKey) return Promise.resolve(0);
    flushing = true;
    return queue.flushQueue(pageKey, csrfToken()).catch(function () {
      return { sent: 0, held: 0 };
    }).then(function (outcome) {
      flushing = false;
      if (outcome.sent || outcome.held || outcome.refused) document.dispatchEvent(new CustomEvent("huiai:progress-sent", { detail: outcome }));
      return outcome.sent;
    });
  }

  // The connection is back: Background Sync sends the queue; without it, this page does.
  function whenOnline() {
    return requestSync().then(function (registered) { return registered ? 0 : flush(); });
  }

  // A new entry is more progress: with it, what the server held back is tried again too.
  function queueProgress(entry) {
    return currentKey().then(function (key) {
      if (!key) return null;
      entry.key = key;
      entry.queuedAt = Date.now();
      return put("queue", entry).then(function (id) {
        whenOnline();
        return id;
      });
    });
  }

  // --- Saving -----------------------------------------------------------------------------------

  function sameOrigin(url) {
    try {
      var parsed = new URL(url, location.href);
      return parsed.origin === location.origin ? parsed.pathname + parsed.search : null;
    } catch (error) {
      return null;
    }
  }

  // What a lesson page needs besides itself: images and audio always, videos apart, static files.
  function filesOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var files = { media: [], videos: [], statics: [], title: "" };
    var heading = doc.querySelector("h1");
    files.title = heading ? heading.textContent.trim() : doc.title;
    function add(list, url) {
      var path = url && sameOrigin(url);
      if (path && list.indexOf(path) === -1) list.push(path);
    }
    doc.querySelectorAll("main img[src]").forEach(function (img) { add(files.media, img.getAttribute("src")); });
    doc.querySelectorAll("main audio[src], main audio source[src]").forEach(function (el) { add(files.media, el.getAttribute("src")); });
    doc.querySelectorAll("main video[poster]").forEach(function (el) { add(files.media, el.getAttribute("poster")); });
    doc.querySelectorAll("main video[src], main video source[src]").forEach(function (el) { add(files.videos, el.getAttribute("src")); });
    doc.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (el) {
      var url = el.getAttribute("href") || el.getAttribute("src");
      if (url.indexOf("/static/") === 0) add(files.statics, url);
    });
    return files;
  }

  function sizeOf(url) {
    return fetch(url, { method: "HEAD", credentials: "same-origin" }).then(function (response) {
      return Number(response.headers.get("Content-Length") || 0);
    }).catch(function () { return 0; });
  }

  // Fetches each lesson page, and the sizes of its videos, without keeping anything yet.
  function survey(urls) {
    return Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok || response.redirected) throw new Error("not readable");
        return response.clone().text().then(function (html) {
          var files = filesOf(html);
          return Promise.all(files.videos.map(sizeOf)).then(function (sizes) {
            files.url = url;
            files.response = response;
            files.videoBytes = sizes.reduce(function (sum, size) { return sum + size; }, 0);
            return files;
          });
        });
      });
    }));
  }

  function keepLesson(cache, key, lesson, withVideos) {
    var urls = lesson.media.concat(withVideos ? lesson.videos : []);
    var bytes = 0;
    return lesson.response.clone().blob().then(function (blob) {
      bytes += blob.size;
      return cache.put(lesson.url, lesson.response);
    }).then(function () {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok || response.status !== 200) return null;
          return response.clone().blob().then(function (blob) {
            bytes += blob.size;
            return cache.put(url, response);
          });
        });
      }));
    }).then(function () {
      // Through the worker, which keeps static files for everyone (they are the same for all).
      return Promise.all(lesson.statics.map(function (url) { return fetch(url).catch(function () { return null; }); }));
    }).then(function () {
      return put("saved", {
        url: lesson.url, title: lesson.title, files: urls, bytes: bytes, key: key, savedAt: Date.now(),
        withVideos: withVideos && lesson.videos.length > 0,
      });
    }).then(function () { return bytes; });
  }

  function megabytes(bytes) {
    var value = bytes / (1024 * 1024);
    return (value < 0.1 && bytes > 0 ? 0.1 : value).toFixed(1) + " MB";
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  function wireSavePanel(panel) {
    var saveButton = panel.querySelector("[data-offline-save-button]");
    var status = panel.querySelector("[data-offline-status]");
    var question = panel.querySelector("[data-offline-video-question]");
    var questionText = panel.querySelector("[data-offline-video-text]");
    var urls = JSON.parse(panel.getAttribute("data-lessons") || "[]");
    var surveyed = null;
    panel.hidden = false;

    function say(text) { status.textContent = text; }

    function store(withVideos) {
      question.hidden = true;
      say(panel.dataset.savingText);
      var key = pageKey;
      caches.open(SAVED_PREFIX + key).then(function (cache) {
        return surveyed.reduce(function (previous, lesson) {
          return previous.then(function (total) {
            return keepLesson(cache, key, lesson, withVideos).then(function (bytes) { return total + bytes; });
          });
        }, Promise.resolve(0));
      }).then(function (total) {
        say(format(panel.dataset.savedText, { size: megabytes(total) }));
        saveButton.disabled = false;
      }).catch(function () {
        say(panel.dataset.failedText);
        saveButton.disabled = false;
      });
    }

    saveButton.addEventListener("click", function () {
      if (!navigator.onLine) { say(panel.dataset.failedText); return; }
      saveButton.disabled = true;
      say(panel.dataset.checkingText);
      survey(urls).then(function (lessons) {
        surveyed = lessons;
        var videoBytes = lessons.reduce(function (sum, lesson) { return sum + lesson.videoBytes; }, 0);
        var hasVideos = lessons.some(function (lesson) { return lesson.videos.length > 0; });
        if (!hasVideos) { store(false); return; }
        questionText.textContent = format(panel.dataset.videoText, { size: megabytes(videoBytes) });
        question.hidden = false;
        say("");
        question.querySelector("button").focus();
      }).catch(function () {
        say(panel.dataset.failedText);
        saveButton.disabled = false;
      });
    });
    panel.querySelector("[data-offline-with-video]").addEventListener("click", function () { store(true); });
    panel.querySelector("[data-offline-without-video]").addEventListener("click", function () { store(false); });
  }

  // --- Offline progress on a lesson page ---------------------------------------------------------

  function lessonPanel() { return document.querySelector("[data-offline-save][data-watch-token]"); }

  function queueFromPlayer(intervals, position) {
    var panel = lessonPanel();
    if (!panel) return Promise.resolve(null);
    return queueProgress({
      url: panel.dataset.progressUrl, token: panel.dataset.watchToken, intervals: intervals, position: position, done: false,
    });
  }

  function wireDoneForm() {
    var form = document.querySelector("form.lesson-complete");
    var panel = lessonPanel();
    if (!form || !panel) return;
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      queueProgress({ url: panel.dataset.progressUrl, token: panel.dataset.watchToken, intervals: "[]", position: 0, done: true })
        .then(function () {
          var note = document.createElement("p");
          note.className = "lesson-status";
          note.setAttribute("role", "status");
          note.textContent = panel.dataset.queuedText;
          form.replaceWith(note);
        });
    });
  }

  window.huiaiOfflineLessons = {
    queueFromPlayer: queueFromPlayer, flush: flush, requestSync: requestSync, wipeAll: wipeAll, supported: supported,
    all: all, remove: remove, currentKey: currentKey, megabytes: megabytes, format: format, SAVED_PREFIX: SAVED_PREFIX,
  };
  if (!supported) return;

  document.querySelectorAll("form.account-nav__logout, form[data-sign-out]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.wiped) return;
      event.preventDefault();
      var done = function () { form.dataset.wiped = "1"; form.submit(); };
      var guard = setTimeout(done, 1500);
      wipeAll().catch(function () {}).then(function () { clearTimeout(guard); done(); });
    });
  });

  adoptPageKey().then(flush).catch(function () {});
  window.addEventListener("online", function () { whenOnline(); });
  if (pageKey) document.querySelectorAll("[data-offline-save]").forEach(wireSavePanel);
  wireDoneForm();
})();
