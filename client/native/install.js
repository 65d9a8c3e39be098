// @ts-check
/**
 * `install` capability: the app's install prompt, wrapping `../pwa/install-prompt.js` (which
 * captured `beforeinstallprompt` when the page loaded).
 * @module native/install
 */

import { canInstall, isInstalled, showPrompt } from "../pwa/install-prompt.js";
import { toNativeError } from "./_errors.js";

/**
 * Show the install prompt.
 * @returns {Promise<{outcome: "accepted" | "dismissed" | "unavailable"}>}
 */
export async function prompt() {
  try {
    return { outcome: await showPrompt() };
  } catch (error) {
    throw toNativeError(error);
  }
}

/**
 * Whether the app can be installed now, and whether it is.
 * @returns {{can_install: boolean, installed: boolean}}
 */
export function state() {
  return { can_install: canInstall(), installed: isInstalled() };
}
