// @ts-check
/**
 * WebSocket transport (RFC 6455): `<endpoint>/ws`, `ws:` or `wss:` following the page's scheme.
 * @module transport_ws
 */

import { WS_PATH } from "./constants.js";
import { endpointUrl } from "./transport.js";

/** @typedef {import("./transport.js").Transport} Transport */
/** @typedef {import("./transport.js").TransportStatus} TransportStatus */

/** @implements {Transport} */
export class WebSocketTransport {
  /**
   * @param {object} options
   * @param {string} options.endpoint Base endpoint, e.g. `"/_tw"` (default of the shell).
   */
  constructor({ endpoint }) {
    const url = endpointUrl(endpoint, WS_PATH);
    url.protocol = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:";
    /** WebSocket URL. @readonly */
    this.url = url.href;
    /** @private @type {WebSocket | null} */
    this.ws = null;
  }

  /**
   * @param {(text: string) => void} onFrame
   * @param {(status: TransportStatus) => void} onStatus
   */
  connect(onFrame, onStatus) {
    this.close();
    onStatus("connecting");
    /** @type {WebSocket} */
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (error) {
      console.error("tempestweb: cannot open WebSocket", error);
      queueMicrotask(() => onStatus("closed"));
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws === ws) onStatus("open");
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      if (typeof event.data === "string") onFrame(event.data);
      else console.error("tempestweb: binary WebSocket frame ignored (protocol v1 is text only)");
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      onStatus("closed");
    };
  }

  /** @param {string} text @returns {boolean} */
  send(text) {
    if (this.ws === null || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  close() {
    const ws = this.ws;
    this.ws = null;
    if (ws !== null && ws.readyState < WebSocket.CLOSING) ws.close(1000);
  }
}
