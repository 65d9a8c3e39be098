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
 * A classic script cannot import `constants.js`: the two wire words below are checked against
 * the contract (`tempestweb_contract.names`) by a test.
 * @module early
 */

(() => {
  /** `ATTR_LISTENERS`: the prerender's `name:flags` list of an element's listeners. */
  const ATTR_LISTENERS = "data-tw-on";
  /** `DOM_EVENT_EARLY_INPUT`: the client asks for the records when it mounts. */
  const DOM_EVENT_EARLY_INPUT = "tempestweb:early-input";
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

  /** @param {Event} event */
  function handOver(event) {
    for (const type of TYPES) document.removeEventListener(type, record, true);
    document.removeEventListener(DOM_EVENT_EARLY_INPUT, handOver);
    const detail = /** @type {CustomEvent<{take: (records: EarlyRecord[]) => void}>} */ (event).detail;
    detail.take(records.splice(0));
  }

  document.addEventListener(DOM_EVENT_EARLY_INPUT, handOver);
})();
