// @ts-check
/**
 * tempestweb Mode A, dev builds only (`tempestweb dev --mode wasm`): reload the page once a
 * rebuild is in place. Production builds neither contain nor load this file.
 *
 * `index.html` names its build in `<meta name="tw-dev-build">`. The dev server streams
 * Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html) at
 * `./_tw/dev/events`: `hello` with the build it serves on every (re)connect, `reload` with the
 * new build after each successful rebuild. The page reloads whenever the served build differs
 * from its own, so a rebuild that finished while this page was still loading (before the stream
 * was open), or a restarted dev server, also reloads it. `EventSource` reconnects by itself
 * when the server goes away. It is a separate file (not inline) so it runs under the `--csp`
 * policy (`script-src 'self'`).
 * @module tw-dev
 */

import { DEV_BUILD_META, DEV_EVENTS_PATH, ENDPOINT_PREFIX } from "./client/constants.js";

const meta = document.querySelector(`meta[name="${DEV_BUILD_META}"]`);
const ownBuild = meta === null ? "" : (meta.getAttribute("content") ?? "");
let reloading = false;

/** @param {MessageEvent<string>} event */
function onBuild(event) {
  if (reloading || event.data === "" || event.data === ownBuild) return;
  reloading = true;
  console.info(`tempestweb dev: build ${event.data} is in place, reloading`);
  location.reload();
}

if ("EventSource" in globalThis) {
  const source = new EventSource(new URL(`.${ENDPOINT_PREFIX}${DEV_EVENTS_PATH}`, import.meta.url));
  source.addEventListener("hello", onBuild);
  source.addEventListener("reload", onBuild);
  // Close before unloading so the server's stream thread ends at once instead of at its next
  // keep-alive write.
  addEventListener("pagehide", () => source.close());
}
