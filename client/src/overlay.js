// @ts-check
/**
 * The error overlay: what a person sees when app code fails (a handler, the view, an effect, a
 * hot reload), instead of a page that silently stops reacting.
 *
 * A host showing error details (`tempestweb dev`, `--debug`) sends `error{message, id, detail}`:
 * the overlay shows the message, the traceback (the app's own frames first, `file:line`) and the
 * error id. Otherwise it gets a generic message and the id, and the overlay says that something
 * went wrong and which id to quote; the traceback is in the host's log under that id.
 *
 * The overlay is a `role="alert"` panel after the root (`.tw-overlay`, styled by `ui.js`),
 * built with createElement/textContent only. It never blocks the page: the app keeps running
 * and a person can dismiss it (button or Escape). The notice of a failed hot reload, and a
 * failure of the view, go by themselves once a later reload succeeds (`forgetSuperseded`): the
 * new code rendered. Other errors (a handler's, say) stay until dismissed. An app replaces it by calling
 * `preventDefault()` on the root's `tempestweb:error` event, or with `mount(root, {overlay:
 * false})`.
 * @module overlay
 */

import { CLASS_OVERLAY, RELOAD_FAILED_MESSAGE, VIEW_SUBJECT } from "./constants.js";
import { element, ensureUiStyles } from "./ui.js";

/**
 * An error as the overlay shows it (the `detail` of a `tempestweb:error` event).
 * @typedef {object} ErrorInfo
 * @property {string} code Wire error code, e.g. `"handler_error"`.
 * @property {string} message The host's message (generic without error details).
 * @property {string | null} id Error id of the host's log line, if any.
 * @property {string | null} detail The traceback (dev only), if any.
 */

/** Most errors the overlay remembers (it shows the newest and counts the others). */
const MAX_KEPT = 20;

/** Title of a failure shown without details. */
const GENERIC_TITLE = "Something went wrong";

/** Body of a failure shown without details. */
const GENERIC_TEXT =
  "The app could not complete the last action, and the page may not show its latest state. " +
  "Try again or reload; if it keeps happening, report the error id below.";

/**
 * Whether `error` says that a hot reload failed and the page keeps the previous version.
 * @param {ErrorInfo} error
 * @returns {boolean}
 */
function isFailedReload(error) {
  return error.message.startsWith(RELOAD_FAILED_MESSAGE);
}

/**
 * Whether a successful hot reload makes `error` untrue: a failed reload ("the page keeps the
 * previous version") or a failure of the view ("the page still shows the last view that
 * rendered"); the new code rendered the page.
 * @param {ErrorInfo} error
 * @returns {boolean}
 */
function supersededByReload(error) {
  return isFailedReload(error) || error.message.startsWith(`${VIEW_SUBJECT} raised `);
}

/** One overlay per session root. */
export class ErrorOverlay {
  /**
   * @param {Element} root The session's mount element (the overlay goes right after it).
   */
  constructor(root) {
    /** @private @readonly */
    this.root = root;
    /** @private @type {ErrorInfo[]} */
    this.errors = [];
    /** @private @type {HTMLElement | null} */
    this.panel = null;
    /** @private @readonly */
    this.onKey = (/** @type {KeyboardEvent} */ event) => {
      if (event.key === "Escape") this.close();
    };
  }

  /** Whether the overlay is on screen. @returns {boolean} */
  get open() {
    return this.panel !== null && this.panel.isConnected;
  }

  /**
   * Show `error` (the newest error replaces the one on screen; earlier ones are counted).
   * @param {ErrorInfo} error
   * @returns {void}
   */
  show(error) {
    this.errors.push(error);
    if (this.errors.length > MAX_KEPT) this.errors.shift();
    this.render();
  }

  /**
   * Forget the errors of failed hot reloads (`RELOAD_FAILED_MESSAGE`) and failures of the view
   * (`VIEW_SUBJECT`): a later reload succeeded, so the page no longer keeps a previous version
   * or an old view. The newest other error stays on screen; with none left the overlay closes.
   * An overlay the person dismissed stays closed.
   * @returns {void}
   */
  forgetSuperseded() {
    if (!this.open) return;
    const kept = this.errors.filter((error) => !supersededByReload(error));
    if (kept.length === this.errors.length) return;
    if (kept.length === 0) {
      this.close();
      return;
    }
    this.errors = kept;
    this.render();
  }

  /**
   * Put the newest error on screen (replacing the panel shown), counting the earlier ones.
   * @private
   * @returns {void}
   */
  render() {
    const error = this.errors[this.errors.length - 1];
    const doc = this.root.ownerDocument;
    ensureUiStyles(doc);
    const panel = element(doc, "section", CLASS_OVERLAY);
    panel.setAttribute("role", "alert");
    panel.setAttribute("data-code", error.code);
    const detailed = error.detail !== null;
    const head = element(doc, "div", "tw-overlay-head");
    head.append(element(doc, "h2", "tw-overlay-title", detailed ? error.message : GENERIC_TITLE));
    const dismiss = element(doc, "button", "tw-overlay-close", "Dismiss");
    /** @type {HTMLButtonElement} */ (dismiss).type = "button";
    dismiss.addEventListener("click", () => this.close());
    head.append(dismiss);
    panel.append(head);
    if (!detailed) panel.append(element(doc, "p", "tw-overlay-message", GENERIC_TEXT));
    if (error.id !== null) panel.append(element(doc, "p", "tw-overlay-id", `Error id: ${error.id}`));
    const earlier = this.errors.length - 1;
    if (earlier > 0) {
      const more = `${earlier} earlier error${earlier === 1 ? "" : "s"} (see the console)`;
      panel.append(element(doc, "p", "tw-overlay-more", more));
    }
    if (detailed) panel.append(element(doc, "pre", "tw-overlay-detail", error.detail ?? ""));
    if (this.panel !== null) this.panel.replaceWith(panel);
    else this.root.after(panel);
    this.panel = panel;
    doc.addEventListener("keydown", this.onKey);
  }

  /**
   * Remove the overlay (the errors it counted are forgotten).
   * @returns {void}
   */
  close() {
    this.panel?.remove();
    this.panel = null;
    this.errors = [];
    this.root.ownerDocument.removeEventListener("keydown", this.onKey);
  }
}
