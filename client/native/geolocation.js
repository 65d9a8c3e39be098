// @ts-check
/**
 * `geolocation` capability (W3C Geolocation API): one reading, or a watch that Python follows
 * with long-poll `watch_next` calls. Needs a secure context and the `geolocation` permission.
 * @module native/geolocation
 */

import { NATIVE_CODES, NativeError, requireSecureContext } from "./_errors.js";

/** Longest a watch may go unpolled before it is cleared (the Python side is gone), in ms. */
const WATCH_IDLE_MS = 120_000;

/**
 * @typedef {object} Position
 * @property {number} lat
 * @property {number} lon
 * @property {number} accuracy_m
 * @property {number | null} altitude_m
 * @property {number | null} altitude_accuracy_m
 * @property {number | null} heading_deg
 * @property {number | null} speed_mps
 * @property {number} timestamp_ms
 */

/** @param {GeolocationPosition} position @returns {Position} */
function toPosition(position) {
  const c = position.coords;
  const nan = (/** @type {number | null} */ value) => (value === null || Number.isNaN(value) ? null : value);
  return {
    lat: c.latitude, lon: c.longitude, accuracy_m: c.accuracy, altitude_m: nan(c.altitude),
    altitude_accuracy_m: nan(c.altitudeAccuracy), heading_deg: nan(c.heading), speed_mps: nan(c.speed),
    timestamp_ms: position.timestamp,
  };
}

/** @param {GeolocationPositionError} error @returns {NativeError} */
function toError(error) {
  if (error.code === 1) return new NativeError(NATIVE_CODES.PERMISSION_DENIED, `geolocation denied: ${error.message}`);
  if (error.code === 3) return new NativeError(NATIVE_CODES.TIMEOUT, `no position in time: ${error.message}`);
  return new NativeError(NATIVE_CODES.NOT_FOUND, `position unavailable: ${error.message}`);
}

/** @returns {Geolocation} */
function api() {
  requireSecureContext("Geolocation");
  // `in` is not enough: a browser (or a privacy extension) may declare the attribute and answer
  // undefined or an object without the methods, which threw a TypeError (`invalid_argument`).
  const geo = /** @type {Geolocation | null | undefined} */ (navigator.geolocation);
  if (geo == null || typeof geo.getCurrentPosition !== "function" || typeof geo.watchPosition !== "function") {
    throw new NativeError(NATIVE_CODES.NOT_SUPPORTED, "no Geolocation API");
  }
  return geo;
}

/** @param {Record<string, unknown>} args @returns {PositionOptions} */
function options(args) {
  return {
    enableHighAccuracy: args.high_accuracy !== false,
    timeout: typeof args.timeout_ms === "number" ? args.timeout_ms : 10_000,
    maximumAge: typeof args.maximum_age_ms === "number" ? args.maximum_age_ms : 0,
  };
}

/**
 * The current position (`getCurrentPosition`).
 * @param {Record<string, unknown>} args `{high_accuracy, timeout_ms, maximum_age_ms}`.
 * @returns {Promise<Position>}
 */
export function get(args) {
  const geo = api();
  return new Promise((resolve, reject) => {
    geo.getCurrentPosition((position) => resolve(toPosition(position)), (error) => reject(toError(error)), options(args));
  });
}

/**
 * @typedef {object} Watch
 * @property {number} handle `watchPosition` id.
 * @property {Position[]} queue Readings not yet delivered.
 * @property {NativeError | null} error
 * @property {(() => void) | null} waiter
 * @property {ReturnType<typeof setTimeout>} idle
 */

/** @type {Map<string, Watch>} */
const watches = new Map();
let nextWatch = 0;

/** @param {string} id */
function clear(id) {
  const watch = watches.get(id);
  if (watch === undefined) return;
  watches.delete(id);
  clearTimeout(watch.idle);
  navigator.geolocation.clearWatch(watch.handle);
  watch.waiter?.();
}

/**
 * Start a watch (`watchPosition`).
 * @param {Record<string, unknown>} args `{high_accuracy, timeout_ms, maximum_age_ms}`.
 * @returns {{id: string}}
 */
export function watch_start(args) {
  const geo = api();
  const id = `w${++nextWatch}`;
  /** @type {Watch} */
  const watch = { handle: 0, queue: [], error: null, waiter: null, idle: setTimeout(() => clear(id), WATCH_IDLE_MS) };
  const notify = () => {
    const waiter = watch.waiter;
    watch.waiter = null;
    waiter?.();
  };
  watch.handle = geo.watchPosition(
    (position) => {
      watch.queue.push(toPosition(position));
      notify();
    },
    (error) => {
      watch.error = toError(error);
      notify();
    },
    options(args),
  );
  watches.set(id, watch);
  return { id };
}

/**
 * The next reading of a watch, waiting at most `wait_ms` (`{position: null}` when none came).
 * @param {Record<string, unknown>} args `{id, wait_ms}`.
 * @returns {Promise<{position: Position | null}>}
 */
export async function watch_next(args) {
  const id = String(args.id);
  const watch = watches.get(id);
  if (watch === undefined) throw new NativeError(NATIVE_CODES.NOT_FOUND, `no watch ${id}`);
  clearTimeout(watch.idle);
  watch.idle = setTimeout(() => clear(id), WATCH_IDLE_MS);
  if (watch.queue.length === 0 && watch.error === null) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, typeof args.wait_ms === "number" ? args.wait_ms : 25_000);
      watch.waiter = () => {
        clearTimeout(timer);
        resolve(undefined);
      };
    });
  }
  if (watch.queue.length > 0) return { position: /** @type {Position} */ (watch.queue.shift()) };
  if (watch.error !== null) {
    const error = watch.error;
    clear(id);
    throw error;
  }
  return { position: null };
}

/**
 * Stop a watch (`clearWatch`); nothing happens for an unknown id.
 * @param {Record<string, unknown>} args `{id}`.
 * @returns {null}
 */
export function watch_stop(args) {
  clear(String(args.id));
  return null;
}

/** Number of live watches (tests check that a loop's exit clears its watch). @returns {number} */
export function active_watches() {
  return watches.size;
}
