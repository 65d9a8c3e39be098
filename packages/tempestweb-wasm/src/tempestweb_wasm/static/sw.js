// @ts-check
/// <reference lib="webworker" />
/**
 * tempestweb Mode A service worker (template; the builder fills in CONFIG).
 *
 * - install: precaches every file of the build. The cache name carries a hash of every file's
 *   content and the worker's scope (`tw-3f2a…@https://user.example.io/myapp/`), so a new build
 *   installs a new cache and `activate` deletes the old ones of this scope only: another
 *   tempestweb app of the same origin (a sibling folder on GitHub Pages) keeps its cache and
 *   works offline still, even when both builds are identical.
 * - fetch: the build's own files and navigations are answered from the cache first; a navigation
 *   that is neither cached nor reachable falls back to the cached index.html (the app routes on
 *   the client). Every other request (the app's API, a `tempestweb.native.http` call) is left to
 *   the network untouched: passed through `fetch()` in the worker, a response header's
 *   non-ASCII bytes reached the page re-encoded as UTF-8 (`café` read as `cafÃ©`).
 * Spec: https://www.w3.org/TR/service-workers/
 */

/** @type {{cache: string, prefix: string, files: string[], index: string}} */
const CONFIG = /*__TW_CONFIG__*/ ({ cache: "tw-dev", prefix: "tw-", files: [], index: "./index.html" });

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

/** @param {string} path @returns {string} absolute URL inside the worker's scope */
function scoped(path) {
  return new URL(path, sw.registration.scope).href;
}

/** @returns {string} this build's Cache Storage name: its content hash, then `@` and the scope */
function cacheName() {
  return `${CONFIG.cache}@${sw.registration.scope}`;
}

/**
 * Whether Cache Storage `name` is an earlier build of this scope's app: one named for this scope,
 * or an unscoped name (tempestweb before scoped names) holding this scope's index.html.
 * @param {string} name
 * @returns {Promise<boolean>}
 */
async function isOwnOldCache(name) {
  if (!name.startsWith(CONFIG.prefix) || name === cacheName()) return false;
  const at = name.indexOf("@");
  if (at >= 0) return name.slice(at + 1) === sw.registration.scope;
  return (await (await caches.open(name)).match(scoped(CONFIG.index))) !== undefined;
}

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName());
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
        if (await isOwnOldCache(name)) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

/** @type {Set<string> | null} the URLs of the build's files, without query (filled on first use) */
let precached = null;

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (precached === null) precached = new Set(CONFIG.files.map((path) => scoped(path)));
  if (request.mode !== "navigate" && !precached.has(url.origin + url.pathname)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(cacheName());
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
