// @ts-check
/**
 * The transport interface shared by every mode: WebSocket and SSE + POST (Mode B), pyodide.ffi
 * (Mode A), IPC (desktop). A transport carries JSON text frames; the session owns the protocol
 * (handshake, seq/ack, reconnect policy) and calls `connect` again after a `closed` status.
 * @module transport
 */

/**
 * Connection status reported by a transport.
 * @typedef {"connecting" | "open" | "closed"} TransportStatus
 */

/**
 * One carrier of frames.
 * @typedef {object} Transport
 * @property {(onFrame: (text: string) => void, onStatus: (status: TransportStatus) => void) => void} connect
 *   Open one connection. Must report `"open"` once frames can be sent and `"closed"` exactly once
 *   when the connection ends on its own (not after `close()`).
 * @property {(text: string) => boolean} send Send one frame; `false` when not open (not sent).
 * @property {() => void} close Close the current connection silently (no `"closed"` report).
 */

/**
 * What transports may read from the session (SSE puts it in its URLs).
 * @typedef {object} SessionAuth
 * @property {string | null} sessionId Current session id (`null` before the first `init`).
 * @property {string | null} token Current session-bound token.
 * @property {number} [maxFrameBytes] The largest frame (or SSE `POST` body) the host takes, in
 *   bytes of UTF-8 (`init.max_frame_bytes`; absent: `MAX_FRAME_BYTES`).
 */

/**
 * Resolve an endpoint (absolute or relative to the page) to a URL.
 * @param {string} endpoint E.g. `"/_tw"` or `"http://127.0.0.1:8000/_tw"`.
 * @param {string} path Sub-path, e.g. `"/ws"`.
 * @returns {URL}
 */
export function endpointUrl(endpoint, path) {
  return new URL(endpoint.replace(/\/+$/, "") + path, document.baseURI);
}

/**
 * Bytes of `text` as UTF-8 (what a host counts against its frame limit): at most 3 per UTF-16
 * code unit, so a text whose length times 3 fits is not measured; a longer one is encoded once.
 * @param {string} text A frame (`JSON.stringify` output: no lone surrogates).
 * @param {number} limit The budget, in bytes.
 * @returns {number} The exact byte count, or `text.length * 3` when that is within `limit`.
 */
export function utf8Bound(text, limit) {
  const bound = text.length * 3;
  return bound <= limit ? bound : new TextEncoder().encode(text).length;
}

export {};
