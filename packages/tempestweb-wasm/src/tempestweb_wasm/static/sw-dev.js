// @ts-check
/// <reference lib="webworker" />
// tempestweb Mode A, dev builds only: written as `sw.js` in place of the precaching worker.
//
// A dev build must never be served from a service worker's cache: every rebuild has to reach
// the page at once. Not registering a worker is not enough, because a production build served
// earlier on the same origin (same host and port) left a cache-first worker registered at this
// scope, and only a worker fetched from the same URL (`./sw.js`, which the browser re-checks on
// every navigation) can replace it. So this worker retires itself and its predecessor: it
// activates at once, deletes every tempestweb cache, unregisters, and navigates the pages the
// old worker controlled so they load the current build from the network. It has no fetch
// handler, so while it exists every request goes to the network. When bootstrap.js registers
// it for a page it does not control yet, it just unregisters again (no navigation, no loop).

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("tw-")) await caches.delete(name);
      }
      await self.registration.unregister();
      const pages = await self.clients.matchAll({ type: "window" });
      for (const page of pages) {
        page.navigate(page.url).catch(() => undefined);
      }
    })(),
  );
});
