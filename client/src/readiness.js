// @ts-check
/**
 * Readiness: until a session's first `init` is applied, the prerendered view cannot act on
 * input, so its form controls are disabled (and the root is `aria-busy`). Harnesses and users
 * see exactly when the app is ready: `button#run` of the jsfb spec (section 1) and
 * `input.new-todo` of the TodoMVC spec ("Readiness") are disabled until then.
 * @module readiness
 */

/** Form controls that are locked while the app is not ready. */
const CONTROLS = "button, input, select, textarea";
/** Attribute marking the controls this module disabled (only those are re-enabled). */
const LOCKED = "data-tw-locked";

/**
 * Disable every enabled form control under `root` and mark the root busy.
 * @param {Element} root The mount element.
 * @returns {() => void} Unlock: re-enables exactly the controls it disabled, clears
 *   `aria-busy`, and focuses the `[autofocus]` element if nothing else has focus. Idempotent.
 */
export function lockControls(root) {
  root.setAttribute("aria-busy", "true");
  for (const control of root.querySelectorAll(CONTROLS)) {
    if (!control.hasAttribute("disabled")) {
      control.setAttribute("disabled", "");
      control.setAttribute(LOCKED, "");
    }
  }
  let locked = true;
  return () => {
    if (!locked) return;
    locked = false;
    for (const control of root.querySelectorAll(`[${LOCKED}]`)) {
      control.removeAttribute(LOCKED);
      control.removeAttribute("disabled");
    }
    root.removeAttribute("aria-busy");
    const doc = root.ownerDocument;
    const wanted = root.querySelector("[autofocus]");
    if (wanted instanceof HTMLElement && (doc.activeElement === null || doc.activeElement === doc.body)) {
      wanted.focus();
    }
  };
}
