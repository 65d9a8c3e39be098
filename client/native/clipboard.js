// @ts-check
/**
 * `clipboard` capability (W3C Clipboard API, text only). Needs a secure context; writing
 * needs transient user activation, reading the `clipboard-read` permission.
 * @module native/clipboard
 */

import { NATIVE_CODES, NativeError, check, requireSecureContext, toNativeError } from "./_errors.js";

/** @returns {Clipboard} */
function api() {
  requireSecureContext("Clipboard");
  if (navigator.clipboard === undefined) throw new NativeError(NATIVE_CODES.NOT_SUPPORTED, "no async Clipboard API");
  return navigator.clipboard;
}

/**
 * Put text on the clipboard (`writeText`).
 * @param {Record<string, unknown>} args `{text}`.
 * @returns {Promise<null>}
 */
export async function write(args) {
  check(typeof args.text === "string", "clipboard.write needs a text string");
  try {
    await api().writeText(/** @type {string} */ (args.text));
  } catch (error) {
    throw toNativeError(error);
  }
  return null;
}

/**
 * The clipboard's text (`readText`).
 * @returns {Promise<string>}
 */
export async function read() {
  try {
    return await api().readText();
  } catch (error) {
    throw toNativeError(error);
  }
}
