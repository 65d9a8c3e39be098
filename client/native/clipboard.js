// @ts-check
/**
 * `clipboard` capability (W3C Clipboard API, text only). Needs a secure context; writing
 * needs transient user activation, reading the `clipboard-read` permission.
 *
 * In a desktop window with the `clipboard-manager` plugin enabled, the OS clipboard through the
 * plugin instead (`writeText`/`readText`; permissions `clipboard-manager:allow-write-text` and
 * `clipboard-manager:allow-read-text`, a missing one gives `permission_denied`).
 * @see https://w3c.github.io/clipboard-apis/
 * @see https://v2.tauri.app/plugin/clipboard/
 * @module native/clipboard
 */

import { NATIVE_CODES, NativeError, check, requireSecureContext, toNativeError } from "./_errors.js";
import { fromTauriError, pluginFunction, tauriPlugin } from "./_tauri.js";

/** @typedef {(text: string) => Promise<void>} WriteText */
/** @typedef {() => Promise<string>} ReadText */

/**
 * The Async Clipboard API, with the method a call needs.
 * @param {"readText" | "writeText"} method
 * @returns {Clipboard}
 * @throws {NativeError} `not_supported` when there is no `navigator.clipboard`, or it lacks
 *   `method` (Firefox before 125 had no `readText` for pages): a TypeError was `invalid_argument`.
 */
function api(method) {
  requireSecureContext("Clipboard");
  const clipboard = /** @type {Clipboard | null | undefined} */ (navigator.clipboard);
  if (clipboard == null) throw new NativeError(NATIVE_CODES.NOT_SUPPORTED, "no async Clipboard API");
  if (typeof clipboard[method] !== "function") throw new NativeError(NATIVE_CODES.NOT_SUPPORTED, `no Clipboard.${method}`);
  return clipboard;
}

/**
 * Put text on the clipboard (`writeText`).
 * @param {Record<string, unknown>} args `{text}`.
 * @returns {Promise<null>}
 */
export async function write(args) {
  check(typeof args.text === "string", "clipboard.write needs a text string");
  const native = /** @type {WriteText | null} */ (pluginFunction(tauriPlugin("clipboard-manager"), "writeText"));
  if (native !== null) {
    try {
      await native(/** @type {string} */ (args.text));
    } catch (error) {
      throw fromTauriError(error);
    }
    return null;
  }
  try {
    await api("writeText").writeText(/** @type {string} */ (args.text));
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
  const native = /** @type {ReadText | null} */ (pluginFunction(tauriPlugin("clipboard-manager"), "readText"));
  if (native !== null) {
    try {
      return await native();
    } catch (error) {
      throw fromTauriError(error);
    }
  }
  try {
    return await api("readText").readText();
  } catch (error) {
    throw toNativeError(error);
  }
}
