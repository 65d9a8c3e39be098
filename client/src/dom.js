// @ts-check
/**
 * Patch application and hydration: the client's `Map<id, Node>` and every DOM write.
 *
 * DOM writes go only through createElement(NS)/createTextNode/Text.data/setAttribute
 * (allowlisted names, scheme-checked URLs)/removeAttribute/known properties/insertBefore/
 * CSSStyleSheet.insertRule. Ops are arrays with the tag first; their field positions come from
 * the generated `constants.js`.
 * @module dom
 */

import {
  ATTR_COLOR_SCHEME, FORBIDDEN_TAGS as FORBIDDEN_TAG_NAMES, ATTR_LISTENERS, ATTR_NODE_ID, ATTR_PROPS, ATTR_TEXT_ID, NODE, NODE_FIELD, NODE_MIN_LENGTH, OP, OP_FIELD, OP_MIN_LENGTH,
  ROOT_ID, SLOT_KINDS, STYLE_ELEMENT_ID,
} from "./constants.js";
import { composing } from "./events.js";
import { isSafeAttributeName, isSafeAttributeValue } from "./urls.js";

/** A malformed op or an op that addresses an unknown node: the batch cannot be applied. */
export class OpError extends Error {
  /**
   * @param {string} message Human-readable detail.
   */
  constructor(message) {
    super(message);
    this.name = "OpError";
  }
}

/**
 * Callbacks the tree needs from its session.
 * @typedef {object} DomHooks
 * @property {(code: string, message: string) => void} report Non-fatal problem (dropped unsafe
 *   attribute, unknown property, invalid CSS rule): logged and dispatched as an error event.
 * @property {(name: string) => void} listen A node started listening to DOM event `name`.
 * @property {(node: Node) => number} lastInputEid Highest eid of an input-ish event sent for `node`.
 * @property {(fn: () => void) => void} withoutFocusEvents Runs `fn` with focus/blur events muted.
 */

/**
 * A template built from a `template` op: its static markup, cloned once per instance.
 * @typedef {object} BuiltTemplate
 * @property {Node} proto The static markup (detached; never inserted).
 * @property {number} size Nodes per instance (document order: node `k` gets id `base + k`).
 * @property {[number, Record<string, unknown>][]} events Static listeners: offset, name -> flags.
 * @property {[number, Record<string, unknown>][]} props Static properties: offset, name -> value.
 * @property {[number, string, string][]} slots Offset, kind (`text`/`attr`/`prop`/`event`), name.
 * @property {boolean} autofocus Whether a static attribute is `autofocus`.
 */

/** Known DOM properties and the value `null` resets them to. */
export const PROP_DEFAULTS = new Map(/** @type {[string, unknown][]} */ ([
  ["value", ""], ["checked", false], ["selected", false], ["indeterminate", false],
  ["disabled", false], ["open", false], ["readOnly", false], ["required", false],
  ["multiple", false], ["hidden", false], ["defaultValue", ""], ["defaultChecked", false],
  ["selectedIndex", -1], ["scrollTop", 0], ["scrollLeft", 0], ["muted", false], ["volume", 1],
  ["currentTime", 0], ["playbackRate", 1], ["loop", false], ["autoplay", false], ["controls", false],
]));

/** Properties the user edits: subject to the controlled-input rule. */
const USER_PROPS = new Set(["value", "checked"]);

const HTML_NS = "http://www.w3.org/1999/xhtml";
const XLINK_NS = "http://www.w3.org/1999/xlink";
const XML_NS = "http://www.w3.org/XML/1998/namespace";

/**
 * Attributes that live in a namespace on SVG and MathML elements: the HTML parser puts them
 * there ("adjust foreign attributes"), so a prerendered page has them there, and an SVG `<use>`
 * reads only a `xlink:href` in the XLink namespace (`setAttribute` puts it in none).
 * https://html.spec.whatwg.org/multipage/parsing.html#adjust-foreign-attributes
 * @type {Map<string, string>}
 */
const FOREIGN_ATTRIBUTES = new Map([
  ...["actuate", "arcrole", "href", "role", "show", "title", "type"].map((n) => /** @type {[string, string]} */ ([`xlink:${n}`, XLINK_NS])),
  ["xml:lang", XML_NS], ["xml:space", XML_NS],
]);

/** Tags whose creation would run script or load active content. */
const FORBIDDEN_TAGS = new Set(FORBIDDEN_TAG_NAMES);

const TAG_NAME = /^[a-zA-Z][a-zA-Z0-9-]*$/;

/** What a template slot sets. @type {Set<unknown>} */
const SLOT_KIND = new Set(SLOT_KINDS);

/**
 * Attribute names already found safe whatever their value (allowed names that are not URL
 * attributes): the per-attribute checks run once per name, not once per node.
 * @type {Set<string>}
 */
const SAFE_PLAIN_NAMES = new Set();
const EVENT_NAME = /^[a-zA-Z][a-zA-Z0-9_:-]*$/;

/** @param {unknown} value @returns {value is Record<string, unknown>} */
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** @param {unknown} value @returns {value is number} */
function isId(value) {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

/**
 * @param {unknown[]} op
 * @param {number} index
 * @param {string} what
 * @returns {Record<string, unknown>}
 */
function objectAt(op, index, what) {
  const value = op[index] === undefined ? {} : op[index];
  if (!isObject(value)) throw new OpError(`${what} must be an object`);
  return value;
}

/**
 * @param {unknown[]} op
 * @param {number} index
 * @param {string} what
 * @returns {string[]}
 */
function stringsAt(op, index, what) {
  const value = op[index];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new OpError(`${what} must be an array of strings`);
  }
  return value;
}

/**
 * Node -> id, stored on the node under a per-tree symbol (a property store is much cheaper than
 * a WeakMap insertion, and a create of 10,000 jsfb rows registers 120,000 nodes). Same `get`
 * as the WeakMap it replaces; a new instance forgets every id of the previous one.
 */
class NodeIds {
  constructor() {
    /** @private @readonly */
    this.key = Symbol("tw-id");
  }

  /**
   * @param {Node} node
   * @returns {number | undefined}
   */
  get(node) {
    return /** @type {Record<symbol, number | undefined>} */ (/** @type {unknown} */ (node))[this.key];
  }

  /**
   * @param {Node} node
   * @param {number} id
   * @returns {void}
   */
  set(node, id) {
    /** @type {Record<symbol, number>} */ (/** @type {unknown} */ (node))[this.key] = id;
  }
}

/**
 * @param {Node} root
 * @returns {NodeIds}
 */
function rootIds(root) {
  const ids = new NodeIds();
  ids.set(root, ROOT_ID);
  return ids;
}

/**
 * Tag names already validated (syntax, not forbidden): checked once per name, not per node.
 * @type {Set<unknown>}
 */
const VALID_TAGS = new Set();

/**
 * Create an element of a valid, allowed tag.
 * @param {Document} doc
 * @param {unknown} tag
 * @param {unknown} ns Namespace URI, or `null` for HTML.
 * @returns {Element}
 * @throws {OpError} Invalid or forbidden tag, or a namespace that is not a string.
 */
function createElement(doc, tag, ns) {
  if (!VALID_TAGS.has(tag)) {
    if (typeof tag !== "string" || !TAG_NAME.test(tag)) throw new OpError(`invalid tag ${JSON.stringify(tag)}`);
    if (FORBIDDEN_TAGS.has(tag.toLowerCase())) throw new OpError(`creating <${tag}> is not allowed`);
    VALID_TAGS.add(tag);
  }
  if (ns !== null && typeof ns !== "string") throw new OpError("ns must be a string or null");
  const name = /** @type {string} */ (tag);
  return ns === null ? doc.createElement(name) : doc.createElementNS(ns, name);
}

/** The DOM tree of one mounted root, addressed by the host's stable ids. */
export class DomTree {
  /**
   * @param {Element} root The mount element (id `ROOT_ID`).
   * @param {DomHooks} hooks Session callbacks.
   */
  constructor(root, hooks) {
    /** @readonly */
    this.root = root;
    /** @private @readonly */
    this.hooks = hooks;
    /** @type {Map<number, Node>} id -> node */
    this.nodes = new Map([[ROOT_ID, root]]);
    /** @type {NodeIds} node -> id (to forget a removed subtree's ids; event targets) */
    this.ids = rootIds(root);
    /** @type {WeakMap<Node, Map<string, number>>} node -> (event name -> listener flags) */
    this.listeners = new WeakMap();
    /** @private @type {Set<string>} rule texts already inserted */
    this.rules = new Set();
    /**
     * Templates by number (`template` ops). A host never gives a number two definitions, so one
     * built stays valid until a full resync (`reset()`), which may come from another process.
     * @private @type {Map<number, BuiltTemplate>}
     */
    this.templates = new Map();
    /** @private @type {Element | null} element with `autofocus` built by the current create op */
    this.autofocus = null;
    /**
     * The `selected` property the app last gave each option (`null`: false), which resetting
     * its select restores.
     * @private @type {WeakMap<Element, boolean>}
     */
    this.optionSelected = new WeakMap();
    /**
     * What the person typed or ticked in controls the app does not own, taken by `reset()`
     * and given back to the rebuilt controls by the next `apply()` (see `userOwnedState`).
     * @private @type {Map<number, CarriedControl>}
     */
    this.carried = new Map();
  }

  /**
   * Forget every id and remove every child of the root (a full resync follows).
   * @returns {void}
   */
  reset() {
    this.carried = this.userOwnedState();
    while (this.root.firstChild !== null) this.root.removeChild(this.root.firstChild);
    this.nodes = new Map([[ROOT_ID, this.root]]);
    this.ids = rootIds(this.root);
    this.templates.clear();
    const rootListeners = this.listeners.get(this.root);
    this.listeners = new WeakMap();
    if (rootListeners !== undefined) this.listeners.set(this.root, rootListeners);
  }

  /**
   * Adopt the prerendered DOM under the root (docs/design.md "Hydration markers"): map
   * `data-tw` elements, the text node after each `<!--id-->` comment and the text of a
   * `data-tw-text` element, attach `data-tw-on` listeners, then remove the markers. No node is
   * recreated.
   * @returns {number} The number of nodes mapped (the root excluded).
   * @throws {OpError} A marker carries an invalid or duplicate id, an element has no id (the
   *   parser rearranged the markup), or an element's text could not be prerendered: the caller
   *   mounts the page afresh (full resync).
   */
  hydrate() {
    const doc = this.root.ownerDocument;
    const walker = doc.createTreeWalker(this.root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT);
    /** @type {Comment[]} */
    const comments = [];
    let count = 0;
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      if (node.nodeType === Node.COMMENT_NODE) {
        const comment = /** @type {Comment} */ (node);
        if (!/^\d+$/.test(comment.data)) continue;
        comments.push(comment);
        let text = comment.nextSibling;
        if (text === null || text.nodeType !== Node.TEXT_NODE) {
          text = doc.createTextNode("");
          comment.parentNode?.insertBefore(text, comment.nextSibling);
        }
        this.register(Number(comment.data), text);
        count += 1;
        continue;
      }
      const element = /** @type {Element} */ (node);
      const id = element.getAttribute(ATTR_NODE_ID);
      // Every element the prerender wrote has an id: one without was made by the parser, which
      // rearranged markup it does not take as written (a <div> in a <p>, a <tr> straight in a
      // <table>), so the ids no longer say where nodes are.
      if (id === null) throw new OpError(`a <${element.localName}> the prerender did not write (markup the parser rearranged)`);
      if (!/^\d+$/.test(id)) throw new OpError(`invalid hydration id ${JSON.stringify(id)}`);
      this.register(Number(id), element);
      count += 1;
      const props = element.getAttribute(ATTR_PROPS);
      if (props !== null) {
        // Properties without an attribute form (indeterminate), as a create would set them.
        /** @type {unknown} */
        let parsed;
        try {
          parsed = JSON.parse(props);
        } catch {
          throw new OpError(`invalid ${ATTR_PROPS} ${JSON.stringify(props.slice(0, 80))}`);
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
          throw new OpError(`${ATTR_PROPS} must be a JSON object`);
        }
        this.setProps(element, /** @type {Record<string, unknown>} */ (parsed), Infinity);
        element.removeAttribute(ATTR_PROPS);
      }
      const textId = element.getAttribute(ATTR_TEXT_ID);
      if (textId !== null) {
        // Content the parser reads as text (<style>, <textarea>...): its one text node's id.
        if (!/^\d+$/.test(textId) || element.childNodes.length > 1) {
          throw new OpError(`<${element.localName}> content the prerender could not write as it is`);
        }
        let text = element.firstChild;
        if (text === null) text = element.appendChild(doc.createTextNode(""));
        if (text.nodeType !== Node.TEXT_NODE) throw new OpError(`<${element.localName}> content is not text`);
        this.register(Number(textId), text);
        count += 1;
        element.removeAttribute(ATTR_TEXT_ID);
      }
      const on = element.getAttribute(ATTR_LISTENERS);
      if (on !== null) {
        for (const item of on.split(/\s+/)) {
          if (item === "") continue;
          // `name:flags`; a name may hold colons itself (`tempestweb:dismiss`): flags follow the last.
          const at = item.lastIndexOf(":");
          const flags = at < 0 ? "" : item.slice(at + 1);
          const bare = at < 0 || !/^\d+$/.test(flags);
          this.setListener(element, bare ? item : item.slice(0, at), bare ? 0 : Number(flags));
        }
      }
      element.removeAttribute(ATTR_NODE_ID);
      element.removeAttribute(ATTR_LISTENERS);
    }
    for (const comment of comments) comment.remove();
    const sheet = doc.getElementById(STYLE_ELEMENT_ID);
    if (sheet !== null && !(sheet instanceof HTMLStyleElement)) {
      this.hooks.report("malformed_frame", `#${STYLE_ELEMENT_ID} is not a <style> element`);
    }
    return count;
  }

  /**
   * Apply a batch of ops in order.
   * @param {unknown} ops The `ops` array of an `init` or `patch` frame.
   * @param {number} ack The frame's `ack` (`Infinity` for `init`): `value`/`checked` props of a
   *   node with a newer input-ish event are skipped (the user's typing wins).
   * @returns {void}
   * @throws {OpError} On the first malformed op or unknown id; earlier ops stay applied and
   *   the caller must resync.
   */
  apply(ops, ack) {
    if (!Array.isArray(ops)) throw new OpError("ops must be an array");
    let i = 0;
    while (i < ops.length) {
      const op = ops[i];
      if (!Array.isArray(op) || typeof op[0] !== "string") throw new OpError(`op ${i} is not a tagged array`);
      const min = OP_MIN_LENGTH[op[0]];
      if (min === undefined) throw new OpError(`op ${i}: unknown op ${JSON.stringify(op[0])}`);
      if (op.length < min) throw new OpError(`op ${i} (${op[0]}) has ${op.length} items, needs ${min}`);
      if (op[0] === OP.CREATE) i = this.applyCreates(ops, i);
      else if (op[0] === OP.REMOVE) i = this.applyRemoves(ops, i);
      else {
        this.applyOne(op, ack);
        i += 1;
      }
    }
    if (this.carried.size > 0) this.restoreUserOwnedState();
  }

  /**
   * The state of every form control under the root that the person changed and the app does
   * not own: an `<input>`, `<textarea>` or `<select>` with no `input` or `change` listener (no
   * handler sees it, so no render will ever set it back) whose value, checkedness or
   * selection differs from its default. A full resync (a hot reload, a new session) rebuilds
   * the tree, and without this the text typed into such a field would be lost (issue 12).
   * Controls with a handler are the app's: its state holds their value and the resync sets it.
   * https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#concept-fe-dirty
   * @private
   * @returns {Map<number, CarriedControl>} Wire id -> state.
   */
  userOwnedState() {
    /** @type {Map<number, CarriedControl>} */
    const carried = new Map();
    /** @type {Map<string, number>} */
    const seen = new Map();
    for (const control of this.root.querySelectorAll("input, textarea, select")) {
      const id = this.ids.get(control);
      const key = controlKey(control);
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      if (id === undefined || this.ownedByApp(control)) continue;
      const state = controlState(control, index);
      if (state !== null) carried.set(id, state);
    }
    return carried;
  }

  /**
   * Give the state taken by `reset()` back to the controls rebuilt under the same wire id
   * with the same tag, type and name, unless the new tree sets that state itself.
   * @private
   * @returns {void}
   */
  restoreUserOwnedState() {
    const carried = this.carried;
    this.carried = new Map();
    /** @type {Map<string, Element[]>} */
    const byKey = new Map();
    for (const control of this.root.querySelectorAll("input, textarea, select")) {
      const key = controlKey(control);
      byKey.set(key, [...(byKey.get(key) ?? []), control]);
    }
    for (const [id, state] of carried) {
      // The same element id, else the same wire id, else the same place among its likes.
      const byDomId = state.domId === "" ? null : this.root.ownerDocument.getElementById(state.domId);
      const byWireId = this.nodes.get(id);
      const control = [byDomId, byWireId, byKey.get(state.key)?.[state.index]].find(
        (node) => node instanceof Element && this.root.contains(node) && controlKey(node) === state.key,
      );
      if (!(control instanceof Element) || this.ownedByApp(control)) continue;
      if (controlState(control, state.index) !== null) continue; // the app set it: the app's value wins
      if (control instanceof HTMLSelectElement) {
        for (const option of control.options) option.selected = state.selected.includes(option.value);
      } else if (control instanceof HTMLInputElement && (control.type === "checkbox" || control.type === "radio")) {
        control.checked = state.checked;
      } else {
        setValue(control, state.value);
      }
    }
  }

  /**
   * @private
   * @param {Element} control
   * @returns {boolean} Whether a handler of the app sees the control's input (its state is then
   *   the app's, and a render sets it).
   */
  ownedByApp(control) {
    const listeners = this.listeners.get(control);
    return listeners?.has("input") === true || listeners?.has("change") === true;
  }

  /**
   * Apply the run of `create` ops starting at `start` that fill one contiguous place of one
   * parent (same `before`, or before a node created earlier in the run: the host emits keyed
   * creates right to left). The run is built in one detached DocumentFragment and inserted with
   * one `insertBefore`; the result is the same as applying the ops one by one.
   * @private
   * @param {unknown[]} ops The batch (ops[start] is a well-formed `create` op).
   * @param {number} start Index of the first `create`.
   * @returns {number} Index of the first op after the run.
   * @throws {OpError} On a malformed first op; later malformed ops end the run and are
   *   reported when applied on their own. Nodes built before an error are still inserted.
   */
  applyCreates(ops, start) {
    const f = OP_FIELD.create;
    const first = /** @type {unknown[]} */ (ops[start]);
    const parentId = first[f.parent];
    const parent = this.container(parentId);
    const beforeId = first[f.before] === undefined ? null : first[f.before];
    const before = this.sibling(parent, beforeId);
    const frag = parent.ownerDocument.createDocumentFragment();
    const minLength = OP_MIN_LENGTH[OP.CREATE];
    /** @type {Element | null} */
    let focus = null;
    let i = start;
    try {
      while (i < ops.length) {
        const op = ops[i];
        if (!Array.isArray(op) || op[0] !== OP.CREATE || op.length < minLength || op[f.parent] !== parentId) break;
        const opBefore = op[f.before] === undefined ? null : op[f.before];
        /** @type {Node | null} */
        let at = null;
        if (opBefore !== beforeId) {
          at = isId(opBefore) ? (this.nodes.get(opBefore) ?? null) : null;
          if (at === null || at.parentNode !== frag) break; // not within this run: apply on its own
        }
        this.autofocus = null;
        const node = this.build(op[f.node], 1);
        if (at === null) frag.appendChild(node);
        else frag.insertBefore(node, at);
        const created = /** @type {Element | null} */ (this.autofocus);
        if (created !== null) focus = created;
        i += 1;
      }
    } finally {
      this.autofocus = null;
      parent.insertBefore(frag, before);
    }
    // `autofocus` only works at page load; like React, focus an element created with it.
    if (focus !== null && focus.isConnected) /** @type {HTMLElement} */ (focus).focus();
    return i;
  }

  /**
   * Apply the run of `remove` ops starting at `start`. When the run removes every child of
   * one parent (jsfb "clear", or the removal half of a full replace) the parent is emptied with
   * one `textContent = ""` instead of one `removeChild` per node.
   * @private
   * @param {unknown[]} ops The batch (ops[start] is a well-formed `remove` op).
   * @param {number} start Index of the first `remove`.
   * @returns {number} Index of the first op after the run.
   * @throws {OpError} The first op removes the root or an unknown id.
   */
  applyRemoves(ops, start) {
    const field = OP_FIELD.remove.id;
    const id = /** @type {unknown[]} */ (ops[start])[field];
    if (id === ROOT_ID) throw new OpError("the root cannot be removed");
    const first = this.get(id);
    const parent = first.parentNode;
    /** @type {Node[]} */
    const nodes = [first];
    let i = start + 1;
    if (parent !== null) {
      const minLength = OP_MIN_LENGTH[OP.REMOVE];
      const seen = new Set(nodes);
      while (i < ops.length) {
        const op = ops[i];
        if (!Array.isArray(op) || op[0] !== OP.REMOVE || op.length < minLength) break;
        const next = op[field];
        const node = isId(next) && next !== ROOT_ID ? this.nodes.get(next) : undefined;
        if (node === undefined || node.parentNode !== parent || seen.has(node)) break;
        seen.add(node);
        nodes.push(node);
        i += 1;
      }
    }
    if (parent !== null && nodes.length > 1 && nodes.length === parent.childNodes.length) {
      parent.textContent = "";
    } else {
      for (const node of nodes) node.parentNode?.removeChild(node);
    }
    for (const node of nodes) this.forget(node);
    return i;
  }

  /**
   * @private
   * @param {unknown[]} op
   * @param {number} ack
   */
  applyOne(op, ack) {
    switch (op[0]) {
      case OP.MOVE: {
        const f = OP_FIELD.move;
        const node = this.get(op[f.id]);
        if (node === this.root) throw new OpError("the root cannot be moved");
        const parent = this.container(op[f.parent]);
        const before = this.sibling(parent, op[f.before]);
        if (node.contains(before) || node.contains(parent)) throw new OpError("cannot move a node into itself");
        this.moveKeepingFocus(node, parent, before);
        return;
      }
      case OP.ATTRS: {
        const element = this.element(op[OP_FIELD.attrs.id]);
        this.setAttributes(element, objectAt(op, OP_FIELD.attrs.attrs, "attrs"));
        return;
      }
      case OP.RMATTRS: {
        const element = this.element(op[OP_FIELD.rmattrs.id]);
        for (const name of stringsAt(op, OP_FIELD.rmattrs.names, "names")) element.removeAttribute(name);
        return;
      }
      case OP.PROPS: {
        const element = this.element(op[OP_FIELD.props.id]);
        this.setProps(element, objectAt(op, OP_FIELD.props.props, "props"), ack);
        return;
      }
      case OP.TEXT: {
        const node = this.get(op[OP_FIELD.text.id]);
        const text = op[OP_FIELD.text.text];
        if (node.nodeType !== Node.TEXT_NODE) throw new OpError(`node ${op[OP_FIELD.text.id]} is not a text node`);
        if (typeof text !== "string") throw new OpError("text must be a string");
        const textNode = /** @type {Text} */ (node);
        if (textNode.data !== text) textNode.data = text;
        return;
      }
      case OP.LISTEN: {
        const element = this.element(op[OP_FIELD.listen.id]);
        this.setListeners(element, objectAt(op, OP_FIELD.listen.events, "events"));
        return;
      }
      case OP.UNLISTEN: {
        const element = this.element(op[OP_FIELD.unlisten.id]);
        const map = this.listeners.get(element);
        for (const name of stringsAt(op, OP_FIELD.unlisten.names, "names")) map?.delete(name);
        return;
      }
      case OP.STYLES:
        this.addStyles(stringsAt(op, OP_FIELD.styles.rules, "rules"));
        return;
      case OP.TEMPLATE:
        this.defineTemplate(op);
        return;
      default:
        throw new OpError(`unknown op ${JSON.stringify(op[0])}`);
    }
  }

  /**
   * @param {unknown} id
   * @returns {Node}
   */
  get(id) {
    if (!isId(id)) throw new OpError(`invalid node id ${JSON.stringify(id)}`);
    const node = this.nodes.get(id);
    if (node === undefined) throw new OpError(`unknown node id ${id}`);
    return node;
  }

  /**
   * @private
   * @param {unknown} id
   * @returns {Element}
   */
  element(id) {
    const node = this.get(id);
    if (node.nodeType !== Node.ELEMENT_NODE) throw new OpError(`node ${id} is not an element`);
    return /** @type {Element} */ (node);
  }

  /**
   * @private
   * @param {unknown} id
   * @returns {Element}
   */
  container(id) {
    return this.element(id);
  }

  /**
   * @private
   * @param {Element} parent
   * @param {unknown} id
   * @returns {Node | null}
   */
  sibling(parent, id) {
    if (id === null || id === undefined) return null;
    const node = this.get(id);
    if (node.parentNode !== parent) throw new OpError(`node ${id} is not a child of the target parent`);
    return node;
  }

  /**
   * @private
   * @param {number} id
   * @param {Node} node
   */
  register(id, node) {
    if (this.nodes.has(id)) throw new OpError(`node id ${id} is already in use`);
    this.nodes.set(id, node);
    this.ids.set(node, id);
  }

  /**
   * Forget the ids of `node` and its whole subtree.
   * @private
   * @param {Node} node
   */
  forget(node) {
    /** @type {Node[]} */
    const stack = [node];
    while (stack.length > 0) {
      const current = /** @type {Node} */ (stack.pop());
      const id = this.ids.get(current);
      if (id !== undefined && this.nodes.get(id) === current) this.nodes.delete(id);
      for (let child = current.firstChild; child !== null; child = child.nextSibling) stack.push(child);
    }
  }

  /**
   * Build a node spec (and its subtree) detached from the document.
   * @private
   * @param {unknown} spec
   * @param {number} depth
   * @returns {Node}
   */
  build(spec, depth) {
    if (!Array.isArray(spec) || typeof spec[0] !== "string") throw new OpError("node spec is not a tagged array");
    const min = NODE_MIN_LENGTH[spec[0]];
    if (min === undefined) throw new OpError(`unknown node spec ${JSON.stringify(spec[0])}`);
    if (spec.length < min) throw new OpError(`node spec ${spec[0]} is too short`);
    if (spec[0] === NODE.TEMPLATE) return this.instantiate(spec);
    const doc = this.root.ownerDocument;
    if (spec[0] === NODE.TEXT) {
      const f = NODE_FIELD.t;
      const text = spec[f.text];
      if (!isId(spec[f.id]) || typeof text !== "string") throw new OpError("invalid text node spec");
      const node = doc.createTextNode(text);
      this.register(spec[f.id], node);
      return node;
    }
    const f = NODE_FIELD.e;
    const id = spec[f.id];
    const tag = spec[f.tag];
    const ns = spec[f.ns] === undefined ? null : spec[f.ns];
    if (!isId(id)) throw new OpError(`invalid node id ${JSON.stringify(id)}`);
    const element = createElement(doc, tag, ns);
    this.register(id, element);
    const attrs = objectAt(spec, f.attrs, "attrs");
    this.setAttributes(element, attrs, true);
    if ("autofocus" in attrs && typeof (/** @type {HTMLElement} */ (element).focus) === "function") {
      this.autofocus = element;
    }
    this.setListeners(element, objectAt(spec, f.events, "events"));
    const children = spec[f.children] === undefined ? [] : spec[f.children];
    if (!Array.isArray(children)) throw new OpError("children must be an array");
    for (const child of children) element.appendChild(this.build(child, depth + 1));
    this.setProps(element, objectAt(spec, f.props, "props"), Infinity);
    return element;
  }

  /**
   * Build the static markup of a `template` op once (the same checks as a `create`'s nodes);
   * a number already built is kept (a host never redefines one).
   * @private
   * @param {unknown[]} op
   * @throws {OpError} Malformed markup or slots, or ids that are not the offsets in document order.
   */
  defineTemplate(op) {
    const f = OP_FIELD.template;
    const number = op[f.template];
    if (!isId(number)) throw new OpError(`invalid template number ${JSON.stringify(number)}`);
    if (this.templates.has(number)) return;
    /** @type {BuiltTemplate} */
    const built = { proto: this.root, size: 0, events: [], props: [], slots: [], autofocus: false };
    const doc = this.root.ownerDocument;
    /** @param {unknown} spec @returns {Node} */
    const make = (spec) => {
      if (!Array.isArray(spec) || (spec[0] !== NODE.ELEMENT && spec[0] !== NODE.TEXT)) {
        throw new OpError(`template ${number}: a node is not an element or text spec`);
      }
      if (spec.length < NODE_MIN_LENGTH[spec[0]]) throw new OpError(`template ${number}: node spec too short`);
      const offset = built.size;
      if (spec[1] !== offset) throw new OpError(`template ${number}: node ${offset} has id ${JSON.stringify(spec[1])}`);
      built.size += 1;
      if (spec[0] === NODE.TEXT) {
        const text = spec[NODE_FIELD.t.text];
        if (typeof text !== "string") throw new OpError(`template ${number}: invalid text node`);
        return doc.createTextNode(text);
      }
      const e = NODE_FIELD.e;
      const element = createElement(doc, spec[e.tag], spec[e.ns] === undefined ? null : spec[e.ns]);
      const attrs = objectAt(spec, e.attrs, "attrs");
      this.setAttributes(element, attrs, true);
      if ("autofocus" in attrs) built.autofocus = true;
      const events = objectAt(spec, e.events, "events");
      if (Object.keys(events).length > 0) built.events.push([offset, events]);
      const props = objectAt(spec, e.props, "props");
      if (Object.keys(props).length > 0) built.props.push([offset, props]);
      const children = spec[e.children] === undefined ? [] : spec[e.children];
      if (!Array.isArray(children)) throw new OpError(`template ${number}: children must be an array`);
      for (const child of children) element.appendChild(make(child));
      return element;
    };
    built.proto = make(op[f.node]);
    const slots = op[f.slots] === undefined ? [] : op[f.slots];
    if (!Array.isArray(slots)) throw new OpError(`template ${number}: slots must be an array`);
    for (const slot of slots) {
      if (
        !Array.isArray(slot) || !isId(slot[0]) || slot[0] >= built.size || typeof slot[2] !== "string"
        || !SLOT_KIND.has(slot[1])
      ) {
        throw new OpError(`template ${number}: invalid slot ${JSON.stringify(slot)}`);
      }
      built.slots.push([slot[0], slot[1], slot[2]]);
    }
    this.templates.set(number, built);
  }

  /**
   * Build one instance of a defined template: clone its markup, register ids `base + offset`
   * in document order, then set its listeners, properties and slots.
   * @private
   * @param {unknown[]} spec An `i` node spec.
   * @returns {Node}
   * @throws {OpError} Unknown template, wrong slot count or a slot value of the wrong type.
   */
  instantiate(spec) {
    const f = NODE_FIELD.i;
    const base = spec[f.id];
    const number = spec[f.template];
    const values = spec[f.slots];
    if (!isId(base)) throw new OpError(`invalid node id ${JSON.stringify(base)}`);
    const built = isId(number) ? this.templates.get(number) : undefined;
    if (built === undefined) throw new OpError(`template ${JSON.stringify(number)} is not defined in this batch`);
    const slots = built.slots;
    if (!Array.isArray(values) || values.length !== slots.length) {
      throw new OpError(`template ${number}: an instance needs ${slots.length} slot values`);
    }
    const root = built.proto.cloneNode(true);
    /** @type {Node[]} */
    const nodes = [root];
    // document order: the clone has the markup's structure, whose ids are these offsets
    let node = root.firstChild;
    while (node !== null) {
      nodes.push(node);
      if (node.firstChild !== null) {
        node = node.firstChild;
        continue;
      }
      /** @type {Node} */
      let up = node;
      while (up !== root && up.nextSibling === null) up = /** @type {Node} */ (up.parentNode);
      node = up === root ? null : up.nextSibling;
    }
    for (let k = 0; k < nodes.length; k++) this.register(base + k, nodes[k]);
    for (const [k, events] of built.events) this.setListeners(/** @type {Element} */ (nodes[k]), events);
    for (let s = 0; s < slots.length; s++) {
      const value = values[s];
      if (value === null) continue;
      const [k, kind, name] = slots[s];
      const node = nodes[k];
      if (kind === "text") {
        if (typeof value !== "string" || node.nodeType !== Node.TEXT_NODE) throw new OpError(`template ${number}: text slot ${s}`);
        /** @type {Text} */ (node).data = value;
      } else if (node.nodeType !== Node.ELEMENT_NODE) {
        throw new OpError(`template ${number}: slot ${s} is on a text node`);
      } else if (kind === "attr") {
        this.setAttribute(/** @type {Element} */ (node), name, value, true);
        if (name === "autofocus") this.autofocus = /** @type {Element} */ (node);
      } else if (kind === "event") {
        if (!isId(value)) throw new OpError(`listener flags of ${name} must be a non-negative integer`);
        this.setListener(/** @type {Element} */ (node), name, value);
      }
    }
    // Properties last, after every attribute, as `build` sets them (an input's `type` before its `value`).
    for (const [k, props] of built.props) this.setProps(/** @type {Element} */ (nodes[k]), props, Infinity);
    for (let s = 0; s < slots.length; s++) {
      const [k, kind, name] = slots[s];
      if (kind === "prop" && values[s] !== null) this.setProps(/** @type {Element} */ (nodes[k]), { [name]: values[s] }, Infinity);
    }
    if (built.autofocus) {
      for (const node of nodes) if (node instanceof Element && node.hasAttribute("autofocus")) this.autofocus = node;
    }
    return root;
  }

  /**
   * @private
   * @param {Element} element
   * @param {Record<string, unknown>} attrs
   * @param {boolean} [fresh] The element was just created (has no attributes to compare with).
   */
  setAttributes(element, attrs, fresh = false) {
    for (const [name, value] of Object.entries(attrs)) this.setAttribute(element, name, value, fresh);
  }

  /**
   * Set one attribute: allowlisted names, scheme-checked URL values; an unsafe one is reported
   * and dropped.
   * @private
   * @param {Element} element
   * @param {string} name
   * @param {unknown} value
   * @param {boolean} fresh The element was just created (has no attributes to compare with).
   */
  setAttribute(element, name, value, fresh) {
    if (typeof value !== "string") throw new OpError(`attribute ${name} must be a string`);
    if (!SAFE_PLAIN_NAMES.has(name)) {
      if (!isSafeAttributeName(name)) {
        this.hooks.report("malformed_frame", `attribute name ${JSON.stringify(name)} is not allowed; dropped`);
        return;
      }
      if (!isSafeAttributeValue(name, value)) {
        this.hooks.report("malformed_frame", `unsafe URL in ${name} dropped`);
        return;
      }
      if (isSafeAttributeValue(name, "javascript:")) SAFE_PLAIN_NAMES.add(name);
    }
    if (fresh || element.getAttribute(name) !== value) {
      const ns = element.namespaceURI === HTML_NS ? undefined : FOREIGN_ATTRIBUTES.get(name);
      const set = ns === undefined ? () => element.setAttribute(name, value) : () => element.setAttributeNS(ns, name, value);
      if (name === ATTR_COLOR_SCHEME && element === this.root) withoutTransitions(element.ownerDocument, set);
      else set();
    }
  }

  /**
   * @private
   * @param {Element} element
   * @param {Record<string, unknown>} props
   * @param {number} ack
   */
  setProps(element, props, ack) {
    const target = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (element));
    for (const [name, raw] of Object.entries(props)) {
      if (!PROP_DEFAULTS.has(name) || !(name in element)) {
        this.hooks.report("malformed_frame", `unknown property ${JSON.stringify(name)} on <${element.localName}>; ignored`);
        continue;
      }
      if (raw !== null && typeof raw === "object") throw new OpError(`property ${name} must be a scalar`);
      if (USER_PROPS.has(name) && (this.hooks.lastInputEid(element) > ack || composing(element))) continue;
      if (name === "value" && raw === null && element instanceof HTMLSelectElement) {
        this.resetSelect(element); // "" would leave it blank
        continue;
      }
      if (name === "selected") this.optionSelected.set(element, raw !== null && Boolean(raw));
      if (name === "value" && raw === null && !ownsValue(element)) {
        element.removeAttribute("value"); // li, option, button...: the property reflects the attribute
        continue;
      }
      const value = raw === null ? PROP_DEFAULTS.get(name) : raw;
      if (name === "value") {
        setValue(element, value === undefined ? "" : String(value));
      } else if (target[name] !== value) {
        target[name] = value;
      }
    }
  }

  /**
   * Give a select whose `value` the app no longer sets what a fresh mount would show: each
   * option selected as its own `selected` property says (not set: unselected; on a hydrated
   * page a `selected` attribute may stand for the old value), and a one-line select with none
   * selected shows its first enabled option (the "selectedness setting algorithm"; `value = ""`
   * would leave it blank). The host sends a select's properties after its options' ops.
   * https://html.spec.whatwg.org/multipage/form-elements.html#selectedness-setting-algorithm
   * @private
   * @param {HTMLSelectElement} select
   */
  resetSelect(select) {
    for (const option of select.options) option.selected = this.optionSelected.get(option) ?? false;
    if (select.selectedIndex === -1 && !select.multiple && select.size <= 1) {
      const first = Array.from(select.options).find((option) => !option.disabled);
      if (first !== undefined) first.selected = true;
    }
  }

  /**
   * @private
   * @param {Element} element
   * @param {Record<string, unknown>} events
   */
  setListeners(element, events) {
    for (const [name, flags] of Object.entries(events)) {
      if (!isId(flags)) throw new OpError(`listener flags of ${name} must be a non-negative integer`);
      this.setListener(element, name, flags);
    }
  }

  /**
   * @private
   * @param {Element} element
   * @param {string} name
   * @param {number} flags
   */
  setListener(element, name, flags) {
    if (!EVENT_NAME.test(name) || !Number.isInteger(flags)) throw new OpError(`invalid listener ${JSON.stringify(name)}`);
    let map = this.listeners.get(element);
    if (map === undefined) {
      map = new Map();
      this.listeners.set(element, map);
    }
    map.set(name, flags);
    this.hooks.listen(name);
  }

  /**
   * @private
   * @param {string[]} rules
   */
  addStyles(rules) {
    const doc = this.root.ownerDocument;
    let style = doc.getElementById(STYLE_ELEMENT_ID);
    if (style === null) {
      style = doc.createElement("style");
      style.id = STYLE_ELEMENT_ID;
      doc.head.appendChild(style);
    }
    const sheet = /** @type {HTMLStyleElement} */ (style).sheet;
    if (sheet === null) throw new OpError(`#${STYLE_ELEMENT_ID} has no stylesheet`);
    for (const rule of rules) {
      if (this.rules.has(rule)) continue;
      try {
        sheet.insertRule(rule, sheet.cssRules.length);
        this.rules.add(rule);
      } catch (error) {
        this.hooks.report("malformed_frame", `invalid CSS rule dropped: ${String(error)}`);
      }
    }
  }

  /**
   * Move `node`, keeping focus and selection when it is (or contains) the focused element.
   * @private
   * @param {Node} node
   * @param {Element} parent
   * @param {Node | null} before
   */
  moveKeepingFocus(node, parent, before) {
    const doc = this.root.ownerDocument;
    const active = doc.activeElement;
    if (active === null || !node.contains(active)) {
      parent.insertBefore(node, before);
      return;
    }
    const selection = readSelection(active);
    this.hooks.withoutFocusEvents(() => {
      parent.insertBefore(node, before);
      if (doc.activeElement !== active && active instanceof HTMLElement) {
        active.focus({ preventScroll: true });
        if (selection !== null) writeSelection(active, selection[0], selection[1]);
      }
    });
  }
}

/**
 * @param {Element} element
 * @returns {[number, number] | null}
 */
function readSelection(element) {
  try {
    const input = /** @type {HTMLInputElement} */ (element);
    if (typeof input.selectionStart === "number" && typeof input.selectionEnd === "number") {
      return [input.selectionStart, input.selectionEnd];
    }
  } catch {
    // input types without a selection (number, email...) throw; there is nothing to keep
  }
  return null;
}

/**
 * @param {Element} element
 * @param {number} start
 * @param {number} end
 */
function writeSelection(element, start, end) {
  try {
    const input = /** @type {HTMLInputElement} */ (element);
    const length = input.value.length;
    input.setSelectionRange(Math.min(start, length), Math.min(end, length));
  } catch {
    // see readSelection
  }
}

/**
 * A control's state as the person left it (`DomOps.userOwnedState`).
 * @typedef {object} CarriedControl
 * @property {string} key `controlKey` of the control (tag, type, name).
 * @property {string} domId Its `id` attribute (`""`: none).
 * @property {number} index Its place among the root's controls with the same key.
 * @property {string} value Its value (text controls).
 * @property {boolean} checked Its checkedness (checkbox, radio).
 * @property {string[]} selected Values of its selected options (select).
 */

/**
 * @param {Element} control
 * @returns {string} Tag, type and name: a rebuilt control must match all three.
 */
function controlKey(control) {
  return `${control.localName}|${control.getAttribute("type") ?? ""}|${control.getAttribute("name") ?? ""}`;
}

/**
 * The state of a control that differs from its default (what the markup says), else `null`.
 * @param {Element} control An `<input>`, `<textarea>` or `<select>`.
 * @param {number} index Its place among the root's controls with the same key.
 * @returns {CarriedControl | null}
 */
function controlState(control, index) {
  const key = controlKey(control);
  const where = { key, domId: control.getAttribute("id") ?? "", index };
  if (control instanceof HTMLSelectElement) {
    const options = [...control.options];
    if (options.every((option) => option.selected === option.defaultSelected)) return null;
    const selected = options.filter((option) => option.selected).map((option) => option.value);
    return { ...where, value: "", checked: false, selected };
  }
  if (control instanceof HTMLInputElement && (control.type === "checkbox" || control.type === "radio")) {
    if (control.checked === control.defaultChecked) return null;
    return { ...where, value: "", checked: control.checked, selected: [] };
  }
  if (control instanceof HTMLInputElement && control.type === "file") return null; // cannot be set
  if (control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement) {
    if (control.value === control.defaultValue) return null;
    return { ...where, value: control.value, checked: false, selected: [] };
  }
  return null;
}

/**
 * @param {Element} element
 * @returns {boolean} Whether `value` is the element's own state (input, textarea, select), not
 *   an attribute it reflects.
 */
function ownsValue(element) {
  return element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement;
}

/**
 * Set `value` without disturbing the caret: nothing happens when it is unchanged, and the
 * selection of the focused element is restored at the same place in the text (`caretAfter`).
 * @param {Element} element
 * @param {string} value
 */
function setValue(element, value) {
  const input = /** @type {HTMLInputElement} */ (element);
  const before = input.value;
  if (before === value) return;
  const focused = element.ownerDocument.activeElement === element;
  const selection = focused ? readSelection(element) : null;
  input.value = value;
  if (selection !== null) {
    writeSelection(element, caretAfter(before, value, selection[0]), caretAfter(before, value, selection[1]));
  }
}

/**
 * Where offset `at` of `before` is in `after`, the text the app made of it (upper-cased, digits
 * stripped, cut to a length): an offset in the unchanged start stays, one in the unchanged end
 * keeps its distance from the end, and one in the changed middle stays when that middle kept its
 * length, else goes to the end of the new middle. So a caret in the middle of the text stays
 * by the characters around it instead of moving to the end.
 * @param {string} before
 * @param {string} after
 * @param {number} at
 * @returns {number}
 */
function caretAfter(before, after, at) {
  const shortest = Math.min(before.length, after.length);
  let head = 0;
  while (head < shortest && before[head] === after[head]) head += 1;
  let tail = 0;
  while (tail < shortest - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail += 1;
  if (at <= head) return at;
  if (at >= before.length - tail) return after.length - (before.length - at);
  return before.length === after.length ? at : after.length - tail;
}

/**
 * Make `change` (a colour scheme switch: `App.set_color_scheme`) with CSS transitions off, as
 * next-themes' `disableTransitionOnChange` does: every themed element would otherwise animate
 * its colours for `--tw-duration`, showing a mix of both schemes (text of one on the background
 * of the other, under 4.5:1) until the transitions end. A style element turns transitions off,
 * the change is made and every element's style resolved (a layout flush: a style query on one
 * element may resolve only that element's), and the element is removed in the next task.
 * https://drafts.csswg.org/css-transitions-1/#starting
 * @param {Document} doc
 * @param {() => void} change
 */
function withoutTransitions(doc, change) {
  const style = doc.createElement("style");
  style.textContent = "*,*::before,*::after{transition:none!important}";
  doc.head.append(style);
  change();
  void doc.body?.offsetHeight; // every style resolved now, with no transition
  setTimeout(() => style.remove(), 1);
}
