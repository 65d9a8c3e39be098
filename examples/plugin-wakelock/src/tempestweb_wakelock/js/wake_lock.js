// @ts-check
/**
 * `wake_lock` capability (W3C Screen Wake Lock API). Each method answers `{active, supported}`;
 * failures are thrown as DOMException-like objects with a native error `code`.
 * @module wake_lock
 */

/** The held sentinel, if any. @type {{released: boolean, release: () => Promise<void>} | null} */
let sentinel = null;

/** @param {string} code @param {string} message */
function fail(code, message) {
  return Object.assign(new Error(message), { code, name: code === "permission_denied" ? "NotAllowedError" : "Error" });
}

/** @returns {{active: boolean, supported: boolean}} */
export function state() {
  return { active: sentinel !== null && !sentinel.released, supported: "wakeLock" in navigator };
}

/** @returns {Promise<{active: boolean, supported: boolean}>} */
export async function request() {
  if (!globalThis.isSecureContext) throw fail("insecure_context", "the Screen Wake Lock API needs a secure context");
  if (!("wakeLock" in navigator)) return state();
  try {
    const wakeLock = /** @type {{request: (type: string) => Promise<{released: boolean, release: () => Promise<void>}>}} */ (
      /** @type {{wakeLock?: unknown}} */ (/** @type {unknown} */ (navigator)).wakeLock
    );
    sentinel = await wakeLock.request("screen");
  } catch (error) {
    const name = /** @type {{name?: unknown}} */ (error ?? {}).name;
    if (name === "NotAllowedError") throw fail("permission_denied", String(error));
    throw fail("aborted", String(error));
  }
  return state();
}

/** @returns {Promise<{active: boolean, supported: boolean}>} */
export async function release() {
  const held = sentinel;
  sentinel = null;
  if (held !== null && !held.released) await held.release();
  return state();
}
