// @ts-check
/**
 * `auto` transport: WebSocket first; after the WebSocket fails to open twice in a row (a proxy
 * that blocks upgrades), SSE + POST for the rest of the page's life.
 * @module transport_auto
 */

import { SseTransport } from "./transport_sse.js";
import { WebSocketTransport } from "./transport_ws.js";

/** @typedef {import("./transport.js").Transport} Transport */
/** @typedef {import("./transport.js").TransportStatus} TransportStatus */
/** @typedef {import("./transport.js").SessionAuth} SessionAuth */

/** Consecutive WebSocket connections that must fail before opening to fall back to SSE. */
export const WS_FAILURES_BEFORE_SSE = 2;

/** @implements {Transport} */
export class AutoTransport {
  /**
   * @param {object} options
   * @param {string} options.endpoint Base endpoint, e.g. `"/_tw"`.
   * @param {SessionAuth} options.auth Session id and token for the SSE URLs.
   */
  constructor({ endpoint, auth }) {
    /** @private @readonly */
    this.ws = new WebSocketTransport({ endpoint });
    /** @private @readonly */
    this.sse = new SseTransport({ endpoint, auth });
    /** @private */
    this.failures = 0;
    /** Transport in use. @type {Transport} */
    this.current = this.ws;
  }

  /**
   * @param {(text: string) => void} onFrame
   * @param {(status: TransportStatus) => void} onStatus
   */
  connect(onFrame, onStatus) {
    if (this.current === this.ws && this.failures >= WS_FAILURES_BEFORE_SSE) {
      console.warn("tempestweb: WebSocket unavailable, falling back to SSE + POST");
      this.current = this.sse;
    }
    if (this.current !== this.ws) {
      this.current.connect(onFrame, onStatus);
      return;
    }
    let opened = false;
    this.ws.connect(onFrame, (status) => {
      if (status === "open") {
        opened = true;
        this.failures = 0;
      } else if (status === "closed" && !opened) {
        this.failures += 1;
      }
      onStatus(status);
    });
  }

  /** @param {string} text @returns {boolean} */
  send(text) {
    return this.current.send(text);
  }

  close() {
    this.current.close();
  }
}
