// @ts-check
/**
 * Dev reload of linked CSS files: the page's `<link rel="stylesheet">` elements whose file
 * changed load it again under a new URL (a version query), so the new rules apply without a
 * page reload: the session, the DOM, scroll positions and what a person typed stay.
 *
 * No flash of unstyled content: as Vite and Phoenix LiveView do, the new version loads in a
 * copy of the `<link>` placed right after it; only once the copy has loaded does the original
 * switch to the same (now cached) URL, and the copy goes when the original has loaded it too.
 * The page always has the old rules or the new ones, never none, and the original element
 * stays in place, so a `<link>` the app's view renders keeps the node the client's patches
 * address.
 *
 * One implementation for every mode: `dev.js` calls it when the dev server's event stream says
 * `stylesheets` (Mode A `tempestweb dev --mode wasm`, Mode B `tempestweb dev`); the desktop host
 * calls it in every window through `eval_js` (`tempestweb dev app.py --mode desktop`).
 * @module stylesheets
 */

import { ATTR_LISTENERS, ATTR_NODE_ID } from "./constants.js";

/**
 * Query parameter carrying a reloaded stylesheet's version (the hosts ignore query strings).
 * @type {string}
 * @default "tw-css"
 */
export const STYLESHEET_VERSION_PARAM = "tw-css";

/** @type {number} bumped by every reload, so two reloads in one millisecond differ */
let version = 0;

/**
 * A copy loading a link's new version, and how to give up waiting for it.
 * @typedef {object} PendingCopy
 * @property {HTMLLinkElement} copy The copy, right after the link.
 * @property {() => void} cancel Ends the wait for the copy (as a failed load) and removes it.
 */

/**
 * The copy loading each link's new version (dev-only bookkeeping of this page).
 * @type {WeakMap<HTMLLinkElement, PendingCopy>}
 */
const pending = new WeakMap();

/** @type {WeakSet<Element>} the copies themselves, never reloaded on their own */
const copies = new WeakSet();

/** @param {Node} node */
function detach(node) {
  node.parentNode?.removeChild(node);
}

/**
 * Wait for a `<link>` to load or fail.
 * @param {HTMLLinkElement} link
 * @returns {{ done: Promise<boolean>, cancel: () => void }} `done` resolves `true` once loaded,
 *   `false` on an error or after `cancel()`.
 */
function whenLoaded(link) {
  /** @type {(ok: boolean) => void} */
  let settle = () => {};
  const done = new Promise((/** @type {(ok: boolean) => void} */ resolve) => {
    settle = (ok) => {
      link.removeEventListener("load", onLoad);
      link.removeEventListener("error", onError);
      resolve(ok);
    };
  });
  const onLoad = () => settle(true);
  const onError = () => settle(false);
  link.addEventListener("load", onLoad);
  link.addEventListener("error", onError);
  return { done, cancel: () => settle(false) };
}

/**
 * Load `href` in a copy of `link`, then in `link` itself, then drop the copy.
 * @param {HTMLLinkElement} link A connected stylesheet link.
 * @param {string} href The new URL (path, query and fragment).
 * @returns {Promise<boolean>} Whether `link` now has this version (`false` when it failed to
 *   load, the link left the page, or a newer save superseded it).
 */
async function swap(link, href) {
  pending.get(link)?.cancel(); // a newer save wins over a copy still loading
  const copy = /** @type {HTMLLinkElement} */ (link.cloneNode(false));
  for (const name of ["id", ATTR_NODE_ID, ATTR_LISTENERS]) copy.removeAttribute(name); // not the app's node
  copy.setAttribute("href", href);
  copies.add(copy);
  const copyLoaded = whenLoaded(copy);
  /** @type {PendingCopy} */
  const entry = {
    copy,
    cancel: () => {
      copyLoaded.cancel();
      detach(copy);
    },
  };
  pending.set(link, entry);
  link.parentNode?.insertBefore(copy, link.nextSibling);
  const ok = await copyLoaded.done;
  if (pending.get(link) !== entry) return false; // superseded by a newer save
  if (!ok || !link.isConnected) {
    entry.cancel();
    pending.delete(link);
    if (!ok) console.error(`tempestweb dev: ${href} failed to load; the page keeps the previous rules`);
    return false;
  }
  const linkLoaded = whenLoaded(link);
  link.setAttribute("href", href);
  const switched = await linkLoaded.done;
  if (pending.get(link) !== entry) return false;
  if (!switched) {
    // The copy keeps the new rules applied; the next save of this file replaces it.
    console.error(`tempestweb dev: ${href} loaded once but not twice; a copy of the link keeps it`);
    return false;
  }
  entry.cancel(); // the link has what the copy had: the copy goes without a visible change
  pending.delete(link);
  return true;
}

/**
 * Reload the same-origin linked stylesheets whose URL is one of `urls`.
 *
 * A link matches when its `href` resolves to the same scheme, host and path as one of `urls`
 * (its query and fragment are ignored, so a link reloaded before matches again).
 * @param {Document} doc The page.
 * @param {readonly string[]} urls The changed files' URLs, absolute or relative to the page
 *   (`"/static/app.css"`, `"http://127.0.0.1:8000/static/app.css"`).
 * @returns {Promise<number>} How many `<link>` elements have the new version, once they do (a
 *   link whose new version failed to load, or that left the page meanwhile, is not counted).
 */
export async function reloadStylesheets(doc, urls) {
  const base = new URL(doc.baseURI);
  // URL.origin is "null" for tauri:// pages: compare scheme, host and path instead.
  const key = (/** @type {URL} */ url) => `${url.protocol}//${url.host}${url.pathname}`;
  const wanted = new Set(urls.map((url) => key(new URL(url, base))));
  version += 1;
  const stamp = `${Date.now().toString(36)}.${version}`;
  /** @type {Promise<boolean>[]} */
  const swaps = [];
  for (const link of doc.querySelectorAll('link[rel~="stylesheet"][href]')) {
    const href = link.getAttribute("href");
    if (href === null || copies.has(link) || !(link instanceof HTMLLinkElement)) continue;
    const url = new URL(href, base);
    if (url.protocol !== base.protocol || url.host !== base.host || !wanted.has(key(url))) continue;
    url.searchParams.set(STYLESHEET_VERSION_PARAM, stamp);
    swaps.push(swap(link, url.pathname + url.search + url.hash));
  }
  const results = await Promise.all(swaps);
  return results.filter(Boolean).length;
}
