/*
 * The progress queued on the phone while offline, and sending it: shared by the pages
 * (offline-lessons.js, loaded after this file) and the service worker (which imports it for
 * Background Sync). Nothing here touches the page: it runs in a window and in the worker alike.
 *
 * IndexedDB "huiai-offline": store "saved" (one record per saved lesson, by address) and store
 * "queue" (entries in order, each marked with the account's storage key).
 *
 * Sending (``flushQueue``): the entries of one account, one request each, in order, to the
 * lesson's offline-progress/ route (courses/page_views.offline_progress), whose answer decides:
 *   2xx      recorded: the entry leaves the queue;
 *   409      not *yet* (a 「完成」 before the reading time is over): the entry stays, marked
 *            ``held`` with the server's reason, which the list 已离线保存 shows; it is sent
 *            again with the next flush (the next progress queued, the connection coming back,
 *            Background Sync, a page opened online) until it is recorded or refused for good;
 *   403, 5xx not now (signed out, an expired CSRF token, a server fault): stays as it was;
 *   other    refused for good (forged or expired token, course left): the entry is marked
 *            ``refused`` with the server's reason and never sent again; 已离线保存 shows the
 *            reason until the parent dismisses it (what they did offline is not silently lost).
 * A network failure stops the round: the rest waits. Page and worker never send at the same
 * time (a Web Lock where the browser has them), so an entry is not sent twice at once; the
 * server's rules make a second sending add nothing anyway.
 */
(function (scope) {
  "use strict";

  var DB_NAME = "huiai-offline";
  var SYNC_TAG = "huiai-progress";
  var LOCK_NAME = "huiai-progress-queue";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("saved")) db.createObjectStore("saved", { keyPath: "url" });
        if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function transact(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = work(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all(store) { return transact(store, "readonly", function (s) { return s.getAll(); }); }
  function put(store, value) { return transact(store, "readwrite", function (s) { return s.put(value); }); }
  function remove(store, key) { return transact(store, "readwrite", function (s) { return s.delete(key); }); }

  function exclusively(work) {
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK_NAME, work) : work();
  }

  function answerOf(response) {
    return response.json().catch(function () { return {}; });
  }

  // Sends one entry; resolves to "sent", "held", "kept" or "dropped".
  function send(entry, csrf) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf || "");
    data.append("token", entry.token);
    data.append("intervals", entry.intervals || "[]");
    data.append("position", String(entry.position || 0));
    if (entry.done) data.append("done", "1");
    return fetch(entry.url, {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf || "" },
    }).then(function (response) {
      if (response.ok) return remove("queue", entry.id).then(function () { return "sent"; });
      if (response.status === 409) {
        return answerOf(response).then(function (answer) {
          entry.held = { reason: String(answer.error || ""), at: Date.now(), tries: ((entry.held && entry.held.tries) || 0) + 1 };
          return put("queue", entry).then(function () { return "held"; });
        });
      }
      if (response.status === 403 || response.status >= 500) return "kept";
      return answerOf(response).then(function (answer) {
        delete entry.held;
        entry.refused = { reason: String(answer.error || ""), at: Date.now(), status: response.status };
        return put("queue", entry).then(function () { return "refused"; });
      });
    });
  }

  // Sends the queued entries of the account ``key``; resolves to the count of each outcome
  // and ``offline: true`` when the network failed on the way (what is left waits).
  function flushQueue(key, csrf) {
    var outcome = { sent: 0, held: 0, kept: 0, refused: 0, offline: false };
    if (!key) return Promise.resolve(outcome);
    return exclusively(function () {
      return all("queue").then(function (entries) {
        // Still to be sent: this account's entries, less those refused for good.
        var mine = entries.filter(function (entry) { return entry.key === key && !entry.refused; });
        return mine.reduce(function (previous, entry) {
          return previous.then(function () {
            if (outcome.offline) return null;
            return send(entry, csrf).then(function (result) { outcome[result] += 1; }, function () { outcome.offline = true; });
          });
        }, Promise.resolve());
      });
    }).then(function () { return outcome; });
  }

  scope.huiaiOfflineQueue = {
    all: all, put: put, remove: remove, flushQueue: flushQueue, SYNC_TAG: SYNC_TAG,
  };
})(self);
