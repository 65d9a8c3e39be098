// @ts-check
/**
 * Speculative rows: a remote client shows a virtual table's jump in the scroll's own frame.
 *
 * In Mode B the rows of a new scroll position come from the host, and the browser dispatches
 * `scroll` while it renders the frame that scrolled: a patch answering it is painted a frame
 * or more later, so a jump (a scrollbar drag, Home/End) showed blank rows until then. While a
 * session is idle the host sends the slot values of every row of a templated virtual table
 * (`rows` messages, `tempest_core._table_feed`). On a scroll event whose window the DOM does
 * not hold, this layer fills the rows of that window right away, as the host's patch will:
 * after a jump, row element j shows position start + j (the host recycles its elements in
 * order); otherwise the rows that stay keep their elements, the ones leaving are taken out and
 * the ones entering are inert copies; the spacers get the heights of the new window.
 *
 * The `rows` frames are parsed in idle time ({@link Speculation#later}), in order with the
 * `ping`s that follow them (their `pong` tells the host a chunk was read): a feed streaming in
 * never delays a frame, a scroll event or a timer. A patch first takes every frame before it.
 *
 * The host stays the one source of the DOM. Before a patch is applied every change made here is
 * undone (the patch applies to the DOM the host knows); after it, the speculation of a scroll
 * the patch's `ack` does not cover yet is made again on the new DOM. An event from a filled row
 * is sent without `seen`: the host runs it after the scroll, on the row the person saw.
 * The window maths are `tempest_core._table_model`'s `table_window` and `scroll_lead`, checked
 * against them on generated inputs in Chromium (`examples/tests/test_table.py`); the host's
 * scroll state (the last position and move) is followed event by event, as `Actions.scroll` keeps it.
 * @module speculation
 */

import { CLASS_LOADING, MAX_FEED_ROWS, MSG_FIELDS, SCROLL_LEAD_FRAMES, SCROLL_LEAD_VIEWPORTS } from "./constants.js";
import { PROP_DEFAULTS } from "./dom.js";
import { whenIdle } from "./idle.js";
import { isSafeAttributeName, isSafeAttributeValue } from "./urls.js";

/** Most feeds a client keeps (tables mounted at once); the oldest goes first. */
export const MAX_FEEDS = 8;

/**
 * Longest wait (ms) of a `rows` frame for idle time: a page kept busy (a long scroll) still
 * takes its feed, a frame or so per interval, instead of none until it rests.
 */
export const FEED_IDLE_TIMEOUT_MS = 50;

/**
 * `table_window`: the rows `[start, end)` a virtual table renders for a scroll position.
 * @param {number} total Rows.
 * @param {number} scrollTop `scrollTop` of the scroll area, px.
 * @param {number} viewport `clientHeight` of the scroll area, px.
 * @param {number} h Row (and header) height, px.
 * @param {number} overscan Extra rows each side.
 * @param {number} lead Extra px of rows ahead of a continuous scroll (signed).
 * @returns {[number, number]}
 */
export function tableWindow(total, scrollTop, viewport, h, overscan, lead) {
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, (total + 1) * h - viewport));
  const first = Math.floor(top / h);
  const last = Math.ceil((top + Math.max(viewport, h)) / h) - 1;
  const ahead = Math.floor(Math.abs(lead) / h);
  const [before, after] = lead < 0 ? [ahead, 0] : [0, ahead];
  return [Math.max(0, Math.min(first - overscan - before, total)), Math.max(0, Math.min(last + overscan + after, total))];
}

/**
 * `scroll_lead`: px of rows to render ahead of a scroll that moved `delta` px.
 * @param {number} delta This move, px.
 * @param {number} previous The move before it, px.
 * @param {number} viewport `clientHeight`, px.
 * @param {number} h Row height, px.
 * @returns {number}
 */
export function scrollLead(delta, previous, viewport, h) {
  const most = SCROLL_LEAD_VIEWPORTS * viewport;
  if (delta * previous <= 0 || Math.abs(delta) < h || Math.max(Math.abs(delta), Math.abs(previous)) > most) return 0;
  return Math.sign(delta) * Math.min(SCROLL_LEAD_FRAMES * Math.abs(delta), most);
}

/**
 * One column of a `rows` chunk: `[0, v]` every row has `v`; `[1, n]` row i has the text of
 * `n + i`; `[2, [v0, v1, ...]]` the rows' values in order.
 * @typedef {[number, unknown]} Column
 */

/** @typedef {{start: number, rows: number, columns: Column[]}} Chunk */

/** @param {unknown} column @param {number} rows @returns {column is Column} */
const isColumn = (column, rows) => Array.isArray(column) && column.length === 2 && (
  column[0] === 0
  || (column[0] === 1 && typeof column[1] === "number" && Number.isInteger(column[1]))
  || (column[0] === 2 && Array.isArray(column[1]) && column[1].length === rows)
);

/** What the client holds of one table's rows (the `rows` messages of one version). */
class Feed {
  /**
   * @param {number} version
   * @param {number} count Rows of the table body.
   * @param {number} rowHeight px.
   * @param {number} overscan
   * @param {[number, string, string][]} slots The rows' template slots: `[offset, kind, name]`.
   */
  constructor(version, count, rowHeight, overscan, slots) {
    this.version = version;
    this.count = count;
    this.rowHeight = rowHeight;
    this.overscan = overscan;
    this.slots = slots;
    /** @type {Chunk[]} */
    this.chunks = [];
    /** @private the chunk holding each position (-1: none yet) */
    this.at = new Int32Array(count).fill(-1);
  }

  /** @param {Chunk} chunk */
  add(chunk) {
    const index = this.chunks.push(chunk) - 1;
    this.at.fill(index, chunk.start, chunk.start + chunk.rows);
  }

  /**
   * The slot values of position `p`, if held.
   * @param {number} p
   * @returns {unknown[] | undefined}
   */
  row(p) {
    const index = p >= 0 && p < this.count ? this.at[p] : -1;
    if (index < 0) return undefined;
    const { start, columns } = this.chunks[index];
    const i = p - start;
    return columns.map(([kind, v]) => (kind === 0 ? v : kind === 1 ? String(/** @type {number} */ (v) + i) : /** @type {unknown[]} */ (v)[i]));
  }
}

/**
 * One value this layer overwrote, to undo: what slot `kind`/`name` of `node` held before (the
 * rows taken out and the copies put in are kept in `moves`).
 * @typedef {{node: Node, kind: string, name: string, old: unknown}} Overwrite
 */

/**
 * The latest speculated scroll of one table.
 * @typedef {object} Scroll
 * @property {number} eid The scroll event's id.
 * @property {number} start
 * @property {number} end
 */

/**
 * The DOM layer's side this module needs (`dom.js`'s `DomTree`).
 * @typedef {object} DomAccess
 * @property {Map<number, Node>} nodes Wire id -> node.
 */

/** @param {unknown} v @returns {v is number} */
const isCount = (v) => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** @type {ReadonlySet<string>} */
const SLOT_KINDS = new Set(["text", "attr", "prop", "event"]);

/**
 * Whether `slots` are template slots this layer may write: the attribute names and properties a
 * patch may set (`dom.js`'s rules; attribute values are checked as they are written).
 * @param {unknown} slots
 * @returns {slots is [number, string, string][]}
 */
const isSlots = (slots) => Array.isArray(slots) && slots.every(
  (slot) => Array.isArray(slot) && isCount(slot[0]) && SLOT_KINDS.has(slot[1]) && typeof slot[2] === "string"
    && (slot[1] !== "attr" || isSafeAttributeName(slot[2])) && (slot[1] !== "prop" || PROP_DEFAULTS.has(slot[2])),
);

/** The speculative rows of one client session. */
export class Speculation {
  /** @param {DomAccess} dom */
  constructor(dom) {
    /** @private @readonly */
    this.dom = dom;
    /** @private @type {Map<number, Feed>} body id -> feed */
    this.feeds = new Map();
    /** @private @type {WeakMap<Element, {top: number, delta: number}>} the host's scroll state per area */
    this.motion = new WeakMap();
    /** @private @type {Map<number, Scroll>} body id -> latest scroll speculated and not acknowledged */
    this.scrolls = new Map();
    /** @private @type {Overwrite[]} */
    this.overwrites = [];
    /** @private @type {{body: Element, original: Node[], copies: Element[]}[]} */
    this.moves = [];
    /** @private @type {(() => void)[]} frames taken in order, for idle time ({@link later}) */
    this.pending = [];
    /** @private whether an idle callback will take `pending` */
    this.idleAsked = false;
  }

  /**
   * Take a `rows` frame's text (parsed in idle time), or a task that must follow the frames
   * taken before it (the `pong` of the `ping` after a chunk) when some wait.
   * @param {string | (() => void)} item
   * @returns {boolean} `false` for a task that may run now (nothing waits).
   */
  later(item) {
    if (typeof item !== "string") {
      if (this.pending.length === 0) return false;
      this.pending.push(item);
      return true;
    }
    this.pending.push(() => {
      /** @type {unknown} */
      let message;
      try {
        message = JSON.parse(item);
      } catch {
        console.warn("tempestweb: rows frame is not valid JSON; ignored");
        return;
      }
      if (message !== null && typeof message === "object") this.rows(/** @type {Record<string, unknown>} */ (message));
    });
    if (!this.idleAsked) {
      this.idleAsked = true;
      whenIdle((deadline) => this.drain(deadline), FEED_IDLE_TIMEOUT_MS);
    }
    return true;
  }

  /**
   * Run what waits while the idle period lasts (at least one item), then ask for another.
   * @private
   * @param {import("./idle.js").Deadline} deadline
   */
  drain(deadline) {
    this.idleAsked = false;
    let ran = 0;
    while (this.pending.length > 0 && (ran === 0 || deadline.timeRemaining() > 1)) {
      /** @type {() => void} */ (this.pending.shift())();
      ran += 1;
    }
    if (this.pending.length > 0 && !this.idleAsked) {
      this.idleAsked = true;
      whenIdle((next) => this.drain(next), FEED_IDLE_TIMEOUT_MS);
    }
  }

  /**
   * Run everything that waits, now (a patch follows those frames: a new version or a row's new
   * values must be held before it applies).
   * @returns {void}
   */
  flush() {
    const pending = this.pending;
    this.pending = [];
    for (const task of pending) task();
  }

  /**
   * Take a `rows` message.
   * @param {Record<string, unknown>} message
   * @returns {void}
   */
  rows(message) {
    const [node, version, count, rowHeight, overscan, slots] = MSG_FIELDS.rows.map((k) => message[k]);
    const start = message.start ?? 0;
    const rows = message.rows ?? 0;
    const columns = message.columns ?? [];
    if (
      !isCount(node) || !isCount(version) || !isCount(count) || count > MAX_FEED_ROWS || !isCount(rowHeight)
      || rowHeight < 1 || !isCount(overscan) || !isSlots(slots) || !isCount(start) || !isCount(rows)
      || start + rows > count || !Array.isArray(columns) || (rows > 0 && columns.length !== slots.length)
      || !columns.every((column) => isColumn(column, rows))
    ) {
      console.warn("tempestweb: malformed rows message ignored");
      return;
    }
    let feed = this.feeds.get(node);
    if (feed === undefined || feed.version !== version || feed.count !== count) {
      this.feeds.delete(node);
      for (const held of this.feeds.keys()) if (!this.dom.nodes.has(held)) this.feeds.delete(held); // tables gone
      if (this.feeds.size >= MAX_FEEDS) this.feeds.delete(/** @type {number} */ (this.feeds.keys().next().value));
      feed = new Feed(version, count, rowHeight, overscan, slots);
      this.feeds.set(node, feed);
    }
    if (rows > 0) feed.add({ start, rows, columns: /** @type {Column[]} */ (columns) });
  }

  /**
   * A scroll event of area `area` goes to the host as `eid`: follow the host's scroll state
   * and, when a table in it lacks the rows of the new window, fill them now.
   * @param {number} eid
   * @param {Element} area The element the scroll listener is on.
   * @param {number} top Its `scrollTop`, px.
   * @param {number} viewport Its `clientHeight`, px.
   * @returns {void}
   */
  scrolled(eid, area, top, viewport) {
    const motion = this.motion.get(area) ?? { top: 0, delta: 0 };
    const delta = top - motion.top;
    const previous = motion.delta;
    this.motion.set(area, { top, delta });
    let scrolled = false;
    for (const [node, feed] of this.feeds) {
      const body = this.dom.nodes.get(node);
      if (!(body instanceof Element) || !area.contains(body)) continue;
      const h = feed.rowHeight;
      const seen = viewport || h;
      const lead = scrollLead(delta, previous, seen, h);
      const [start, end] = tableWindow(feed.count, top, seen, h, feed.overscan, lead);
      this.scrolls.set(node, { eid, start, end });
      scrolled = true;
    }
    if (scrolled) {
      this.undo();
      this.redo();
    }
  }

  /**
   * Whether `node` is in a table body this layer changed: its event goes without `seen`.
   * @param {Node | undefined} node
   * @returns {boolean}
   */
  covers(node) {
    if (node === undefined) return false;
    for (const { body } of this.moves) if (body.contains(node)) return true;
    return false;
  }

  /**
   * Undo every change (before a patch is applied: it applies to the host's DOM).
   * @returns {void}
   */
  undo() {
    for (let i = this.overwrites.length - 1; i >= 0; i--) {
      const { node, kind, name, old } = this.overwrites[i];
      write(node, kind, name, old);
    }
    this.overwrites = [];
    for (let m = this.moves.length - 1; m >= 0; m--) {
      const { body, original, copies } = this.moves[m];
      for (const copy of copies) copy.remove();
      for (let i = original.length - 1; i >= 0; i--) {
        const node = original[i];
        if (node.parentNode !== body) body.insertBefore(node, i + 1 < original.length ? original[i + 1] : null);
      }
    }
    this.moves = [];
  }

  /**
   * After a patch: forget the scrolls it answered (`ack` covers them), speculate the others again.
   * @param {number} ack The patch's `ack`.
   * @returns {void}
   */
  redo(ack = 0) {
    for (const [node, scroll] of this.scrolls) {
      if (scroll.eid <= ack) {
        this.scrolls.delete(node);
        continue;
      }
      const feed = this.feeds.get(node);
      const body = this.dom.nodes.get(node);
      if (feed === undefined || !(body instanceof Element) || !this.fill(body, feed, scroll.start, scroll.end)) {
        this.scrolls.delete(node);
      }
    }
  }

  /**
   * Forget everything (a new `init`: the host sends its feeds again).
   * @returns {void}
   */
  clear() {
    this.flush(); // the pongs among them are owed to the host (its feed waits for them)
    this.undo();
    this.feeds.clear();
    this.scrolls.clear();
  }

  /**
   * Make `body` show rows `[start, end)` as the host will. Nothing changes when the feed lacks a
   * row, disagrees with a row the DOM shows (the rows changed), or the focused element would
   * leave the DOM.
   * @private
   * @param {Element} body The `rowgroup`: top spacer, rows, bottom spacer.
   * @param {Feed} feed
   * @param {number} start
   * @param {number} end
   * @returns {boolean} Whether the body shows (or already showed) that window.
   */
  fill(body, feed, start, end) {
    const slots = feed.slots;
    const children = Array.from(body.children);
    if (children.length < 3) return false;
    const rows = children.slice(1, -1);
    const aria = slots.findIndex(([offset, kind, name]) => offset === 0 && kind === "attr" && name === "aria-rowindex");
    const first = feed.row(0); // every version's first chunk starts at 0
    if (aria < 0 || first === undefined) return false;
    const lo = Number(first[aria]) - 2; // the page's first position (a paged table's offset)
    const oldStart = Number(rows[0].getAttribute("aria-rowindex")) - 2 - lo;
    const oldEnd = oldStart + rows.length;
    if (oldStart === start && oldEnd === end) return true;
    /** @type {unknown[][]} */
    const wanted = [];
    for (let p = start; p < end; p++) {
      const values = feed.row(p);
      if (values === undefined) return false;
      wanted.push(values);
    }
    // What the DOM shows must be what the feed says (else the feed is stale: drop nothing, show nothing).
    for (let j = 0; j < rows.length; j++) {
      if (!shows(rows[j], slots, feed.row(oldStart + j))) return false;
    }
    const jump = end <= oldStart || start >= oldEnd;
    /** @type {(Element | null)[]} element per new position, null: an inert copy */
    const taken = [];
    for (let p = start; p < end; p++) {
      const j = jump ? p - start : p - oldStart;
      taken.push(j >= 0 && j < rows.length && (jump || (p >= oldStart && p < oldEnd)) ? rows[j] : null);
    }
    const kept = new Set(taken);
    const focused = body.ownerDocument.activeElement;
    if (focused !== null && rows.some((row) => !kept.has(row) && row.contains(focused))) return false;
    const original = Array.from(body.childNodes);
    /** @type {Element[]} */
    const copies = [];
    for (const row of rows) if (!kept.has(row)) row.remove();
    const bottom = children[children.length - 1];
    /** @type {Element[]} the element at each new position */
    const placed = new Array(taken.length);
    let next = /** @type {Node} */ (bottom);
    for (let i = taken.length - 1; i >= 0; i--) {
      let row = taken[i];
      if (row === null) {
        row = /** @type {Element} */ (rows[rows.length - 1].cloneNode(true));
        row.setAttribute("inert", "");
        copies.push(row);
        body.insertBefore(row, next);
      }
      placed[i] = row;
      next = row;
    }
    this.moves.push({ body, original, copies });
    for (let i = 0; i < placed.length; i++) {
      // a row that stays (no jump) shows the same row at the same position: nothing to change
      if (jump || taken[i] === null) this.set(walk(placed[i]), slots, wanted[i]);
    }
    const h = feed.rowHeight;
    this.set([children[0]], [[0, "attr", "style"]], [`height:${start * h}px`]);
    this.set([bottom], [[0, "attr", "style"]], [`height:${(feed.count - end) * h}px`]);
    return true;
  }

  /**
   * Give `nodes` (a row's nodes in document order) the slot values `values`, recording the old.
   * @private
   * @param {Node[]} nodes
   * @param {[number, string, string][]} slots
   * @param {unknown[]} values
   */
  set(nodes, slots, values) {
    for (let s = 0; s < slots.length; s++) {
      const [offset, kind, name] = slots[s];
      const node = nodes[offset];
      if (node === undefined || kind === "event") continue;
      const old = read(node, kind, name);
      if (old === values[s]) continue;
      if (kind === "attr" && values[s] !== null && !isSafeAttributeValue(name, String(values[s]))) continue;
      this.overwrites.push({ node, kind, name, old });
      write(node, kind, name, values[s]);
    }
  }
}

/**
 * A row's nodes in document order (the template's offsets: `id + k` for a mounted instance).
 * @param {Node} row
 * @returns {Node[]}
 */
function walk(row) {
  /** @type {Node[]} */
  const out = [];
  const visit = (/** @type {Node} */ node) => {
    out.push(node);
    for (let child = node.firstChild; child !== null; child = child.nextSibling) visit(child);
  };
  visit(row);
  return out;
}

/**
 * Whether `row` shows the slot values `values` (texts and attributes; properties are the
 * person's to change).
 * @param {Element} row
 * @param {[number, string, string][]} slots
 * @param {unknown[] | undefined} values
 * @returns {boolean}
 */
function shows(row, slots, values) {
  if (values === undefined) return false;
  const nodes = walk(row);
  for (let s = 0; s < slots.length; s++) {
    const [offset, kind, name] = slots[s];
    if (kind !== "text" && kind !== "attr") continue;
    const node = nodes[offset];
    if (node === undefined) return false;
    const shown = read(node, kind, name);
    if (kind === "attr" && name === "class") {
      // the loading mark (`tw-loading`) may be on it; compare the host's classes only
      const wanted = values[s] === null ? "" : String(values[s]);
      if (String(shown ?? "").split(" ").filter((c) => c !== CLASS_LOADING).join(" ") !== wanted) return false;
    } else if (shown !== values[s]) return false;
  }
  return true;
}

/**
 * @param {Node} node
 * @param {string} kind
 * @param {string} name
 * @returns {unknown}
 */
function read(node, kind, name) {
  if (kind === "text") return /** @type {Text} */ (node).data;
  if (kind === "attr") return /** @type {Element} */ (node).getAttribute(name);
  return /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (node))[name];
}

/**
 * @param {Node} node
 * @param {string} kind
 * @param {string} name
 * @param {unknown} value
 */
function write(node, kind, name, value) {
  if (kind === "text") /** @type {Text} */ (node).data = String(value);
  else if (kind === "attr") {
    if (value === null || value === undefined) /** @type {Element} */ (node).removeAttribute(name);
    else /** @type {Element} */ (node).setAttribute(name, String(value));
  } else /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (node))[name] = value;
}
