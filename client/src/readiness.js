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
 * The page can paint before the client's module runs: text typed then is in the controls, but no
 * event reported it. At mount, {@link replayEarlyInput} finds each control whose state differs
 * from its prerendered default and fires the event the person's input would have fired.
 * @module readiness
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
