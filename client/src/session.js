// @ts-check
/**
 * One session per mounted root: handshake, seq/ack bookkeeping, the event queue and eid
 * counter, reconnect with resume, host messages (navigate, ping, native_call, error).
 *
 * Events produced while disconnected are queued in order and sent once after the next
 * `init`. Events already sent are kept until a `patch` acknowledges them (`patch.ack` >= their
 * `eid`); a resumed session sends them again first, and the host ignores an `eid` it has
 * already handled, so an event written into a socket that died is delivered exactly once.
 * If the `init` has `reset: true` the old tree is gone (ids may be reused), so queued and
 * unacknowledged events are dropped with a console warning rather than delivered to the wrong
 * handler.
 *
 * In the page (issue 12): the element an event was delivered to carries `tw-loading` until the
 * event is acknowledged (`loading.js`); a failure of app code opens the error overlay
 * (`overlay.js`); the connection state shows in the status banner (`status.js`). Both are
 * announced first as cancelable `tempestweb:error` / `tempestweb:status` events on the root.
 * A virtual table's scroll step is filled from the rows the host sent ahead (`rows` messages)
 * before its patch comes, and settled by the patch (`speculation.js`).
 * @module session
 */

import { Behaviors } from "./behaviors.js";
import { linkedCapabilities } from "./capabilities.js";
import {
  ATTR_STATUS, ACK_INTERVAL_MS, ACK_MAX_PENDING, DOM_EVENT_ERROR, DOM_EVENT_STATUS, EVENT_ACK_PROBE_MS, MSG, NATIVE_ERROR_CODES,
  BUSY_RETRY_MS, EVENT_FIELD, MAX_FRAME_BYTES, PROTOCOL_VERSION, RECONNECT_BASE_DELAY_MS, RECONNECT_MAX_DELAY_MS, RESUMABLE_ERROR_CODES,
} from "./constants.js";
import { DomTree, OpError } from "./dom.js";
import { EventDelegate, INPUT_EVENTS } from "./events.js";
import { LoadingMarks } from "./loading.js";
import { ErrorOverlay } from "./overlay.js";
import { Speculation } from "./speculation.js";
import { markBusy, takeEarlyInput } from "./readiness.js";
import { StatusBanner } from "./status.js";
import { utf8Bound } from "./transport.js";
import { Uploads } from "./upload.js";

/** How a host's `rows` frame starts (msgspec writes the tag first): parsed in idle time. */
const ROWS_FRAME = `{"type":"${MSG.ROWS}"`;

/** @typedef {import("./transport.js").Transport} Transport */
/** @typedef {import("./transport.js").TransportStatus} TransportStatus */
/** @typedef {import("./events.js").EventValue} EventValue */
/** @typedef {import("./overlay.js").ErrorInfo} ErrorInfo */
/** @typedef {import("./status.js").ConnectionState} ConnectionState */
/** @typedef {import("./status.js").StatusDetail} StatusDetail */
/** @typedef {import("./upload.js").UploadingTransport} UploadingTransport */

/**
 * A Web API capability: method name -> implementation (sync or async, JSON in and out).
 * @typedef {Record<string, (args: Record<string, unknown>) => unknown>} Capability
 */

/**
 * @typedef {object} SessionOptions
 * @property {Transport | ((session: TempestSession) => Transport)} transport The frame carrier, or a
 *   factory receiving the session (SSE reads `sessionId`/`token` from it).
 * @property {string | null} [session] Session id given by the page. Default: null.
 * @property {string | null} [token] Session-bound token given by the page. Default: null.
 * @property {boolean} [hydrate] Adopt the prerendered DOM under the root.
 * Default: true when `session` is set and the root has children.
 * @property {number} [lastSeq] `seq` of the prerendered state. Default: 0.
 * @property {Record<string, Capability>} [capabilities] Initial capability registry.
 * @property {boolean} [overlay] Show the error overlay for failures of app code. Default: true.
 * @property {boolean} [banner] Show the connection status banner. Default: true (Mode A, whose
 *   host is in the page, passes false).
 */

/** Native error code for a thrown DOMException name. @type {Readonly<Record<string, string>>} */
const NATIVE_ERROR_FOR = Object.freeze({
  NotAllowedError: "permission_denied", SecurityError: "insecure_context", NotSupportedError: "not_supported",
  AbortError: "aborted", TypeError: "invalid_argument", NotFoundError: "not_found", NetworkError: "network",
  TimeoutError: "timeout",
});

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** @returns {string} */
function currentPath() {
  return location.pathname + location.search + location.hash;
}

/** A running client session bound to one root element. */
export class TempestSession {
  /**
   * @param {Element} root Mount element; gets `data-tw-status`.
   * @param {SessionOptions} options
   */
  constructor(root, options) {
    /** @readonly */
    this.root = root;
    /** Current session id (`null` until the host assigns one). @type {string | null} */
    this.sessionId = options.session ?? null;
    /** Token presented on the next (re)connect. @type {string | null} */
    this.token = options.token ?? null;
    /** `seq` of the state the DOM holds; `null` = nothing trusted, ask for a full resync. @type {number | null} */
    this.lastSeq = null;
    /** @private */
    this.lastAcked = 0;
    /**
     * The largest frame the host takes, in bytes of UTF-8 (`init.max_frame_bytes`, else
     * `MAX_FRAME_BYTES`); the SSE transport also bounds its `POST` bodies by it.
     */
    this.maxFrameBytes = MAX_FRAME_BYTES;
    /** @private */
    this.eid = 0;
    /** @private @type {object[]} messages waiting for the next `init` */
    this.queue = [];
    /** @private @type {{type: string, eid: number}[]} events sent but not yet acknowledged by a patch */
    this.inflight = [];
    /** @private @type {Map<number, number>} ping ts -> highest eid sent before that ping */
    this.probes = new Map();
    /** @private @type {ReturnType<typeof setTimeout> | null} */
    this.probeTimer = null;
    /** @private */
    this.ready = false;
    /** @private */
    this.stopped = false;
    /** @private */
    this.attempt = 0;
    /** @private the host refused a new session (`server_busy`): the next attempt waits longer */
    this.busy = false;
    /** @private */
    this.generation = 0;
    /** @private @type {ReturnType<typeof setTimeout> | null} */
    this.ackTimer = null;
    /** @private @type {ReturnType<typeof setTimeout> | null} */
    this.reconnectTimer = null;
    /** @private */
    this.clearOnInit = false;
    /** @private */
    this.lastPath = currentPath();
    /** @private @type {WeakMap<Node, number>} node -> eid of the last input-ish event sent for it */
    this.inputEids = new WeakMap();
    /** @private @type {Map<string, Capability | Promise<Capability>>} */
    this.capabilities = new Map(Object.entries(options.capabilities ?? {}));
    for (const [name, loading] of linkedCapabilities(root.ownerDocument)) {
      if (!this.capabilities.has(name)) this.capabilities.set(name, loading);
    }
    /** @private @readonly */
    this.events = new EventDelegate(root, {
      listenersOf: (node) => this.dom.listeners.get(node),
      idOf: (node) => this.dom.ids.get(node),
      send: (node, name, data, sources) => this.sendEvent(node, name, data, sources),
    });
    /** @readonly */
    this.dom = new DomTree(root, {
      report: (code, message) => this.report(code, message, "warn"),
      listen: (name) => this.events.ensure(name),
      lastInputEid: (node) => this.inputEids.get(node) ?? 0,
      withoutFocusEvents: (fn) => {
        this.events.muteFocus += 1;
        try {
          fn();
        } finally {
          this.events.muteFocus -= 1;
        }
      },
    });
    /** @private @readonly keyboard behaviours (focus moves, traps, Escape) of the ARIA patterns */
    this.behaviors = new Behaviors(root);
    /** @private @readonly file uploads of FileUpload drop zones (upload.js) */
    this.uploads = new Uploads(root, {
      nodeId: (node) => this.dom.ids.get(node),
      auth: () => ({ session: this.sessionId, token: this.token }),
      transport: () => /** @type {UploadingTransport} */ (/** @type {unknown} */ (this.transport)),
    });
    /** @private @readonly */
    this.onLocation = () => this.locationChanged();
    /** @private @readonly elements whose events are in flight carry `tw-loading` */
    this.loading = new LoadingMarks();
    /** @private @readonly a virtual table's rows shown ahead of the host's patch */
    this.speculation = new Speculation(this.dom);
    /** @private @readonly @type {ErrorOverlay | null} */
    this.overlay = options.overlay === false ? null : new ErrorOverlay(root);
    /** @private @readonly @type {StatusBanner | null} */
    this.banner = options.banner === false ? null
      : new StatusBanner(root, { retry: () => this.reconnectNow() });
    /** @private @type {ConnectionState} */
    this.connection = "connecting";
    /** @private the session the page's state belongs to (a different one in `init`: state lost) */
    this.knownSession = this.sessionId;
    /** @private an `init` was applied at least once */
    this.everOpen = false;
    /** @private when the next connection attempt starts (performance.now() ms; 0: none planned) */
    this.retryAt = 0;
    /** @private @readonly */
    this.onNetwork = () => this.networkChanged();
    const hydrate = options.hydrate ?? (this.sessionId !== null && root.firstChild !== null);
    /** @private @type {() => void} clears `aria-busy` once `init` is applied */
    this.unbusy = markBusy(root);
    if (hydrate) {
      try {
        this.dom.hydrate();
        this.lastSeq = options.lastSeq ?? 0;
        this.lastAcked = this.lastSeq;
      } catch (error) {
        // Recovered (the page is mounted afresh): a warning naming what the parser changed.
        this.report("malformed_frame", `hydration failed, full resync: ${String(error)}`, "warn");
        this.dom.reset();
        this.clearOnInit = true;
      }
    } else {
      this.clearOnInit = true;
    }
    /** @private @readonly @type {Transport} */
    this.transport = typeof options.transport === "function" ? options.transport(this) : options.transport;
    addEventListener("popstate", this.onLocation);
    addEventListener("hashchange", this.onLocation);
    addEventListener("online", this.onNetwork);
    addEventListener("offline", this.onNetwork);
    // Done before this module ran (the page paints first): tell the app, queued until `init`.
    takeEarlyInput(root, hydrate && !this.clearOnInit);
    this.connect();
  }

  /**
   * Connection status, mirrored on the root as `data-tw-status`.
   * @returns {"connecting" | "open" | "closed"}
   */
  get status() {
    const value = this.root.getAttribute(ATTR_STATUS);
    return value === "open" || value === "closed" ? value : "connecting";
  }

  /**
   * Register (or replace) a capability answering `native_call` frames.
   * @param {string} name Capability name, e.g. `"clipboard"`.
   * @param {Capability | Promise<Capability>} impl Method name -> implementation, or a promise of it
   *   (a module still loading; calls wait for it).
   * @returns {void}
   */
  registerCapability(name, impl) {
    if (typeof name !== "string" || !(isObject(impl) || impl instanceof Promise)) {
      throw new TypeError("registerCapability(name: string, impl: object | Promise<object>)");
    }
    this.capabilities.set(name, impl);
  }

  /**
   * Stop the session: close the transport, remove listeners; the DOM stays as it is.
   * @returns {void}
   */
  close() {
    this.stopped = true;
    this.ready = false;
    this.generation += 1;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    if (this.ackTimer !== null) clearTimeout(this.ackTimer);
    if (this.probeTimer !== null) clearTimeout(this.probeTimer);
    this.transport.close();
    this.events.dispose();
    this.behaviors.dispose();
    this.uploads.dispose();
    removeEventListener("popstate", this.onLocation);
    removeEventListener("hashchange", this.onLocation);
    removeEventListener("online", this.onNetwork);
    removeEventListener("offline", this.onNetwork);
    this.banner?.hide();
    this.setStatus("closed");
  }

  /**
   * Reconnect now instead of waiting for the backoff (the banner's "Retry now").
   * @returns {void}
   */
  reconnectNow() {
    if (this.stopped || this.ready) return;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.transport.close(); // an attempt under way (a hanging one) is abandoned
    this.connect();
  }

  /** @private @param {"connecting" | "open" | "closed"} status */
  setStatus(status) {
    this.root.setAttribute(ATTR_STATUS, status);
  }

  /**
   * Log a problem and dispatch a cancelable `tempestweb:error` on the root (detail: an
   * `ErrorInfo`: code, message, id, detail). A failure of app code (an error with an `id`) opens
   * the error overlay unless a listener called `preventDefault()`.
   * @param {string} code Error code.
   * @param {string} message Detail.
   * @param {"error" | "warn"} [level]
   * @param {{id?: string | null, detail?: string | null}} [extra] The host's error id and traceback.
   */
  report(code, message, level = "error", extra = {}) {
    const id = extra.id ?? null;
    const detail = extra.detail ?? null;
    const tag = id === null ? "" : ` (error id ${id})`;
    const log = level === "warn" ? console.warn : console.error;
    if (detail === null) log(`tempestweb: [${code}] ${message}${tag}`);
    else log(`tempestweb: [${code}] ${message}${tag}\n${detail}`);
    /** @type {ErrorInfo} */
    const info = { code, message, id, detail };
    const show = this.root.dispatchEvent(new CustomEvent(DOM_EVENT_ERROR, { detail: info, cancelable: true }));
    if (show && id !== null) this.overlay?.show(info);
  }

  /**
   * Announce a connection state: a cancelable `tempestweb:status` event, then the banner.
   * @private
   * @param {ConnectionState} state
   * @param {number | null} [retryInMs]
   */
  setConnection(state, retryInMs = null) {
    this.connection = state;
    this.retryAt = retryInMs === null ? 0 : performance.now() + retryInMs;
    const waiting = this.queue.filter((item) => /** @type {{type: string}} */ (item).type !== MSG.NATIVE_RESULT);
    const pending = this.inflight.length + waiting.length;
    /** @type {StatusDetail} */
    const detail = { state, retryInMs, pending };
    const show = this.root.dispatchEvent(new CustomEvent(DOM_EVENT_STATUS, { detail, cancelable: true }));
    if (show) this.banner?.update(detail);
    else this.banner?.hide();
  }

  /** The browser went on- or offline. @private */
  networkChanged() {
    if (this.ready || this.stopped) return;
    if (navigator.onLine) this.reconnectNow();
    else this.setConnection("offline", null);
  }

  /** @private */
  connect() {
    if (this.stopped) return;
    this.reconnectTimer = null;
    this.ready = false;
    const generation = ++this.generation;
    this.setStatus("connecting");
    if (this.connection !== "offline" || navigator.onLine) {
      this.setConnection(this.everOpen ? "reconnecting" : "connecting");
    }
    this.transport.connect(
      (text) => {
        if (generation === this.generation) this.receive(text);
      },
      (status) => {
        if (generation === this.generation) this.transportStatus(status);
      },
    );
  }

  /** @private @param {TransportStatus} status */
  transportStatus(status) {
    if (status === "open") {
      this.transport.send(JSON.stringify({
        type: MSG.HELLO, v: PROTOCOL_VERSION, path: currentPath(), session: this.sessionId,
        last_seq: this.lastSeq, token: this.token,
      }));
    } else if (status === "closed") {
      this.disconnected(false);
    } else {
      this.setStatus("connecting");
    }
  }

  /**
   * Connection lost or abandoned: schedule a reconnect with full-jitter exponential backoff.
   * @private
   * @param {boolean} immediate Reconnect at once on the first attempt (resync, seq gap).
   */
  disconnected(immediate) {
    this.ready = false;
    this.generation += 1;
    if (this.ackTimer !== null) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    if (this.probeTimer !== null) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.probes.clear();
    if (this.stopped) return;
    this.setStatus("closed");
    const cap = Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_BASE_DELAY_MS * 2 ** this.attempt);
    const busy = this.busy;
    this.busy = false;
    // Refused at capacity: at least BUSY_RETRY_MS, plus up to as much again so refused clients
    // do not all come back at once (the page GET's Retry-After says the same).
    const delay = busy ? BUSY_RETRY_MS * (1 + Math.random())
      : immediate && this.attempt === 0 ? 0 : Math.random() * cap;
    this.attempt += 1;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.setConnection(navigator.onLine === false ? "offline" : busy ? "busy" : "reconnecting", delay);
  }

  /**
   * Drop the connection and reconnect, asking for a full resync (`last_seq: null`).
   * @private
   * @param {string} reason
   */
  resync(reason) {
    this.report("malformed_frame", `${reason}; requesting a full resync`);
    this.lastSeq = null;
    this.clearOnInit = true;
    this.transport.close();
    this.disconnected(true);
  }

  /** @private @param {string} text */
  receive(text) {
    if (text.startsWith(ROWS_FRAME)) {
      this.speculation.later(text); // parsed in idle time (speculation.js)
      return;
    }
    /** @type {unknown} */
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      this.resync("frame is not valid JSON");
      return;
    }
    if (!isObject(message) || typeof message.type !== "string") {
      this.resync("frame is not a message object");
      return;
    }
    try {
      this.dispatch(message);
    } catch (error) {
      if (error instanceof OpError) this.resync(`cannot apply ${message.type}: ${error.message}`);
      else throw error;
    }
  }

  /**
   * @private
   * @param {Record<string, unknown>} message
   */
  dispatch(message) {
    switch (message.type) {
      case MSG.INIT:
        this.init(message);
        return;
      case MSG.PATCH:
        this.patch(message);
        return;
      case MSG.ERROR:
        this.hostError(message);
        return;
      case MSG.NAVIGATE: {
        if (typeof message.path !== "string") throw new OpError("navigate.path must be a string");
        if (message.replace === true) history.replaceState(history.state, "", message.path);
        else history.pushState(null, "", message.path);
        this.lastPath = currentPath();
        this.behaviors.navigated(); // the new view decides where focus goes, as after popstate
        return;
      }
      case MSG.PING: {
        const pong = () => this.transport.send(JSON.stringify({ type: MSG.PONG, ts: message.ts ?? 0 }));
        if (!this.speculation.later(pong)) pong(); // after the rows frames before it are read
        return;
      }
      case MSG.ROWS:
        this.speculation.rows(message);
        return;
      case MSG.PONG: {
        // A pong answers a probe sent after these events: the host handled them.
        const eid = this.probes.get(Number(message.ts));
        if (eid !== undefined) {
          this.probes.delete(Number(message.ts));
          this.inflight = this.inflight.filter((event) => event.eid > eid);
          this.loading.settle(eid);
        }
        return;
      }
      case MSG.RELOAD:
        location.reload();
        return;
      case MSG.NATIVE_CALL:
        void this.nativeCall(message);
        return;
      default:
        this.report("unknown_message", `unknown message type ${JSON.stringify(message.type)}`);
    }
  }

  /** @private @param {Record<string, unknown>} message */
  init(message) {
    if (message.v !== PROTOCOL_VERSION) {
      this.report("version_mismatch", `host speaks protocol ${String(message.v)}, client ${PROTOCOL_VERSION}`);
      this.stopped = true;
      location.reload();
      return;
    }
    if (typeof message.session !== "string" || typeof message.seq !== "number") {
      throw new OpError("init needs a string session and a numeric seq");
    }
    this.sessionId = message.session;
    const limit = message.max_frame_bytes;
    this.maxFrameBytes =
      typeof limit === "number" && Number.isInteger(limit) && limit >= 1 ? limit : MAX_FRAME_BYTES;
    // A full resync the client did not ask for (it is open, not answering its `hello`): only a
    // hot reload that succeeded sends one, so a failed reload's notice no longer holds.
    const reloaded = this.ready && message.reset === true;
    const lost = this.knownSession !== null && message.session !== this.knownSession;
    this.knownSession = message.session;
    if (typeof message.token === "string") this.token = message.token;
    this.speculation.clear(); // the host sends its row feeds again after every init
    if (message.reset === true || this.clearOnInit) {
      const dropped =
        this.inflight.length + this.queue.filter((item) => /** @type {{type: string}} */ (item).type === MSG.EVENT).length;
      if (message.reset === true && dropped > 0) {
        console.warn(`tempestweb: full resync; ${dropped} unhandled event(s) referred to the old tree and were dropped`);
        this.queue = this.queue.filter((item) => /** @type {{type: string}} */ (item).type !== MSG.EVENT);
      }
      this.inflight = [];
      this.loading.clear();
      this.dom.reset();
      this.clearOnInit = false;
      this.inputEids = new WeakMap();
    }
    this.dom.apply(message.ops ?? [], Infinity);
    if (reloaded) this.overlay?.forgetSuperseded();
    this.lastSeq = message.seq;
    this.lastAcked = message.seq;
    this.ready = true;
    this.attempt = 0;
    this.setStatus("open");
    this.unbusy();
    this.setConnection(lost ? "reset" : this.everOpen ? "resynced" : "open");
    this.everOpen = true;
    // Resume: events sent before the connection dropped and never acknowledged go first.
    const queued = [...this.inflight, ...this.queue];
    this.inflight = [];
    this.queue = [];
    for (const item of queued) this.send(item);
  }

  /** @private @param {Record<string, unknown>} message */
  patch(message) {
    const seq = message.seq;
    if (typeof seq !== "number" || !Number.isInteger(seq)) throw new OpError("patch.seq must be an integer");
    if (!this.ready || this.lastSeq === null) throw new OpError("patch before init");
    if (seq <= this.lastSeq) {
      console.warn(`tempestweb: duplicate patch ${seq} ignored (at ${this.lastSeq})`);
      return;
    }
    if (seq !== this.lastSeq + 1) {
      console.warn(`tempestweb: patch gap (${this.lastSeq} -> ${seq}); resuming`);
      this.transport.close();
      this.disconnected(true);
      return;
    }
    const ack = typeof message.ack === "number" ? message.ack : 0;
    if (this.inflight.length > 0 && this.inflight[0].eid <= ack) {
      this.inflight = this.inflight.filter((event) => event.eid > ack);
    }
    this.loading.settle(ack);
    this.speculation.flush();
    this.speculation.undo();
    this.dom.apply(message.ops, ack);
    this.loading.reapply();
    this.speculation.redo(ack);
    this.lastSeq = seq;
    // Acknowledged by the next event (stampAck), else when ACK_MAX_PENDING batches wait, else by a
    // frame of its own ACK_INTERVAL_MS after the first batch waiting (docs/protocol.md).
    if (seq - this.lastAcked >= ACK_MAX_PENDING) this.flushAck();
    else if (this.ackTimer === null) this.ackTimer = setTimeout(() => this.flushAck(), ACK_INTERVAL_MS);
  }

  /**
   * Put the pending acknowledgement into `event` (`event.ack`): one frame instead of an `ack`
   * then the event, and in Mode A and desktop one call into the host instead of two. Stamped
   * at each send, so an event sent again after a resume carries the acknowledgement of then.
   * @private
   * @param {{ack?: number}} event
   */
  stampAck(event) {
    const seq = this.takeAck();
    if (seq === null) delete event.ack;
    else event.ack = seq;
  }

  /** Send a pending `ack` now (coalesced acks; before any other message). @private */
  flushAck() {
    const seq = this.takeAck();
    if (!this.ready || seq === null) return;
    if (this.transport.send(JSON.stringify({ type: MSG.ACK, seq }))) this.lastAcked = seq;
  }

  /**
   * Stop the coalescing timer and return the `seq` applied but not yet acknowledged.
   * @private
   * @returns {number | null} `null` when every applied patch is acknowledged.
   */
  takeAck() {
    if (this.ackTimer !== null) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    const seq = this.lastSeq;
    return seq !== null && seq > this.lastAcked ? seq : null;
  }

  /** @private @param {Record<string, unknown>} message */
  hostError(message) {
    const code = typeof message.code === "string" ? message.code : "internal";
    const text = typeof message.message === "string" ? message.message : "";
    const id = typeof message.id === "string" ? message.id : null;
    const detail = typeof message.detail === "string" ? message.detail : null;
    this.report(code, text, "error", { id, detail });
    if (message.fatal !== true) return;
    if (code === "version_mismatch") {
      this.stopped = true;
      location.reload();
    } else if (code === "server_busy") {
      this.busy = true; // the host closes with 1013; disconnected() waits BUSY_RETRY_MS or more
    } else if (code === "session_expired") {
      this.sessionId = null;
      this.token = null;
      this.lastSeq = null;
    } else if (!RESUMABLE_ERROR_CODES.includes(code)) {
      this.close();
    }
    // queue_overflow, internal: the host closes (1013/1011); the client reconnects with backoff,
    // resumes and sends its unacknowledged events again (docs/protocol.md, "Overflow").
  }

  /**
   * Send now when the session is live, else queue until the next `init`.
   * @private
   * @param {object} message
   */
  send(message) {
    if (this.ready) {
      const event = /** @type {{type: string}} */ (message).type === MSG.EVENT
        ? /** @type {{type: string, eid: number, ack?: number}} */ (message) : null;
      if (event === null) this.flushAck();
      else this.stampAck(event);
      const text = JSON.stringify(message);
      const bytes = utf8Bound(text, this.maxFrameBytes); // exact when over the limit
      if (bytes > this.maxFrameBytes) {
        this.oversized(message, bytes);
        return;
      }
      if (this.transport.send(text)) {
        if (event !== null) {
          if (event.ack !== undefined) this.lastAcked = event.ack; // stamped only above lastAcked
          this.inflight.push(event);
          if (this.probeTimer === null) this.probeTimer = setTimeout(() => this.probe(), EVENT_ACK_PROBE_MS);
        }
        return;
      }
    }
    this.queue.push(message);
    if (this.everOpen && !this.ready) {
      // The banner counts what waits for the connection.
      this.setConnection(this.connection, this.retryAt > 0 ? Math.max(0, this.retryAt - performance.now()) : null);
    }
  }

  /**
   * A frame over the host's limit (`maxFrameBytes`) is not sent: the host would end the
   * connection (close 1009, or HTTP 413 over SSE) and the resume would send it again, for ever.
   * An event (a paste larger than the limit...) is reported as `frame_too_large` and dropped;
   * a native call's result becomes its `quota_exceeded` failure (the Python side gets a typed
   * error, not a timeout).
   * @private
   * @param {object} message
   * @param {number} bytes Its JSON's length in bytes of UTF-8.
   */
  oversized(message, bytes) {
    const { type, eid, id, ok, name } = /** @type {{type: string, eid?: number, id?: unknown, ok?: boolean, name?: string}} */ (message);
    const what = `${bytes} bytes exceeds the host's frame limit of ${this.maxFrameBytes} bytes`;
    if (type === MSG.NATIVE_RESULT && ok === true) {
      this.send({ type: MSG.NATIVE_RESULT, id, ok: false, error: { code: "quota_exceeded", message: `a result of ${what}` } });
      return;
    }
    if (type === MSG.EVENT && eid !== undefined) this.loading.drop(eid);
    this.report("frame_too_large", `${type === MSG.EVENT ? `the ${name} event` : `a ${type} frame`} of ${what}; not sent`);
  }

  /** Ask the host to acknowledge the events still in flight (see `EVENT_ACK_PROBE_MS`). @private */
  probe() {
    this.probeTimer = null;
    if (!this.ready || this.inflight.length === 0) return;
    const ts = performance.now();
    this.probes.set(ts, this.inflight[this.inflight.length - 1].eid);
    this.transport.send(JSON.stringify({ type: MSG.PING, ts }));
  }

  /**
   * @private
   * @param {number} node
   * @param {string} name
   * @param {Record<string, EventValue>} data
   * @param {Node[]} sources
   */
  sendEvent(node, name, data, sources) {
    const eid = ++this.eid;
    if (INPUT_EVENTS.has(name)) for (const source of sources) this.inputEids.set(source, eid);
    const target = this.dom.nodes.get(node);
    this.loading.add(eid, name, target);
    // `seen`: the DOM the person acted on (the last batch applied), so that a host whose newer
    // batches moved this node's listener elsewhere runs the handler it had here. A row filled
    // ahead of the host's patch (speculation.js) shows the DOM after a scroll the host handles
    // first: the current handler is the one the person saw.
    const seen = this.speculation.covers(target) ? null : this.lastSeq;
    this.send(seen === null ? { type: MSG.EVENT, eid, node, name, data } : { type: MSG.EVENT, eid, node, name, data, seen });
    if (name === "scroll" && target instanceof Element) {
      const top = data[EVENT_FIELD.SCROLL_TOP];
      const viewport = data[EVENT_FIELD.CLIENT_HEIGHT];
      if (typeof top === "number" && typeof viewport === "number") this.speculation.scrolled(eid, target, top, viewport);
    }
  }

  /** @private */
  locationChanged() {
    const path = currentPath();
    if (path === this.lastPath) return;
    this.lastPath = path;
    this.send({ type: MSG.NAVIGATE, path });
  }

  /**
   * Answer a `native_call` from the capability registry (`not_supported` when absent).
   * @private
   * @param {Record<string, unknown>} message
   */
  async nativeCall(message) {
    const id = message.id;
    /** @type {Capability | undefined} */
    let capability;
    try {
      capability = await this.capabilities.get(String(message.capability));
    } catch {
      capability = undefined; // the module failed to load (reported when it failed)
    }
    const method = String(message.method);
    const fn = capability !== undefined && Object.hasOwn(capability, method) ? capability[method] : undefined;
    if (typeof fn !== "function") {
      this.send({ type: MSG.NATIVE_RESULT, id, ok: false,
        error: { code: "not_supported", message: `${String(message.capability)}.${method} is not available` } });
      return;
    }
    const timeoutMs = typeof message.timeout_ms === "number" ? message.timeout_ms : 30_000;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new DOMException(`no result after ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
    });
    try {
      const args = isObject(message.args) ? message.args : {};
      const value = await Promise.race([Promise.resolve().then(() => fn(args)), timeout]);
      JSON.stringify(value);
      this.send({ type: MSG.NATIVE_RESULT, id, ok: true, value: value === undefined ? null : value });
    } catch (error) {
      const named = /** @type {{name?: unknown, code?: unknown, message?: unknown}} */ (error ?? {});
      const code = typeof named.code === "string" && NATIVE_ERROR_CODES.includes(named.code)
        ? named.code : NATIVE_ERROR_FOR[String(named.name)] ?? "unknown";
      this.send({ type: MSG.NATIVE_RESULT, id, ok: false, error: { code, message: String(named.message ?? error) } });
    } finally {
      clearTimeout(timer);
    }
  }
}
