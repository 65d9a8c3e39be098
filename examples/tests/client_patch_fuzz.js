// @ts-check
/**
 * Page side of test_client_patch_fuzz.py: runs cases through the real client (`mount` with an
 * in-page transport fed the encoded `init` and `patch` frames) and compares DOMs.
 *
 * A case starts from `a` (its `init`, or its prerendered HTML hydrated by the client followed by
 * an empty `init`), then applies one `patch` per step. After each step the root's DOM is compared
 * with a fresh client mount of that step's tree and, when given, with its prerendered HTML parsed
 * by the browser and hydrated by the client. `window.__fuzz.run(cases)` returns the first
 * mismatch of every failing case.
 */

import { mount } from "/client/tempestweb.js";

/**
 * What the comparison skips on an element: attribute names (the prerender's attribute form of a
 * property), `#children` (a textarea's prerendered value) and `#<property>` (no HTML form).
 */
const IGNORE = Symbol("fuzz-ignore");
const policy = /** @type {any} */ (window).trustedTypes.createPolicy("tw-fuzz", { createHTML: (/** @type {string} */ s) => s });

/** A transport that only delivers what the test feeds it. */
class FeedTransport {
  constructor() {
    /** @type {((text: string) => void) | null} */
    this.onFrame = null;
  }

  /** @param {(text: string) => void} onFrame @param {(status: string) => void} onStatus */
  connect(onFrame, onStatus) {
    this.onFrame = onFrame;
    onStatus("connecting");
  }

  send() {
    return true;
  }

  close() {}

  /** @param {string} text */
  feed(text) {
    if (this.onFrame === null) throw new Error("the session is not connected (it closed or resynced)");
    this.onFrame(text);
  }
}

// A production page loads early.js, which answers the client's request for early input; with no
// input before mount it hands over nothing (without it, the client looks for changed controls).
document.addEventListener("tempestweb:early-input", (event) => /** @type {CustomEvent} */ (event).detail.take([]));

/**
 * Mount a session on a new root: from prerendered `html` (hydrated), or empty.
 * @param {string | null} html
 * @param {Record<string, string[]>} ignore data-tw id -> attribute names to skip
 */
function start(html, ignore) {
  // Each root in its own form: radio buttons of one name in two roots are not one group.
  const form = document.createElement("form");
  const root = document.createElement("div");
  root.className = "fuzz-root";
  form.append(root);
  document.body.append(form);
  if (html !== null) {
    root.innerHTML = policy.createHTML(html);
    for (const [id, names] of Object.entries(ignore)) {
      const el = root.querySelector(`[data-tw="${id}"]`);
      if (el !== null) /** @type {any} */ (el)[IGNORE] = new Set(names);
    }
  }
  const transport = new FeedTransport();
  /** @type {string[]} */
  const errors = [];
  root.addEventListener("tempestweb:error", (event) => {
    const detail = /** @type {CustomEvent} */ (event).detail;
    errors.push(`${detail.code}: ${detail.message}`);
  });
  const session = mount(root, {
    transport, session: html === null ? null : "S", hydrate: html !== null, overlay: false, banner: false,
  });
  return { root, transport, session, errors };
}

/** @param {{root: Element, session: any}} s */
function stop(s) {
  s.session.close();
  s.root.parentElement?.remove();
}

/**
 * Canonical form of a node: tag and namespace, attributes (name, namespace, value), the live
 * properties a person can change, listeners (name -> flags) and children.
 * @param {Node} node
 * @param {any} session
 * @returns {any}
 */
function canon(node, session) {
  if (node.nodeType === Node.TEXT_NODE) return { text: /** @type {Text} */ (node).data };
  if (node.nodeType === Node.COMMENT_NODE) return { comment: /** @type {Comment} */ (node).data };
  const el = /** @type {Element} */ (node);
  /** @type {Record<string, string>} */
  const attrs = {};
  for (const attr of Array.from(el.attributes)) attrs[attr.namespaceURI ? `${attr.namespaceURI}|${attr.name}` : attr.name] = attr.value;
  /** @type {Record<string, unknown>} */
  const props = {};
  if (el instanceof HTMLInputElement) Object.assign(props, { value: el.value, checked: el.checked, indeterminate: el.indeterminate });
  else if (el instanceof HTMLTextAreaElement) props.value = el.value;
  else if (el instanceof HTMLSelectElement) Object.assign(props, { value: el.value, selectedIndex: el.selectedIndex });
  else if (el instanceof HTMLOptionElement) props.selected = el.selected;
  else if (el instanceof HTMLDetailsElement) props.open = el.open;
  const listeners = session.dom.listeners.get(el);
  const on = listeners === undefined ? [] : [...listeners.entries()].sort();
  const ignore = /** @type {any} */ (el)[IGNORE];
  return {
    tag: `${el.namespaceURI}|${el.localName}`, attrs, ignore: ignore === undefined ? [] : [...ignore], props, on,
    kids: Array.from(el.childNodes, (child) => canon(child, session)),
  };
}

/**
 * The first difference between two canonical trees (skipping on both sides the attributes
 * either side ignores), or `null`.
 * @param {any} got
 * @param {any} want
 * @param {string} path
 * @returns {string | null}
 */
function diff(got, want, path) {
  if (("text" in got) !== ("text" in want) || ("comment" in got) !== ("comment" in want)) {
    return `${path}: ${JSON.stringify(got).slice(0, 300)} != ${JSON.stringify(want).slice(0, 300)}`;
  }
  if ("text" in got) return got.text === want.text ? null : `${path}: text ${JSON.stringify(got.text)} != ${JSON.stringify(want.text)}`;
  if ("comment" in got) return `${path}: a comment node`;
  if (got.tag !== want.tag) return `${path}: tag ${got.tag} != ${want.tag}`;
  const skip = new Set([...got.ignore, ...want.ignore]);
  /** @param {Record<string, string>} a */
  const kept = (a) => JSON.stringify(Object.entries(a).filter(([k]) => !skip.has(k)).sort());
  if (kept(got.attrs) !== kept(want.attrs)) return `${path} <${got.tag}>: attrs ${kept(got.attrs)} != ${kept(want.attrs)}`;
  /** @param {Record<string, unknown>} p */
  const props = (p) => JSON.stringify(Object.entries(p).filter(([k]) => !skip.has(`#${k}`)));
  if (props(got.props) !== props(want.props)) {
    return `${path} <${got.tag}>: props ${props(got.props)} != ${props(want.props)}`;
  }
  if (JSON.stringify(got.on) !== JSON.stringify(want.on)) {
    return `${path} <${got.tag}>: listeners ${JSON.stringify(got.on)} != ${JSON.stringify(want.on)}`;
  }
  if (skip.has("#children")) return null; // a textarea's prerendered value (compared as `value`)
  return diffKids(got.kids, want.kids, `${path}/${got.tag.split("|")[1]}`);
}

/** @param {any[]} got @param {any[]} want @param {string} path @returns {string | null} */
function diffKids(got, want, path) {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (i >= got.length || i >= want.length) {
      const extra = i >= got.length ? want[i] : got[i];
      return `${path}[${i}]: ${got.length} children != ${want.length} (${i >= got.length ? "missing" : "extra"} ${JSON.stringify(extra).slice(0, 300)})`;
    }
    const found = diff(got[i], want[i], `${path}[${i}]`);
    if (found !== null) return found;
  }
  return null;
}

/** @param {{root: Element, session: any}} s @returns {any[]} */
function tree(s) {
  return Array.from(s.root.childNodes, (child) => canon(child, s.session));
}

/**
 * Problems of a session beyond its DOM: a resync (the client could not apply a batch) or errors.
 * @param {{session: any, errors: string[]}} s
 * @param {number} seq The `seq` the session should be at.
 * @returns {string | null}
 */
function health(s, seq) {
  const bad = s.errors.filter((e) => !/; (dropped|ignored)$/.test(e));
  if (bad.length > 0) return `client errors: ${bad.join(" | ")}`;
  if (s.session.lastSeq !== seq) return `client at seq ${s.session.lastSeq}, expected ${seq}`;
  return null;
}

/**
 * @typedef {object} Step
 * @property {string} patch The `patch` frame.
 * @property {string} fresh The `init` frame of a fresh mount of the step's tree.
 * @property {string | null} html Its prerendered HTML (`null`: not compared).
 * @property {Record<string, string[]>} ignore Its property attributes, by data-tw id.
 * @property {string[]} rules The style rules its fresh session sent: each must be in the sheet.
 *
 * @typedef {object} Case
 * @property {string} name
 * @property {string} init The `init` frame of `a`.
 * @property {string | null} html `a` prerendered: hydrate it instead of applying `init`'s ops.
 * @property {Record<string, string[]>} ignore
 * @property {string[]} rules The style rules of the prerendered page (in its `<style>`, not inserted).
 * @property {Step[]} steps
 */

/**
 * @param {Case} c
 * @returns {{name: string, step: number, what: string} | null}
 */
function runCase(c) {
  const s = start(c.html, c.ignore);
  try {
    s.transport.feed(c.init);
    let problem = health(s, 0);
    if (problem !== null) return { name: c.name, step: -1, what: problem };
    for (let k = 0; k < c.steps.length; k++) {
      const step = c.steps[k];
      s.transport.feed(step.patch);
      problem = health(s, k + 1);
      if (problem !== null) return { name: c.name, step: k, what: `patch: ${problem}` };
      const got = tree(s);
      const fresh = start(null, {});
      try {
        fresh.transport.feed(step.fresh);
        problem = health(fresh, 0);
        if (problem !== null) return { name: c.name, step: k, what: `fresh mount: ${problem}` };
        const found = diffKids(got, tree(fresh), "root");
        if (found !== null) return { name: c.name, step: k, what: `patched != fresh mount: ${found}` };
        const rules = new Set([...c.rules, .../** @type {Set<string>} */ (s.session.dom.rules)]);
        const missing = step.rules.filter((r) => !rules.has(r));
        if (missing.length > 0) return { name: c.name, step: k, what: `style rules missing: ${missing.join(" ")}` };
      } finally {
        stop(fresh);
      }
      if (step.html !== null) {
        const pre = start(step.html, step.ignore);
        try {
          const found = diffKids(got, tree(pre), "root");
          if (found !== null) return { name: c.name, step: k, what: `patched != prerender: ${found}` };
          const bad = pre.errors.filter((e) => !/; (dropped|ignored)$/.test(e));
          if (bad.length > 0) return { name: c.name, step: k, what: `hydration errors: ${bad.join(" | ")}` };
        } finally {
          stop(pre);
        }
      }
    }
    return null;
  } finally {
    stop(s);
  }
}

Object.defineProperty(window, "__fuzz", {
  value: {
    /** @param {Case[]} cases */
    run(cases) {
      /** @type {({name: string, step: number, what: string} | null)[]} */
      const out = [];
      for (const c of cases) {
        try {
          out.push(runCase(c));
        } catch (error) {
          out.push({ name: c.name, step: -2, what: `exception: ${String(error)}` });
        }
      }
      return out.filter((r) => r !== null);
    },
  },
});
