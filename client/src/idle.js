// @ts-check
/**
 * Idle time: work that must never delay a frame or a person's input (the rehearsal, the rows a
 * host sends ahead) runs in `requestIdleCallback` (https://w3c.github.io/requestidlecallback/).
 * @module idle
 */

/**
 * The part of an idle period still free (`IdleDeadline`).
 * @typedef {{timeRemaining: () => number}} Deadline
 */

/**
 * Run `task` when the page is idle (`requestIdleCallback`; a timeout where the browser lacks
 * it), so that it never delays a frame or a person's input.
 * @param {(deadline: Deadline) => void} task Receives the idle period's deadline (one with no
 *   time left where the browser lacks `requestIdleCallback`).
 * @param {number} [timeoutMs] Run it anyway after this long (ms), idle or not.
 */
export function whenIdle(task, timeoutMs = 2000) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(task, { timeout: timeoutMs });
  else setTimeout(() => task({ timeRemaining: () => 0 }), Math.min(200, timeoutMs));
}
