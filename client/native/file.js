// @ts-check
/**
 * `file` capability: `save` offers bytes as a file through `navigator.share({files})` when
 * `canShare` accepts it, else an `<a download>` click on a blob URL; the answer says which ran.
 *
 * In a desktop window with the `dialog` and `fs` plugins enabled, the OS save dialog
 * (`dialog.save`) then a write of the chosen file (`fs.writeFile`) instead: method `"dialog"`,
 * `completed: false` when the dialog was cancelled. Permissions `dialog:allow-save` and
 * `fs:allow-write-file` (the file the person chose joins the fs scope); a missing one gives
 * `permission_denied`.
 * @see https://v2.tauri.app/plugin/dialog/
 * @see https://v2.tauri.app/plugin/file-system/
 * @module native/file
 */

import { check, fromBase64, toNativeError } from "./_errors.js";
import { fromTauriError, pluginFunction, tauriPlugin } from "./_tauri.js";

/** @typedef {(options: {defaultPath?: string, title?: string}) => Promise<string | null>} SaveDialog */
/** @typedef {(path: string, data: Uint8Array) => Promise<void>} WriteFile */

/**
 * Path separators, control characters (C0, DEL, C1) and the line and paragraph separators: never
 * part of a file name (a CR or LF breaks WebKitGTK's download, which then cuts the desktop window's
 * IPC for good). The same class as `_BAD_CHARACTER` in `tempestweb/native/file.py`.
 */
const BAD_NAME = /[\x00-\x1f\x7f-\x9f/\\\u2028\u2029]/;

/** A name made only of these spaces is blank (written out: `trim()` strips another set than Python). */
const BLANK_NAME = /^[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]*$/;

/** How long a download's object URL stays valid after the click, in ms. */
const REVOKE_AFTER_MS = 60_000;

/**
 * Check a file name against the one rule of `file.save`'s names.
 *
 * `tempestweb.native.file.save` checks the same rule in Python, so that its typed error comes before
 * the data is sent; this module checks it again because it cannot trust its caller: a direct
 * `tempestweb_contract.native.call("file", "save", ...)` and page code importing this module skip
 * the Python check, and what the rule keeps out ends a desktop window's IPC. Both are tested
 * against one table of names (`packages/tempestweb-native/tests/file_names.json`).
 * @param {unknown} filename
 * @returns {string} The name, unchanged.
 * @throws {NativeError} `invalid_argument`: not a string; empty or blank; `.` or `..`; a path
 *   separator, a control character or U+2028/U+2029 in it.
 */
function checkedName(filename) {
  check(typeof filename === "string" && !BLANK_NAME.test(filename), "save needs a file name that is not blank");
  check(!BAD_NAME.test(filename) && filename !== "." && filename !== "..",
    "a file name holds no path separator or control character and is not . or ..");
  return filename;
}

/**
 * Save bytes as a file.
 * @param {Record<string, unknown>} args `{filename, data (base64), mime_type, prefer: "share" | "download"}`.
 * @returns {Promise<{method: "share" | "download" | "dialog", completed: boolean}>}
 */
export async function save(args) {
  const filename = checkedName(args.filename);
  const type = String(args.mime_type ?? "application/octet-stream");
  const bytes = fromBase64(args.data);
  const dialog = /** @type {SaveDialog | null} */ (pluginFunction(tauriPlugin("dialog"), "save"));
  const writeFile = /** @type {WriteFile | null} */ (pluginFunction(tauriPlugin("fs"), "writeFile"));
  if (dialog !== null && writeFile !== null) {
    let path;
    try {
      path = await dialog({ defaultPath: filename });
    } catch (error) {
      throw fromTauriError(error);
    }
    if (typeof path !== "string") return { method: "dialog", completed: false };
    try {
      await writeFile(path, bytes);
    } catch (error) {
      throw fromTauriError(error);
    }
    return { method: "dialog", completed: true };
  }
  if (args.prefer !== "download" && globalThis.isSecureContext && typeof navigator.canShare === "function") {
    const file = new File([bytes], filename, { type });
    if (navigator.canShare({ files: [file] })) {
      try {
        await navigator.share({ files: [file] });
        return { method: "share", completed: true };
      } catch (error) {
        if (/** @type {{name?: unknown}} */ (error ?? {}).name === "AbortError") return { method: "share", completed: false };
        throw toNativeError(error);
      }
    }
  }
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  return { method: "download", completed: true };
}
