// @ts-check
/**
 * `notification` capability (WHATWG Notifications API). Needs a secure context and the
 * `notifications` permission; `show` refuses with `permission_denied` unless it is `"granted"`
 * (the constructor would only fire `error`). A shown `Notification` is followed by id: Python
 * reads its `show`/`click`/`close`/`error` events with long-poll `next_event` calls and can
 * `close` it. Where the constructor throws a `TypeError` (Chrome on Android allows only
 * persistent notifications) and a service worker is registered, `showNotification()` of its
 * registration shows it instead (no object to follow: `id` is `null`).
 *
 * In a desktop window with the `notification` plugin enabled, the OS notification through the
 * plugin's commands (`is_permission_granted`, `request_permission`, `notify`; permissions
 * `notification:default` or `notification:allow-*`, a missing one gives `permission_denied`).
 * The plugin's JS API is not used for `notify`: its `sendNotification` drops the command's
 * promise, so a refusal would be lost. In a desktop window without the plugin, the permission
 * is `"denied"` and `show` gives `permission_denied` naming the plugin.
 * @see https://notifications.spec.whatwg.org/
 * @see https://v2.tauri.app/plugin/notification/
 * @module native/notification
 */

import { NATIVE_CODES, NativeError, check, requireSecureContext, toNativeError } from "./_errors.js";
import { fromTauriError, inDesktopWindow, pluginCommand } from "./_tauri.js";

/**
 * The plugin's name in `[desktop] plugins`.
 * @type {string}
 * @default "notification"
 */
const PLUGIN = "notification";

/**
 * Longest a shown notification is followed without a `next_event` or `close` call from Python
 * (its handle is gone), in ms; the notification itself stays on screen.
 * @type {number}
 * @default 600000
 */
const IDLE_MS = 600_000;

/**
 * Most unread events kept per notification; past it the oldest is dropped and counted in the
 * next answer's `missed`.
 * @type {number}
 * @default 32
 */
export const MAX_PENDING_EVENTS = 32;

/** The events followed, in the order a notification fires them. */
const EVENTS = /** @type {const} */ (["show", "click", "close", "error"]);

/** @typedef {"granted" | "denied" | "default"} Permission */
/** @typedef {(typeof EVENTS)[number]} NotificationEventName */

/**
 * @typedef {object} Followed
 * @property {Notification} notification
 * @property {NotificationEventName[]} queue Events not yet read.
 * @property {number} missed Events dropped from a full queue since the last read.
 * @property {boolean} ended `close` or `error` fired (no event comes after).
 * @property {(() => void) | null} waiter Wakes the pending `next_event`.
 * @property {AbortController} listeners Removes the event listeners.
 * @property {ReturnType<typeof setTimeout>} idle
 */

/** @type {Map<string, Followed>} */
const followed = new Map();
let nextId = 0;

/** @returns {typeof Notification} */
function api() {
  requireSecureContext("Notifications");
  const constructor = /** @type {{Notification?: unknown}} */ (globalThis).Notification;
  if (typeof constructor !== "function") throw new NativeError(NATIVE_CODES.NOT_SUPPORTED, "no Notifications API");
  return /** @type {typeof Notification} */ (constructor);
}

/**
 * Run a plugin command, mapping Tauri's refusal to a {@link NativeError}.
 * @param {import("./_tauri.js").PluginCommand} command
 * @param {string} name
 * @param {Record<string, unknown>} [args]
 * @returns {Promise<unknown>}
 */
async function run(command, name, args) {
  try {
    return await command(name, args);
  } catch (error) {
    throw fromTauriError(error);
  }
}

/**
 * The plugin's answer as a permission (`is_permission_granted`: true, false or null for "not
 * asked"; `request_permission`: "granted", "denied", "prompt", "prompt-with-rationale").
 * @param {unknown} answer
 * @returns {Permission}
 */
function fromPlugin(answer) {
  if (answer === true || answer === "granted") return "granted";
  if (answer === false || answer === "denied") return "denied";
  return "default";
}

/**
 * The notification permission (`Notification.permission`).
 * @returns {Promise<{permission: Permission}>}
 */
export async function permission() {
  const command = pluginCommand(PLUGIN);
  if (command !== null) return { permission: fromPlugin(await run(command, "is_permission_granted")) };
  if (inDesktopWindow()) return { permission: "denied" };
  return { permission: api().permission };
}

/**
 * Ask for the permission (`Notification.requestPermission()`).
 * @returns {Promise<{permission: Permission}>}
 */
export async function request_permission() {
  const command = pluginCommand(PLUGIN);
  if (command !== null) return { permission: fromPlugin(await run(command, "request_permission")) };
  if (inDesktopWindow()) return { permission: "denied" };
  const constructor = api();
  let answer;
  try {
    answer = await constructor.requestPermission();
  } catch (error) {
    throw toNativeError(error);
  }
  // Browsers that only take the old callback form resolve nothing: read the stored decision.
  return { permission: typeof answer === "string" ? answer : constructor.permission };
}

/**
 * `NotificationOptions` from the call's arguments (absent ones left to the browser's defaults).
 * @param {Record<string, unknown>} args
 * @returns {NotificationOptions & {renotify?: boolean}}
 */
function options(args) {
  /** @type {NotificationOptions & {renotify?: boolean}} */
  const result = {};
  for (const key of /** @type {const} */ (["body", "icon", "badge", "tag", "lang"])) {
    const value = args[key];
    if (value !== null && value !== undefined) {
      check(typeof value === "string", `notification ${key} must be a string`);
      result[key] = value;
    }
  }
  if (args.dir === "ltr" || args.dir === "rtl") result.dir = args.dir;
  if (args.silent === true) result.silent = true;
  if (args.require_interaction === true) result.requireInteraction = true;
  if (args.renotify === true) result.renotify = true;
  return result;
}

/** @param {string} id */
function forget(id) {
  const entry = followed.get(id);
  if (entry === undefined) return;
  followed.delete(id);
  clearTimeout(entry.idle);
  entry.listeners.abort();
  entry.waiter?.();
}

/**
 * Follow a shown notification's events under a new id.
 * @param {Notification} notification
 * @returns {string}
 */
function follow(notification) {
  const id = `n${++nextId}`;
  /** @type {Followed} */
  const entry = {
    notification, queue: [], missed: 0, ended: false, waiter: null,
    listeners: new AbortController(), idle: setTimeout(() => forget(id), IDLE_MS),
  };
  for (const name of EVENTS) {
    notification.addEventListener(name, () => {
      if (entry.queue.length >= MAX_PENDING_EVENTS) {
        entry.queue.shift();
        entry.missed += 1;
      }
      entry.queue.push(name);
      if (name === "close" || name === "error") entry.ended = true;
      const waiter = entry.waiter;
      entry.waiter = null;
      waiter?.();
    }, { signal: entry.listeners.signal });
  }
  followed.set(id, entry);
  return id;
}

/**
 * Show a notification (`new Notification(title, options)`).
 * @param {Record<string, unknown>} args `{title, body, icon, badge, tag, lang, dir, silent,
 *   require_interaction, renotify}`.
 * @returns {Promise<{id: string | null, via: "page" | "service_worker" | "plugin"}>}
 */
export async function show(args) {
  check(typeof args.title === "string", "show needs a title string");
  const title = /** @type {string} */ (args.title);
  const command = pluginCommand(PLUGIN);
  if (command !== null) {
    /** @type {Record<string, unknown>} */
    const notify = { title };
    if (typeof args.body === "string") notify.body = args.body;
    if (typeof args.icon === "string") notify.icon = args.icon;
    if (args.silent === true) notify.silent = true;
    await run(command, "notify", { options: notify });
    return { id: null, via: "plugin" };
  }
  if (inDesktopWindow()) {
    throw new NativeError(
      NATIVE_CODES.PERMISSION_DENIED,
      'notifications in a desktop window need the notification plugin: list "notification" in [desktop] plugins',
    );
  }
  const constructor = api();
  if (constructor.permission !== "granted") {
    const hint = constructor.permission === "default" ? ": call request_permission first" : "";
    throw new NativeError(NATIVE_CODES.PERMISSION_DENIED, `the notification permission is "${constructor.permission}"${hint}`);
  }
  const chosen = options(args);
  let notification;
  try {
    notification = new constructor(title, chosen);
  } catch (error) {
    const registration = /** @type {{name?: unknown}} */ (error ?? {}).name === "TypeError"
      ? await navigator.serviceWorker?.getRegistration()
      : undefined;
    if (registration === undefined) throw toNativeError(error);
    try {
      await registration.showNotification(title, chosen);
    } catch (persistentError) {
      throw toNativeError(persistentError);
    }
    return { id: null, via: "service_worker" };
  }
  return { id: follow(notification), via: "page" };
}

/**
 * The next event of a shown notification, waiting at most `wait_ms` (`event: null` when none
 * came); after its last event (`close` or `error`) is read, the id is forgotten.
 * @param {Record<string, unknown>} args `{id, wait_ms}`.
 * @returns {Promise<{event: NotificationEventName | null, missed: number}>}
 */
export async function next_event(args) {
  const id = String(args.id);
  const entry = followed.get(id);
  if (entry === undefined) throw new NativeError(NATIVE_CODES.NOT_FOUND, `no notification ${id} is followed`);
  clearTimeout(entry.idle);
  entry.idle = setTimeout(() => forget(id), IDLE_MS);
  if (entry.queue.length === 0 && !entry.ended) {
    entry.waiter?.(); // one reader at a time: an earlier wait answers "no event"
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, typeof args.wait_ms === "number" ? args.wait_ms : 25_000);
      entry.waiter = () => {
        clearTimeout(timer);
        resolve(undefined);
      };
    });
  }
  const event = entry.queue.shift() ?? null;
  const missed = entry.missed;
  entry.missed = 0;
  if (entry.queue.length === 0 && entry.ended) forget(id);
  return { event, missed };
}

/**
 * Close a shown notification (`Notification.close()`); nothing happens for an unknown id.
 * @param {Record<string, unknown>} args `{id}`.
 * @returns {null}
 */
export function close(args) {
  followed.get(String(args.id))?.notification.close();
  return null;
}

/** Number of notifications followed (tests check that reading the last event forgets one). @returns {number} */
export function followed_count() {
  return followed.size;
}
