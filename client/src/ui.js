// @ts-check
/**
 * The stylesheet of what the client itself shows in the page, outside the root: the error
 * overlay (`overlay.js`), the connection status banner (`status.js`), Mode A's boot indicator,
 * and the `tw-loading` class of an element whose event is in flight.
 *
 * It is installed once per document through the CSSOM (a constructed sheet the document adopts,
 * else rules inserted into an empty `<style>`), so it needs no inline style text and works under
 * a Content-Security-Policy without `'unsafe-inline'` styles. Every selector is wrapped in
 * `:where()` (specificity 0), so any rule of the app wins; colours and spacing read `--tw-*`
 * custom properties, so an app can restyle them without knowing the selectors:
 *
 * ```css
 * :root { --tw-banner-bg: #0f172a; --tw-overlay-accent: #7c3aed; }
 * .tw-banner { top: 0; bottom: auto; }
 * ```
 * @module ui
 */

import { CLASS_BANNER, CLASS_BOOT, CLASS_LOADING, CLASS_OVERLAY } from "./constants.js";

const FONT = "font:14px/1.45 var(--tw-ui-font,system-ui,-apple-system,'Segoe UI',sans-serif)";
const MONO = "font:12.5px/1.45 var(--tw-ui-mono,ui-monospace,SFMono-Regular,Menlo,Consolas,monospace)";
const BUTTON =
  "font:inherit;color:inherit;background:transparent;border:1px solid currentColor;border-radius:.35rem;" +
  "padding:.1rem .55rem;cursor:pointer";

/** The rules, in order (each selector inside `:where()`). */
const RULES = [
  `:where(.${CLASS_LOADING}){cursor:progress}`,
  `:where(.${CLASS_BANNER}){position:fixed;left:50%;bottom:var(--tw-banner-offset,1rem);transform:translateX(-50%);` +
    "z-index:2147483646;display:flex;gap:.75rem;align-items:center;max-width:calc(100vw - 2rem);" +
    "padding:.5rem .9rem;border-radius:.5rem;box-shadow:0 4px 16px rgba(0,0,0,.25);" +
    `background:var(--tw-banner-bg,#1e293b);color:var(--tw-banner-fg,#fff);${FONT}}`,
  `:where(.${CLASS_BANNER}[data-state=offline]){background:var(--tw-banner-offline-bg,#7c2d12)}`,
  `:where(.${CLASS_BANNER}[data-state=resynced]){background:var(--tw-banner-ok-bg,#166534)}`,
  `:where(.${CLASS_BANNER}[data-state=reset]){background:var(--tw-banner-reset-bg,#854d0e)}`,
  `:where(.${CLASS_BANNER} button){${BUTTON}}`,
  `:where(.${CLASS_OVERLAY}){position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:min(70vh,40rem);` +
    "overflow:auto;z-index:2147483647;padding:1rem 1.1rem;border-radius:.6rem;" +
    "box-shadow:0 8px 32px rgba(0,0,0,.3);border-left:.35rem solid var(--tw-overlay-accent,#b91c1c);" +
    `background:var(--tw-overlay-bg,#fff);color:var(--tw-overlay-fg,#111827);${FONT}}`,
  `:where(.${CLASS_OVERLAY} .tw-overlay-head){display:flex;gap:1rem;align-items:flex-start;justify-content:space-between}`,
  `:where(.${CLASS_OVERLAY} .tw-overlay-title){margin:0;font-size:1rem;font-weight:600;color:var(--tw-overlay-accent,#b91c1c);overflow-wrap:anywhere}`,
  `:where(.${CLASS_OVERLAY} p){margin:.4rem 0}`,
  `:where(.${CLASS_OVERLAY} .tw-overlay-id){color:var(--tw-overlay-muted,#4b5563);font-size:.85rem}`,
  `:where(.${CLASS_OVERLAY} pre){margin:.6rem 0 0;padding:.75rem;border-radius:.4rem;overflow:auto;` +
    `white-space:pre-wrap;background:var(--tw-overlay-code-bg,#111827);color:var(--tw-overlay-code-fg,#f9fafb);${MONO}}`,
  `:where(.${CLASS_OVERLAY} button){${BUTTON}}`,
  `:where(.${CLASS_BOOT}){position:fixed;right:.75rem;bottom:.75rem;z-index:2147483645;display:flex;gap:.5rem;` +
    "align-items:center;padding:.3rem .7rem;border-radius:999px;opacity:.9;pointer-events:none;" +
    `background:var(--tw-boot-bg,#1e293b);color:var(--tw-boot-fg,#fff);${FONT};font-size:12px}`,
  `:where(.${CLASS_BOOT} .tw-boot-track){width:4rem;height:.25rem;border-radius:999px;overflow:hidden;` +
    "background:var(--tw-boot-track,rgba(255,255,255,.25))}",
  `:where(.${CLASS_BOOT} .tw-boot-bar){height:100%;transform-origin:left;transform:scaleX(var(--tw-boot-progress,0));` +
    "transition:transform .3s ease-out;background:var(--tw-boot-bar,#38bdf8)}",
  `:where(.${CLASS_BOOT}[data-state=failed]){background:var(--tw-boot-failed-bg,#7f1d1d)}`,
];

/** Documents that already have the sheet. @type {WeakSet<Document>} */
const INSTALLED = new WeakSet();

/**
 * Install the client's stylesheet in `doc` (once; later calls do nothing).
 * @param {Document} doc
 * @returns {void}
 */
export function ensureUiStyles(doc) {
  if (INSTALLED.has(doc)) return;
  INSTALLED.add(doc);
  /** @type {CSSStyleSheet | null} */
  let sheet = null;
  try {
    const view = doc.defaultView;
    if (view !== null && "adoptedStyleSheets" in doc) {
      sheet = new view.CSSStyleSheet();
      doc.adoptedStyleSheets = [sheet, ...doc.adoptedStyleSheets];
    }
  } catch {
    sheet = null; // constructed sheets unsupported: fall back to a <style> element
  }
  if (sheet === null) {
    const style = doc.createElement("style");
    style.setAttribute("data-tw-ui", "");
    doc.head.prepend(style); // first: the app's own sheets come later and win ties
    sheet = style.sheet;
  }
  if (sheet === null) return;
  for (const rule of RULES) {
    try {
      sheet.insertRule(rule, sheet.cssRules.length);
    } catch (error) {
      console.warn(`tempestweb: UI style rule dropped: ${String(error)}`);
    }
  }
}

/**
 * Create an element with a class and optional text (textContent only: no markup is parsed).
 * @param {Document} doc
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function element(doc, tag, className, text) {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
