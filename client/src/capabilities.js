// @ts-check
/**
 * Capability modules named by the page: each `<link rel="modulepreload" data-tw-capability="NAME"
 * href="...">` in `<head>` (written by the Mode B shell and the Mode A `index.html`, from the
 * installed `tempestweb.capabilities` entry points) is imported when the session starts, and
 * its exported functions answer `native_call` frames for `NAME`. Importing at start matters:
 * a module such as `pwa/install-prompt.js` listens for events from page load on.
 * Only same-origin modules in `<head>` count; app content under the root cannot add one.
 * @module capabilities
 */

import { ATTR_CAPABILITY } from "./constants.js";

/** @typedef {import("./session.js").Capability} Capability */

/** Attribute naming the capability of a link (`tempestweb_contract.names.ATTR_CAPABILITY`). */
export const CAPABILITY_ATTR = ATTR_CAPABILITY;

/**
 * The exported functions of a module, as a capability (method name -> function).
 * @param {Record<string, unknown>} module An ES module namespace.
 * @returns {Capability}
 */
export function toCapability(module) {
  /** @type {Capability} */
  const impl = {};
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === "function") impl[name] = /** @type {Capability[string]} */ (value);
  }
  return impl;
}

/**
 * Start importing every capability module linked in `doc`'s head.
 * @param {Document} doc The page.
 * @returns {Map<string, Promise<Capability>>} Capability name -> its loading module (first link wins).
 */
export function linkedCapabilities(doc) {
  /** @type {Map<string, Promise<Capability>>} */
  const found = new Map();
  if (doc.head === null) return found;
  for (const link of doc.head.querySelectorAll(`link[${CAPABILITY_ATTR}]`)) {
    const name = link.getAttribute(CAPABILITY_ATTR) ?? "";
    const href = link instanceof HTMLLinkElement ? link.href : "";
    if (name === "" || href === "" || found.has(name) || new URL(href).origin !== location.origin) continue;
    const loading = import(href).then((module) => toCapability(module));
    loading.catch((error) => console.error(`tempestweb: capability ${name} failed to load from ${href}`, error));
    found.set(name, loading);
  }
  return found;
}
