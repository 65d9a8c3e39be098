// @ts-check
/**
 * Loading marks: the element an event was delivered to carries the `tw-loading` class while the
 * event is in flight (queued, sent, not yet acknowledged), as LiveView's `phx-click-loading`.
 * An app styles it (`button.tw-loading { opacity: .6 }`, a spinner) to show that an action is on
 * its way; `ui.js` only sets `cursor: progress`.
 *
 * The class goes when a `patch` whose `ack` covers the event arrives, or the `pong` answering
 * the client's acknowledgement probe (`EVENT_ACK_PROBE_MS`) when the handler rendered nothing.
 * An element with several events in flight keeps it until the last is acknowledged; a patch that
 * rewrites the element's `class` attribute does not remove it early.
 * @module loading
 */

import { CLASS_LOADING, DOM_EVENT_PAUSE, DOM_EVENT_RESUME } from "./constants.js";

/**
 * DOM event names that fire continuously: no loading mark (it would flicker on every move).
 * @type {ReadonlySet<string>}
 */
const CONTINUOUS = new Set([
  "mousemove", "pointermove", "touchmove", "drag", "dragover", "scroll", "wheel", "timeupdate", "volumechange",
]);

/**
 * Events the behaviour layer sends by itself, that nobody waits on: no loading mark (a toaster's
 * pause, when the pointer enters it, would show `cursor: progress` over the toasts).
 * @type {ReadonlySet<string>}
 */
const UNATTENDED = new Set([DOM_EVENT_PAUSE, DOM_EVENT_RESUME]);

/**
 * Remove the class, and the `class` attribute when nothing else is left in it (as it was).
 * @param {Element} element
 */
function unmark(element) {
  element.classList.remove(CLASS_LOADING);
  if (element.classList.length === 0) element.removeAttribute("class");
}

/** The elements of one session that carry the loading class, by event id. */
export class LoadingMarks {
  constructor() {
    /** @private @type {Map<number, Element>} eid -> element */
    this.byEid = new Map();
    /** @private @type {Map<Element, number>} element -> events in flight */
    this.counts = new Map();
  }

  /**
   * Mark `element` while event `eid` is in flight.
   * @param {number} eid The event id (increasing).
   * @param {string} name Wire event name; continuous and unattended events are not marked.
   * @param {Node | undefined} node The node the event was delivered to.
   * @returns {void}
   */
  add(eid, name, node) {
    if (!(node instanceof Element) || CONTINUOUS.has(name) || UNATTENDED.has(name)) return;
    this.byEid.set(eid, node);
    this.counts.set(node, (this.counts.get(node) ?? 0) + 1);
    node.classList.add(CLASS_LOADING);
  }

  /**
   * Unmark every event with an id up to `ack` (they were handled).
   * @param {number} ack Highest acknowledged event id.
   * @returns {void}
   */
  settle(ack) {
    for (const [eid, element] of this.byEid) {
      if (eid > ack) break; // insertion order is eid order
      this.release(eid, element);
    }
  }

  /**
   * Unmark one event that will never be handled (the client did not send it: too large).
   * @param {number} eid The event id.
   * @returns {void}
   */
  drop(eid) {
    const element = this.byEid.get(eid);
    if (element !== undefined) this.release(eid, element);
  }

  /**
   * @private
   * @param {number} eid
   * @param {Element} element
   */
  release(eid, element) {
    this.byEid.delete(eid);
    const left = (this.counts.get(element) ?? 1) - 1;
    if (left > 0) {
      this.counts.set(element, left);
    } else {
      this.counts.delete(element);
      unmark(element);
    }
  }

  /**
   * Put the class back on elements still waiting (after a patch that may have set `class`).
   * @returns {void}
   */
  reapply() {
    for (const element of this.counts.keys()) {
      if (!element.classList.contains(CLASS_LOADING)) element.classList.add(CLASS_LOADING);
    }
  }

  /**
   * Unmark everything (a full resync replaced the tree, or queued events were dropped).
   * @returns {void}
   */
  clear() {
    for (const element of this.counts.keys()) unmark(element);
    this.byEid.clear();
    this.counts.clear();
  }
}
