// @ts-check
/**
 * Readiness without a lock: the prerendered view takes input from first paint (issue 12).
 *
 * Until a session's first `init` is applied the root is `aria-busy`, and what a person does
 * (clicks, typed text, Enter) is delivered to the session as usual: the session queues each
 * event in order, with its event id, and sends the queue once `init` arrives, so nothing is lost
 * however long the runtime takes (Mode A boots Pyodide for seconds); the elements acted on carry
 * `tw-loading` until their events are handled. The client never disables a prerendered control:
 * a control that is enabled at first paint and then locks (the old behaviour) drops the text a
 * person is typing into it. An app whose harness needs "disabled until live" (the jsfb spec's
 * `button#run`) renders the control disabled and enables it from an effect, which runs only in
 * the live session (`examples/jsfb`).
 *
 * The page can paint before the client's module runs. The early-input script (`early.js`, a
 * classic script in `<head>`) records the clicks, keys and typed text of that gap, and at mount
 * {@link takeEarlyInput} replays them in order onto the hydrated DOM, where the session queues
 * them with everything else until `init`. Without that script (a page from an older shell),
 * {@link replayEarlyInput} finds each control whose state differs from its prerendered default
 * and fires the event the person's input would have fired (clicks are lost then).
 * @module readiness
 */

import { DOM_EVENT_EARLY_INPUT } from "./constants.js";

/**
 * One event recorded by `early.js` before the client mounted.
 * @typedef {object} EarlyRecord
 * @property {string} type `click`, `keydown`, `input` or `change`.
 * @property {Element} target The element the event was dispatched to.
 * @property {string | null} value `input`/`change`: the control's value then.
 * @property {boolean | null} checked `input`/`change`: the checkbox's or radio's state then.
 * @property {KeyboardEventInit | null} key `keydown`: key, code and modifiers.
 */

/** Input types whose value is not text a person typed (or cannot be read back). */
const NOT_TYPED = new Set(["button", "submit", "reset", "image", "file", "hidden", "checkbox", "radio"]);

/**
 * Mark the root busy until the returned function is called.
 * @param {Element} root The mount element.
 * @returns {() => void} Clears `aria-busy`; idempotent.
 */
export function markBusy(root) {
  root.setAttribute("aria-busy", "true");
  let busy = true;
  return () => {
    if (!busy) return;
    busy = false;
    root.removeAttribute("aria-busy");
  };
}

/**
 * Fire the events a person's input would have fired for every control under `root` whose state
 * differs from its prerendered default (`value` vs `defaultValue`, `checked` vs
 * `defaultChecked`, `selected` vs `defaultSelected`): `input` for typed text, `input` and
 * `change` for checkboxes, radios and selects.
 * @param {Element} root The mount element, already hydrated (its listeners are installed).
 * @returns {number} How many controls had early input.
 */
export function replayEarlyInput(root) {
  let count = 0;
  for (const control of root.querySelectorAll("input, textarea, select")) {
    /** @type {string[]} */
    let events = [];
    if (control instanceof HTMLSelectElement) {
      if (Array.from(control.options).some((option) => option.selected !== option.defaultSelected)) {
        events = ["input", "change"];
      }
    } else if (control instanceof HTMLInputElement && (control.type === "checkbox" || control.type === "radio")) {
      if (control.checked !== control.defaultChecked) events = ["input", "change"];
    } else if (control instanceof HTMLTextAreaElement || control instanceof HTMLInputElement) {
      if (!NOT_TYPED.has(control.type) && control.value !== control.defaultValue) events = ["input"];
    }
    if (events.length === 0) continue;
    count += 1;
    for (const type of events) control.dispatchEvent(new Event(type, { bubbles: true }));
  }
  return count;
}

/**
 * Take what `early.js` recorded before the client mounted (it stops recording), and replay it.
 *
 * Each record becomes the same event again, dispatched on its target in the order it happened:
 * a click (the original was held back with `preventDefault()`, so a link or submit button acts
 * now, under the client's listener flags), a keydown with its key and modifiers, an `input` or
 * `change` after setting the value or checkedness the control had then (so "type, Enter, type
 * again" reaches the app as it happened). Targets no longer in `root` are skipped.
 * @param {Element} root The mount element, hydrated (its listeners are installed).
 * @param {boolean} hydrated Whether the DOM is the prerendered one (else nothing is replayed:
 *   the records point at a tree the first `init` replaces).
 * @returns {number} How many events were replayed, or -1 when no `early.js` answered (then
 *   {@link replayEarlyInput} reports text typed before mount, when `hydrated`).
 */
export function takeEarlyInput(root, hydrated) {
  /** @type {EarlyRecord[] | null} */
  let records = null;
  const take = (/** @type {EarlyRecord[]} */ taken) => {
    records = taken;
  };
  root.ownerDocument.dispatchEvent(new CustomEvent(DOM_EVENT_EARLY_INPUT, { detail: { take } }));
  const early = /** @type {EarlyRecord[] | null} */ (records);
  if (early === null) {
    if (hydrated) replayEarlyInput(root);
    return -1;
  }
  if (!hydrated) return 0;
  let count = 0;
  for (const record of early) {
    const target = record.target;
    if (!root.contains(target)) continue;
    if (record.type === "click") {
      target.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, composed: true }));
    } else if (record.type === "keydown") {
      const init = { ...record.key, bubbles: true, cancelable: true, composed: true };
      target.dispatchEvent(new KeyboardEvent("keydown", init));
    } else {
      const control = /** @type {HTMLInputElement} */ (target);
      if (record.checked !== null) control.checked = record.checked;
      else if (record.value !== null) control.value = record.value;
      target.dispatchEvent(new Event(record.type, { bubbles: true }));
    }
    count += 1;
  }
  return count;
}
