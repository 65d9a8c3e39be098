// @ts-check
/**
 * tempestweb Mode A bootstrap: turns the prerendered `index.html` into a running app.
 *
 * 1. The prerendered first view is already on screen (it is in index.html).
 * 2. Loading state: `aria-busy="true"` on `#tw-root` and a `role="status"` element next to it.
 *    The JS client is mounted at once (this module imports it statically, so it runs before the
 *    `load` event): it adopts the prerendered DOM and keeps every form control disabled until
 *    the runtime has answered the handshake (`readiness.js`, the same rule as Mode B), so
 *    harnesses (jsfb spec section 1) and users see exactly when the app can act. Other events
 *    (e.g. a click on a link) are queued by the client session and delivered after `init`.
 * 3. Loads Pyodide (same origin, `./pyodide/`), installs the wheels listed in `tw-build.json`,
 *    writes the app files to the Pyodide file system, imports the app and starts
 *    `tempestweb_wasm.runtime`.
 * 4. Mounts the JS client on `#tw-root` with a transport whose frames are the same JSON strings
 *    a WebSocket would carry, handed across pyodide.ffi.
 * 5. Errors from Python (a handler raising) show an accessible banner (`role="alert"`); the
 *    app keeps running. The service worker (`./sw.js`) is registered for offline use once the
 *    app is interactive (so its precache downloads do not compete with the boot).
 *
 * Timings are recorded as `performance.mark`s: `tw:boot`, `tw:pyodide`, `tw:wheels`,
 * `tw:runtime`, `tw:interactive`. Once interactive, `<html>` gets `data-tw-ready`; if the boot
 * fails it gets `data-tw-failed` (tests and harnesses wait on these attributes).
 * @module bootstrap
 */

/**
 * @typedef {object} BuildManifest
 * @property {{version: string, index: string}} pyodide Pyodide version and folder (always
 *   `./pyodide/`: the boot starts before this manifest arrives).
 * @property {string[]} wheels Wheel URLs relative to the build root.
 * @property {{dir: string, files: string[], module: string, attr: string}} app App files and entry.
 * @property {{path: string, sha256: string}} prerender App path and hash of the prerendered HTML.
 */

/**
 * @typedef {object} PyRuntime The `tempestweb_wasm.runtime.Runtime` proxy.
 * @property {(text: string) => void} receive Hand one client frame to Python.
 */

import { ATTR_FAILED, ATTR_READY, BUILD_MANIFEST_FILE, ROOT_ELEMENT_ID } from "./client/constants.js";
import { mount } from "./client/tempestweb.js";

/** Folder in the Pyodide file system holding the app's files (put first on sys.path). */
const APP_FS_DIR = "/home/pyodide/tw_app";

const BASE = new URL("./", import.meta.url);

/** @param {string} name */
function mark(name) {
  try {
    performance.mark(name);
  } catch {
    // performance.mark is optional instrumentation
  }
}

/**
 * Create (or reuse) the accessible error banner and show `text` in it.
 * @param {string} text
 */
function showError(text) {
  let banner = document.getElementById("tw-error");
  if (banner === null) {
    banner = document.createElement("div");
    banner.id = "tw-error";
    banner.setAttribute("role", "alert");
    banner.style.cssText =
      "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:2147483647;padding:.75rem 1rem;" +
      "background:#7f1d1d;color:#fff;font:14px/1.4 system-ui,sans-serif;border-radius:.5rem;" +
      "box-shadow:0 4px 16px rgba(0,0,0,.3);display:flex;gap:1rem;align-items:flex-start";
    const message = document.createElement("span");
    message.className = "tw-error-message";
    message.style.cssText = "flex:1;white-space:pre-wrap";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", () => banner?.remove());
    banner.append(message, close);
    document.body.append(banner);
  }
  const message = /** @type {HTMLElement} */ (banner.querySelector(".tw-error-message"));
  message.textContent = text;
}

/**
 * Loading state: busy root and a status line (the client disables the form controls).
 * @param {Element} root
 * @returns {{say: (text: string) => void, done: () => void, failed: (text: string) => void}}
 */
function loadingState(root) {
  root.setAttribute("aria-busy", "true");
  const status = document.createElement("div");
  status.id = "tw-status";
  status.setAttribute("role", "status");
  status.style.cssText =
    "position:fixed;right:.75rem;top:.75rem;z-index:2147483646;padding:.25rem .6rem;" +
    "background:#1e293b;color:#fff;font:12px/1.4 system-ui,sans-serif;border-radius:.4rem;opacity:.85";
  status.textContent = "Loading the app…";
  root.after(status);
  return {
    say(text) {
      status.textContent = text;
    },
    done() {
      root.removeAttribute("aria-busy");
      status.remove();
    },
    failed(text) {
      root.removeAttribute("aria-busy");
      status.textContent = "The app failed to start.";
      showError(text);
    },
  };
}

/**
 * A transport handing frames across pyodide.ffi. `open` is reported once the runtime exists.
 * Frames to the client are delivered in a microtask so the client never re-enters itself.
 */
class PyodideTransport {
  constructor() {
    /** @type {PyRuntime | null} */
    this.runtime = null;
    /** @type {((text: string) => void) | null} */
    this.onFrame = null;
    /** @type {((status: "connecting" | "open" | "closed") => void) | null} */
    this.onStatus = null;
    /** @type {(() => void) | null} called after the first `init` frame was applied */
    this.onInit = null;
  }

  /**
   * @param {(text: string) => void} onFrame
   * @param {(status: "connecting" | "open" | "closed") => void} onStatus
   */
  connect(onFrame, onStatus) {
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    if (this.runtime !== null) queueMicrotask(() => onStatus("open"));
    else onStatus("connecting");
  }

  /** @param {string} text @returns {boolean} */
  send(text) {
    if (this.runtime === null || this.onFrame === null) return false;
    this.runtime.receive(text);
    return true;
  }

  close() {
    this.onFrame = null;
    this.onStatus = null;
  }

  /** Called by Python with each server frame. @param {string} text */
  deliver(text) {
    queueMicrotask(() => {
      const onFrame = this.onFrame;
      if (onFrame === null) return;
      onFrame(text);
      if (this.onInit !== null && text.startsWith('{"type":"init"')) {
        const onInit = this.onInit;
        this.onInit = null;
        onInit();
      }
    });
  }

  /** @param {PyRuntime} runtime */
  attach(runtime) {
    this.runtime = runtime;
    if (this.onStatus !== null) this.onStatus("open");
  }
}

/** @param {string} path @returns {Promise<Response>} */
async function fetchOk(path) {
  const response = await fetch(new URL(path, BASE));
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response;
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register(new URL("./sw.js", BASE), { scope: BASE.pathname });
  } catch (error) {
    console.warn(`tempestweb: service worker not registered (offline use unavailable): ${String(error)}`);
  }
}

async function boot() {
  mark("tw:boot");
  const root = document.getElementById(ROOT_ELEMENT_ID);
  if (root === null) throw new Error(`tempestweb: index.html has no #${ROOT_ELEMENT_ID} element`);
  const loading = loadingState(root);
  try {
    // Start the slow part first: Pyodide's boot overlaps the manifest, client and app downloads.
    const pyodideReady = import(new URL("./pyodide/pyodide.mjs", BASE).href).then((module) =>
      module.loadPyodide({ indexURL: new URL("./pyodide/", BASE).href, fullStdLib: false }),
    );
    pyodideReady.catch(() => undefined); // awaited below; avoid an "unhandled rejection" report
    const transport = new PyodideTransport();
    const ready = new Promise((resolve) => {
      transport.onInit = () => resolve(undefined);
    });
    // Mount now: the client adopts the prerendered DOM while Python loads; it locks the form
    // controls, queues other events and waits for "open" before sending its hello.
    mount(root, { transport, hydrate: true, lastSeq: 0 });
    const manifest = /** @type {BuildManifest} */ (await (await fetchOk(`./${BUILD_MANIFEST_FILE}`)).json());
    const appFiles = Promise.all(
      manifest.app.files.map(async (name) => {
        const bytes = new Uint8Array(await (await fetchOk(manifest.app.dir + name)).arrayBuffer());
        return /** @type {[string, Uint8Array]} */ ([name, bytes]);
      }),
    );
    loading.say("Loading Python…");
    const pyodide = await pyodideReady;
    mark("tw:pyodide");
    loading.say("Installing packages…");
    await pyodide.loadPackage(manifest.wheels.map((url) => new URL(url, BASE).href), {
      checkIntegrity: false,
      messageCallback: () => {},
    });
    mark("tw:wheels");
    for (const [name, bytes] of await appFiles) {
      const path = `${APP_FS_DIR}/${name}`;
      pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
      pyodide.FS.writeFile(path, bytes);
    }
    pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(APP_FS_DIR)})`);
    loading.say("Starting the app…");
    const runtimeModule = pyodide.pyimport("tempestweb_wasm.runtime");
    const config = JSON.stringify({
      module: manifest.app.module,
      attr: manifest.app.attr,
      base: BASE.pathname,
      prerender_path: manifest.prerender.path,
      prerender_sha256: manifest.prerender.sha256,
    });
    const runtime = runtimeModule.start(
      config,
      /** @param {string} text */ (text) => transport.deliver(text),
      /** @param {string} code @param {string} message */ (code, message) => showError(`Error (${code}): ${message}`),
    );
    mark("tw:runtime");
    transport.attach(runtime);
    await ready;
    loading.done();
    mark("tw:interactive");
    document.documentElement.setAttribute(ATTR_READY, "");
  } catch (error) {
    console.error("tempestweb: boot failed", error);
    document.documentElement.setAttribute(ATTR_FAILED, "");
    loading.failed(`The app failed to start: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Registered after boot so precaching does not compete with Pyodide's own downloads.
  await registerServiceWorker();
}

void boot();
