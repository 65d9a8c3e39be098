// @ts-check
/**
 * Event delegation: ONE listener per DOM event type on the root, payload extraction per event
 * kind (docs/design.md "Events") and the listener flags.
 * @module events
 */

import {
  ATTR_BEHAVIOR, ATTR_KEYS, BEHAVIOR, EVENT_FIELD, EVENT_PREVENT_DEFAULT, EVENT_STOP_PROPAGATION,
  FORM_FIELD_PREFIX, MAX_EVENT_DATA_ITEMS,
} from "./constants.js";
import { keyOf } from "./focus.js";

/** @typedef {string | number | boolean | null | string[]} EventValue */

/**
 * Wire event names delivered through another DOM event type on the root (focus and blur do
 * not bubble; focusin/focusout do).
 * @type {Readonly<Record<string, string>>}
 */
const DOM_TYPE = Object.freeze({ focus: "focusin", blur: "focusout" });

/** Wire event name per delegated DOM type (the inverse of DOM_TYPE). */
const WIRE_NAME = new Map(Object.entries(DOM_TYPE).map(([wire, dom]) => [dom, wire]));

/** Event types that do not bubble: caught in the capture phase, delivered to the target only. */
const NON_BUBBLING = new Set([
  "mouseenter", "mouseleave", "pointerenter", "pointerleave", "load", "error", "scroll",
  "toggle", "invalid", "play", "pause", "ended", "volumechange", "timeupdate", "cancel", "close",
]);

/**
 * DOM types delivered at most once per animation frame per target, with the target's state at
 * that frame (a fast scroll sends a few absolute positions, not one event per wheel notch).
 */
const PER_FRAME = new Set(["scroll"]);

/** Wire names whose events carry a value the user edits (controlled inputs). */
export const INPUT_EVENTS = new Set(["input", "change"]);

/** Wire names a key filter (`ATTR_KEYS`, `handler(fn, keys=...)`) applies to. */
const KEY_EVENTS = new Set(["keydown", "keyup"]);

/**
 * Parsed key filters by attribute text: a page has a few distinct filters (one per kind of
 * field), so each is parsed once; the map is cleared past a bound (a filter is a JSON object
 * the host wrote, but the attribute is in the DOM where anything may change it).
 * @type {Map<string, Readonly<Record<string, readonly string[]>> | null>}
 */
const KEY_FILTERS = new Map();
const MAX_KEY_FILTERS = 256;

/**
 * Whether the key event `name` reaches `node`'s listener: with no filter on the node for that
 * event, every key does; with one, only its `KeyboardEvent.key` values
 * (https://w3c.github.io/uievents-key/), and not while an input method composes. A filter that
 * does not parse filters nothing.
 * @param {string} name Wire event name (`keydown`, `keyup`).
 * @param {Node} node The listening node.
 * @param {Event} event The DOM event.
 * @returns {boolean}
 */
export function keyPasses(name, node, event) {
  if (!KEY_EVENTS.has(name) || !(node instanceof Element)) return true;
  const text = node.getAttribute(ATTR_KEYS);
  if (text === null) return true;
  let filter = KEY_FILTERS.get(text);
  if (filter === undefined) {
    filter = parseKeyFilter(text);
    if (KEY_FILTERS.size >= MAX_KEY_FILTERS) KEY_FILTERS.clear();
    KEY_FILTERS.set(text, filter);
  }
  const keys = filter?.[name];
  if (!Array.isArray(keys)) return true;
  const key = /** @type {KeyboardEvent} */ (event);
  // A key an input method is composing with goes to the IME, not to the app: the Enter that
  // commits a composition does not submit (isComposing,
  // https://w3c.github.io/uievents/#dom-keyboardevent-iscomposing; keyCode 229 where a browser
  // sends that commit after compositionend).
  if (key.isComposing || key.keyCode === 229) return false;
  return keys.includes(keyOf(key));
}

/**
 * @param {string} text An `ATTR_KEYS` value.
 * @returns {Readonly<Record<string, readonly string[]>> | null} `null` when it is not a JSON object.
 */
function parseKeyFilter(text) {
  try {
    const parsed = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Controls an input method is composing text in (between `compositionstart` and
 * `compositionend`), kept by every `EventDelegate` for the controls under its root. A value the
 * host sends meanwhile is not written (`composing`): writing `value` ends the composition, which
 * commits the half-composed text (the romaji of a Japanese or Chinese word) as typed.
 * https://w3c.github.io/uievents/#events-compositionevents
 * @type {WeakSet<EventTarget>}
 */
const COMPOSING = new WeakSet();

/**
 * DOM types that start and end a composition, and whether each starts one (a control that loses
 * focus composes no more, whether or not its `compositionend` came).
 */
const COMPOSITION_TYPES = new Map([["compositionstart", true], ["compositionend", false], ["focusout", false]]);

/**
 * Whether an input method is composing text in `node` now: the client leaves its value alone
 * until the composition ends. The `input` events of the composition report each step; at its
 * end the control's `input` listener gets one more with the committed text
 * (`EventDelegate.composition`), whose answer is written, whatever came meanwhile.
 * @param {Node} node
 * @returns {boolean}
 */
export function composing(node) {
  return COMPOSING.has(node) && node.ownerDocument?.activeElement === node;
}

/**
 * Behaviours that take the Escape key of the elements inside them (behaviors.js dismisses the
 * dialog, menu or toast on top): the key goes no further up than such an element, so a listener
 * outside it (an AppShell drawer's Escape closing the drawer) does not act on the same key
 * (WAI-ARIA APG, dialog and menu button patterns: Escape closes the top layer only).
 * @type {Set<string>}
 */
const ESCAPE_SCOPES = new Set([BEHAVIOR.DIALOG, BEHAVIOR.MENU, BEHAVIOR.TOAST]);

/**
 * Whether `node` takes the Escape key `event` for itself (see `ESCAPE_SCOPES`).
 * @param {string} name Wire event name.
 * @param {Node} node
 * @param {Event} event
 * @returns {boolean}
 */
function endsEscape(name, node, event) {
  if ((name !== "keydown" && name !== "keyup") || !(node instanceof Element)) return false;
  const kind = node.getAttribute(ATTR_BEHAVIOR);
  return kind !== null && ESCAPE_SCOPES.has(kind) && keyOf(/** @type {KeyboardEvent} */ (event)) === "Escape";
}

/** Names of events whose delivery is muted while the client itself moves focus. */
const FOCUS_EVENTS = new Set(["focus", "blur"]);

/**
 * What the delegate needs from its session.
 * @typedef {object} EventSink
 * @property {(node: Node) => Map<string, number> | undefined} listenersOf The node's listeners.
 * @property {(node: Node) => number | undefined} idOf The node's wire id.
 * @property {(node: number, name: string, data: Record<string, EventValue>, sources: Node[]) => void} send
 *   Sends (or queues) one `event`; `sources` are the nodes whose value it reports.
 */

/** @param {EventTarget | null} node @returns {node is HTMLInputElement} */
function hasValue(node) {
  return node !== null && typeof (/** @type {HTMLInputElement} */ (node).value) === "string";
}

/** @param {Element} node @returns {boolean} */
function isCheckable(node) {
  const type = /** @type {HTMLInputElement} */ (node).type;
  return node.localName === "input" && (type === "checkbox" || type === "radio");
}

/**
 * Build the payload of one DOM event (docs/design.md "Events" table, `tempest_core.events`).
 * `value` is sent only when the listening node (or the target) is a control with a string
 * `value` (`input` always sends one, `""` otherwise); `checked` only for checkboxes and radios.
 * @param {string} name Wire event name.
 * @param {Event} event The DOM event.
 * @param {Node} node The listening node.
 * @returns {{data: Record<string, EventValue>, source: Element | null}}
 */
export function payload(name, event, node) {
  const source = hasValue(node) ? node : hasValue(event.target) ? event.target : null;
  /** @type {Record<string, EventValue>} */
  const data = {};
  switch (name) {
    case "click":
    case "dblclick":
    case "contextmenu":
    case "auxclick":
    case "mousedown":
    case "mouseup": {
      const mouse = /** @type {MouseEvent} */ (event);
      data[EVENT_FIELD.BUTTON] = typeof mouse.button === "number" ? mouse.button : 0;
      modifiers(data, mouse);
      break;
    }
    case "input":
      data[EVENT_FIELD.VALUE] = source === null ? "" : source.value;
      if (source !== null && isCheckable(source)) data[EVENT_FIELD.CHECKED] = source.checked;
      break;
    case "change":
      if (source !== null) data[EVENT_FIELD.VALUE] = source.value;
      if (source !== null && isCheckable(source)) data[EVENT_FIELD.CHECKED] = source.checked;
      if (source instanceof HTMLSelectElement && source.multiple) {
        data[EVENT_FIELD.VALUES] = Array.from(source.selectedOptions, (option) => option.value);
      }
      break;
    case "keydown":
    case "keyup":
    case "keypress": {
      const key = /** @type {KeyboardEvent} */ (event);
      data[EVENT_FIELD.KEY] = keyOf(key) ?? "";
      data[EVENT_FIELD.CODE] = key.code ?? "";
      modifiers(data, key);
      data[EVENT_FIELD.REPEAT] = Boolean(key.repeat);
      if (source !== null) data[EVENT_FIELD.VALUE] = source.value;
      break;
    }
    case "submit":
      formFields(data, node instanceof HTMLFormElement ? node : event.target);
      break;
    case "focus":
    case "blur":
      if (source !== null) data[EVENT_FIELD.VALUE] = source.value;
      break;
    case "scroll":
      if (node instanceof Element) {
        data[EVENT_FIELD.SCROLL_TOP] = node.scrollTop;
        data[EVENT_FIELD.SCROLL_LEFT] = node.scrollLeft;
        data[EVENT_FIELD.CLIENT_HEIGHT] = node.clientHeight;
        data[EVENT_FIELD.CLIENT_WIDTH] = node.clientWidth;
      }
      break;
    default:
      // A CustomEvent the client dispatches (upload.js): its `detail` scalars are the payload.
      if (event instanceof CustomEvent && typeof event.detail === "object" && event.detail !== null) {
        for (const [key, value] of Object.entries(event.detail)) {
          if (value === null || ["string", "number", "boolean"].includes(typeof value)) data[key] = value;
        }
      }
      break;
  }
  return { data, source };
}

/**
 * @param {Record<string, EventValue>} data
 * @param {MouseEvent | KeyboardEvent} event
 */
function modifiers(data, event) {
  data[EVENT_FIELD.ALT] = Boolean(event.altKey);
  data[EVENT_FIELD.CTRL] = Boolean(event.ctrlKey);
  data[EVENT_FIELD.SHIFT] = Boolean(event.shiftKey);
  data[EVENT_FIELD.META] = Boolean(event.metaKey);
}

/**
 * Copy the string entries of a form as `form.<name>` keys, one string per name (the host's
 * `SubmitEvent.fields` is `dict[str, str]`): when a name repeats (a checkbox group) the last
 * value wins, as with `Object.fromEntries(formData)`. File entries are skipped: they never
 * cross the wire in an event.
 * @param {Record<string, EventValue>} data
 * @param {EventTarget | null} form
 */
function formFields(data, form) {
  if (!(form instanceof HTMLFormElement)) return;
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== "string") continue;
    const key = `${FORM_FIELD_PREFIX}${name}`;
    if (data[key] === undefined && Object.keys(data).length >= MAX_EVENT_DATA_ITEMS) {
      console.warn(`tempestweb: form has more than ${MAX_EVENT_DATA_ITEMS} fields; ${key} not sent`);
      continue;
    }
    data[key] = value;
  }
}

/** One delegated listener per DOM event type on a root. */
export class EventDelegate {
  /**
   * @param {Element} root The mount element.
   * @param {EventSink} sink Where events go.
   */
  constructor(root, sink) {
    /** @private @readonly */
    this.root = root;
    /** @private @readonly */
    this.sink = sink;
    /** @private @type {Map<string, (event: Event) => void>} DOM type -> installed listener */
    this.installed = new Map();
    /** Focus/blur events are not delivered while this is > 0 (the client is moving focus). */
    this.muteFocus = 0;
    /** @private @type {Map<EventTarget, {type: string, event: Event}>} PER_FRAME events waiting for the frame */
    this.framePending = new Map();
    /** @private @type {number | null} the requested animation frame, if any */
    this.frame = null;
    /** @private @readonly */
    this.onComposition = (/** @type {Event} */ event) => this.composition(event);
    for (const type of COMPOSITION_TYPES.keys()) root.addEventListener(type, this.onComposition, { capture: true });
  }

  /**
   * Keep `COMPOSING`. When a composition ends, its control's `input` listener (if any) gets the
   * committed text once more: the host's answers to the composition's steps were not written
   * (`composing`), and the last step's may have come before the composition ended (Mode A
   * answers before `compositionend`), so the answer to this one is the one the field shows.
   * @private
   * @param {Event} event
   */
  composition(event) {
    const target = event.target;
    if (target === null) return;
    if (COMPOSITION_TYPES.get(event.type)) {
      COMPOSING.add(target);
    } else if (COMPOSING.delete(target) && event.type === "compositionend" && this.installed.has("input")) {
      this.deliver("input", event);
    }
  }

  /**
   * Make sure the root has a delegated listener for wire event `name`.
   * @param {string} name Wire event name, e.g. `"click"`, `"focus"`.
   * @returns {void}
   */
  ensure(name) {
    const type = DOM_TYPE[name] ?? name;
    if (this.installed.has(type)) return;
    const listener = (/** @type {Event} */ event) => this.handle(type, event);
    this.installed.set(type, listener);
    this.root.addEventListener(type, listener, { capture: NON_BUBBLING.has(type) });
  }

  /**
   * Remove every delegated listener (the session is closing).
   * @returns {void}
   */
  dispose() {
    for (const [type, listener] of this.installed) {
      this.root.removeEventListener(type, listener, { capture: NON_BUBBLING.has(type) });
    }
    this.installed.clear();
    for (const type of COMPOSITION_TYPES.keys()) this.root.removeEventListener(type, this.onComposition, { capture: true });
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.framePending.clear();
  }

  /**
   * Walk from the target up to the root and deliver to each node listening for the event (a
   * key event only where the node's key filter lets its key through). Flags apply
   * synchronously: EVENT_PREVENT_DEFAULT calls `preventDefault()`, EVENT_STOP_PROPAGATION calls
   * `stopPropagation()` and ends the walk.
   * @private
   * @param {string} type DOM event type.
   * @param {Event} event
   */
  handle(type, event) {
    if (PER_FRAME.has(type) && event.target !== null) {
      // Leading edge: the first one goes now (no added latency); later ones wait for the next
      // animation frame, where only the last per target is delivered, with the state then.
      if (this.frame === null) {
        this.frame = requestAnimationFrame(() => this.flushFrame());
        this.deliver(type, event);
      } else {
        this.framePending.set(event.target, { type, event });
      }
      return;
    }
    this.deliver(type, event);
  }

  /**
   * Deliver the PER_FRAME events held back since the last delivery, one per target; payloads
   * read the targets' state now (after the frame's last scroll). While some were delivered,
   * the next frame is awaited again, so a target sends at most one per frame.
   * @private
   */
  flushFrame() {
    this.frame = null;
    if (this.framePending.size === 0) return;
    const pending = Array.from(this.framePending.values());
    this.framePending.clear();
    this.frame = requestAnimationFrame(() => this.flushFrame());
    for (const { type, event } of pending) this.deliver(type, event);
  }

  /**
   * @private
   * @param {string} type DOM event type.
   * @param {Event} event
   */
  deliver(type, event) {
    const name = WIRE_NAME.get(type) ?? type;
    if (this.muteFocus > 0 && FOCUS_EVENTS.has(name)) return;
    const bubbles = !NON_BUBBLING.has(type);
    for (let node = /** @type {Node | null} */ (event.target); node !== null; node = node.parentNode) {
      const flags = this.sink.listenersOf(node)?.get(name);
      // A key its filter leaves out passes the node by, flags and all (as LiveView's phx-key).
      if (flags !== undefined && keyPasses(name, node, event)) {
        const id = this.sink.idOf(node);
        if (id !== undefined) {
          // A modified click on a link the app handles (a router Link) keeps the browser's own
          // behaviour (new tab/window, download), as routers do; the app does not see it.
          if (flags & EVENT_PREVENT_DEFAULT && isModifiedLinkClick(name, node, event)) return;
          if (flags & EVENT_PREVENT_DEFAULT) event.preventDefault();
          const { data, source } = payload(name, event, node);
          this.sink.send(id, name, data, source === null || source === node ? [node] : [node, source]);
          if (flags & EVENT_STOP_PROPAGATION) {
            event.stopPropagation();
            return;
          }
        }
      }
      if (node === this.root || !bubbles || endsEscape(name, node, event)) return;
    }
  }
}

/**
 * Whether a click on an `<a href>` asks the browser for a new tab/window or a download.
 * @param {string} name Wire event name.
 * @param {Node} node The listening node.
 * @param {Event} event
 * @returns {boolean}
 */
function isModifiedLinkClick(name, node, event) {
  if (name !== "click" || !(node instanceof HTMLAnchorElement) || !node.hasAttribute("href")) return false;
  const mouse = /** @type {MouseEvent} */ (event);
  return mouse.ctrlKey || mouse.metaKey || mouse.shiftKey || mouse.altKey || (mouse.button ?? 0) !== 0;
}
