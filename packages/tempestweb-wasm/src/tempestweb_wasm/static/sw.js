// @ts-check
/// <reference lib="webworker" />
/**
 * tempestweb Mode A service worker (template; the builder fills in CONFIG).
 *
 * - install: precaches every file of the build. The cache name carries a hash of every file's
 *   content and the worker's scope (`tw-3f2a…@https://user.example.io/myapp/`), so a new build
 *   installs a new cache and `activate` deletes the old ones of this scope only: another
 *   tempestweb app of the same origin (a sibling folder on GitHub Pages) keeps its cache and
 *   works offline still, even when both builds are identical. Every file but the HTML ones is
 *   fetched with its Subresource Integrity hash (`CONFIG.integrity`): a deploy caught half
 *   uploaded (this `sw.js` new, a wheel still the old one) fails the install as a whole, the
 *   previous build keeps serving, and the next update check installs the complete one. Without
 *   it the old wheel was cached under the new build's name for good (`sw.js` no longer changed,
 *   so nothing ever replaced it). HTML is left unchecked: hosts that insert a snippet into
 *   pages (analytics, e-mail obfuscation) would otherwise never let a build install.
 * - fetch: the build's own files and navigations are answered from the cache first. A
 *   navigation to another path of the scope is one of the app's routes (a deep link, the app
 *   routes on the client): when the network fails, answers 404 (a host without a fallback to
 *   index.html), or answers the build's own index.html (a host's fallback), it gets the cached
 *   index.html with `<base href>` set to the scope, so its `./bootstrap.js` and every other
 *   relative URL resolve to the build's files, not below the route's path. Every other request
 *   (the app's API, a `tempestweb.native.http` call) is left to the network untouched: passed
 *   through `fetch()` in the worker, a response header's non-ASCII bytes reached the page
 *   re-encoded as UTF-8 (`café` read as `cafÃ©`).
 * - A new build activates at once (`skipWaiting`) and takes the open pages (`clients.claim`):
 *   a page already running keeps the version it runs until it is reloaded; a page still
 *   starting reloads itself onto the new build (`bootstrap.js`), so no page ever runs one
 *   build's shell with another build's files.
 * Spec: https://www.w3.org/TR/service-workers/
 */

/**
 * @type {{cache: string, prefix: string, files: string[], index: string, integrity: Record<string, string>}}
 * `integrity`: the `sha256-…` Subresource Integrity value of each file of `files` but HTML.
 */
const CONFIG = /*__TW_CONFIG__*/ ({ cache: "tw-dev", prefix: "tw-", files: [], index: "./index.html", integrity: {} });

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
      // "no-cache" revalidates with the server so a stale HTTP cache entry never ends up here;
      // the integrity hash refuses a file of another build (addAll stores all or nothing).
      const requests = CONFIG.files.map(
        (path) => new Request(scoped(path), { cache: "no-cache", integrity: CONFIG.integrity[path] ?? "" }),
      );
      await cache.addAll(requests);
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

/**
 * The cached index.html for a deep link: `<base href>` set to the scope, so the page's relative
 * URLs (`./bootstrap.js`, `./client/…`) name the build's files whatever the route's depth.
 * @param {Cache} cache This build's cache.
 * @returns {Promise<Response | undefined>} `undefined` when the index is not cached.
 */
async function shell(cache) {
  const index = await cache.match(scoped(CONFIG.index));
  if (index === undefined) return undefined;
  const html = await index.text();
  const base = `<base href="${sw.registration.scope.replaceAll("&", "&amp;").replaceAll('"', "&quot;")}">`;
  const head = /<head\b[^>]*>/i.exec(html);
  const at = head === null ? -1 : head.index + head[0].length;
  const text = at < 0 ? html : `${html.slice(0, at)}${base}${html.slice(at)}`;
  const headers = new Headers(index.headers);
  headers.delete("content-length"); // the text is longer now, and no longer encoded
  headers.delete("content-encoding");
  return new Response(text, { status: 200, statusText: "OK", headers });
}

/**
 * Whether a navigation's network answer is the host's fallback for an unknown path: a 404, or
 * this build's own index.html (nginx `try_files … /index.html`). Any other page (another app in
 * a folder below this one, a file) is the host's answer to keep.
 * @param {Response} response
 * @param {Cache} cache
 * @returns {Promise<boolean>}
 */
async function isFallback(response, cache) {
  if (response.status === 404) return true;
  if (!response.ok || !(response.headers.get("content-type") ?? "").startsWith("text/html")) return false;
  const index = await cache.match(scoped(CONFIG.index));
  return index !== undefined && (await response.clone().text()) === (await index.text());
}

/**
 * Answer a navigation: a file of the build from the cache, a route of the app with `shell`.
 * @param {Request} request
 * @returns {Promise<Response>}
 */
async function navigate(request) {
  const cache = await caches.open(cacheName());
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const page = await shell(cache);
    if (page) return page;
    throw error;
  }
  return ((await isFallback(response, cache)) && (await shell(cache))) || response;
}

/** @type {Set<string> | null} the URLs of the build's files, without query (filled on first use) */
let precached = null;

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
    return;
  }
  if (precached === null) precached = new Set(CONFIG.files.map((path) => scoped(path)));
  if (!precached.has(url.origin + url.pathname)) return;
  event.respondWith(
    (async () => {
      const hit = await (await caches.open(cacheName())).match(request);
      return hit ?? fetch(request);
    })(),
  );
});
