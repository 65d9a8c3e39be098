// @ts-check
/**
 * The connection status banner: a page whose connection is gone must not look live.
 *
 * The session reports every change of its connection state (`ConnectionState`); the banner
 * (`.tw-banner`, a `role="status"` element after the root, styled by `ui.js`) shows:
 *
 * | state | when | text |
 * |---|---|---|
 * | `connecting` | the first connection takes long | "Connecting…" |
 * | `reconnecting` | the connection dropped; `retryInMs` until the next attempt | "Connection lost. Reconnecting in 3 s…" + Retry now |
 * | `busy` | the server refused a new session (`server_busy`: at capacity); `retryInMs` until the next attempt | "The server is busy. Trying again in 6 s…" + Retry now |
 * | `offline` | the browser is offline (`navigator.onLine === false`) | "You are offline…" |
 * | `resynced` | connected again to the same session (nothing was lost) | "Reconnected." for `STATUS_NOTICE_MS` |
 * | `reset` | connected again, but to a new session: the server lost the page's state | "The server restarted…" + Dismiss |
 * | `open` | connected | nothing |
 *
 * A drop that heals within `STATUS_BANNER_DELAY_MS` shows nothing (but a `reset` always shows).
 * Actions taken while disconnected are kept and sent once connected; the banner counts them.
 * An app restyles the banner with the `.tw-banner` class, its `data-state` attribute and the
 * `--tw-banner-*` custom properties (`ui.js`), or replaces it: the session dispatches a
 * cancelable `tempestweb:status` event on the root for every change (`preventDefault()` keeps
 * the built-in banner hidden), or `mount(root, {banner: false})` turns it off.
 * @module status
 */

import { ATTR_UI_STATE, CLASS_BANNER, STATUS_BANNER_DELAY_MS, STATUS_NOTICE_MS } from "./constants.js";
import { element, ensureUiStyles } from "./ui.js";

/**
 * @typedef {"connecting" | "open" | "reconnecting" | "busy" | "offline" | "resynced" | "reset"} ConnectionState
 */

/**
 * The `detail` of a `tempestweb:status` event.
 * @typedef {object} StatusDetail
 * @property {ConnectionState} state The new state.
 * @property {number | null} retryInMs Milliseconds until the next connection attempt
 *   (`reconnecting`, `busy`, `offline`), `null` while an attempt is under way or when connected.
 * @property {number} pending Actions (events, navigations) waiting to be sent.
 */

/**
 * What the banner needs from its session.
 * @typedef {object} BannerHooks
 * @property {() => void} retry Reconnect now (the "Retry now" button).
 */

/** @param {number} count @returns {string} */
function waiting(count) {
  return count > 0 ? ` ${count} change${count === 1 ? "" : "s"} will be sent then.` : "";
}

/** One banner per session root. */
export class StatusBanner {
  /**
   * @param {Element} root The session's mount element (the banner goes right after it).
   * @param {BannerHooks} hooks
   */
  constructor(root, hooks) {
    /** @private @readonly */
    this.root = root;
    /** @private @readonly */
    this.hooks = hooks;
    /** @private @type {HTMLElement | null} */
    this.element = null;
    /** @private @type {StatusDetail} */
    this.current = { state: "open", retryInMs: null, pending: 0 };
    /** @private when the shown countdown reaches 0 (performance.now() ms) */
    this.retryAt = 0;
    /** @private @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    /** @private @type {ReturnType<typeof setTimeout> | null} shows the banner after the grace delay */
    this.graceTimer = null;
  }

  /** The state on screen (`"open"` when hidden). @returns {ConnectionState} */
  get shown() {
    return this.element === null ? "open" : this.current.state;
  }

  /**
   * Show `detail` (after the grace delay for a drop, at once for what follows one).
   * @param {StatusDetail} detail
   * @returns {void}
   */
  update(detail) {
    this.current = detail;
    this.retryAt = detail.retryInMs === null ? 0 : performance.now() + detail.retryInMs;
    const { state } = detail;
    if (state === "open") {
      this.hide();
      return;
    }
    if (state === "resynced" && this.element === null) {
      this.hide(); // the drop healed before the banner showed: nothing to say
      return;
    }
    if (state === "resynced" || state === "reset" || this.element !== null) {
      this.render();
      return;
    }
    if (this.graceTimer === null) {
      this.graceTimer = setTimeout(() => {
        this.graceTimer = null;
        if (this.current.state !== "open" && this.element === null) this.render();
      }, STATUS_BANNER_DELAY_MS);
    }
  }

  /**
   * Remove the banner and stop its timers.
   * @returns {void}
   */
  hide() {
    this.stopTimers();
    this.element?.remove();
    this.element = null;
  }

  /** @private */
  stopTimers() {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.graceTimer !== null) clearTimeout(this.graceTimer);
    this.timer = null;
    this.graceTimer = null;
  }

  /** Build (or rebuild) the banner for the current state. @private */
  render() {
    this.stopTimers();
    const doc = this.root.ownerDocument;
    ensureUiStyles(doc);
    const { state, pending } = this.current;
    const banner = element(doc, "div", CLASS_BANNER);
    banner.setAttribute("role", "status");
    banner.setAttribute("aria-live", "polite");
    banner.setAttribute(ATTR_UI_STATE, state);
    const text = element(doc, "span", "tw-banner-text", this.text(state, pending));
    banner.append(text);
    if (state === "reconnecting" || state === "busy" || state === "offline") {
      banner.append(this.button(doc, "Retry now", () => this.hooks.retry()));
    } else if (state === "reset") {
      banner.append(this.button(doc, "Dismiss", () => this.hide()));
    }
    if (this.element !== null) this.element.replaceWith(banner);
    else this.root.after(banner);
    this.element = banner;
    if (state === "resynced") {
      this.timer = setTimeout(() => this.hide(), STATUS_NOTICE_MS);
    } else if (this.retryAt > 0) {
      this.tick(text);
    }
  }

  /**
   * Update the countdown once a second until the attempt starts.
   * @private
   * @param {HTMLElement} text
   */
  tick(text) {
    const left = this.retryAt - performance.now();
    text.textContent = this.text(this.current.state, this.current.pending);
    if (left <= 0) return;
    const next = left % 1000 || 1000;
    this.timer = setTimeout(() => this.tick(text), next + 5);
  }

  /**
   * @private
   * @param {ConnectionState} state
   * @param {number} pending
   * @returns {string}
   */
  text(state, pending) {
    const seconds = Math.ceil((this.retryAt - performance.now()) / 1000);
    switch (state) {
      case "connecting":
        return "Connecting…";
      case "reconnecting":
        return (seconds > 0 ? `Connection lost. Reconnecting in ${seconds} s…` : "Connection lost. Reconnecting…") +
          waiting(pending);
      case "busy":
        return (seconds > 0 ? `The server is busy. Trying again in ${seconds} s…` : "The server is busy. Trying again…") +
          waiting(pending);
      case "offline":
        return `You are offline; the app will reconnect when the network is back.${waiting(pending)}`;
      case "resynced":
        return "Reconnected.";
      case "reset":
        return "The server restarted and this page started over: what was on it before is gone.";
      default:
        return "";
    }
  }

  /**
   * @private
   * @param {Document} doc
   * @param {string} label
   * @param {() => void} action
   * @returns {HTMLElement}
   */
  button(doc, label, action) {
    const button = element(doc, "button", "tw-banner-action", label);
    /** @type {HTMLButtonElement} */ (button).type = "button";
    button.addEventListener("click", action);
    return button;
  }
}
