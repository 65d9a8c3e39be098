// @ts-check
/**
 * `camera` capability (Media Capture and Streams): `getUserMedia` -> one frame -> canvas,
 * resized to fit and encoded with `toBlob` in the page, then every track is stopped. The facing
 * mode is an `ideal` constraint, never `exact`, so cameras without one work.
 * @module native/camera
 */

import { NATIVE_CODES, NativeError, check, requireSecureContext, toBase64, toNativeError } from "./_errors.js";

/** Longest wait for the first decoded frame once the stream is open, in ms. */
const FIRST_FRAME_TIMEOUT_MS = 10_000;

/** @param {HTMLVideoElement} video @returns {Promise<void>} */
function firstFrame(video) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new NativeError(NATIVE_CODES.TIMEOUT, "the camera gave no frame")), FIRST_FRAME_TIMEOUT_MS);
    const ready = () => {
      if (video.videoWidth > 0 && video.readyState >= 2) {
        clearTimeout(timer);
        resolve();
      }
    };
    video.addEventListener("loadeddata", ready);
    video.addEventListener("playing", ready);
    ready();
  });
}

/**
 * @param {HTMLCanvasElement} canvas
 * @param {string} type
 * @param {number} quality
 * @returns {Promise<Blob>}
 */
function encode(canvas, type, quality) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob === null ? reject(new NativeError(NATIVE_CODES.UNKNOWN, "encoding the frame failed")) : resolve(blob)), type, quality);
  });
}

/**
 * Take one photo.
 * @param {Record<string, unknown>} args `{facing, max_width, max_height, mime_type, quality}`.
 * @returns {Promise<{data: string, mime_type: string, width: number, height: number}>}
 */
export async function capture(args) {
  requireSecureContext("getUserMedia");
  if (typeof navigator.mediaDevices?.getUserMedia !== "function") throw new NativeError(NATIVE_CODES.NOT_SUPPORTED, "no getUserMedia");
  const maxWidth = Number(args.max_width ?? 1280);
  const maxHeight = Number(args.max_height ?? 1280);
  check(maxWidth >= 1 && maxHeight >= 1, "max_width and max_height are >= 1");
  /** @type {MediaTrackConstraints | boolean} */
  const video = typeof args.facing === "string" ? { facingMode: { ideal: args.facing } } : true;
  /** @type {MediaStream} */
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
  } catch (error) {
    throw toNativeError(error);
  }
  const element = document.createElement("video");
  try {
    element.muted = true;
    element.playsInline = true;
    element.srcObject = stream;
    await element.play();
    await firstFrame(element);
    const scale = Math.min(1, maxWidth / element.videoWidth, maxHeight / element.videoHeight);
    const width = Math.max(1, Math.round(element.videoWidth * scale));
    const height = Math.max(1, Math.round(element.videoHeight * scale));
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    if (context === null) throw new NativeError(NATIVE_CODES.NOT_SUPPORTED, "no 2D canvas");
    context.drawImage(element, 0, 0, width, height);
    const blob = await encode(canvas, String(args.mime_type ?? "image/jpeg"), Number(args.quality ?? 0.85));
    return { data: toBase64(new Uint8Array(await blob.arrayBuffer())), mime_type: blob.type, width, height };
  } catch (error) {
    throw toNativeError(error);
  } finally {
    for (const track of stream.getTracks()) track.stop();
    element.srcObject = null;
  }
}
