// @ts-check
/**
 * `share` capability (W3C Web Share API). Soft outcomes are values: `unsupported` (no
 * `navigator.share`, or `canShare` refuses), `cancelled` (`AbortError`).
 * @module native/share
 */

import { requireSecureContext, toNativeError } from "./_errors.js";

/**
 * Open the share sheet.
 * @param {Record<string, unknown>} args `{title, text, url}` (null members are left out).
 * @returns {Promise<{outcome: "shared" | "cancelled" | "unsupported"}>}
 */
export async function share(args) {
  requireSecureContext("Web Share");
  /** @type {ShareData} */
  const data = {};
  if (typeof args.title === "string") data.title = args.title;
  if (typeof args.text === "string") data.text = args.text;
  if (typeof args.url === "string") data.url = new URL(args.url, location.href).href;
  if (typeof navigator.share !== "function" || (typeof navigator.canShare === "function" && !navigator.canShare(data))) {
    return { outcome: "unsupported" };
  }
  try {
    await navigator.share(data);
    return { outcome: "shared" };
  } catch (error) {
    if (/** @type {{name?: unknown}} */ (error ?? {}).name === "AbortError") return { outcome: "cancelled" };
    throw toNativeError(error);
  }
}
