// @ts-check
/**
 * Early input: what a person does on the prerendered view before the client module runs.
 *
 * The page paints its prerendered first view at once, but the client is a module graph that
 * runs later (deferred, and slower still on a cold cache or a slow link): a click in that gap
 * had no listener and was lost (issue 12). This classic script, loaded in `<head>` before the
 * body, records on `document` (capture phase) every `click`, `keydown`, `input` and `change`
 * whose target or an ancestor declares a listener for it in `data-tw-on` (the prerender's
 * hydration markers). A recorded click is `preventDefault()`ed (a submit button or a link must
 * not leave the page before the app saw it; a checkbox keeps its state until the replay).
 *
 * When the client mounts it dispatches `tempestweb:early-input` on `document`; this script hands
 * its records over through `detail.take(records)` and stops recording. The client replays them
 * in order onto the hydrated DOM (`readiness.js`), where they join the session's queue of events
 * waiting for `init`, the same queue that holds what is done while Mode A's runtime boots.
 *
 * When a module script of the page fails to load before the client mounted (`bootstrap.js` or
 * the client's entry, or a module either imports, answered 404, with a type other than
 * JavaScript such as `text/plain`, or not at all), no client will ever take the records, and the
 * clicks held back would be lost for good on a page that looks ready. This script hears the
 * script element's `error` event (a capture listener on `window`) and falls back to the static
 * prerender: it stops recording and holding clicks (links work again), finds which file failed
 * (HEAD requests for the page's scripts, as Mode A's boot does for Pyodide's files), logs it
 * with `console.error`, shows it in the client's error overlay (`overlay.js`, imported here;
 * the same markup and classes built by hand when that import fails too) and sets
 * `data-tw-failed` on `<html>`, the attribute Mode A's tests wait on with `data-tw-ready`.
 *
 * A classic script cannot import `constants.js` statically: the wire words below are checked
 * against the contract (`tempestweb_contract.names`) by tests.
 * @module early
 */

(() => {
  /** `ATTR_LISTENERS`: the prerender's `name:flags` list of an element's listeners. */
  const ATTR_LISTENERS = "data-tw-on";
  /** `DOM_EVENT_EARLY_INPUT`: the client asks for the records when it mounts. */
  const DOM_EVENT_EARLY_INPUT = "tempestweb:early-input";
  /** `ATTR_FAILED`: set on `<html>` when the app failed to start. */
  const ATTR_FAILED = "data-tw-failed";
  /** `CLASS_OVERLAY`: the client's error overlay. */
  const CLASS_OVERLAY = "tw-overlay";
  /** `ROOT_ELEMENT_ID`: the mount element (the overlay goes right after it). */
  const ROOT_ELEMENT_ID = "tw-root";
  /** How long the search for the failed file and the overlay's import may take. */
  const CHECK_TIMEOUT_MS = 4000;
  /** This script's URL: the client's folder (`overlay.js` is next to it). */
  const SELF = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : "";
  /** Event types recorded. */
  const TYPES = ["click", "keydown", "input", "change"];

  /**
   * One recorded event (`readiness.js` `EarlyRecord`).
   * @typedef {object} EarlyRecord
   * @property {string} type The event type.
   * @property {Element} target The element the event was dispatched to.
   * @property {string | null} value `input`/`change`: the control's value then.
   * @property {boolean | null} checked `input`/`change`: the checkbox's or radio's state then.
   * @property {KeyboardEventInit | null} key `keydown`: key, code and modifiers.
   */

  /** @type {EarlyRecord[]} */
  const records = [];

  /**
   * @param {Element} element
   * @param {string} type
   * @returns {boolean} Whether `element` or an ancestor listens for `type`.
   */
  function listened(element, type) {
    for (let node = element.closest(`[${ATTR_LISTENERS}]`); node !== null; ) {
      const names = (node.getAttribute(ATTR_LISTENERS) ?? "").split(" ").map((pair) => pair.split(":")[0]);
      if (names.includes(type)) return true;
      node = node.parentElement === null ? null : node.parentElement.closest(`[${ATTR_LISTENERS}]`);
    }
    return false;
  }

  /** @param {Event} event */
  function record(event) {
    const target = event.target;
    if (!(target instanceof Element) || !listened(target, event.type)) return;
    const control = /** @type {HTMLInputElement} */ (target);
    const editable = event.type === "input" || event.type === "change";
    /** @type {KeyboardEventInit | null} */
    let key = null;
    if (event instanceof KeyboardEvent) {
      const { code, altKey, ctrlKey, metaKey, shiftKey, repeat } = event;
      key = { key: event.key, code, altKey, ctrlKey, metaKey, shiftKey, repeat };
    }
    records.push({
      type: event.type,
      target,
      value: editable && "value" in control ? String(control.value) : null,
      checked: editable && (control.type === "checkbox" || control.type === "radio") ? control.checked : null,
      key,
    });
    if (event.type === "click") event.preventDefault();
  }

  for (const type of TYPES) document.addEventListener(type, record, true);

  /** Stop recording and holding input, and stop waiting for the client. */
  function stop() {
    for (const type of TYPES) document.removeEventListener(type, record, true);
    document.removeEventListener(DOM_EVENT_EARLY_INPUT, handOver);
    window.removeEventListener("error", loadFailed, true);
  }

  /** @param {Event} event */
  function handOver(event) {
    stop();
    const detail = /** @type {CustomEvent<{take: (records: EarlyRecord[]) => void}>} */ (event).detail;
    detail.take(records.splice(0));
  }

  /**
   * A file the server does not answer as JavaScript.
   * @typedef {object} Problem
   * @property {string} url Its absolute URL.
   * @property {string} reason What the server answered (`HTTP 404`, `served as text/plain…`).
   */

  /**
   * @param {string} url An absolute URL.
   * @returns {string} `url` relative to the page's folder (`./bootstrap.js`), else its path.
   */
  function shortUrl(url) {
    const folder = new URL("./", document.baseURI).href;
    if (url.startsWith(folder)) return `./${url.slice(folder.length)}`;
    const parsed = new URL(url);
    return parsed.origin === location.origin ? parsed.pathname : url;
  }

  /**
   * Which of the page's scripts the server does not answer as JavaScript: the failed element's
   * and every same-origin `.js`/`.mjs` the page fetched (the modules its imports reached).
   * HEAD requests, so nothing is downloaded again; each is given {@link CHECK_TIMEOUT_MS}.
   * @param {string} failed The failed script element's URL.
   * @returns {Promise<Problem[]>} One per file found wrong; the failed element's own URL with
   *   "not reachable" when none answered wrong and it could not be fetched at all.
   */
  async function problems(failed) {
    const urls = new Set([failed]);
    for (const entry of performance.getEntriesByType("resource")) {
      const url = new URL(entry.name);
      if (url.origin === location.origin && /\.m?js$/.test(url.pathname)) urls.add(url.href);
    }
    /** @type {string[]} */
    const unreachable = [];
    const answers = await Promise.all(
      [...urls].map(async (url) => {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), CHECK_TIMEOUT_MS);
        try {
          const response = await fetch(url, { method: "HEAD", cache: "no-store", signal: abort.signal });
          if (response.status === 405 || response.status === 501) return null; // no HEAD: cannot tell
          if (!response.ok) return { url, reason: `HTTP ${response.status}` };
          const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
          if (type.endsWith("javascript") || type.endsWith("ecmascript")) return null;
          return { url, reason: `served ${type === "" ? "without a Content-Type" : `as ${type}`}, not as JavaScript` };
        } catch {
          unreachable.push(url);
          return null;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const found = answers.filter((answer) => answer !== null);
    if (found.length === 0 && unreachable.includes(failed)) found.push({ url: failed, reason: "not reachable" });
    return found;
  }

  /**
   * The overlay's markup and classes (`overlay.js`), built here when that module cannot be
   * imported (it or a module it imports is what failed): it gets the essential styles inline.
   * @param {string} title
   * @param {string} detail
   */
  function fallbackOverlay(title, detail) {
    const panel = document.createElement("section");
    panel.className = CLASS_OVERLAY;
    panel.setAttribute("role", "alert");
    panel.setAttribute("data-code", "load_failed");
    panel.style.cssText =
      "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:2147483647;padding:1rem;" +
      "border-left:.35rem solid #b91c1c;background:#fff;color:#111827;font:14px/1.45 system-ui,sans-serif";
    const head = document.createElement("div");
    head.className = "tw-overlay-head";
    head.style.cssText = "display:flex;gap:1rem;align-items:flex-start;justify-content:space-between";
    const heading = document.createElement("h2");
    heading.className = "tw-overlay-title";
    heading.style.cssText = "margin:0;font-size:1rem;color:#b91c1c;overflow-wrap:anywhere";
    heading.textContent = title;
    const dismiss = document.createElement("button");
    dismiss.className = "tw-overlay-close";
    dismiss.type = "button";
    dismiss.textContent = "Dismiss";
    dismiss.addEventListener("click", () => panel.remove());
    head.append(heading, dismiss);
    const pre = document.createElement("pre");
    pre.className = "tw-overlay-detail";
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = detail;
    panel.append(head, pre);
    const root = document.getElementById(ROOT_ELEMENT_ID);
    if (root !== null) root.after(panel);
    else document.body.append(panel);
  }

  /**
   * Show the failure in the client's error overlay (imported from next to this script), or in
   * {@link fallbackOverlay} when it cannot be imported within {@link CHECK_TIMEOUT_MS}.
   * @param {string} title
   * @param {string} detail
   * @returns {Promise<void>}
   */
  async function showFailure(title, detail) {
    const root = document.getElementById(ROOT_ELEMENT_ID);
    try {
      if (root === null || SELF === "") throw new Error("no root or no script URL");
      /** @type {Promise<never>} */
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS));
      const overlay = /** @type {typeof import("./overlay.js")} */ (
        await Promise.race([import(new URL("overlay.js", SELF).href), late])
      );
      new overlay.ErrorOverlay(root).show({ code: "load_failed", message: title, id: null, detail });
    } catch {
      fallbackOverlay(title, detail);
    }
  }

  let failed = false;

  /**
   * A module script of the page failed to load before the client mounted: fall back to the
   * static prerender and say which file failed.
   * @param {Event} event An `error` event (resource errors do not bubble: heard in capture).
   */
  function loadFailed(event) {
    const script = event.target;
    if (failed || !(script instanceof HTMLScriptElement) || script.type !== "module" || script.src === "") return;
    failed = true;
    stop();
    records.length = 0; // nothing will replay them; the page's links and forms work natively now
    const src = script.src;
    void problems(src)
      .then((found) => {
        const list = found.length > 0 ? found : [{ url: src, reason: "failed to load (or a module it imports did)" }];
        const full = list.map(({ url, reason }) => `${url}: ${reason}`);
        console.error(`tempestweb: the app could not load; the page shows its prerendered view.\n${full.join("\n")}`);
        const lines = list.map(({ url, reason }) => `${shortUrl(url)}: ${reason}`);
        const detail =
          `${lines.join("\n")}\n\nThe page shows its first view without the app: links work, other ` +
          "controls do not respond. Reload to try again; if it keeps happening, the site is missing " +
          "a file or serves it with the wrong type.";
        return showFailure(`The app could not load ${list.map(({ url }) => shortUrl(url)).join(", ")}`, detail);
      })
      .catch((error) => console.error(`tempestweb: the app could not load ${src}`, error))
      .finally(() => document.documentElement.setAttribute(ATTR_FAILED, ""));
  }

  document.addEventListener(DOM_EVENT_EARLY_INPUT, handOver);
  window.addEventListener("error", loadFailed, true);
})();
