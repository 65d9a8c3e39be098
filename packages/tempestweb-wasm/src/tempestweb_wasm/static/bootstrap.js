// @ts-check
/**
 * tempestweb Mode A bootstrap: turns the prerendered `index.html` into a running app.
 *
 * 1. The prerendered first view is already on screen (it is in index.html), and it takes input
 *    from first paint: no control is ever disabled by the boot (issue 12: an input enabled at
 *    first paint, then locked while Pyodide loaded, lost what a person was typing).
 * 2. The JS client is mounted at once (this module imports it statically, so it runs before the
 *    `load` event): it adopts the prerendered DOM, marks `#tw-root` `aria-busy`, and queues what
 *    a person does (clicks, typed text, Enter), in order, until the runtime answers the
 *    handshake; then the queue is replayed (`readiness.js`, the same rule as Mode B). Text
 *    typed before this module ran is reported at mount. A boot indicator (`.tw-boot`, a
 *    `role="status"` pill with a progress bar, `--tw-boot-*` properties) says how far the boot
 *    is, and goes when the app is interactive.
 * 3. Loads Pyodide (same origin, `./pyodide/`), installs the wheels listed in `tw-build.json`,
 *    writes the app files to the Pyodide file system, imports the app and starts
 *    `tempestweb_wasm.runtime` (with error details in a dev build: `errors: "traceback"`).
 * 4. The client's transport hands the same JSON strings a WebSocket would carry across
 *    pyodide.ffi. There is no connection to lose, so the client's connection banner is off.
 * 5. Errors from Python (a handler raising) open the client's error overlay; the app keeps
 *    running. A failed boot shows the overlay with the reason, naming a file of Pyodide the
 *    server does not answer (Pyodide itself never settles `loadPyodide` when its WebAssembly
 *    fails to compile: see `guardWasm`). The service worker (`./sw.js`) is registered for
 *    offline use once the app is interactive (so its precache downloads do not compete with
 *    the boot).
 * 6. A new build's service worker activates at once and takes the open pages. A page it takes
 *    while still starting reloads (`reloadOnNewBuild`): its shell came from the previous build
 *    and its remaining files (the build manifest, the app, the wheels) would come from the new
 *    one. A page already interactive keeps running the build it loaded until it is reloaded.
 *
 * Timings are recorded as `performance.mark`s: `tw:boot`, `tw:pyodide`, `tw:wheels`,
 * `tw:runtime`, `tw:interactive`. Once interactive, `<html>` gets `data-tw-ready`; if the boot
 * fails it gets `data-tw-failed` (tests and harnesses wait on these attributes).
 * @module bootstrap
 */

/**
 * @typedef {object} BuildManifest
 * @property {{version: string, index: string, files?: string[]}} pyodide Pyodide version and folder
 *   (always `./pyodide/`: the boot starts before this manifest arrives), and its files (named
 *   when Pyodide fails to load and the server does not answer one of them).
 * @property {string[]} wheels Wheel URLs relative to the build root.
 * @property {{dir: string, files: string[], module: string, attr: string}} app App files and entry.
 * @property {{path: string, sha256: string}} prerender App path and hash of the prerendered HTML.
 * @property {"generic" | "traceback"} [errors] What the page shows when app code fails: a generic
 *   message with an error id, or (dev builds) the traceback. Default: "generic".
 */

/**
 * @typedef {object} PyRuntime The `tempestweb_wasm.runtime.Runtime` proxy.
 * @property {(text: string) => void} receive Hand one client frame to Python.
 * @property {(node: number, id: string, name: string, type: string, bytes: Uint8Array) => string} upload
 *   Store one FileUpload file's bytes in the session (answers JSON `{id, size}` or `{code, message}`).
 * @property {(module: string, attr: string, dir: string) => Promise<string>} hot_reload Re-import
 *   the app from `dir` and swap it into the session (answers JSON `{reloaded, notices, failures}`).
 * @property {() => number} warm Build what the first event would build (the event models).
 */

/**
 * @typedef {object} PyHost What a `PyodideTransport` hands frames to.
 * @property {(text: string) => void} receive Hand one client frame to Python.
 * @property {PyRuntime["upload"]} [upload] Store one FileUpload file's bytes (the page's runtime).
 */

/**
 * @typedef {object} PyRehearsal The `tempest_core.host._rehearsal.Rehearsal` proxy.
 * @property {(text: string) => void} receive Hand one frame of the rehearsal's client to its session.
 * @property {() => string} actions JSON list of the DOM actions to perform, once the `init` was
 *   answered: `{node, type, props}` (see `perform`).
 * @property {() => Promise<void>} close Close its session.
 * @property {() => void} destroy Release the proxy.
 */

/** @typedef {import("./client/rehearsal.js").RehearsalAction} RehearsalAction */

import {
  ATTR_FAILED, ATTR_READY, ATTR_UI_STATE, BUILD_MANIFEST_FILE, CLASS_BOOT, DOM_EVENT_DEV_UPDATE,
  ROOT_ELEMENT_ID, UPLOAD_ERROR,
} from "./client/constants.js";
import { whenIdle } from "./client/idle.js";
import { ErrorOverlay } from "./client/overlay.js";
import { rehearse, untilPersonActs } from "./client/rehearsal.js";
import { mount } from "./client/tempestweb.js";
import { UploadFailure } from "./client/upload.js";
import { element, ensureUiStyles } from "./client/ui.js";

/** Folder in the Pyodide file system holding the app's files (put first on sys.path). */
const APP_FS_DIR = "/home/pyodide/tw_app";

const BASE = new URL("./", import.meta.url);

/**
 * Rehearse a first scroll, click and keystroke in a throwaway session while the page is idle
 * (`client/src/rehearsal.js`, `tempest_core.host._rehearsal`): V8 compiles WebAssembly and
 * JavaScript functions the first time they run, and without this a person's first scroll of a
 * virtual table paid that (74-157 ms under 4x CPU throttling, against 9-12 ms for the next
 * steps). In Mode A the rehearsal's host runs live in the page's Python: the rehearsal client's
 * `PyodideTransport` hands its frames to a `Rehearsal` session of its own, so its `hello`, its
 * events and their acknowledgements go through the same code as the page's, Python's included.
 * @param {any} runtimeModule The `tempestweb_wasm.runtime` module proxy.
 * @param {import("./client/rehearsal.js").PersonWatch} watch Ends it at a person's first action.
 * @returns {Promise<{patches: number, errors: string[], stopped?: true}>} What `rehearse` returns.
 */
async function rehearsePython(runtimeModule, watch) {
  const transport = new PyodideTransport();
  /** @type {PyRehearsal} */
  const rehearsal = runtimeModule.rehearsal(/** @param {string} text */ (text) => transport.deliver(text));
  return rehearse(transport, {
    open: () => transport.attach(rehearsal), // open: the client sends its hello, the init follows
    actions: () => /** @type {RehearsalAction[]} */ (JSON.parse(rehearsal.actions())),
    close: async () => {
      await rehearsal.close();
      rehearsal.destroy();
    },
  }, watch);
}

/** @param {string} name @param {unknown} [detail] */
function mark(name, detail) {
  try {
    performance.mark(name, { detail });
  } catch {
    // performance.mark is optional instrumentation
  }
}

/**
 * The boot indicator: a small `role="status"` pill after the root with a progress bar. Progress
 * is the fraction of the boot's steps done (Pyodide's download dominates the first visit).
 * @param {Element} root
 * @returns {{say: (text: string, progress: number) => void, done: () => void, failed: (text: string) => void}}
 */
function bootIndicator(root) {
  const doc = root.ownerDocument;
  ensureUiStyles(doc);
  const pill = element(doc, "div", CLASS_BOOT);
  pill.setAttribute("role", "status");
  pill.setAttribute("aria-live", "polite");
  pill.setAttribute(ATTR_UI_STATE, "loading");
  const track = element(doc, "div", "tw-boot-track");
  const bar = element(doc, "div", "tw-boot-bar");
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-valuemin", "0");
  bar.setAttribute("aria-valuemax", "100");
  track.append(bar);
  const text = element(doc, "span", "tw-boot-text");
  pill.append(track, text);
  root.after(pill);
  /** @param {string} label @param {number} progress */
  const say = (label, progress) => {
    text.textContent = label;
    const percent = Math.round(Math.min(1, Math.max(0, progress)) * 100);
    bar.setAttribute("aria-valuenow", String(percent));
    pill.style.setProperty("--tw-boot-progress", String(percent / 100)); // CSSOM: allowed by any CSP
  };
  say("Starting the app…", 0.05);
  return {
    say,
    done() {
      pill.remove();
    },
    failed(reason) {
      pill.setAttribute(ATTR_UI_STATE, "failed");
      text.textContent = "The app failed to start.";
      new ErrorOverlay(root).show({ code: "internal", message: "The app failed to start", id: null, detail: reason });
    },
  };
}

/**
 * A transport handing frames across pyodide.ffi. `open` is reported once the runtime exists.
 * Frames to the client are delivered in a microtask so the client never re-enters itself.
 */
class PyodideTransport {
  constructor() {
    /** @type {PyHost | null} the page's runtime, or the rehearsal's session */
    this.runtime = null;
    /** @type {((text: string) => void) | null} */
    this.onFrame = null;
    /** @type {((status: "connecting" | "open" | "closed") => void) | null} */
    this.onStatus = null;
    /** @type {(() => void) | null} called after the first `init` frame was applied */
    this.onInit = null;
    /**
     * Called instead of `onInit` when the runtime ends the handshake with a fatal `error` frame
     * (the app's first view raised in the page): the boot fails with its message instead of
     * waiting for an `init` that never comes.
     * @type {((message: string) => void) | null}
     */
    this.onFatal = null;
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
        this.onFatal = null;
        onInit();
      } else if (this.onInit !== null && this.onFatal !== null) {
        const fatal = fatalError(text);
        if (fatal !== null) {
          const onFatal = this.onFatal;
          this.onInit = null;
          this.onFatal = null;
          onFatal(fatal);
        }
      }
    });
  }

  /**
   * Hand one FileUpload file to Python in the page (client/src/upload.js calls this instead of
   * POSTing it): the `File`'s bytes go to the runtime, which stores them in the session.
   * @param {import("./client/upload.js").UploadRequest} request
   * @returns {Promise<void>} Settles once stored; rejects with an `UploadFailure`.
   */
  async upload(request) {
    const upload = this.runtime?.upload;
    if (upload === undefined) throw new UploadFailure(UPLOAD_ERROR.NOT_FOUND, "the app has not started yet");
    const bytes = new Uint8Array(await request.file.arrayBuffer());
    request.progress(bytes.length);
    /** @type {{code?: string, message?: string}} */
    const answer = JSON.parse(upload(request.node, request.id, request.file.name, request.file.type, bytes));
    if (typeof answer.code === "string") throw new UploadFailure(answer.code, answer.message ?? answer.code);
  }

  /** @param {PyHost} runtime */
  attach(runtime) {
    this.runtime = runtime;
    if (this.onStatus !== null) this.onStatus("open");
  }
}

/**
 * The text of a fatal `error` frame (`[code] message (error id …)`), or `null` for any other
 * frame. A build without error details sends a generic message and the id under which the
 * page's console holds the traceback.
 * @param {string} text A frame from the runtime.
 * @returns {string | null}
 */
function fatalError(text) {
  if (!text.startsWith('{"type":"error"')) return null;
  /** @type {{fatal?: unknown, code?: unknown, message?: unknown, id?: unknown}} */
  const frame = JSON.parse(text);
  if (frame.fatal !== true) return null;
  const id = typeof frame.id === "string" ? ` (error id ${frame.id})` : "";
  return `[${String(frame.code)}] ${String(frame.message)}${id}`;
}

/** @param {string} path @returns {Promise<Response>} */
async function fetchOk(path) {
  const response = await fetch(new URL(path, BASE));
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response;
}

/**
 * Fetch the app's files listed in `manifest`.
 * @param {BuildManifest} manifest
 * @returns {Promise<[string, Uint8Array][]>} Path relative to the app folder -> bytes.
 */
function fetchAppFiles(manifest) {
  return Promise.all(
    manifest.app.files.map(async (name) => {
      const bytes = new Uint8Array(await (await fetchOk(manifest.app.dir + name)).arrayBuffer());
      return /** @type {[string, Uint8Array]} */ ([name, bytes]);
    }),
  );
}

/**
 * Write the app's files under `APP_FS_DIR` in Pyodide's file system.
 * @param {any} pyodide
 * @param {[string, Uint8Array][]} files Path relative to the app folder -> bytes.
 * @returns {Promise<void>}
 */
async function writeAppFiles(pyodide, files) {
  for (const [name, bytes] of files) {
    const path = `${APP_FS_DIR}/${name}`;
    pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    pyodide.FS.writeFile(path, bytes);
  }
}

/**
 * `tempestweb dev --mode wasm`, after a change to the app's Python only: apply the new build
 * without reloading the page. Its app files replace the old ones in Pyodide, and the runtime
 * re-imports the app and swaps it into the session (`Runtime.hot_reload`), so the state is
 * carried over as in Mode B (a changed state class keeps the fields it still has). A build that
 * changed anything else the page loaded (Pyodide, the wheels, the entry point) reloads the page.
 * The time from the announcement to the updated view is measured (`tw:hot-reload`) and logged.
 * @param {any} pyodide
 * @param {PyRuntime} runtime
 * @param {BuildManifest} current The manifest the page runs.
 * @returns {Promise<BuildManifest>} The manifest now applied.
 */
async function updateInPlace(pyodide, runtime, current) {
  const started = performance.now();
  const next = /** @type {BuildManifest} */ (await (await fetchOk(`./${BUILD_MANIFEST_FILE}`)).json());
  const same = (/** @type {unknown} */ a, /** @type {unknown} */ b) => JSON.stringify(a) === JSON.stringify(b);
  if (
    !same(next.pyodide, current.pyodide) ||
    !same(next.wheels, current.wheels) ||
    next.app.module !== current.app.module ||
    next.app.attr !== current.app.attr
  ) {
    location.reload();
    return next;
  }
  await writeAppFiles(pyodide, await fetchAppFiles(next));
  const result = JSON.parse(await runtime.hot_reload(next.app.module, next.app.attr, APP_FS_DIR));
  const measure = performance.measure("tw:hot-reload", { start: started });
  console.info(
    `tempestweb dev: app updated in place in ${Math.round(measure.duration)} ms ` +
      `(${result.reloaded} session(s), ${result.failures.length} failure(s))`,
  );
  return next;
}

/**
 * Reload the page when a new build's service worker takes it before the app is interactive.
 *
 * `sw.js` activates a new build at once (`skipWaiting`), and the page's later requests then go
 * to the new build's cache: a page that loaded its `index.html`, `bootstrap.js` and client from
 * the previous build would start that build's JS with the new build's app code and wheels,
 * which need not fit together (observed: `bootstrap.js` of v1 running the tempestweb wheels of
 * v2). Only a page that a worker already served can be taken over this way; a first visit is
 * not controlled, and its worker is registered once it is interactive.
 * @returns {() => void} Call once the app is interactive: from then on the page keeps its build.
 */
function reloadOnNewBuild() {
  const workers = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  let starting = true;
  if (workers !== null && workers.controller !== null) {
    workers.addEventListener("controllerchange", () => {
      if (!starting) return;
      console.info("tempestweb: a new build was activated while the page started; reloading onto it");
      location.reload();
    });
  }
  return () => {
    starting = false;
  };
}

/** @param {string} url @returns {string} `url` relative to the build (`./pyodide/…`) when inside it */
function shortUrl(url) {
  return url.startsWith(BASE.href) ? `./${url.slice(BASE.href.length)}` : url;
}

/**
 * Make a failure to compile Pyodide's WebAssembly fail the boot, while Pyodide loads.
 *
 * Pyodide compiles `pyodide.asm.wasm` with `WebAssembly.instantiateStreaming` and, when that
 * rejects, only logs "wasm instantiation failed!": `loadPyodide` never settles and the page
 * stayed on "Loading Python…" for good. Until `restore()`, `instantiateStreaming` is wrapped:
 * a response that is not ok fails the boot with the file's name and status; one served with
 * another type than `application/wasm` (an older server's `application/octet-stream`), which
 * streaming compilation refuses, is compiled from its bytes instead, with a warning; any other
 * failure fails the boot with its message.
 * @returns {{failed: Promise<never>, restore: () => void}} `failed` rejects with the failure.
 */
function guardWasm() {
  const wasm = /** @type {{instantiateStreaming: typeof WebAssembly.instantiateStreaming}} */ (
    /** @type {unknown} */ (WebAssembly)
  );
  const original = wasm.instantiateStreaming;
  /** @type {(error: Error) => void} */
  let fail = () => undefined;
  /** @type {Promise<never>} */
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined); // raced against loadPyodide; avoid an "unhandled rejection" report
  wasm.instantiateStreaming = async (source, imports) => {
    try {
      const response = await source;
      const name = shortUrl(response.url);
      if (!response.ok) throw new Error(`GET ${name}: HTTP ${response.status}`);
      const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (type === "application/wasm") return await original.call(WebAssembly, response, imports);
      const served = type === "" ? "without a Content-Type" : `as ${type}`;
      console.warn(`tempestweb: ${name} is served ${served}, not application/wasm: compiled without streaming`);
      try {
        return await WebAssembly.instantiate(await response.arrayBuffer(), imports);
      } catch (error) {
        throw new Error(`${name} (served ${served}) is not WebAssembly: ${describe(error)}`);
      }
    } catch (error) {
      fail(error instanceof Error ? error : new Error(describe(error)));
      throw error;
    }
  };
  return {
    failed,
    restore() {
      wasm.instantiateStreaming = original;
    },
  };
}

/** @param {unknown} error @returns {string} its message (Pyodide may reject with a non-Error object) */
function describe(error) {
  if (error instanceof Error) return error.message;
  const message = typeof error === "object" && error !== null ? /** @type {{message?: unknown}} */ (error).message : null;
  return typeof message === "string" ? message : String(error);
}

/**
 * After Pyodide failed to load: which of its files the server does not answer properly (a
 * deploy missing a file, a server without the `.mjs` type). HEAD requests, so nothing is
 * downloaded again; a file that cannot be reached at all is not named (offline, it says nothing).
 * @param {string[]} files Paths relative to the build (`./pyodide/python_stdlib.zip`).
 * @returns {Promise<string[]>} One `./path: reason` per file found wrong.
 */
async function pyodideProblems(files) {
  const answers = await Promise.all(
    files.map(async (path) => {
      try {
        const response = await fetch(new URL(path, BASE), { method: "HEAD", cache: "no-store" });
        if (!response.ok) return `${path}: HTTP ${response.status}`;
        const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
        if (path.endsWith(".mjs") && !type.endsWith("javascript")) {
          return `${path}: served as ${type || "no type"}, not text/javascript`;
        }
      } catch {
        // not reachable: nothing to say
      }
      return null;
    }),
  );
  return answers.filter((answer) => answer !== null);
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
  const loading = bootIndicator(root);
  const started = reloadOnNewBuild();
  try {
    // Start the slow part first: Pyodide's boot overlaps the manifest, client and app downloads.
    const wasm = guardWasm();
    const pyodideReady = Promise.race([
      import(new URL("./pyodide/pyodide.mjs", BASE).href).then((module) =>
        module.loadPyodide({ indexURL: new URL("./pyodide/", BASE).href, fullStdLib: false }),
      ),
      wasm.failed,
    ]).finally(() => wasm.restore());
    pyodideReady.catch(() => undefined); // awaited below; avoid an "unhandled rejection" report
    const transport = new PyodideTransport();
    const ready = new Promise((resolve, reject) => {
      transport.onInit = () => resolve(undefined);
      transport.onFatal = (message) => reject(new Error(message));
    });
    ready.catch(() => undefined); // awaited below; avoid an "unhandled rejection" report
    // Mount now: the client adopts the prerendered DOM while Python loads; it queues what a
    // person does (in order) and waits for "open" before sending its hello.
    mount(root, { transport, hydrate: true, lastSeq: 0, banner: false });
    const manifest = /** @type {BuildManifest} */ (await (await fetchOk(`./${BUILD_MANIFEST_FILE}`)).json());
    const appFiles = fetchAppFiles(manifest);
    loading.say("Loading Python…", 0.15);
    /** @type {any} */
    let pyodide;
    try {
      pyodide = await pyodideReady;
    } catch (error) {
      const files = (manifest.pyodide.files ?? []).map((name) => `./pyodide/${name}`);
      const problems = await pyodideProblems(files);
      throw new Error(`Loading Python failed: ${problems.length > 0 ? problems.join("; ") : describe(error)}`);
    }
    mark("tw:pyodide");
    loading.say("Installing packages…", 0.6);
    await pyodide.loadPackage(manifest.wheels.map((url) => new URL(url, BASE).href), {
      checkIntegrity: false,
      messageCallback: () => {},
    });
    mark("tw:wheels");
    await writeAppFiles(pyodide, await appFiles);
    pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(APP_FS_DIR)})`);
    loading.say("Starting the app…", 0.85);
    const runtimeModule = pyodide.pyimport("tempestweb_wasm.runtime");
    const config = JSON.stringify({
      module: manifest.app.module,
      attr: manifest.app.attr,
      base: BASE.pathname,
      prerender_path: manifest.prerender.path,
      prerender_sha256: manifest.prerender.sha256,
      errors: manifest.errors ?? "generic",
    });
    // Errors reach the page as error frames: the client's overlay shows them.
    const runtime = runtimeModule.start(config, /** @param {string} text */ (text) => transport.deliver(text));
    mark("tw:runtime");
    transport.attach(runtime);
    await ready;
    loading.done();
    mark("tw:interactive");
    document.documentElement.setAttribute(ATTR_READY, "");
    started();
    // The first event would build pydantic's deferred event models (over 100 ms under Pyodide,
    // inside the first click or scroll): build them while the page is idle instead.
    // Then rehearse a first scroll, click and keystroke, unless a person acted first (see
    // `rehearse`).
    const watch = untilPersonActs(window);
    whenIdle(() => {
      runtime.warm();
      mark("tw:warm");
      rehearsePython(runtimeModule, watch).then(
        (result) => mark("tw:rehearsed", result),
        (error) => console.debug("tempestweb: idle rehearsal skipped", error),
      );
    });
    // Dev builds (client/dev.js): a change to the app's Python is applied in place.
    let current = manifest;
    document.addEventListener(DOM_EVENT_DEV_UPDATE, (event) => {
      event.preventDefault();
      updateInPlace(pyodide, runtime, current).then(
        (next) => {
          current = next;
        },
        (error) => {
          console.error("tempestweb dev: updating in place failed, reloading", error);
          location.reload();
        },
      );
    });
  } catch (error) {
    console.error("tempestweb: boot failed", error);
    document.documentElement.setAttribute(ATTR_FAILED, "");
    loading.failed(describe(error));
  }
  // Registered after boot so precaching does not compete with Pyodide's own downloads.
  await registerServiceWorker();
}

void boot();
