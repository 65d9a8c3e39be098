// @ts-check
/// <reference lib="webworker" />
/**
 * tempestweb Mode A service worker (template; the builder fills in CONFIG).
 *
 * - install: precaches every file of the build. The cache name carries a hash of every file's
 *   content, so a new build installs a new cache and `activate` deletes the old ones.
 * - fetch: cache-first for same-origin GET requests; a navigation that is neither cached nor
 *   reachable falls back to the cached index.html (the app routes on the client).
 * Spec: https://www.w3.org/TR/service-workers/
 */

/** @type {{cache: string, prefix: string, files: string[], index: string}} */
const CONFIG = /*__TW_CONFIG__*/ ({ cache: "tw-dev", prefix: "tw-", files: [], index: "./index.html" });

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

/** @param {string} path @returns {string} absolute URL inside the worker's scope */
function scoped(path) {
  return new URL(path, sw.registration.scope).href;
}

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CONFIG.cache);
      // "no-cache" revalidates with the server so a stale HTTP cache entry never ends up here.
      await cache.addAll(CONFIG.files.map((path) => new Request(scoped(path), { cache: "no-cache" })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CONFIG.prefix) && name !== CONFIG.cache) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CONFIG.cache);
      const hit = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
      if (hit) return hit;
      try {
        return await fetch(request);
      } catch (error) {
        if (request.mode === "navigate") {
          const index = await cache.match(scoped(CONFIG.index));
          if (index) return index;
        }
        throw error;
      }
    })(),
  );
});
