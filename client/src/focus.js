// @ts-check
/**
 * Focus continuity: where keyboard focus goes when the element that had it stops being
 * focusable because of the person's own action on it (WCAG 2.4.3 Focus Order; the APG's
 * "focus should not be lost" practice). `Behaviors` (behaviors.js) decides when focus is lost;
 * this module finds its successor:
 *
 * 1. the element of the root with the same DOM id (a re-render replaced the control);
 * 2. else the control whose `aria-controls` names an ancestor of the lost element, by id (the
 *    disclosure / drawer pattern: Escape in a drawer returns to its menu button);
 * 3. else, when the lost element was removed, the first focusable element of the nearest
 *    sibling where it was: the one after the removed branch, else the one before (a deleted list
 *    item hands focus to the next item; an edit field swapped back for its view row, to the
 *    row's first control);
 * 4. else the newest element of the focus history still connected, enabled and shown.
 *
 * Inside an open modal dialog only candidates inside it count. Every query here runs only once
 * focus is known to be lost, never on an ordinary patch.
 * @module focus
 */

/** Elements that can take focus (programmatically) unless disabled, hidden or inert. */
export const FOCUSABLE = [
  "a[href]", "area[href]", "button", "input:not([type=hidden])", "select", "textarea", "iframe",
  "audio[controls]", "video[controls]", "summary", "[contenteditable]", "[tabindex]",
].join(",");

/**
 * @param {Element} element
 * @returns {element is HTMLElement}
 */
export function isHtml(element) {
  return typeof (/** @type {HTMLElement} */ (element).focus) === "function";
}

/**
 * Whether `element` can hold focus now. Cheap checks first; the last one (whether it is
 * rendered at all, `display: none` on it or an ancestor) reads layout.
 * @param {Element | null | undefined} element
 * @returns {element is HTMLElement}
 */
export function canFocus(element) {
  if (element == null || !element.isConnected || !isHtml(element) || !element.matches(FOCUSABLE)) return false;
  if (element.matches(":disabled") || element.closest("[hidden],[inert]") !== null) return false;
  return element.getClientRects().length > 0;
}

/**
 * Whether `element` may have stopped being focusable through one of `records` without being
 * removed or disabled: a `class` or `style` change on it or an ancestor (`display: none`).
 * @param {Element} element
 * @param {MutationRecord[]} records
 * @returns {boolean}
 */
export function restyled(element, records) {
  for (const record of records) {
    if (record.type !== "attributes" || (record.attributeName !== "class" && record.attributeName !== "style")) {
      continue;
    }
    if (record.target.contains(element)) return true;
  }
  return false;
}

/**
 * Where the successor is looked for.
 * @typedef {object} Scope
 * @property {Element} root The mount element: candidates are inside it.
 * @property {Element | null} dialog The open modal dialog on top: candidates are inside it.
 * @property {readonly HTMLElement[]} history Recently focused elements, newest last.
 */

/**
 * The element focus should move to now that `lost` cannot hold it.
 * @param {HTMLElement} lost The element that had focus.
 * @param {MutationRecord[]} records The mutations of the patch that took it away.
 * @param {Scope} scope
 * @returns {HTMLElement | null}
 */
export function successor(lost, records, scope) {
  /** @param {Element | null | undefined} element @returns {element is HTMLElement} */
  const allowed = (element) => element != null && element !== lost && scope.root.contains(element)
    && (scope.dialog === null || scope.dialog.contains(element)) && canFocus(element);
  const doc = scope.root.ownerDocument;
  if (lost.id !== "") {
    const same = doc.getElementById(lost.id);
    if (allowed(same)) return same;
  }
  const removal = lost.isConnected ? null : removalOf(lost, records);
  for (const id of ancestorIds(lost, removal === null ? null : /** @type {Element} */ (removal.target), scope.root)) {
    const control = scope.root.querySelector(`[aria-controls~="${CSS.escape(id)}"]`);
    if (allowed(control)) return control;
  }
  if (removal !== null) {
    const near = besideRemoval(removal, allowed);
    if (near !== null) return near;
  }
  for (let i = scope.history.length - 1; i >= 0; i -= 1) {
    if (allowed(scope.history[i])) return scope.history[i];
  }
  return null;
}

/**
 * The record of the outermost removal that took `lost` out of the document (its target is
 * still connected), or null.
 * @param {Element} lost
 * @param {MutationRecord[]} records
 * @returns {MutationRecord | null}
 */
export function removalOf(lost, records) {
  let found = null;
  for (const record of records) {
    if (record.type !== "childList" || !record.target.isConnected) continue;
    for (const node of record.removedNodes) {
      if (node === lost || node.contains(lost)) found = record;
    }
  }
  return found;
}

/**
 * The ids of the ancestors of `lost`, nearest first: within its own (maybe removed) branch, then
 * from `removedFrom` (the connected parent the branch was removed from) up to `root`.
 * @param {Element} lost
 * @param {Element | null} removedFrom
 * @param {Element} root
 * @returns {string[]}
 */
function ancestorIds(lost, removedFrom, root) {
  /** @type {string[]} */
  const ids = [];
  /** @param {Element | null} from */
  const climb = (from) => {
    for (let node = from; node !== null; node = node.parentElement) {
      if (node.id !== "") ids.push(node.id);
      if (node === root) break;
    }
  };
  climb(lost.parentElement);
  if (removedFrom !== null) climb(removedFrom);
  return ids;
}

/**
 * The first allowed element of the nearest sibling element where `removal` took its nodes out:
 * the siblings after first (nearest first), then the siblings before (nearest first).
 * @param {MutationRecord} removal
 * @param {(element: Element | null | undefined) => element is HTMLElement} allowed
 * @returns {HTMLElement | null}
 */
function besideRemoval(removal, allowed) {
  const parent = removal.target;
  const children = Array.from(parent.childNodes);
  let at = children.length;
  if (removal.nextSibling !== null && removal.nextSibling.parentNode === parent) {
    at = children.indexOf(/** @type {ChildNode} */ (removal.nextSibling));
  } else if (removal.previousSibling !== null && removal.previousSibling.parentNode === parent) {
    at = children.indexOf(/** @type {ChildNode} */ (removal.previousSibling)) + 1;
  }
  const order = [...children.slice(at), ...children.slice(0, at).reverse()];
  for (const node of order) {
    if (!(node instanceof Element)) continue;
    const found = firstAllowed(node, allowed);
    if (found !== null) return found;
  }
  return null;
}

/**
 * `element` itself, else its first descendant in document order, that is allowed and in the
 * Tab order (`tabindex` not negative).
 * @param {Element} element
 * @param {(element: Element | null | undefined) => element is HTMLElement} allowed
 * @returns {HTMLElement | null}
 */
function firstAllowed(element, allowed) {
  for (const candidate of [element, ...element.querySelectorAll(FOCUSABLE)]) {
    if (allowed(candidate) && candidate.tabIndex >= 0) return candidate;
  }
  return null;
}

/**
 * The key `event` names (`KeyboardEvent.key`), the same in every engine: WebKitGTK (the desktop
 * window) reports Shift+Tab as key "Unidentified" (GTK sends it as the `ISO_Left_Tab` keysym),
 * code "Tab"; it is "Tab" here, so a menu closes on Shift+Tab as on Tab, the dialog trap sees
 * it, and an app's key event says "Tab" in every mode.
 * @param {KeyboardEvent} event
 * @returns {string}
 */
export function keyOf(event) {
  return event.key === "Unidentified" && event.code === "Tab" ? "Tab" : event.key;
}
