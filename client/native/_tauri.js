// @ts-check
/**
 * The OS-native versions of capabilities in a desktop window (tempestweb desktop mode).
 *
 * The desktop page lists the Tauri plugins enabled in `[desktop] plugins` of `tempestweb.toml`
 * in `<meta name="tw-desktop-plugins">` (`window.__TAURI__` carries every plugin's JS API,
 * loaded or not). A capability module asks {@link tauriPlugin} for a plugin's API and uses it
 * when it is there; in a browser, or in a window without the plugin, it gets `null` and uses
 * the Web API as before. What the window's capability does not
 * grant (`[desktop] permissions`, deny by default) is refused by Tauri with
 * "Command plugin:<name>|<command> not allowed by ACL": {@link fromTauriError} makes that a
 * `permission_denied` {@link NativeError}.
 * @see https://v2.tauri.app/security/capabilities/
 * @module native/_tauri
 */

import { NATIVE_CODES, NativeError } from "./_errors.js";

/**
 * How Tauri's refusal of a command outside the window's capability ends.
 * @type {string}
 * @default "not allowed by ACL"
 */
export const TAURI_ACL_DENIED = "not allowed by ACL";

/**
 * `name` of the page's `<meta>` listing the enabled plugins (the contract's
 * `names.DESKTOP_PLUGINS_META`; a test checks they agree).
 * @type {string}
 * @default "tw-desktop-plugins"
 */
export const DESKTOP_PLUGINS_META = "tw-desktop-plugins";

/**
 * The plugins the page's desktop host enabled (empty outside a desktop window).
 * @returns {Set<string>}
 */
function enabledPlugins() {
  const meta = globalThis.document?.querySelector(`meta[name="${DESKTOP_PLUGINS_META}"]`);
  const content = meta?.getAttribute("content") ?? "";
  return new Set(content.split(/\s+/).filter((name) => name.length > 0));
}

/**
 * The JS API of an enabled Tauri plugin, or `null` (not a desktop window, or not enabled).
 * Plugin globals on `window.__TAURI__` are non-enumerable: they are read by name.
 * @param {string} name The plugin as `[desktop] plugins` names it (`"clipboard-manager"`).
 * @returns {Record<string, unknown> | null}
 */
export function tauriPlugin(name) {
  if (!enabledPlugins().has(name)) return null;
  const tauri = /** @type {{__TAURI__?: Record<string, unknown>}} */ (/** @type {unknown} */ (globalThis)).__TAURI__;
  const plugin = tauri?.[name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase())];
  return typeof plugin === "object" && plugin !== null ? /** @type {Record<string, unknown>} */ (plugin) : null;
}

/**
 * Whether the page runs in a tempestweb desktop window (Tauri's `window.__TAURI__` is there).
 * @returns {boolean}
 */
export function inDesktopWindow() {
  return typeof (/** @type {{__TAURI__?: unknown}} */ (/** @type {unknown} */ (globalThis)).__TAURI__) === "object";
}

/**
 * @typedef {(command: string, args?: Record<string, unknown>) => Promise<unknown>} PluginCommand
 * Runs `plugin:<name>|<command>` with `args`; the promise rejects with Tauri's error string.
 */

/**
 * A caller of an enabled plugin's commands through `__TAURI__.core.invoke`, or `null` (not a
 * desktop window, or the plugin is not enabled). For plugins whose JS API drops the command's
 * promise (tauri-plugin-notification's `sendNotification` returns nothing): invoking the command
 * itself lets a refusal by the window's capability reach the caller.
 * @param {string} name The plugin as `[desktop] plugins` names it (`"notification"`).
 * @returns {PluginCommand | null}
 */
export function pluginCommand(name) {
  if (!enabledPlugins().has(name)) return null;
  const tauri = /** @type {{__TAURI__?: {core?: {invoke?: unknown}}}} */ (/** @type {unknown} */ (globalThis)).__TAURI__;
  const invoke = tauri?.core?.invoke;
  if (typeof invoke !== "function") return null;
  return (command, args = {}) => /** @type {Promise<unknown>} */ (invoke(`plugin:${name}|${command}`, args));
}

/**
 * A function of a plugin's JS API, or `null` when the plugin lacks it.
 * @template {(...args: any[]) => Promise<any>} F
 * @param {Record<string, unknown> | null} plugin From {@link tauriPlugin}.
 * @param {string} name The function's name.
 * @returns {F | null}
 */
export function pluginFunction(plugin, name) {
  const fn = plugin?.[name];
  return typeof fn === "function" ? /** @type {F} */ (fn) : null;
}

/**
 * Map a rejected plugin command to a {@link NativeError}: a refusal by the window's capability
 * is `permission_denied`, anything else `unknown` (with Tauri's message).
 * @param {unknown} error What the command's promise rejected with (Tauri rejects with a string).
 * @returns {NativeError} Its message is Tauri's (it names the plugin command).
 */
export function fromTauriError(error) {
  if (error instanceof NativeError) return error;
  const text = typeof error === "string" ? error : String(/** @type {{message?: unknown}} */ (error ?? {}).message ?? error);
  const code = text.includes(TAURI_ACL_DENIED) ? NATIVE_CODES.PERMISSION_DENIED : NATIVE_CODES.UNKNOWN;
  return new NativeError(code, text);
}
