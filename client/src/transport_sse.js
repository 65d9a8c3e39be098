// @ts-check
/**
 * Server-Sent Events + POST transport, for networks that block WebSockets.
 *
 * Host -> client: `GET <endpoint>/sse?session=SID&token=T&stream=X`, one JSON frame per SSE `data:`
 * event (https://html.spec.whatwg.org/multipage/server-sent-events.html). Client -> host:
 * `POST <endpoint>/send?session=SID&token=T&stream=X`, body = one frame or a JSON array of frames.
 * `stream` is drawn afresh for each connection (`QUERY_STREAM`): a POST of an ended connection
 * that the network still delivers after the next stream opened names its own stream, and the host
 * refuses it instead of taking it for the new stream's first frame (which would end it). POSTs
 * are serialised (one in flight) so frames arrive in order; frames sent meanwhile are batched,
 * at most `MAX_FRAMES_PER_POST` per POST and a body of at most the host's frame limit
 * (`auth.maxFrameBytes`, else `MAX_FRAME_BYTES`): a host refuses a longer batch or a larger
 * body with 413, and the session would send the same batch again after reconnecting.
 * @module transport_sse
 */

import {
  MAX_FRAME_BYTES, MAX_FRAMES_PER_POST, QUERY_SESSION, QUERY_STREAM, QUERY_TOKEN, SEND_PATH, SSE_PATH,
} from "./constants.js";
import { endpointUrl, utf8Bound } from "./transport.js";

/** @typedef {import("./transport.js").Transport} Transport */
/** @typedef {import("./transport.js").TransportStatus} TransportStatus */
/** @typedef {import("./transport.js").SessionAuth} SessionAuth */

/** Random bytes of a stream id (sent as twice as many hex digits; a host takes at most 64). */
const STREAM_ID_BYTES = 8;

/**
 * A new stream id: `STREAM_ID_BYTES` random bytes as lowercase hex.
 * @returns {string}
 */
function newStreamId() {
  const bytes = crypto.getRandomValues(new Uint8Array(STREAM_ID_BYTES));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** @implements {Transport} */
export class SseTransport {
  /**
   * @param {object} options
   * @param {string} options.endpoint Base endpoint, e.g. `"/_tw"`.
   * @param {SessionAuth} options.auth Read on every request for the `session`/`token` query.
   */
  constructor({ endpoint, auth }) {
    /** @private @readonly */
    this.endpoint = endpoint;
    /** @private @readonly */
    this.auth = auth;
    /** @private @type {EventSource | null} */
    this.source = null;
    /** @private the current connection's stream id, on its GET and on each of its POSTs */
    this.stream = "";
    /** @private @type {string[]} */
    this.outbox = [];
    /** @private a POST of this connection is in flight (the next one waits for it) */
    this.posting = false;
    /**
     * Aborts the POST in flight when the connection ends: a frame of an ended connection must
     * not reach the host after the next connection's stream opened (the host would take it for
     * that stream's first frame), and the next connection must not wait for it.
     * @private @type {AbortController | null}
     */
    this.inflight = null;
    /** @private @type {((status: TransportStatus) => void) | null} */
    this.onStatus = null;
  }

  /**
   * @private
   * @param {string} path
   * @param {string} stream The id of the connection the request belongs to.
   * @returns {string}
   */
  url(path, stream) {
    const url = endpointUrl(this.endpoint, path);
    if (this.auth.sessionId !== null) url.searchParams.set(QUERY_SESSION, this.auth.sessionId);
    if (this.auth.token !== null) url.searchParams.set(QUERY_TOKEN, this.auth.token);
    url.searchParams.set(QUERY_STREAM, stream);
    return url.href;
  }

  /**
   * @param {(text: string) => void} onFrame
   * @param {(status: TransportStatus) => void} onStatus
   */
  connect(onFrame, onStatus) {
    this.close();
    onStatus("connecting");
    this.stream = newStreamId();
    const source = new EventSource(this.url(SSE_PATH, this.stream));
    this.source = source;
    this.onStatus = onStatus;
    source.onopen = () => {
      if (this.source === source) onStatus("open");
    };
    source.onmessage = (event) => {
      if (this.source === source) onFrame(String(event.data));
    };
    source.onerror = () => {
      if (this.source === source) this.fail();
    };
  }

  /** @param {string} text @returns {boolean} */
  send(text) {
    if (this.source === null || this.source.readyState !== EventSource.OPEN) return false;
    this.outbox.push(text);
    this.pump();
    return true;
  }

  close() {
    const source = this.source;
    this.source = null;
    this.onStatus = null;
    this.outbox = [];
    // The session sends that POST's events again after the next `init` (they are not yet
    // acknowledged); the host handles each `eid` once, so aborting one that arrived loses nothing.
    this.inflight?.abort();
    this.inflight = null;
    this.posting = false;
    source?.close();
  }

  /**
   * End the connection after a stream or POST failure (the session reconnects).
   * @private
   */
  fail() {
    const onStatus = this.onStatus;
    this.close();
    onStatus?.("closed");
  }

  /** @private */
  pump() {
    if (this.posting || this.outbox.length === 0 || this.source === null) return;
    const limit = this.auth.maxFrameBytes ?? MAX_FRAME_BYTES;
    // The first frame always goes (the session sends none over the limit); more join while the
    // body ("[", the frames, a "," or "]" after each) stays within it. The rest: the next POST.
    let count = 1;
    let bytes = 1 + utf8Bound(this.outbox[0], limit) + 1;
    while (count < this.outbox.length && count < MAX_FRAMES_PER_POST) {
      bytes += utf8Bound(this.outbox[count], limit) + 1;
      if (bytes > limit) break;
      count += 1;
    }
    const batch = this.outbox.splice(0, count);
    const body = batch.length === 1 ? batch[0] : `[${batch.join(",")}]`;
    const source = this.source;
    const inflight = new AbortController();
    this.inflight = inflight;
    this.posting = true;
    fetch(this.url(SEND_PATH, this.stream), {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
      credentials: "same-origin",
      signal: inflight.signal,
    }).then(
      (response) => {
        // A POST of an ended connection (aborted, or answered late) concerns that one only.
        if (this.source !== source || this.inflight !== inflight) return;
        this.posting = false;
        this.inflight = null;
        if (!response.ok) {
          console.error(`tempestweb: POST /send failed with HTTP ${response.status}`);
          this.fail();
          return;
        }
        this.pump();
      },
      (error) => {
        if (this.source !== source || this.inflight !== inflight) return;
        this.posting = false;
        this.inflight = null;
        console.error("tempestweb: POST /send failed", error);
        this.fail();
      },
    );
  }
}
