/*
 * Huiai's service worker (home/installable.py serves it at /service-worker.js, scope "/").
 *
 * Hand-written rather than Workbox: what it does (pre-cache a handful of files, network-first
 * pages with an offline page, cache-first hashed static files) is about 4 KB here, while
 * Workbox's runtime for the same (workbox-sw plus its core, precaching, routing and strategies
 * modules, vendored at build time) is some 30 KB minified and adds a build step — a lot to send
 * over a weak connection inside WeChat for no extra behaviour.
 *
 * The one rule that matters (mayKeep, tested in Chromium by tests/e2e/test_installable.py):
 * never keep a signed-in page, a case page, the admin, or any response that sets a cookie or
 * says private / no-store / no-cache. Workers cannot read Set-Cookie, so the server marks every
 * such response "Cache-Control: private" (core.headers.PrivateResponseMiddleware).
 *
 * Saved lessons (「离线保存」, static/js/offline-lessons.js) are the one exception, and it is
 * not this worker's doing: the page itself puts a signed-in lesson and its media into the
 * cache "huiai-saved-<account's storage key>" (accounts/saved_lessons.py). The worker answers
 * from that cache only for the account whose key the last signed-in page wrote into
 * "huiai-meta" (so never another account's lessons on a shared phone): pages when the network
 * fails, media and images from the copy first (with byte ranges, which players ask for).
 *
 * Progress made offline waits in the phone's queue (static/js/offline-queue.js, imported here).
 * Where the browser has Background Sync, a page that queues progress registers the tag
 * "huiai-progress" and this worker sends the queue on the "sync" event, when the connection is
 * back, with the account key and CSRF token the last signed-in page left in "huiai-meta";
 * elsewhere the pages send it on their "online" event and when they load.
 */
"use strict";

const VERSION = "{{ version }}";
const CACHE = `huiai-shell-${VERSION}`;
const META_CACHE = "huiai-meta";
const SAVED_PREFIX = "huiai-saved-";
const KEY_URL = "/__huiai/saved-lessons-key";
const OFFLINE_URL = "{{ offline_url }}";
const PRECACHED = {{ precached_json|safe }};
const PRECACHED_PAGES = {{ precached_pages_json|safe }};
const NEVER_KEPT_PREFIXES = {{ never_kept_json|safe }};
const MAX_KEPT_PAGES = 40;
const CSRF_URL = "/__huiai/csrf-token";
const QUEUE_SCRIPT = {{ queue_script_json|safe }};

if (typeof importScripts === "function") importScripts(QUEUE_SCRIPT);

function mayKeep(request, response) {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return false;
  if (NEVER_KEPT_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) return false;
  if (!response || response.status !== 200 || response.type !== "basic") return false;
  if (response.headers.has("Set-Cookie")) return false;
  const cacheControl = (response.headers.get("Cache-Control") || "").toLowerCase();
  return !/(^|[\s,])(private|no-store|no-cache)([\s,=]|$)/.test(cacheControl);
}

async function keep(request, response) {
  const cache = await caches.open(CACHE);
  await cache.put(request, response);
  if (request.mode === "navigate") {
    const pages = (await cache.keys()).filter((key) => !PRECACHED.includes(new URL(key.url).pathname) && !key.url.includes("/static/") && new URL(key.url).pathname !== OFFLINE_URL);
    await Promise.all(pages.slice(0, Math.max(0, pages.length - MAX_KEPT_PAGES)).map((key) => cache.delete(key)));
  }
}

// The saved-lessons cache of the account last signed in on this browser, or null.
async function savedCache() {
  const key = await metaText(KEY_URL);
  if (!/^[0-9a-f]{8,64}$/.test(key)) return null;
  const name = SAVED_PREFIX + key;
  return (await caches.has(name)) ? caches.open(name) : null;
}

async function metaText(url) {
  const entry = await (await caches.open(META_CACHE)).match(url);
  return entry ? (await entry.text()).trim() : "";
}

// Background Sync: the queue of the account last signed in here. A network failure on the way
// rejects, so the browser tries the sync again later; what the server held back waits for the
// next progress.
async function syncProgress() {
  const key = await metaText(KEY_URL);
  if (!/^[0-9a-f]{8,64}$/.test(key)) return;
  const outcome = await self.huiaiOfflineQueue.flushQueue(key, await metaText(CSRF_URL));
  const windows = await self.clients.matchAll({ type: "window" });
  windows.forEach((client) => client.postMessage({ type: "huiai:progress-sent", outcome }));
  if (outcome.offline) throw new Error("still offline: the queue waits");
}

async function savedCopy(request) {
  const cache = await savedCache();
  return cache ? cache.match(request, { ignoreVary: true }) : undefined;
}

// A 206 (or 416) answer to a Range request from a whole kept file: audio and video ask for ranges.
async function withRange(request, response) {
  const range = request.headers.get("Range");
  const match = range && /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match || (match[1] === "" && match[2] === "")) return response;
  const blob = await response.blob();
  const size = blob.size;
  let start;
  let end;
  if (match[1] === "") {
    start = Math.max(size - Number(match[2]), 0);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  }
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": response.headers.get("Content-Type") || "application/octet-stream",
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Content-Length": String(end - start + 1),
      "Accept-Ranges": "bytes",
    },
  });
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (mayKeep(request, response)) await keep(request, response.clone());
    return response;
  } catch (error) {
    const shell = await caches.open(CACHE);
    const kept = (await savedCopy(request)) || (await shell.match(request));
    return kept || (await shell.match(OFFLINE_URL)) || Response.error();
  }
}

// Images and media of saved lessons: the copy on the phone first, else the network.
async function savedFile(request) {
  const kept = await savedCopy(new Request(request.url));
  if (kept) return withRange(request, kept);
  return fetch(request);
}

async function staticFile(request) {
  const kept = await (await caches.open(CACHE)).match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (mayKeep(request, response)) await keep(request, response.clone());
  return response;
}

self.huiaiServiceWorker = { mayKeep, withRange, NEVER_KEPT_PREFIXES, OFFLINE_URL };

if (typeof ServiceWorkerGlobalScope !== "undefined" && self instanceof ServiceWorkerGlobalScope) {
  self.addEventListener("install", (event) => {
    event.waitUntil(
      (async () => {
        const cache = await caches.open(CACHE);
        // Fetched without cookies: the offline page is the anonymous one, whoever installs.
        await cache.add(new Request(OFFLINE_URL, { credentials: "omit" }));
        await Promise.all(PRECACHED_PAGES.map((url) => cache.add(new Request(url, { credentials: "omit" }))));
        await cache.addAll(PRECACHED);
        await self.skipWaiting();
      })(),
    );
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil(
      (async () => {
        const names = await caches.keys();
        await Promise.all(names.filter((name) => name.startsWith("huiai-") && name !== CACHE && name !== META_CACHE && !name.startsWith(SAVED_PREFIX)).map((name) => caches.delete(name)));
        await self.clients.claim();
      })(),
    );
  });

  self.addEventListener("sync", (event) => {
    if (event.tag === self.huiaiOfflineQueue.SYNC_TAG) event.waitUntil(syncProgress());
  });

  self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== self.location.origin) return;
    if (request.mode === "navigate") {
      event.respondWith(page(request));
    } else if (url.pathname.startsWith("/static/")) {
      event.respondWith(staticFile(request));
    } else if (request.destination === "image" || request.destination === "audio" || request.destination === "video") {
      event.respondWith(savedFile(request));
    }
  });
}
