// @ts-check
/**
 * `audio` capability: one `HTMLAudioElement` per channel. `play` resolves once playback started;
 * the autoplay policy's refusal (`NotAllowedError`) is the value `{outcome: "blocked"}`.
 * @module native/audio
 */

import { NATIVE_CODES, NativeError, check, fromBase64, toNativeError } from "./_errors.js";

/**
 * @typedef {object} Channel
 * @property {HTMLAudioElement} element
 * @property {string | null} blobUrl Object URL to revoke when the sound is released.
 */

/** Sounds by channel name. @type {Map<string, Channel>} */
const channels = new Map();

/** @param {string} name */
function release(name) {
  const channel = channels.get(name);
  if (channel === undefined) return;
  channels.delete(name);
  channel.element.pause();
  channel.element.removeAttribute("src");
  channel.element.load();
  if (channel.blobUrl !== null) URL.revokeObjectURL(channel.blobUrl);
}

/** @param {unknown} volume @returns {number} */
function volumeOf(volume) {
  const value = Number(volume ?? 1);
  check(value >= 0 && value <= 1, "volume is in [0, 1]");
  return value;
}

/** @param {HTMLAudioElement} element @returns {Promise<{outcome: string, duration_s: number | null}>} */
async function start(element) {
  try {
    await element.play();
  } catch (error) {
    const name = /** @type {{name?: unknown}} */ (error ?? {}).name;
    if (name === "NotAllowedError") return { outcome: "blocked", duration_s: null };
    if (element.error !== null) throw new NativeError(NATIVE_CODES.NOT_FOUND, `cannot load the sound (media error ${element.error.code})`);
    throw toNativeError(error);
  }
  return { outcome: "playing", duration_s: Number.isFinite(element.duration) ? element.duration : null };
}

/**
 * Play a sound on a channel (replacing what plays there).
 * @param {Record<string, unknown>} args `{src | data + mime_type, volume, loop, channel}`.
 * @returns {Promise<{outcome: string, duration_s: number | null}>}
 */
export function play(args) {
  const name = String(args.channel ?? "default");
  release(name);
  const element = new Audio();
  let blobUrl = null;
  if (typeof args.data === "string") {
    blobUrl = URL.createObjectURL(new Blob([fromBase64(args.data)], { type: String(args.mime_type ?? "audio/wav") }));
    element.src = blobUrl;
  } else {
    check(typeof args.src === "string", "audio.play needs src or data");
    element.src = new URL(/** @type {string} */ (args.src), location.href).href;
  }
  element.volume = volumeOf(args.volume);
  element.loop = args.loop === true;
  channels.set(name, { element, blobUrl });
  element.addEventListener("ended", () => {
    if (channels.get(name)?.element === element) release(name);
  });
  return start(element);
}

/** @param {Record<string, unknown>} args `{channel}` @returns {null} */
export function pause(args) {
  channels.get(String(args.channel ?? "default"))?.element.pause();
  return null;
}

/** @param {Record<string, unknown>} args `{channel}` @returns {Promise<{outcome: string, duration_s: number | null}>} */
export function resume(args) {
  const channel = channels.get(String(args.channel ?? "default"));
  if (channel === undefined) throw new NativeError(NATIVE_CODES.NOT_FOUND, "nothing to resume on this channel");
  return start(channel.element);
}

/** @param {Record<string, unknown>} args `{channel}` @returns {null} */
export function stop(args) {
  release(String(args.channel ?? "default"));
  return null;
}

/** @param {Record<string, unknown>} args `{volume, channel}` @returns {null} */
export function set_volume(args) {
  const channel = channels.get(String(args.channel ?? "default"));
  if (channel === undefined) throw new NativeError(NATIVE_CODES.NOT_FOUND, "nothing plays on this channel");
  channel.element.volume = volumeOf(args.volume);
  return null;
}

/** State of a channel, for tests: `{playing, volume, loop}` or null. @param {Record<string, unknown>} args */
export function status(args) {
  const channel = channels.get(String(args.channel ?? "default"));
  if (channel === undefined) return null;
  const e = channel.element;
  return { playing: !e.paused && !e.ended, volume: e.volume, loop: e.loop, time_s: e.currentTime };
}
