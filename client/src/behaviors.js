// @ts-check
/**
 * The keyboard behaviour layer: what the WAI-ARIA Authoring Practices patterns ask of the page
 * that must not wait for a round trip to Python (moving focus, trapping it, Escape). An element
 * opts in with `ATTR_BEHAVIOR` (`data-tw-behavior`) set to one of the `BEHAVIOR` values; the
 * state it shows (open, selected) stays in Python, so the client only moves focus and sends
 * events: a synthetic `click` on the control the user moved to, or a bubbling `DOM_EVENT_DISMISS`
 * on a dialog or menu the user dismissed. The same module runs in Mode A, Mode B and desktop.
 *
 * - `dialog` (https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/): when it appears, focus
 *   moves to its `[autofocus]` element, else its first tabbable element, else its
 *   `role=dialog` element; Tab/Shift+Tab cycle inside; focus that leaves is brought back;
 *   Escape dismisses; when it goes, focus returns to the element that had it before. While one
 *   is open the page behind is inert and does not scroll: every element beside the dialog's
 *   branch of the document gets the `inert` attribute (`aria-modal` alone does not take the
 *   page out of Chromium's accessibility tree), except live regions (`[aria-live]`) and the
 *   branches holding one, so toasts are still announced; the root element gets
 *   `overflow: hidden` and keeps the scrollbar's place (`scrollbar-gutter: stable`, CSS
 *   Overflow 3; where unsupported, a `padding-right` as wide as the scrollbar), so neither the
 *   page nor a fixed element anchored to the right edge (a toast) shifts sideways. All of it is
 *   put back when the last dialog goes.
 * - `menu` (https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/,
 *   https://www.w3.org/WAI/ARIA/apg/patterns/menubar/): when it appears its first (or, opened
 *   by ArrowUp, last) item takes focus; ArrowDown/ArrowUp (wrapping), Home/End move;
 *   a printable character moves to the next item whose label starts with it (type-ahead: the
 *   same character again goes on to the next such item, wrapping; characters typed within
 *   `TYPEAHEAD_RESET_MS` of each other form one prefix, "sa" reaching "Save as");
 *   Enter/Space click the item; Escape, Tab and a pointer press outside dismiss; Tab and
 *   Shift+Tab first move focus to the tabbable element after or before the item (Shift+Tab: the
 *   button), wrapping inside a dialog, the same in every mode; when it goes while focus was in
 *   it, focus returns to its button (`aria-labelledby`).
 * - `menubutton`: ArrowDown/ArrowUp click the button (or, open, focus the first/last item).
 * - `tabs` (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/, automatic activation): on a
 *   `role=tablist`, ArrowRight/ArrowLeft (ArrowDown/ArrowUp when `aria-orientation=vertical`),
 *   Home and End move focus along the enabled tabs (wrapping) and click the focused one.
 * - `tooltip` (https://www.w3.org/WAI/ARIA/apg/patterns/tooltip/): CSS shows it on hover and
 *   focus; Escape hides its `role=tooltip` until the pointer leaves or focus moves out; as it
 *   shows it is moved along to stay inside the viewport (`placeTip`).
 * - `toaster` (a region of toasts; WCAG 2.2.1 Timing Adjustable, as Radix Toast and Sonner
 *   do): `DOM_EVENT_PAUSE` when the pointer enters it or focus moves into it while neither was
 *   there, `DOM_EVENT_RESUME` when both have left. Only these transitions are sent (looked at a
 *   task later, so focus moving from one toast to the next sends nothing); the timers and the
 *   time they have left stay in Python, the same in every mode.
 * - `form` (a Form; WCAG 3.3.1 Error Identification, as React Hook Form's `shouldFocusError`):
 *   after the person submits it (a trusted `submit`), the first patch that marks a control inside
 *   it `aria-invalid="true"` (or adds one so marked) moves focus to the first such control, whose
 *   label, invalid state and message (`aria-describedby`) a screen reader then reads; a submit
 *   that fails silently would otherwise leave focus on the submit button with nothing said. The
 *   person's next action ends the wait.
 * - `toast` (one toast; Radix Toast's keyboard interactions): Escape while focus is inside it
 *   dispatches `DOM_EVENT_DISMISS` on it; focus continuity then moves focus on.
 * - focus continuity (every element, no opt-in; WCAG 2.4.3): when a patch takes focus away
 *   from the focused element (removes it, disables it, hides it, makes it `display: none` by a
 *   `class` or `style` change) and the person's last action (a trusted key other than Tab,
 *   arrows, Home/End and Page keys; a pointer press; a click) was on it while it had focus,
 *   focus moves, without scrolling, to the element with the same id, else to the control whose
 *   `aria-controls` names an ancestor of it, else to the nearest control where it was removed
 *   from, else to the newest element of the focus history still shown (focus.js); inside an open
 *   modal dialog, only to elements inside it. An action elsewhere, a wheel, a cancelled pointer
 *   (a touch pan), a `hashchange`, `popstate` or a router navigation from the host end it, so
 *   patches that follow scrolling, or
 *   that remove an element the person had left, never move focus, and a followed `#fragment`
 *   link keeps the browser's focus navigation starting point.
 * @module behaviors
 */

import { ATTR_BEHAVIOR, BEHAVIOR, DOM_EVENT_DISMISS, DOM_EVENT_PAUSE, DOM_EVENT_RESUME } from "./constants.js";
import { FOCUSABLE as TABBABLE, isHtml, keyOf, removalOf, restyled, successor } from "./focus.js";

/**
 * Whether a `toaster` has the pointer over it and focus inside it, and what was last sent.
 * @typedef {object} Hold
 * @property {boolean} hover The pointer is over it (pointerenter/pointerleave).
 * @property {boolean} focus Focus is inside it.
 * @property {boolean} sent `DOM_EVENT_PAUSE` was dispatched last (not `DOM_EVENT_RESUME`).
 */

/** Roles of the items of a `role=menu`. */
const MENU_ITEMS = "[role=menuitem],[role=menuitemcheckbox],[role=menuitemradio]";

/** How many recently focused elements are remembered (a dialog's opener, focus continuity). */
const FOCUS_HISTORY = 4;

/**
 * Keys that move focus or scroll rather than act on the focused element: a patch that follows
 * one (a virtual list's window moving on) never takes focus along by focus continuity.
 */
const NAVIGATION_KEYS = new Set([
  "Tab", "PageUp", "PageDown", "Home", "End", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight",
]);

/** Attributes whose change can open or close a scope, or take focus away from an element. */
const OBSERVED_ATTRIBUTES = [ATTR_BEHAVIOR, "hidden", "class", "style", "disabled", "aria-invalid"];

/**
 * Document events (capture) that are the person's action on their target when trusted (focus
 * continuity); `click` covers a screen reader's activation (a click alone). Script-dispatched
 * events are ignored, so the rule does not depend on when a script runs relative to a patch
 * (Mode A applies patches inside the event's listener, Mode B a round trip later).
 */
const ACTION_EVENTS = ["keydown", "pointerdown", "click"];

/**
 * Document events (capture) after which a patch no longer counts as the answer to the person's
 * last action: they scroll (a wheel, a touch pan taking the pointer over).
 */
const MOVE_ON_DOCUMENT = ["wheel", "pointercancel"];

/**
 * Window events with the same effect: a navigation to a new location decides where focus and
 * the sequential focus navigation starting point go (a followed `#fragment` link: its target).
 */
const MOVE_ON_WINDOW = ["hashchange", "popstate"];

/**
 * Milliseconds after a menu's last type-ahead character when the next one starts a new prefix
 * (React Aria's type-ahead waits as long; the APG examples 500).
 * @type {number}
 * @default 1000
 */
const TYPEAHEAD_RESET_MS = 1000;

/**
 * What an open modal dialog changed outside itself, to put back when the last one goes.
 * @typedef {object} ScrollLock
 * @property {{name: string, value: string, priority: string}[]} styles The root element's inline
 *   declarations the lock replaced, as they were.
 * @property {Set<Element>} inert The elements given the `inert` attribute.
 */

/**
 * What was typed into a menu for type-ahead.
 * @typedef {object} TypeAhead
 * @property {Element | null} menu The menu it was typed in.
 * @property {string} text The characters so far, lower case.
 * @property {number} at `event.timeStamp` of the last one (milliseconds).
 */

/**
 * An open dialog or menu.
 * @typedef {object} FocusScope
 * @property {string} kind `BEHAVIOR.DIALOG` or `BEHAVIOR.MENU`.
 * @property {HTMLElement | null} opener Where focus returns when the scope goes.
 * @property {MutationRecord | null} removal The patch's removal that took a dialog's opener out
 *   of the document while the dialog was open (or in the patch that opened it): focus then goes
 *   to its successor (focus.js), beside where it was, instead of to `<body>`.
 */

/**
 * The elements of `scope` the Tab key reaches, in document order (tabindex order is not used:
 * positive tabindex is an anti-pattern the widgets never emit).
 * @param {Element} scope
 * @returns {HTMLElement[]}
 */
export function tabbables(scope) {
  /** @type {HTMLElement[]} */
  const found = [];
  for (const element of scope.querySelectorAll(TABBABLE)) {
    if (!isHtml(element) || element.tabIndex < 0) continue;
    if (/** @type {HTMLButtonElement} */ (element).disabled === true) continue;
    if (element.closest("[hidden],[inert]") !== null || element.getClientRects().length === 0) continue;
    found.push(element);
  }
  return found;
}

/**
 * Focus `element`, when there is one.
 * @param {Element | null | undefined} element
 */
function focus(element) {
  if (element != null && isHtml(element)) element.focus();
}

/**
 * Least room, in CSS px, between a tooltip and the left or right edge of the viewport: a tooltip
 * centred on a trigger near an edge (the gallery's at 360 px) is moved along until it fits.
 * @type {number}
 * @default 8
 */
const TIP_EDGE_PX = 8;

/** Milliseconds during which a second dismissal of the same element is not sent again. */
const DISMISS_DEDUP_MS = 1000;

/** @type {WeakSet<Element>} dialogs and menus whose dismissal was sent and not yet applied */
const dismissing = new WeakSet();

/**
 * Dispatch the bubbling dismiss event on `element` (a dialog or menu the user dismissed).
 *
 * Once per element until the host's patch removes or re-renders it (or DISMISS_DEDUP_MS pass):
 * Escape and a pointer press outside in quick succession would otherwise send a second
 * dismissal for a menu the host already closed, whose listener is gone (`unknown_handler`).
 * @param {Element} element
 */
function dismiss(element) {
  if (dismissing.has(element)) return;
  dismissing.add(element);
  setTimeout(() => dismissing.delete(element), DISMISS_DEDUP_MS);
  element.dispatchEvent(new CustomEvent(DOM_EVENT_DISMISS, { bubbles: true }));
}

/** The behaviour layer of one mounted root. */
export class Behaviors {
  /**
   * Start watching `root` (elements already there, e.g. prerendered, are adopted now).
   * @param {Element} root The mount element.
   */
  constructor(root) {
    /** @private @readonly */
    this.root = root;
    /** @private @readonly */
    this.doc = root.ownerDocument;
    /** @private @type {Map<Element, FocusScope>} open dialogs and menus, oldest first */
    this.scopes = new Map();
    /** @private @type {WeakMap<Element, boolean>} menu button -> focus the last item on open */
    this.wantLast = new WeakMap();
    /** @private @type {Set<Element>} tooltip wrappers whose tooltip Escape hid */
    this.hiddenTips = new Set();
    /** @private @type {Map<Element, Hold>} toasters the pointer or focus is (or just was) in */
    this.holds = new Map();
    /** @private @type {ReturnType<typeof setTimeout> | null} a pending `sendHolds` */
    this.holdTimer = null;
    /** @private @type {Element | null} a `form` the person submitted, until its answer (or an action) */
    this.submitted = null;
    /** @private @type {HTMLElement | null} a tab the keyboard moved to while it looked selected */
    this.pendingTab = null;
    /** @private @type {HTMLElement[]} recently focused elements, newest last */
    this.history = [];
    /**
     * @private @type {Element | null} the element focus left for nothing (a press on no
     * control), while still in the document; null once something has focus again
     */
    this.blurred = null;
    /**
     * @private @type {HTMLElement | null} the element that had focus when the last action (a key
     * other than `NAVIGATION_KEYS`, a pointer press, a click) was on it or inside it; null after
     * an action elsewhere, a scroll or a navigation
     */
    this.acted = null;
    /** @private @type {ScrollLock | null} set while a dialog is open */
    this.scrollLock = null;
    /** @private @type {TypeAhead} */
    this.typed = { menu: null, text: "", at: 0 };
    /** @private @readonly */
    this.observer = new MutationObserver((records) => this.changed(records));
    this.observer.observe(root, {
      subtree: true, childList: true, attributes: true, attributeFilter: OBSERVED_ATTRIBUTES,
    });
    /** @private @readonly */
    this.onKey = (/** @type {KeyboardEvent} */ event) => this.key(event);
    /** @private @readonly */
    this.onFocusIn = (/** @type {FocusEvent} */ event) => this.focusIn(event);
    /** @private @readonly */
    this.onPointerDown = (/** @type {PointerEvent} */ event) => this.pointerDown(event);
    /** @private @readonly */
    this.onBlur = (/** @type {FocusEvent} */ event) => {
      const target = event.target;
      if (event.relatedTarget !== null || !(target instanceof Element)) return;
      // Looked at a task later: Chromium also sends focusout while it removes the focused
      // element, which is still connected then; that is a loss, not a press on no control.
      setTimeout(() => {
        const active = this.doc.activeElement;
        if (target.isConnected && (active === null || active === this.doc.body)) this.blurred = target;
      }, 0);
    };
    /** @private @readonly */
    this.onLeave = (/** @type {Event} */ event) => this.leave(event);
    /** @private @readonly */
    this.onEnter = (/** @type {Event} */ event) => {
      this.hover(event.target, true);
      this.placeTip(event.target);
    };
    /**
     * Capture phase, before any listener of the target: in Mode A the host answers an event
     * synchronously, so its patch (and this observer's callback) runs inside the target's
     * listener.
     * @private @readonly
     */
    this.onAction = (/** @type {Event} */ event) => {
      if (!event.isTrusted) return; // a script's event is nobody's action (and must not end one)
      this.submitted = null;
      if (event.type === "keydown" && NAVIGATION_KEYS.has(keyOf(/** @type {KeyboardEvent} */ (event)))) {
        this.acted = null;
      } else this.act(event.target);
    };
    /** @private @readonly */
    this.onSubmit = (/** @type {Event} */ event) => {
      const form = event.target;
      if (!event.isTrusted || !(form instanceof Element) || !this.root.contains(form)) return;
      if (form.getAttribute(ATTR_BEHAVIOR) === BEHAVIOR.FORM) this.submitted = form;
    };
    /** @private @readonly */
    this.onMoveOn = () => {
      this.acted = null;
    };
    this.doc.addEventListener("keydown", this.onKey);
    this.doc.addEventListener("focusin", this.onFocusIn);
    this.doc.addEventListener("pointerdown", this.onPointerDown, { capture: true });
    this.doc.addEventListener("pointerleave", this.onLeave, { capture: true });
    this.doc.addEventListener("pointerenter", this.onEnter, { capture: true });
    this.doc.addEventListener("focusout", this.onLeave);
    this.doc.addEventListener("focusout", this.onBlur, { capture: true });
    this.doc.addEventListener("submit", this.onSubmit, { capture: true });
    for (const name of ACTION_EVENTS) this.doc.addEventListener(name, this.onAction, { capture: true });
    for (const name of MOVE_ON_DOCUMENT) this.doc.addEventListener(name, this.onMoveOn, { capture: true, passive: true });
    for (const name of MOVE_ON_WINDOW) this.doc.defaultView?.addEventListener(name, this.onMoveOn);
    const active = this.doc.activeElement;
    if (active !== null && isHtml(active) && active !== this.doc.body) this.history.push(active);
    this.adopt(root.querySelectorAll(`[${ATTR_BEHAVIOR}]`));
  }

  /**
   * Stop watching (the session is closing); the DOM stays as it is.
   * @returns {void}
   */
  dispose() {
    this.observer.disconnect();
    this.doc.removeEventListener("keydown", this.onKey);
    this.doc.removeEventListener("focusin", this.onFocusIn);
    this.doc.removeEventListener("pointerdown", this.onPointerDown, { capture: true });
    this.doc.removeEventListener("pointerleave", this.onLeave, { capture: true });
    this.doc.removeEventListener("pointerenter", this.onEnter, { capture: true });
    this.doc.removeEventListener("focusout", this.onLeave);
    this.doc.removeEventListener("focusout", this.onBlur, { capture: true });
    this.doc.removeEventListener("submit", this.onSubmit, { capture: true });
    for (const name of ACTION_EVENTS) this.doc.removeEventListener(name, this.onAction, { capture: true });
    for (const name of MOVE_ON_DOCUMENT) this.doc.removeEventListener(name, this.onMoveOn, { capture: true });
    for (const name of MOVE_ON_WINDOW) this.doc.defaultView?.removeEventListener(name, this.onMoveOn);
    this.acted = null;
    this.submitted = null;
    this.scopes.clear();
    this.hiddenTips.clear();
    this.holds.clear();
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.unlockScroll();
  }

  /**
   * Patches ran: close the scopes that went, open the scopes that came (only added subtrees and
   * changed attributes are looked at, so a large patch costs no full-document query), then keep
   * focus that the person's action took away (`keepFocus`).
   * @private
   * @param {MutationRecord[]} records
   */
  changed(records) {
    /** @type {Element[]} */
    const candidates = [];
    for (const record of records) {
      if (record.type === "attributes") {
        const name = record.attributeName;
        if (record.target instanceof Element && (name === ATTR_BEHAVIOR || name === "hidden")) {
          candidates.push(record.target);
          dismissing.delete(record.target);
        }
        continue;
      }
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.hasAttribute(ATTR_BEHAVIOR)) candidates.push(node);
        candidates.push(...node.querySelectorAll(`[${ATTR_BEHAVIOR}]`));
      }
    }
    /** @type {HTMLElement[]} */
    const returns = [];
    /** @type {FocusScope[]} closed dialogs whose opener is no longer in the document */
    const orphans = [];
    for (const [element, scope] of this.scopes) {
      const opener = scope.opener;
      if (opener !== null && scope.removal === null && !opener.isConnected) scope.removal = removalOf(opener, records);
      if (element.isConnected && element.getAttribute(ATTR_BEHAVIOR) === scope.kind && !isHidden(element)) {
        continue;
      }
      this.scopes.delete(element);
      dismissing.delete(element);
      const active = this.doc.activeElement;
      const lost = active === null || active === this.doc.body || element.contains(active);
      if (!lost || opener === null) continue;
      if (opener.isConnected) returns.push(opener);
      else orphans.push(scope);
    }
    // The page (or the dialog below) stops being inert before focus goes back into it.
    if (this.top(BEHAVIOR.DIALOG) === null) this.unlockScroll();
    else this.inertOutside(); // elements a patch added beside the dialog, or the dialog below
    for (const scope of orphans) {
      // The opener went (a confirmation that deleted its row, a re-render that replaced it):
      // APG dialog pattern, "unless the invoking element no longer exists": its successor, the
      // control with its id, else the nearest one where it was, else recent focus.
      const opener = /** @type {HTMLElement} */ (scope.opener);
      const gone = scope.removal === null ? records : [scope.removal, ...records];
      const next = successor(opener, gone, {
        root: this.root, dialog: this.top(BEHAVIOR.DIALOG), history: this.history,
      });
      if (next !== null) returns.push(next);
    }
    for (const opener of returns) focus(opener);
    // Scopes open before focus continuity: a dialog opened by a control its own patch removed
    // records that control as its opener (focus is still on <body>), not the successor focus
    // continuity would have moved focus to first; focus then goes into the dialog.
    this.adopt(candidates, records);
    for (const wrapper of this.hiddenTips) if (!wrapper.isConnected) this.hiddenTips.delete(wrapper);
    const pending = this.pendingTab;
    if (pending !== null) {
      this.pendingTab = null;
      const focused = pending.isConnected && this.doc.activeElement === pending;
      if (focused && pending.getAttribute("aria-selected") !== "true") pending.click();
    }
    this.keepFocus(records);
    this.focusInvalid(records);
  }

  /**
   * The answer to a submitted `form` marked controls invalid: focus the first one (`form`).
   * @private
   * @param {MutationRecord[]} records
   */
  focusInvalid(records) {
    const form = this.submitted;
    if (form === null) return;
    if (!form.isConnected) {
      this.submitted = null;
      return;
    }
    const marked = records.some((record) => form.contains(record.target) && (record.type === "childList"
      ? Array.from(record.addedNodes).some((node) => node instanceof Element
        && (node.matches("[aria-invalid=true]") || node.querySelector("[aria-invalid=true]") !== null))
      : record.attributeName === "aria-invalid"));
    if (!marked) return;
    this.submitted = null;
    const first = Array.from(form.querySelectorAll("[aria-invalid=true]")).find(
      (element) => isHtml(element) && element.matches(TABBABLE) && !element.matches(":disabled")
        && element.closest("[hidden],[inert]") === null && element.getClientRects().length > 0,
    );
    if (first !== undefined && first !== this.doc.activeElement) focus(first);
  }

  /**
   * Focus continuity: when the element that had focus stopped being focusable in this patch
   * (removed, disabled, hidden, inert, or `display: none` through a `class` or `style` change)
   * and the person's last action was on it or inside it, move focus to its successor (focus.js)
   * without scrolling. Patches nobody asked for on that element (a timer's, a virtual list's
   * after a scroll) never move focus. With no such action pending this costs a few comparisons;
   * layout is read only when a `class` or `style` change touched the focused element's branch.
   * @private
   * @param {MutationRecord[]} records
   */
  keepFocus(records) {
    if (this.keepLiveFocus(records)) return;
    const lost = this.acted;
    if (lost === null) return;
    const active = this.doc.activeElement;
    if (active !== null && active !== this.doc.body && active !== lost) return; // focus is elsewhere
    const kept = lost.isConnected && !lost.matches(":disabled") && lost.closest("[hidden],[inert]") === null
      && (!restyled(lost, records) || lost.getClientRects().length > 0);
    if (kept) return;
    this.refocus(lost, records);
  }

  /**
   * Focus left `lost` with a patch: end the pending action and move focus, without scrolling,
   * to `lost`'s successor (focus.js `successor`), when it has one.
   * @private
   * @param {HTMLElement} lost
   * @param {MutationRecord[]} records
   */
  refocus(lost, records) {
    this.acted = null;
    const next = successor(lost, records, {
      root: this.root, dialog: this.top(BEHAVIOR.DIALOG), history: this.history,
    });
    if (next !== null) next.focus({ preventScroll: true });
  }

  /**
   * Focus continuity for a live region's content that goes by itself: a toast whose close
   * button had focus, dismissed by its own timer, left focus on `<body>` (WCAG 2.4.3). When the
   * focused element was inside what a patch removed from a live region (`[aria-live]`), focus
   * moves as if the person had dismissed it: to the next toast, else back to the newest element
   * of the focus history (the control that showed it). Other removals nobody acted on still
   * leave focus alone (a virtual list's rows that scrolled away).
   * @private
   * @param {MutationRecord[]} records
   * @returns {boolean} Whether focus was lost that way (and moved, when there was a successor).
   */
  keepLiveFocus(records) {
    const active = this.doc.activeElement;
    if (active !== null && active !== this.doc.body) return false;
    const last = this.history[this.history.length - 1];
    // Focus had left it for <body> before (a press on no control): nothing is lost.
    if (last === undefined || last.isConnected || this.blurred === last) return false;
    const fromLiveRegion = records.some((record) => record.type === "childList"
      && record.target instanceof Element && record.target.closest("[aria-live]") !== null
      && Array.from(record.removedNodes).some((node) => node.contains(last)));
    if (!fromLiveRegion) return false;
    this.refocus(last, records);
    return true;
  }

  /**
   * The app navigated (a router push or replace from the host): the person's pending action
   * no longer decides where focus goes (focus continuity), as after `hashchange` or `popstate`.
   * @returns {void}
   */
  navigated() {
    this.acted = null;
  }

  /**
   * Remember the focused element when an action's target is it or inside it (focus
   * continuity); an action anywhere else (or with focus on `<body>`) forgets it.
   * @private
   * @param {EventTarget | null} target
   */
  act(target) {
    const active = this.doc.activeElement;
    const on = target instanceof Node && active !== null && active !== this.doc.body && isHtml(active)
      && this.root.contains(active) && active.contains(target);
    this.acted = on ? /** @type {HTMLElement} */ (active) : null;
  }

  /**
   * Open every dialog or menu among `elements` not open yet.
   * @private
   * @param {Iterable<Element>} elements
   * @param {MutationRecord[]} [records] The patch that added them (a removed opener is in it).
   */
  adopt(elements, records = []) {
    for (const element of elements) {
      const kind = element.getAttribute(ATTR_BEHAVIOR);
      if (kind !== BEHAVIOR.DIALOG && kind !== BEHAVIOR.MENU) continue;
      if (this.scopes.has(element) || !element.isConnected || isHidden(element)) continue;
      if (kind === BEHAVIOR.DIALOG) this.openDialog(element, records);
      else this.openMenu(element);
    }
  }

  /**
   * @private
   * @param {Element} element A `dialog` container that appeared.
   * @param {MutationRecord[]} records The patch that added it.
   */
  openDialog(element, records) {
    // The focused element, else the newest one focused before; one the same patch removed (the
    // opener was swapped for the dialog) still counts: its removal says where it was.
    /** @type {MutationRecord | null} */
    let removal = null;
    const opener = [this.doc.activeElement, ...this.history.slice().reverse()].find((candidate) => {
      if (candidate == null || !isHtml(candidate) || candidate === this.doc.body || element.contains(candidate)) {
        return false;
      }
      if (candidate.isConnected) return true;
      removal = removalOf(candidate, records);
      return removal !== null;
    });
    this.scopes.set(element, {
      kind: BEHAVIOR.DIALOG, opener: /** @type {HTMLElement | null} */ (opener ?? null), removal,
    });
    this.lockScroll();
    this.inertOutside();
    const active = this.doc.activeElement;
    if (active !== null && element.contains(active) && active !== element) return; // autofocus ran
    focus(element.querySelector("[autofocus]") ?? tabbables(element)[0] ?? element.querySelector("[role=dialog]"));
  }

  /**
   * @private
   * @param {Element} menu A `menu` that appeared.
   */
  openMenu(menu) {
    const labelledBy = menu.getAttribute("aria-labelledby");
    const button = labelledBy === null ? null : this.doc.getElementById(labelledBy);
    this.scopes.set(menu, { kind: BEHAVIOR.MENU, opener: button, removal: null });
    const items = menuItems(menu);
    const last = button !== null && this.wantLast.get(button) === true;
    if (button !== null) this.wantLast.delete(button);
    focus(last ? items[items.length - 1] : items[0]);
  }

  /**
   * Stop the page behind a modal dialog from scrolling (as the APG dialog pattern and the
   * native `<dialog>` do): `overflow: hidden` on the root element, whose scrollbar keeps its
   * place as a gutter (`scrollbar-gutter: stable`), so the content and fixed elements anchored
   * to the right edge stay put; a browser without `scrollbar-gutter` gets the scrollbar's width
   * added to the root's `padding-right` (the content stays; right-anchored fixed elements move).
   * @private
   */
  lockScroll() {
    if (this.scrollLock !== null) return;
    const html = this.doc.documentElement;
    const view = this.doc.defaultView;
    const style = html.style;
    /** @type {ScrollLock} */
    const lock = { styles: [], inert: new Set() };
    this.scrollLock = lock;
    /** @param {string} name @param {string} value */
    const set = (name, value) => {
      const [value0, priority] = [style.getPropertyValue(name), style.getPropertyPriority(name)];
      lock.styles.push({ name, value: value0, priority });
      style.setProperty(name, value, "important");
    };
    const scrollbar = view === null ? 0 : view.innerWidth - html.clientWidth;
    if (scrollbar > 0 && view !== null) {
      if (view.CSS?.supports("scrollbar-gutter", "stable")) set("scrollbar-gutter", "stable");
      else {
        const padding = Number.parseFloat(view.getComputedStyle(html).paddingRight) || 0;
        set("padding-right", `${padding + scrollbar}px`);
      }
    }
    set("overflow", "hidden");
  }

  /**
   * Make everything outside the dialog on top inert, live regions and their branches apart
   * (run when a dialog opens and after patches while one is open: new elements join).
   * @private
   */
  inertOutside() {
    const lock = this.scrollLock;
    const dialog = this.top(BEHAVIOR.DIALOG);
    const body = this.doc.body;
    if (lock === null || dialog === null || body === null) return;
    const keep = [dialog, ...this.doc.querySelectorAll("[aria-live]")];
    for (const element of lock.inert) {
      // Inside the dialog on top: a dialog opened from it made its content inert and has gone.
      if (!element.isConnected || dialog.contains(element) || keep.some((kept) => element.contains(kept))) {
        element.removeAttribute("inert");
        lock.inert.delete(element);
      }
    }
    /** @type {Element[]} */
    const branches = [body];
    while (branches.length > 0) {
      const branch = /** @type {Element} */ (branches.pop());
      for (const child of branch.children) {
        if (keep.includes(child)) continue;
        if (keep.some((kept) => child.contains(kept))) branches.push(child);
        else if (!child.hasAttribute("inert")) {
          child.setAttribute("inert", "");
          lock.inert.add(child);
        }
      }
    }
  }

  /**
   * Put back what the dialogs changed outside themselves (the last one went).
   * @private
   */
  unlockScroll() {
    const lock = this.scrollLock;
    if (lock === null) return;
    this.scrollLock = null;
    for (const element of lock.inert) element.removeAttribute("inert");
    const style = this.doc.documentElement.style;
    for (const { name, value, priority } of lock.styles) {
      if (value === "") style.removeProperty(name);
      else style.setProperty(name, value, priority);
    }
  }

  /**
   * The newest open scope of `kind` (the one on top).
   * @private
   * @param {string} kind
   * @returns {Element | null}
   */
  top(kind) {
    let found = null;
    for (const [element, scope] of this.scopes) if (scope.kind === kind) found = element;
    return found;
  }

  /**
   * @private
   * @param {KeyboardEvent} event
   */
  key(event) {
    if (event.defaultPrevented || event.isComposing) return;
    const target = event.target instanceof Element ? event.target : null;
    const behaviour = target?.closest(`[${ATTR_BEHAVIOR}]`) ?? null;
    const kind = behaviour?.getAttribute(ATTR_BEHAVIOR) ?? null;
    if (event.key === "Escape") {
      this.escape(event, target);
      return;
    }
    if (target === null || behaviour === null || !this.root.contains(behaviour)) {
      if (keyOf(event) === "Tab") this.trap(event);
      return;
    }
    if (kind === BEHAVIOR.MENU && target.matches(MENU_ITEMS)) this.menuKey(event, behaviour, target);
    else if (kind === BEHAVIOR.MENU_BUTTON && behaviour === target) this.menuButtonKey(event, target);
    else if (kind === BEHAVIOR.TABS && target.getAttribute("role") === "tab") this.tabsKey(event, behaviour, target);
    if (keyOf(event) === "Tab" && !event.defaultPrevented) this.trap(event);
  }

  /**
   * Escape: dismiss the toast focus is in, else hide a tooltip shown here, else dismiss the
   * menu, else the dialog, on top.
   * @private
   * @param {KeyboardEvent} event
   * @param {Element | null} target
   */
  escape(event, target) {
    const toast = target?.closest(`[${ATTR_BEHAVIOR}="${BEHAVIOR.TOAST}"]`) ?? null;
    if (toast !== null && this.root.contains(toast)) {
      event.preventDefault();
      dismiss(toast);
      return;
    }
    for (const wrapper of this.root.querySelectorAll(`[${ATTR_BEHAVIOR}="${BEHAVIOR.TOOLTIP}"]`)) {
      if (this.hiddenTips.has(wrapper)) continue;
      if (!wrapper.matches(":hover") && !(target !== null && wrapper.contains(target))) continue;
      const tip = wrapper.querySelector("[role=tooltip]");
      if (tip === null || !isHtml(tip)) continue;
      tip.style.setProperty("display", "none");
      this.hiddenTips.add(wrapper);
      event.preventDefault();
      return;
    }
    const scope = this.top(BEHAVIOR.MENU) ?? this.top(BEHAVIOR.DIALOG);
    if (scope === null) return;
    event.preventDefault();
    dismiss(scope);
  }

  /**
   * Tab/Shift+Tab inside the dialog on top cycle through its tabbable elements: when no
   * tabbable element of the dialog follows (precedes) the focused one in document order, focus
   * wraps to the first (last). Position, not identity: the focused element may be one Tab does
   * not reach (the panel, focused by a click on its text; a menu item), and the browser would
   * then take focus out of the dialog.
   * @private
   * @param {KeyboardEvent} event
   */
  trap(event) {
    const dialog = this.top(BEHAVIOR.DIALOG);
    if (dialog === null) return;
    const items = tabbables(dialog);
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const active = this.doc.activeElement;
    const inside = active !== null && dialog.contains(active);
    if (!inside || adjacent(items, active, event.shiftKey) === null) {
      event.preventDefault();
      focus(event.shiftKey ? items[items.length - 1] : items[0]);
    }
  }

  /**
   * @private
   * @param {KeyboardEvent} event
   * @param {Element} menu
   * @param {Element} item The focused item.
   */
  menuKey(event, menu, item) {
    const items = menuItems(menu);
    const index = items.indexOf(/** @type {HTMLElement} */ (item));
    if (this.typeAhead(event, menu, items, index)) {
      event.preventDefault();
      return;
    }
    switch (keyOf(event)) {
      case "ArrowDown":
        focus(items[(index + 1) % items.length]);
        break;
      case "ArrowUp":
        focus(items[(index - 1 + items.length) % items.length]);
        break;
      case "Home":
      case "PageUp":
        focus(items[0]);
        break;
      case "End":
      case "PageDown":
        focus(items[items.length - 1]);
        break;
      case "Enter":
      case " ":
        if (item.getAttribute("aria-disabled") !== "true" && isHtml(item)) item.click();
        break;
      case "Tab":
        this.typed.text = "";
        this.leaveMenu(event, menu, item);
        return;
      default:
        return;
    }
    this.typed.text = ""; // a key that moves or chooses ends a type-ahead prefix
    event.preventDefault();
  }

  /**
   * Tab or Shift+Tab in a menu: focus the tabbable element after (before) the focused item in
   * document order, as the browser would (the menu button, for Shift+Tab), wrapping inside the
   * dialog on top, then dismiss the menu. Focus moves here, before the dismissal's patch: in
   * Mode A that patch is applied before the key's default action, and focus, returned to the
   * menu button, went one element too far (Shift+Tab) or out of the dialog (Tab from its end).
   * With no such element outside a dialog, the key does what the browser says.
   * @private
   * @param {KeyboardEvent} event
   * @param {Element} menu
   * @param {Element} item The focused item.
   */
  leaveMenu(event, menu, item) {
    const dialog = this.top(BEHAVIOR.DIALOG);
    const items = tabbables(dialog ?? this.doc.body ?? this.root);
    let to = adjacent(items, item, event.shiftKey);
    if (to === null && dialog !== null) to = (event.shiftKey ? items[items.length - 1] : items[0]) ?? null;
    if (to !== null) {
      event.preventDefault();
      focus(to);
    }
    dismiss(menu);
  }

  /**
   * Menu type-ahead (https://www.w3.org/WAI/ARIA/apg/patterns/menubar/, "any key that
   * corresponds to a printable character"): focus the next item whose label (`aria-label`,
   * else its text) starts with what was typed, case-insensitively. One character repeated
   * searches for that character from the item after the focused one (so it cycles, wrapping);
   * a longer prefix is searched from the focused item on. No match leaves focus where it is.
   * Characters typed within `TYPEAHEAD_RESET_MS` of each other form one prefix; a key that
   * moves focus or chooses an item ends it.
   * @private
   * @param {KeyboardEvent} event
   * @param {Element} menu
   * @param {HTMLElement[]} items The menu's items.
   * @param {number} index The focused item's index in `items`.
   * @returns {boolean} Whether the key was a printable character (used for type-ahead).
   */
  typeAhead(event, menu, items, index) {
    const key = event.key;
    if ([...key].length !== 1 || key === " " || event.ctrlKey || event.metaKey || event.altKey) return false;
    const typed = this.typed;
    if (typed.menu !== menu || event.timeStamp - typed.at > TYPEAHEAD_RESET_MS) typed.text = "";
    typed.menu = menu;
    typed.at = event.timeStamp;
    typed.text += key.toLocaleLowerCase();
    const chars = [...typed.text];
    const repeated = chars.every((char) => char === chars[0]);
    const prefix = repeated ? chars[0] : typed.text;
    const start = repeated ? index + 1 : index;
    for (let i = 0; i < items.length; i += 1) {
      const item = items[(start + i) % items.length];
      const label = (item.getAttribute("aria-label") ?? item.textContent ?? "").trim().toLocaleLowerCase();
      if (label.startsWith(prefix)) {
        focus(item);
        break;
      }
    }
    return true;
  }

  /**
   * @private
   * @param {KeyboardEvent} event
   * @param {Element} button
   */
  menuButtonKey(event, button) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const last = event.key === "ArrowUp";
    const controls = button.getAttribute("aria-controls");
    const menu = controls === null ? null : this.doc.getElementById(controls);
    if (button.getAttribute("aria-expanded") === "true" && menu !== null) {
      const items = menuItems(menu);
      focus(last ? items[items.length - 1] : items[0]);
      return;
    }
    this.wantLast.set(button, last);
    if (isHtml(button)) button.click();
  }

  /**
   * @private
   * @param {KeyboardEvent} event
   * @param {Element} tablist
   * @param {Element} tab The focused tab.
   */
  tabsKey(event, tablist, tab) {
    const vertical = tablist.getAttribute("aria-orientation") === "vertical";
    const next = vertical ? "ArrowDown" : "ArrowRight";
    const previous = vertical ? "ArrowUp" : "ArrowLeft";
    /** @type {HTMLElement[]} */
    const tabs = [];
    for (const element of tablist.querySelectorAll("[role=tab]")) {
      if (element.closest("[role=tablist]") !== tablist || !isHtml(element)) continue;
      if (element.hasAttribute("disabled") || element.getAttribute("aria-disabled") === "true") continue;
      tabs.push(element);
    }
    if (tabs.length === 0) return;
    const index = tabs.indexOf(/** @type {HTMLElement} */ (tab));
    let to;
    if (event.key === next) to = tabs[(index + 1) % tabs.length];
    else if (event.key === previous) to = tabs[(index - 1 + tabs.length) % tabs.length];
    else if (event.key === "Home") to = tabs[0];
    else if (event.key === "End") to = tabs[tabs.length - 1];
    else return;
    event.preventDefault();
    focus(to);
    // aria-selected can lag the host (the patch of the previous move still on its way): a tab
    // shown as selected has no click listener yet, so it is activated when the patch lands.
    this.pendingTab = null;
    if (to.getAttribute("aria-selected") !== "true") to.click();
    else this.pendingTab = to;
  }

  /**
   * Remember recent focus (a dialog's opener) and keep focus inside the dialog on top.
   * @private
   * @param {FocusEvent} event
   */
  focusIn(event) {
    const target = event.target;
    if (!(target instanceof Element) || !isHtml(target)) return;
    this.blurred = null;
    this.focusHold(target);
    this.placeTip(target);
    const dialog = this.top(BEHAVIOR.DIALOG);
    if (dialog !== null && !dialog.contains(target)) {
      focus(tabbables(dialog)[0] ?? dialog.querySelector("[role=dialog]"));
      return;
    }
    this.history = this.history.filter((element) => element !== target);
    this.history.push(target);
    if (this.history.length > FOCUS_HISTORY) this.history.shift();
  }

  /**
   * A pointer press outside an open menu (and its button) dismisses it.
   * @private
   * @param {PointerEvent} event
   */
  pointerDown(event) {
    const target = event.target instanceof Node ? event.target : null;
    for (const [element, scope] of this.scopes) {
      if (scope.kind !== BEHAVIOR.MENU || target === null) continue;
      if (element.contains(target) || (scope.opener !== null && scope.opener.contains(target))) continue;
      dismiss(element);
    }
  }

  /**
   * A tooltip about to show (the pointer entered its wrapper, focus moved into it): keep it
   * inside the viewport. CSS centres it on its trigger; next to the left or right edge that put
   * part of it off screen (WCAG 1.4.10, 1.4.13), so it is moved along (CSS `translate`, which
   * adds to the centring `transform`) until `TIP_EDGE_PX` of room remain, or its left edge does
   * when it is wider than the viewport.
   * @private
   * @param {EventTarget | null} target
   */
  placeTip(target) {
    if (!(target instanceof Element)) return;
    const wrapper = target.closest(`[${ATTR_BEHAVIOR}="${BEHAVIOR.TOOLTIP}"]`);
    if (wrapper === null || !this.root.contains(wrapper)) return;
    const tip = wrapper.querySelector("[role=tooltip]");
    if (tip === null || !isHtml(tip)) return;
    if (tip.style.getPropertyValue("translate") !== "") {
      tip.style.removeProperty("translate");
      if (tip.style.length === 0) tip.removeAttribute("style");
    }
    const box = tip.getBoundingClientRect();
    if (box.width === 0) return; // not rendered (display: none)
    const width = this.doc.documentElement.clientWidth;
    let shift = 0;
    if (box.right > width - TIP_EDGE_PX) shift = width - TIP_EDGE_PX - box.right;
    if (box.left + shift < TIP_EDGE_PX) shift = TIP_EDGE_PX - box.left;
    if (Math.abs(shift) >= 0.5) tip.style.setProperty("translate", `${Math.round(shift)}px 0`);
  }

  /**
   * The pointer entered or left `target`: when it is a `toaster`, note it (`sendHolds`).
   * @private
   * @param {EventTarget | null} target
   * @param {boolean} over
   */
  hover(target, over) {
    if (!(target instanceof Element) || target.getAttribute(ATTR_BEHAVIOR) !== BEHAVIOR.TOASTER) return;
    this.holdOf(target).hover = over;
    this.scheduleHolds();
  }

  /**
   * Focus moved to `to` (null: to nothing): note which toaster, if any, has focus inside it.
   * @private
   * @param {EventTarget | null} to
   */
  focusHold(to) {
    const toaster = to instanceof Element ? to.closest(`[${ATTR_BEHAVIOR}="${BEHAVIOR.TOASTER}"]`) : null;
    for (const [element, hold] of this.holds) if (element !== toaster && hold.focus) hold.focus = false;
    if (toaster !== null && this.root.contains(toaster)) {
      this.holdOf(toaster).focus = true;
    }
    if (this.holds.size > 0) this.scheduleHolds();
  }

  /**
   * The hold of `toaster`, noted from now on (a new one: neither pointer nor focus, nothing sent).
   * @private
   * @param {Element} toaster
   * @returns {Hold}
   */
  holdOf(toaster) {
    let hold = this.holds.get(toaster);
    if (hold === undefined) {
      hold = { hover: false, focus: false, sent: false };
      this.holds.set(toaster, hold);
    }
    return hold;
  }

  /** @private */
  scheduleHolds() {
    if (this.holdTimer === null) this.holdTimer = setTimeout(() => this.sendHolds(), 0);
  }

  /**
   * A task after pointer or focus transitions (so a focus move between two toasts, a blur then
   * a focus, is no transition, and no event is sent while a patch is being applied): dispatch
   * `DOM_EVENT_PAUSE` on each toaster now held by the pointer or focus that was not, and
   * `DOM_EVENT_RESUME` on each one no longer held.
   * @private
   */
  sendHolds() {
    this.holdTimer = null;
    for (const [element, hold] of this.holds) {
      const held = hold.hover || hold.focus;
      // Gone (its Toaster unmounted, which resumes the timers in Python) or never sent.
      if (!element.isConnected || (!held && !hold.sent)) {
        this.holds.delete(element);
        continue;
      }
      if (held === hold.sent) continue;
      hold.sent = held;
      if (!held) this.holds.delete(element);
      element.dispatchEvent(new CustomEvent(held ? DOM_EVENT_PAUSE : DOM_EVENT_RESUME, { bubbles: true }));
    }
  }

  /**
   * A tooltip Escape hid may show again once the pointer left its wrapper or focus moved out.
   * @private
   * @param {Event} event
   */
  leave(event) {
    if (event.type === "pointerleave") this.hover(event.target, false);
    else this.focusHold(/** @type {FocusEvent} */ (event).relatedTarget);
    if (this.hiddenTips.size === 0 || !(event.target instanceof Node)) return;
    const related = /** @type {FocusEvent} */ (event).relatedTarget;
    for (const wrapper of this.hiddenTips) {
      const left = event.type === "pointerleave"
        ? event.target === wrapper
        : wrapper.contains(event.target) && !(related instanceof Node && wrapper.contains(related));
      if (!left) continue;
      const tip = wrapper.querySelector("[role=tooltip]");
      if (tip !== null && isHtml(tip)) tip.style.removeProperty("display");
      this.hiddenTips.delete(wrapper);
    }
  }
}

/**
 * @param {Element} element
 * @returns {boolean} Whether it or an ancestor has the `hidden` attribute.
 */
function isHidden(element) {
  return element.closest("[hidden]") !== null;
}

/**
 * The element of `items` (tabbable elements, in document order) that Tab reaches from `from`:
 * the first one after it in document order (its descendants included); with `backwards`
 * (Shift+Tab) the last one before it (its ancestors included).
 * @param {HTMLElement[]} items
 * @param {Element} from
 * @param {boolean} backwards
 * @returns {HTMLElement | null}
 */
function adjacent(items, from, backwards) {
  if (backwards) {
    for (let i = items.length - 1; i >= 0; i -= 1) {
      if (from.compareDocumentPosition(items[i]) & Node.DOCUMENT_POSITION_PRECEDING) return items[i];
    }
    return null;
  }
  return items.find((element) => (from.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0)
    ?? null;
}

/**
 * The items of a menu, in document order.
 * @param {Element} menu
 * @returns {HTMLElement[]}
 */
function menuItems(menu) {
  return Array.from(menu.querySelectorAll(MENU_ITEMS)).filter(isHtml);
}
