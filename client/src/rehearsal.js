// @ts-check
/**
 * The idle-time rehearsal: a person's first scroll, keystroke and click run compiled code.
 *
 * V8 compiles a JavaScript function the first time it runs (Ignition, then Sparkplug;
 * https://v8.dev/blog/sparkplug), and the client's patch path (the delegated listener, the
 * event's payload, the session's send and acknowledgement, the op application, template
 * instances) first runs on a person's first action. Under 4x CPU throttling a Mode B page
 * applied its first scroll patch 13-16 ms after the message arrived, against 2-5 ms once warm
 * (docs/benchmarks.md, "The first steps of a page"). So once the page is idle, a second client
 * session is mounted on a root in an inert document (`document.implementation.createHTMLDocument`:
 * nothing is rendered, styled or shown; the page's own document, session and stylesheet are not
 * touched) and real DOM events are dispatched on its elements, in idle callbacks: the client's
 * own path runs as for a person's action, and is compiled before one comes.
 *
 * The rehearsal's host is not the page's (`tempest_core.host._rehearsal`, a private app in a
 * throwaway session): in Mode A the page's Python answers it live (`bootstrap.js`); where the
 * host is not in the page (Mode B), it recorded its answers once per process
 * (`GET /_tw/rehearsal`) and a {@link ReplayTransport} plays them back. A failure only logs: the
 * page works the same without the rehearsal.
 *
 * The rehearsal only matters before a person's first action: that action compiles the same code
 * itself. So it stops at the first one ({@link untilPersonActs}: a pointer, key, wheel, touch,
 * scroll or input event in the page), instead of competing with the person's next actions for
 * the main thread. For the same reason its host's session is closed only once the page has been
 * quiet for {@link REHEARSAL_QUIET_MS} ({@link PersonWatch}'s `whenQuiet`): in Mode A closing the
 * throwaway Python session took 20-67 ms under 4x CPU throttling, and it used to land inside the
 * first scroll steps that stopped (or just followed) the rehearsal.
 * @module rehearsal
 */

import { DOM_EVENT_ERROR, MSG, PROTOCOL_VERSION, REHEARSAL_PATH } from "./constants.js";
import { whenIdle } from "./idle.js";
import { mount } from "./tempestweb.js";
import { endpointUrl } from "./transport.js";

/** @typedef {import("./transport.js").TransportStatus} TransportStatus */

/** @typedef {import("./idle.js").Deadline} Deadline */

/**
 * One DOM action of the rehearsal (`tempest_core.host._rehearsal.Rehearsal.actions`).
 * @typedef {object} RehearsalAction
 * @property {number} node Wire id of the element.
 * @property {string} type DOM event type to dispatch on it.
 * @property {Record<string, unknown>} props DOM properties the element shows first.
 */

/**
 * The host's side of a rehearsal, as {@link rehearse} drives it.
 * @typedef {object} RehearsalHost
 * @property {() => void} open Open the rehearsal client's transport (its `hello` follows).
 * @property {() => RehearsalAction[]} actions The DOM actions to perform, once the `init` was applied.
 * @property {() => Promise<void>} close Close the host's side.
 */

/**
 * What a host recorded (`GET /_tw/rehearsal`, `tempest_core.host._rehearsal.recorded`).
 * @typedef {object} RehearsalScript
 * @property {number} v Protocol version of the frames.
 * @property {string} init The `init` frame answering `hello`.
 * @property {RehearsalAction[]} actions The DOM actions, in order.
 * @property {string[][]} answers The frames answering each action's event.
 */

/**
 * Idle time (ms) one rehearsal action is given: a next action starts in the same idle period
 * only while at least this much of it is left (an action takes 3-11 ms).
 */
export const REHEARSAL_ACTION_MS = 12;

/**
 * Time (ms) without a person's action (see {@link untilPersonActs}) after which the rehearsal's
 * host session is closed, in an idle callback.
 */
export const REHEARSAL_QUIET_MS = 1000;


/** @returns {Promise<Deadline>} Settles when the page is idle, with the deadline (see `whenIdle`). */
function idle() {
  return new Promise((resolve) => whenIdle(resolve));
}

/** @returns {Promise<void>} Settles after the next animation frame's callbacks. */
function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** DOM events (on the page's window, capture phase) that mean a person acts. */
const PERSON_ACTS = ["pointerdown", "keydown", "wheel", "touchstart", "scroll", "input"];

/**
 * Watch for a person's first action.
 * @typedef {object} PersonWatch
 * @property {AbortSignal} signal Aborted at the first event of {@link PERSON_ACTS} (a scroll set
 *   by a script counts too: it is what a person's scrolling runs), or by `stop`.
 * @property {() => void} stop Stop watching (its listeners are removed either way).
 * @property {(task: () => void) => void} whenQuiet Run `task` in an idle callback once no event
 *   of {@link PERSON_ACTS} has come for {@link REHEARSAL_QUIET_MS} (counted from this call).
 */

/**
 * Start watching `view` for a person's first action (call it when the rehearsal is scheduled,
 * so that an action before it starts counts).
 * @param {Window} view The page's window.
 * @returns {PersonWatch}
 */
export function untilPersonActs(view) {
  const controller = new AbortController();
  const stop = () => {
    for (const type of PERSON_ACTS) view.removeEventListener(type, stop, true);
    controller.abort();
  };
  for (const type of PERSON_ACTS) view.addEventListener(type, stop, { capture: true, passive: true });
  /** @param {() => void} task */
  const whenQuiet = (task) => {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(quiet, REHEARSAL_QUIET_MS);
    };
    const quiet = () => {
      for (const type of PERSON_ACTS) view.removeEventListener(type, arm, true);
      whenIdle(() => task());
    };
    for (const type of PERSON_ACTS) view.addEventListener(type, arm, { capture: true, passive: true });
    arm();
  };
  return { signal: controller.signal, stop, whenQuiet };
}

/**
 * Rehearse in an inert document: mount a client session there with `transport`, open it, then
 * perform the host's DOM actions in idle callbacks, as many per idle period as its deadline
 * leaves {@link REHEARSAL_ACTION_MS} for (one takes 3-11 ms, 6-26 ms under 4x CPU throttling),
 * so a person's input waits for one at most; a scroll also waits for the next animation frame
 * (the client delivers one scroll per frame). It stops early once a person acts in the page
 * (see {@link untilPersonActs}). Its client session is then closed, and its host's session
 * once the page is quiet (`watch.whenQuiet`; then `performance.mark("tw:rehearsal-closed")`),
 * not inside a person's first actions; the result does not wait for that.
 * @param {import("./transport.js").Transport} transport The rehearsal client's transport, not open yet.
 * @param {RehearsalHost} host Its host's side.
 * @param {PersonWatch} watch From {@link untilPersonActs}; stopped when the rehearsal ends.
 * @returns {Promise<{patches: number, errors: string[], stopped?: true}>} The patches its client
 *   received, the codes of the problems the rehearsal's client reported (`error` frames,
 *   malformed patches; none when the rehearsal ran as meant), and `stopped` when a person's
 *   action ended it before its last action.
 */
export async function rehearse(transport, host, watch) {
  const { signal } = watch;
  let patches = 0;
  /** @type {import("./transport.js").Transport} */
  const counting = {
    connect: (onFrame, onStatus) =>
      transport.connect((text) => {
        if (text.startsWith(`{"type":"${MSG.PATCH}"`)) patches += 1;
        onFrame(text);
      }, onStatus),
    send: (text) => transport.send(text),
    close: () => transport.close(),
  };
  const doc = document.implementation.createHTMLDocument("");
  const root = doc.createElement("div");
  doc.body.append(root);
  /** @type {string[]} */
  const errors = [];
  root.addEventListener(DOM_EVENT_ERROR, (event) => {
    const info = /** @type {CustomEvent<import("./overlay.js").ErrorInfo>} */ (event).detail;
    errors.push(info.code);
    event.preventDefault();
  });
  const session = mount(root, { transport: counting, hydrate: false, overlay: false, banner: false });
  try {
    let deadline = await idle();
    if (signal.aborted) return { patches, errors, stopped: true };
    host.open(); // the client sends its hello; the init is applied in a microtask
    await null;
    for (const action of host.actions()) {
      if (deadline.timeRemaining() < REHEARSAL_ACTION_MS) deadline = await idle();
      if (signal.aborted) return { patches, errors, stopped: true };
      perform(session, action);
      await null; // its patch is applied in a microtask
      if (action.type === "scroll") {
        // The client delivers one scroll per animation frame: let the frame come, so that the
        // next scroll is delivered at once too, as a person's next wheel step is.
        await nextFrame();
        deadline = await idle();
      }
    }
  } finally {
    watch.stop();
    session.close(); // its timers stop now (an acknowledgement would reach the host later)
    watch.whenQuiet(() => {
      host.close().then(
        () => performance.mark("tw:rehearsal-closed"),
        (error) => console.debug("tempestweb: closing the rehearsal failed", error),
      );
    });
  }
  return { patches, errors };
}

/**
 * Perform one rehearsal action: give the element the DOM properties an inert document cannot
 * compute (it lays nothing out: `scrollTop`, `clientHeight`...) as own properties, then dispatch
 * the DOM event, which the rehearsal's client delivers as it would a person's.
 * @param {import("./session.js").TempestSession} session The rehearsal's client.
 * @param {RehearsalAction} action
 */
function perform(session, action) {
  const node = session.dom.nodes.get(action.node);
  if (!(node instanceof Element)) throw new Error(`rehearsal: no element ${action.node}`);
  for (const [name, value] of Object.entries(action.props)) {
    Object.defineProperty(node, name, { value, configurable: true, writable: true });
  }
  const { type } = action;
  const event = type === "click" ? new MouseEvent(type, { bubbles: true, cancelable: true, button: 0 })
    : type === "input" ? new InputEvent(type, { bubbles: true })
    : new Event(type, { bubbles: type !== "scroll" });
  node.dispatchEvent(event);
}

/**
 * A transport whose host is a recording: `hello` is answered with the recorded `init`, and the
 * n-th `event` with the frames that answered the n-th action; `ack` and `pong` frames are
 * taken and not answered. Frames are delivered in a microtask, as every transport does.
 */
export class ReplayTransport {
  /** @param {RehearsalScript} script */
  constructor(script) {
    /** @private @readonly */
    this.script = script;
    /** @private @type {((text: string) => void) | null} */
    this.onFrame = null;
    /** @private @type {((status: TransportStatus) => void) | null} */
    this.onStatus = null;
    /** @private */
    this.opened = false;
    /** @private */
    this.next = 0;
  }

  /**
   * @param {(text: string) => void} onFrame
   * @param {(status: TransportStatus) => void} onStatus
   */
  connect(onFrame, onStatus) {
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    if (this.opened) queueMicrotask(() => onStatus("open"));
    else onStatus("connecting");
  }

  /** Report `open`: the client then sends its `hello`. */
  open() {
    this.opened = true;
    this.onStatus?.("open");
  }

  /** @param {string} text @returns {boolean} */
  send(text) {
    if (this.onFrame === null || !this.opened) return false;
    const type = /** @type {{type?: unknown}} */ (JSON.parse(text)).type;
    if (type === MSG.HELLO) this.deliver([this.script.init]);
    else if (type === MSG.EVENT) this.deliver(this.script.answers[this.next++] ?? []);
    return true;
  }

  close() {
    this.onFrame = null;
    this.onStatus = null;
  }

  /** @private @param {string[]} frames */
  deliver(frames) {
    queueMicrotask(() => {
      for (const frame of frames) {
        const onFrame = this.onFrame;
        if (onFrame === null) return;
        onFrame(frame);
      }
    });
  }
}

/**
 * Rehearse with the recording of the host at `endpoint` (Mode B: `GET <endpoint>/rehearsal`).
 * @param {string} endpoint The session's endpoint, e.g. `"/_tw"`.
 * @param {PersonWatch} watch From {@link untilPersonActs}: once aborted, nothing more is done.
 * @returns {Promise<{patches: number, errors: string[], stopped?: true} | null>} What
 *   {@link rehearse} returns; `null` when the host has no recording (404, an older host) or one
 *   of another protocol version, or when a person acted before it arrived.
 */
export async function rehearseRecorded(endpoint, watch) {
  try {
    const response = await fetch(endpointUrl(endpoint, REHEARSAL_PATH), {
      credentials: "same-origin",
      signal: watch.signal,
    }).catch((error) => {
      if (watch.signal.aborted) return null;
      throw error;
    });
    if (response === null || !response.ok || watch.signal.aborted) return null;
    const script = /** @type {RehearsalScript} */ (await response.json());
    if (script.v !== PROTOCOL_VERSION) return null;
    const transport = new ReplayTransport(script);
    return await rehearse(transport, {
      open: () => transport.open(),
      actions: () => script.actions,
      close: async () => undefined,
    }, watch);
  } finally {
    watch.stop(); // `rehearse` stops it too; stopping twice changes nothing
  }
}
