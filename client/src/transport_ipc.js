// @ts-check
/**
 * IPC transport (desktop mode): frames cross PyTauri IPC inside a native window; no server, no
 * port. The host is `tempestweb_desktop` in the same process as the window.
 *
 * - Client -> host: `pyInvoke("<endpoint>/send", bytes)` with **one call in flight**; frames sent
 *   meanwhile wait in a queue and leave together in the next call, so the host receives them in
 *   order (several concurrent `pyInvoke` calls may be handled out of order). The body is UTF-8:
 *   the connection id, the count of frame bytes received so far (the host's send credit), then
 *   one frame per line (JSON text never holds a raw newline outside whitespace).
 * - Host -> client: a Tauri `Channel` handed over by `pyInvoke("<endpoint>/connect", {channel})`.
 *   Frames arrive as bytes (`ArrayBuffer`), in order. A message that arrives as a parsed JSON
 *   object is a control message: `{close: code, reason}` ends the connection.
 * - The answer of a send carries the frames the host sent while handling it (the patch of a
 *   click, so that one IPC crossing does the round trip): empty, or UTF-8
 *   `<channel frames sent before>` then one frame per line. Channel frames arriving while a send
 *   is in flight are held; the ones numbered below that count are delivered first, then the
 *   answer's frames, then the later ones: the host's order, each frame once.
 * - Both ends are bounded: this queue by `maxQueuedBytes` (past it the connection is dropped and
 *   the session resumes on a new one), the host by the bytes sent but not yet counted here.
 * @module transport_ipc
 */

import { ENDPOINT_PREFIX, IPC_CONNECT_PATH, IPC_SEND_PATH, MAX_FRAME_BYTES } from "./constants.js";

/** @typedef {import("./transport.js").Transport} Transport */
/** @typedef {import("./transport.js").TransportStatus} TransportStatus */

/**
 * What the transport needs from `window.__TAURI__` (plugin globals are non-enumerable, so they
 * are read by name).
 * @typedef {object} TauriIpc
 * @property {(command: string, body?: unknown) => Promise<unknown>} pyInvoke `__TAURI__.pytauri.pyInvoke`.
 * @property {new () => {onmessage: (message: unknown) => void}} Channel `__TAURI__.core.Channel`.
 */

/**
 * Unreported received bytes after which an idle client reports them (an empty send), so the
 * host's send credit never runs out while the page has nothing to say.
 * @type {number}
 * @default 1048576
 */
export const IPC_REPORT_BYTES = 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** @returns {TauriIpc | null} */
function tauriIpc() {
  const tauri = /** @type {{__TAURI__?: {pytauri?: {pyInvoke?: unknown}, core?: {Channel?: unknown}}}} */ (
    /** @type {unknown} */ (globalThis)
  ).__TAURI__;
  const pyInvoke = tauri?.pytauri?.pyInvoke;
  const Channel = tauri?.core?.Channel;
  if (typeof pyInvoke !== "function" || typeof Channel !== "function") return null;
  return /** @type {TauriIpc} */ ({ pyInvoke, Channel });
}

/** @implements {Transport} */
export class IpcTransport {
  /**
   * @param {object} [options]
   * @param {string} [options.endpoint] Command prefix (`<endpoint>` + `IPC_CONNECT_PATH` / `IPC_SEND_PATH`).
   *   Default: "/_tw".
   * @param {TauriIpc | null} [options.ipc] The IPC functions. Default: from `window.__TAURI__`.
   * @param {number} [options.maxQueuedBytes] Most UTF-16 code units of frames waiting for the call
   *   in flight. Default: `MAX_FRAME_BYTES`.
   */
  constructor({ endpoint = ENDPOINT_PREFIX, ipc = tauriIpc(), maxQueuedBytes = MAX_FRAME_BYTES } = {}) {
    const base = endpoint.replace(/\/+$/, "");
    /** @readonly */
    this.connectCommand = base + IPC_CONNECT_PATH;
    /** @readonly */
    this.sendCommand = base + IPC_SEND_PATH;
    /** @private @readonly */
    this.ipc = ipc;
    /** @private @readonly */
    this.maxQueuedBytes = maxQueuedBytes;
    /** @private @type {string | null} id of the open connection */
    this.connection = null;
    /** @private @type {((status: TransportStatus) => void) | null} */
    this.onStatus = null;
    /** @private @type {string[]} */
    this.queue = [];
    /** @private */
    this.queuedBytes = 0;
    /** @private */
    this.inflight = false;
    /** @private frame bytes received on this connection */
    this.received = 0;
    /** @private received bytes already reported to the host */
    this.reported = 0;
    /** @private bumped by every connect and close; stale callbacks compare it */
    this.generation = 0;
    /** @private @type {((text: string) => void) | null} */
    this.onFrame = null;
    /** @private channel frames received on this connection (the host numbers them alike) */
    this.channelFrames = 0;
    /** @private @type {Array<[number, string]>} channel frames held for order: [number, text] */
    this.held = [];
    /** @private @type {{base: number, frames: string[]} | null} an answer waiting for earlier channel frames */
    this.answer = null;
    /** @private set while held frames are being delivered (a send they cause waits for the end) */
    this.draining = false;
    /** @private a microtask will pump the queue */
    this.pumpQueued = false;
  }

  /**
   * @param {(text: string) => void} onFrame
   * @param {(status: TransportStatus) => void} onStatus
   */
  connect(onFrame, onStatus) {
    this.close();
    const generation = this.generation;
    this.onStatus = onStatus;
    this.onFrame = onFrame;
    onStatus("connecting");
    const ipc = this.ipc;
    if (ipc === null) {
      console.error("tempestweb: no PyTauri IPC in this page (window.__TAURI__.pytauri)");
      queueMicrotask(() => onStatus("closed"));
      return;
    }
    const channel = new ipc.Channel();
    channel.onmessage = (message) => {
      if (generation !== this.generation) return;
      if (message instanceof ArrayBuffer) {
        this.received += message.byteLength;
        this.held.push([this.channelFrames, decoder.decode(message)]);
        this.channelFrames += 1;
        this.drain(generation);
        if (generation === this.generation) this.pump(); // a report due, or sends held back by an answer
      } else {
        // The host's last frames (an error) came before the close and may be held for a send's
        // answer; a closing host sends no more answers with frames (it spills them on the
        // channel first), so they are delivered now, in order, then the connection ends.
        this.inflight = false; // its answer, if any, comes after the end and is ignored
        this.drain(generation);
        this.end(generation, `host closed the connection: ${JSON.stringify(message)}`);
      }
    };
    ipc.pyInvoke(this.connectCommand, { channel }).then(
      (reply) => {
        if (generation !== this.generation) return;
        const id = /** @type {{connection?: unknown} | null} */ (reply)?.connection;
        if (typeof id !== "string") {
          this.end(generation, `unexpected connect reply ${JSON.stringify(reply)}`);
          return;
        }
        this.connection = id;
        onStatus("open");
      },
      (error) => this.end(generation, `IPC connect failed: ${String(error)}`),
    );
  }

  /** @param {string} text @returns {boolean} */
  send(text) {
    if (this.connection === null) return false;
    const frame = text.includes("\n") ? text.replace(/\n/g, " ") : text;
    if (this.queuedBytes + frame.length > this.maxQueuedBytes && this.queue.length > 0) {
      this.end(this.generation, `outgoing IPC queue over ${this.maxQueuedBytes} bytes`);
      return false;
    }
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    if (!this.pumpQueued) {
      // Frames sent in the same task (an ack flushed before an event) leave in one call.
      this.pumpQueued = true;
      const generation = this.generation;
      queueMicrotask(() => {
        if (generation !== this.generation) return;
        this.pumpQueued = false;
        this.pump();
      });
    }
    return true;
  }

  close() {
    this.generation += 1;
    this.connection = null;
    this.onStatus = null;
    this.queue = [];
    this.queuedBytes = 0;
    this.inflight = false;
    this.received = 0;
    this.reported = 0;
    this.onFrame = null;
    this.channelFrames = 0;
    this.held = [];
    this.answer = null;
    this.draining = false;
    this.pumpQueued = false;
  }

  /**
   * Send the queued frames (and the received count) in one call, unless one is in flight.
   * @private
   */
  pump() {
    if (this.inflight || this.draining || this.answer !== null || this.connection === null || this.ipc === null) return;
    if (this.queue.length === 0 && this.received - this.reported < IPC_REPORT_BYTES) return;
    const generation = this.generation;
    const body = `${this.connection}\n${this.received}${this.queue.length > 0 ? "\n" : ""}${this.queue.join("\n")}`;
    this.queue = [];
    this.queuedBytes = 0;
    this.reported = this.received;
    this.inflight = true;
    this.ipc.pyInvoke(this.sendCommand, encoder.encode(body)).then(
      (reply) => {
        if (generation !== this.generation) return;
        this.inflight = false;
        if (reply instanceof ArrayBuffer && reply.byteLength > 0) {
          const [base, ...frames] = decoder.decode(reply).split("\n");
          this.answer = { base: Number(base), frames };
        }
        this.drain(generation);
        if (generation === this.generation) this.pump();
      },
      (error) => this.end(generation, `IPC send failed: ${String(error)}`),
    );
  }

  /**
   * Deliver what the host's order allows: channel frames numbered below a waiting answer's
   * count, then the answer's frames once they all arrived, then (no send in flight) the rest.
   * @private
   * @param {number} generation
   */
  drain(generation) {
    const onFrame = this.onFrame;
    if (this.draining || onFrame === null) return;
    this.draining = true;
    try {
      const held = this.held;
      const answer = this.answer;
      if (answer !== null) {
        while (held.length > 0 && held[0][0] < answer.base) {
          onFrame(/** @type {[number, string]} */ (held.shift())[1]);
          if (generation !== this.generation) return;
        }
        if (this.channelFrames < answer.base) return; // earlier channel frames still on their way
        this.answer = null;
        for (const frame of answer.frames) {
          onFrame(frame);
          if (generation !== this.generation) return;
        }
      }
      if (this.inflight) return; // a send's answer may hold frames sent before these
      while (held.length > 0) {
        onFrame(/** @type {[number, string]} */ (held.shift())[1]);
        if (generation !== this.generation) return;
      }
    } finally {
      if (generation === this.generation) this.draining = false;
    }
  }

  /**
   * The connection ended on its own: report `closed` once (not after `close()`).
   * @private
   * @param {number} generation
   * @param {string} reason
   */
  end(generation, reason) {
    if (generation !== this.generation) return;
    const onStatus = this.onStatus;
    console.warn(`tempestweb: ${reason}`);
    this.close();
    if (onStatus !== null) onStatus("closed");
  }
}
