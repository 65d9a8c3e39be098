// @ts-check
/**
 * Public API of the tempestweb DOM client: `mount(root, options)`.
 *
 * ```js
 * import { mount } from "/_tw/client/tempestweb.js";
 * const session = mount(document.getElementById("tw-root"), { session: "SID", token: "T" });
 * session.registerCapability("clipboard", { write_text: ({ text }) => navigator.clipboard.writeText(String(text)) });
 * ```
 * @module tempestweb
 */

import { ENDPOINT_PREFIX } from "./constants.js";
import { TempestSession } from "./session.js";
import { AutoTransport } from "./transport_auto.js";
import { IpcTransport } from "./transport_ipc.js";
import { SseTransport } from "./transport_sse.js";
import { WebSocketTransport } from "./transport_ws.js";

/** @typedef {import("./transport.js").Transport} Transport */
/** @typedef {import("./transport.js").TransportStatus} TransportStatus */
/** @typedef {import("./session.js").Capability} Capability */
/** @typedef {import("./session.js").TempestSession} TempestSessionType */

/**
 * @typedef {object} MountOptions
 * @property {string} [endpoint] Base URL of the host endpoints (`<endpoint>/ws`, `/sse`, `/send`);
 *   absolute or relative to the page. Default: "/_tw".
 * @property {"ws" | "sse" | "auto" | "ipc" | Transport} [transport] Built-in transport name ("ipc":
 *   PyTauri IPC in a desktop window) or a custom transport object (Mode A passes its pyodide
 *   transport). Default: "auto".
 * @property {string | null} [session] Session id of the prerendered page. Default: null.
 * @property {string | null} [token] Session-bound token of the page. Default: null.
 * @property {boolean} [hydrate] Adopt the prerendered DOM.
 * Default: true when `session` is set and the root has children.
 * @property {number} [lastSeq] `seq` of the prerendered state. Default: 0.
 * @property {Record<string, Capability>} [capabilities] Capabilities answering `native_call`.
 * @property {boolean} [overlay] Show the error overlay when app code fails (message, error id,
 *   and in dev the traceback). `false`: only the `tempestweb:error` event on the root.
 *   Default: true.
 * @property {boolean} [banner] Show the connection status banner (`.tw-banner`). `false`: only
 *   the `tempestweb:status` event on the root. Default: true.
 */

/** Property on a root element holding its session (one session per root). */
const SESSION = Symbol("tempestweb.session");

/**
 * Mount a tempestweb session on `root`: hydrate the prerendered view (if any), connect, and
 * keep the DOM in sync with the host until `session.close()`.
 * @param {Element} root The mount element (node id 0), e.g. `#tw-root`.
 * @param {MountOptions} [options]
 * @returns {TempestSession} The running session.
 * @throws {TypeError} `root` is not an element, is already mounted, or `transport` is unknown.
 */
export function mount(root, options = {}) {
  if (!(root instanceof Element)) throw new TypeError("mount(root): root must be an Element");
  const holder = /** @type {Record<symbol, TempestSession | undefined>} */ (/** @type {unknown} */ (root));
  if (holder[SESSION] !== undefined && holder[SESSION].status !== "closed") {
    throw new TypeError("mount(root): a session is already mounted on this element");
  }
  const endpoint = options.endpoint ?? ENDPOINT_PREFIX;
  const kind = options.transport ?? "auto";
  /** @type {Transport | ((session: TempestSession) => Transport)} */
  let transport;
  if (kind === "ws") transport = () => new WebSocketTransport({ endpoint });
  else if (kind === "sse") transport = (auth) => new SseTransport({ endpoint, auth });
  else if (kind === "auto") transport = (auth) => new AutoTransport({ endpoint, auth });
  else if (kind === "ipc") transport = () => new IpcTransport({ endpoint });
  else if (typeof kind === "object" && kind !== null && typeof kind.connect === "function") transport = kind;
  else throw new TypeError(`mount(root): unknown transport ${JSON.stringify(kind)} (use "ws", "sse", "auto", "ipc" or an object)`);
  const session = new TempestSession(root, {
    transport,
    session: options.session ?? null,
    token: options.token ?? null,
    hydrate: options.hydrate,
    lastSeq: options.lastSeq,
    capabilities: options.capabilities,
    overlay: options.overlay,
    banner: options.banner,
  });
  holder[SESSION] = session;
  return session;
}

export { TempestSession };
