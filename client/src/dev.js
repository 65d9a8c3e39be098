// @ts-check
/**
 * Dev only: reload the page once the dev server has a new version of the app. Pages served for
 * production neither contain nor load this file.
 *
 * - Mode A (`tempestweb dev --mode wasm`): a dev build's `index.html` loads it; the page
 *   reloads after each successful rebuild.
 * - Mode B (`tempestweb dev`): live pages get the new code by hot reload over their session;
 *   only the error page of a failed first render loads this file, so that page reloads itself
 *   once a save makes the app import again (issue 12).
 *
 * The page names the version it shows in `<meta name="tw-dev-build">`. The dev server streams
 * Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html) at
 * `_tw/dev/events` next to the client folder's site root: `hello` with the version it serves
 * on every (re)connect, `reload` with the new one after each successful rebuild or reload, or
 * `update` when only the app's Python changed (see `onUpdate`). The
 * page reloads whenever the served version differs from its own, so a rebuild that finished
 * while this page was still loading (before the stream was open), or a restarted dev server,
 * also reloads it. `EventSource` reconnects by itself when the server goes away. It is a
 * separate file (not inline) so it runs under a `script-src 'self'` policy.
 * @module dev
 */

import { DEV_BUILD_META, DEV_EVENTS_PATH, DOM_EVENT_DEV_UPDATE, ENDPOINT_PREFIX } from "./constants.js";

/**
 * The site root this client folder belongs to: `{site}/client/` in a Mode A build,
 * `{base}/_tw/client/` under a Mode B server.
 * @param {string} moduleUrl `import.meta.url` of this file.
 * @returns {URL} The root, ending with `/`.
 */
export function siteRoot(moduleUrl) {
  const root = new URL("..", new URL(".", moduleUrl)); // the client folder's parent
  const endpoints = `${ENDPOINT_PREFIX}/`; // Mode B serves the client under "/_tw/"
  if (root.pathname.endsWith(endpoints)) root.pathname = root.pathname.slice(0, 1 - endpoints.length);
  return root;
}

const meta = document.querySelector(`meta[name="${DEV_BUILD_META}"]`);
let ownBuild = meta === null ? "" : (meta.getAttribute("content") ?? "");
let reloading = false;

/** @param {MessageEvent<string>} event */
function onBuild(event) {
  if (reloading || event.data === "" || event.data === ownBuild) return;
  reloading = true;
  console.info(`tempestweb dev: version ${event.data} is in place, reloading`);
  location.reload();
}

/**
 * An `update` (only the app's Python changed): a page that can apply it in place says so by
 * cancelling `tempestweb:dev-update` (Mode A's bootstrap); any other page reloads.
 * @param {MessageEvent<string>} event
 */
function onUpdate(event) {
  if (reloading || event.data === "" || event.data === ownBuild) return;
  const update = new CustomEvent(DOM_EVENT_DEV_UPDATE, { detail: { build: event.data }, cancelable: true });
  if (!document.dispatchEvent(update)) {
    ownBuild = event.data; // applied in place: a later `hello` with this version changes nothing
    return;
  }
  onBuild(event);
}

if ("EventSource" in globalThis) {
  const source = new EventSource(new URL(`.${ENDPOINT_PREFIX}${DEV_EVENTS_PATH}`, siteRoot(import.meta.url)));
  source.addEventListener("hello", onBuild);
  source.addEventListener("reload", onBuild);
  source.addEventListener("update", onUpdate);
  // Close before unloading so the server's stream ends at once instead of at its next
  // keep-alive write.
  addEventListener("pagehide", () => source.close());
}
