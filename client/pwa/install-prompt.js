// @ts-check
/**
 * Captures the `beforeinstallprompt` event (Chromium browsers) as soon as this module loads,
 * and calls `preventDefault()` on it, which suppresses the mini-infobar; the app shows the
 * prompt later, from a user gesture, with {@link showPrompt}. Tracks `appinstalled`.
 * @module pwa/install-prompt
 */

/**
 * The non-standard `BeforeInstallPromptEvent` (WICG manifest-incubations).
 * @typedef {Event & {prompt: () => Promise<void>, userChoice: Promise<{outcome: "accepted" | "dismissed"}>}} BeforeInstallPromptEvent
 */

/** The captured event, until shown. @type {BeforeInstallPromptEvent | null} */
let deferred = null;
/** Whether `appinstalled` fired in this page. */
let installedHere = false;

addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  deferred = /** @type {BeforeInstallPromptEvent} */ (event);
});
addEventListener("appinstalled", () => {
  installedHere = true;
  deferred = null;
});

/** Whether a captured prompt is waiting. @returns {boolean} */
export function canInstall() {
  return deferred !== null;
}

/** Whether the page runs installed (standalone display mode) or was installed from it. @returns {boolean} */
export function isInstalled() {
  return installedHere || matchMedia("(display-mode: standalone)").matches || matchMedia("(display-mode: window-controls-overlay)").matches;
}

/**
 * Show the captured prompt (once: the event cannot be reused).
 * @returns {Promise<"accepted" | "dismissed" | "unavailable">}
 */
export async function showPrompt() {
  const event = deferred;
  if (event === null) return "unavailable";
  deferred = null;
  await event.prompt();
  return (await event.userChoice).outcome;
}
