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
 */
"use strict";

const VERSION = "{{ version }}";
const CACHE = `huiai-${VERSION}`;
const OFFLINE_URL = "{{ offline_url }}";
const PRECACHED = {{ precached_json|safe }};
const NEVER_KEPT_PREFIXES = {{ never_kept_json|safe }};
const MAX_KEPT_PAGES = 40;

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

async function page(request) {
  try {
    const response = await fetch(request);
    if (mayKeep(request, response)) await keep(request, response.clone());
    return response;
  } catch (error) {
    const kept = await caches.match(request);
    return kept || (await caches.match(OFFLINE_URL)) || Response.error();
  }
}

async function staticFile(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (mayKeep(request, response)) await keep(request, response.clone());
  return response;
}

self.huiaiServiceWorker = { mayKeep, NEVER_KEPT_PREFIXES, OFFLINE_URL };

if (typeof ServiceWorkerGlobalScope !== "undefined" && self instanceof ServiceWorkerGlobalScope) {
  self.addEventListener("install", (event) => {
    event.waitUntil(
      (async () => {
        const cache = await caches.open(CACHE);
        // Fetched without cookies: the offline page is the anonymous one, whoever installs.
        await cache.add(new Request(OFFLINE_URL, { credentials: "omit" }));
        await cache.addAll(PRECACHED);
        await self.skipWaiting();
      })(),
    );
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil(
      (async () => {
        const names = await caches.keys();
        await Promise.all(names.filter((name) => name.startsWith("huiai-") && name !== CACHE).map((name) => caches.delete(name)));
        await self.clients.claim();
      })(),
    );
  });

  self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== self.location.origin) return;
    if (request.mode === "navigate") {
      event.respondWith(page(request));
    } else if (url.pathname.startsWith("/static/")) {
      event.respondWith(staticFile(request));
    }
  });
}
