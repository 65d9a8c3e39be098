// @ts-check
/**
 * Dev only: keep an open page in step with the dev server. Pages served for production
 * neither contain nor load this file.
 *
 * - Mode A (`tempestweb dev --mode wasm`): a dev build's `index.html` loads it; after a
 *   rebuild the page reloads, applies a Python change in place (`update`), or loads a saved
 *   stylesheet again (`stylesheets`).
 * - Mode B (`tempestweb dev`): every page loads it. Live pages get new Python by hot reload
 *   over their session and use this file only for saved stylesheets; the error page of a
 *   failed first render also reloads itself once a save makes the app import again (issue 12).
 *
 * The dev server streams Server-Sent Events
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html) at `_tw/dev/events` next to
 * the client folder's site root; the events and their data are `DEV_EVENT` of the contract
 * (`tempestweb_contract.dev`). A page that shows a build names it in
 * `<meta name="tw-dev-build">`: `hello` gives the version the server serves on every
 * (re)connect, `reload` the new one after each successful rebuild or reload, `update` one where
 * only the app's Python changed (see `onUpdate`); the page reloads whenever the served version
 * differs from its own, so a rebuild that finished while this page was still loading (before
 * the stream was open), or a restarted dev server, also reloads it. A page without that meta (a
 * live Mode B page) ignores them. `stylesheets` names the saved stylesheets (paths relative to
 * the site root): every page loads them again in place (`stylesheets.js`), without a reload.
 * `EventSource` reconnects by itself when the server goes away. It is a separate file (not
 * inline) so it runs under a `script-src 'self'` policy.
 * @module dev
 */

import { DEV_BUILD_META, DEV_EVENT, DEV_EVENTS_PATH, DOM_EVENT_DEV_UPDATE, ENDPOINT_PREFIX } from "./constants.js";
import { reloadStylesheets } from "./stylesheets.js";

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
/** The build this page shows; `null` for a page that follows no build (a live Mode B page). */
let ownBuild = meta === null ? null : (meta.getAttribute("content") ?? "");
let reloading = false;

/** @param {MessageEvent<string>} event */
function onBuild(event) {
  if (ownBuild === null || reloading || event.data === "" || event.data === ownBuild) return;
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
  if (ownBuild === null || reloading || event.data === "" || event.data === ownBuild) return;
  const update = new CustomEvent(DOM_EVENT_DEV_UPDATE, { detail: { build: event.data }, cancelable: true });
  if (!document.dispatchEvent(update)) {
    ownBuild = event.data; // applied in place: a later `hello` with this version changes nothing
    return;
  }
  onBuild(event);
}

/**
 * Read a `stylesheets` event's data.
 * @param {string} data JSON `{"build": string, "paths": string[]}`.
 * @returns {{ build: string, paths: string[] }}
 * @throws {TypeError} The data has another shape.
 */
export function parseStylesheets(data) {
  /** @type {unknown} */
  const value = JSON.parse(data);
  if (typeof value === "object" && value !== null && "build" in value && "paths" in value) {
    const { build, paths } = value;
    if (typeof build === "string" && Array.isArray(paths) && paths.every((path) => typeof path === "string")) {
      return { build, paths };
    }
  }
  throw new TypeError(`expected {"build": string, "paths": string[]}, got ${data}`);
}

/**
 * A `stylesheets` event: load the saved stylesheets again in place. The page then matches the
 * build the event names (only stylesheets changed since the one it shows).
 * @param {MessageEvent<string>} event
 */
function onStylesheets(event) {
  if (reloading) return;
  let change;
  try {
    change = parseStylesheets(event.data);
  } catch (error) {
    console.error(`tempestweb dev: ignored a malformed ${DEV_EVENT.STYLESHEETS} event: ${String(error)}`);
    return;
  }
  if (ownBuild !== null) ownBuild = change.build;
  const root = siteRoot(import.meta.url);
  const urls = change.paths.map((path) => new URL(path, root).href);
  void reloadStylesheets(document, urls).then((count) => {
    console.info(`tempestweb dev: ${change.paths.join(", ")} reloaded in ${count} <link> element(s)`);
  });
}

if ("EventSource" in globalThis) {
  const source = new EventSource(new URL(`.${ENDPOINT_PREFIX}${DEV_EVENTS_PATH}`, siteRoot(import.meta.url)));
  source.addEventListener(DEV_EVENT.HELLO, onBuild);
  source.addEventListener(DEV_EVENT.RELOAD, onBuild);
  source.addEventListener(DEV_EVENT.UPDATE, onUpdate);
  source.addEventListener(DEV_EVENT.STYLESHEETS, onStylesheets);
  // Close before unloading so the server's stream ends at once instead of at its next
  // keep-alive write.
  addEventListener("pagehide", () => source.close());
}
