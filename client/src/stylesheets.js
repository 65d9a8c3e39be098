// @ts-check
/**
 * Dev reload of linked CSS files: the page's `<link rel="stylesheet">` elements whose file
 * changed load it again under a new URL (a version query), so the new rules apply without a
 * page reload: the session, the DOM, scroll positions and what a person typed stay.
 *
 * The desktop host calls it in every window when a watched `.css` asset changes
 * (`tempestweb dev app.py --mode desktop`).
 * @module stylesheets
 */

/**
 * Query parameter carrying a reloaded stylesheet's version (the host ignores query strings).
 * @type {string}
 * @default "tw-css"
 */
export const STYLESHEET_VERSION_PARAM = "tw-css";

/** @type {number} bumped by every reload, so two reloads in one millisecond differ */
let version = 0;

/**
 * Reload the same-origin linked stylesheets whose URL path is one of `paths`.
 * @param {Document} doc The page.
 * @param {readonly string[]} paths URL paths of the changed files (`"/static/app.css"`).
 * @returns {number} How many `<link>` elements now load a new version.
 */
export function reloadStylesheets(doc, paths) {
  const wanted = new Set(paths);
  const base = new URL(doc.baseURI);
  version += 1;
  let count = 0;
  for (const link of doc.querySelectorAll('link[rel~="stylesheet"][href]')) {
    const href = link.getAttribute("href");
    if (href === null) continue;
    const url = new URL(href, base);
    // URL.origin is "null" for tauri:// pages: compare scheme and host instead.
    if (url.protocol !== base.protocol || url.host !== base.host || !wanted.has(url.pathname)) continue;
    url.searchParams.set(STYLESHEET_VERSION_PARAM, `${Date.now().toString(36)}.${version}`);
    link.setAttribute("href", url.pathname + url.search + url.hash);
    count += 1;
  }
  return count;
}
