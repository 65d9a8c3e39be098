// @ts-check
/**
 * URL and attribute-name checks applied before any `setAttribute`.
 *
 * Follows the WHATWG URL parser's preprocessing (https://url.spec.whatwg.org/#concept-basic-url-parser):
 * leading/trailing C0 controls and spaces are stripped and ASCII tab/newline removed anywhere,
 * so `" java\tscript:..."` is recognised as the `javascript:` scheme it would become.
 * @module urls
 */

import {
  FORBIDDEN_ATTRIBUTES as FORBIDDEN_ATTRIBUTE_NAMES, IMAGE_URL_ATTRIBUTES, SAFE_DATA_IMAGE_TYPES,
  SAFE_URL_SCHEMES, URL_ATTRIBUTES as URL_ATTRIBUTE_NAMES, URL_LIST_ATTRIBUTES,
} from "./constants.js";

/** Attributes whose value is (or contains) a URL that the browser may navigate to or fetch. */
export const URL_ATTRIBUTES = new Set(URL_ATTRIBUTE_NAMES);

/** Attributes that are never set, whatever their value (they take markup or script). */
const FORBIDDEN_ATTRIBUTES = new Set(FORBIDDEN_ATTRIBUTE_NAMES);

/** Schemes allowed in every URL attribute. */
const SAFE_SCHEMES = new Set(SAFE_URL_SCHEMES);

/** Attributes where `data:image/...` (non-SVG raster images) is allowed as well. */
const IMAGE_ATTRIBUTES = new Set(IMAGE_URL_ATTRIBUTES);

/** Attributes holding a list of URLs: every token is checked. */
const LIST_ATTRIBUTES = new Set(URL_LIST_ATTRIBUTES);

const ATTRIBUTE_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const SAFE_DATA_IMAGE = new RegExp(`^data:image/(?:${SAFE_DATA_IMAGE_TYPES.join("|")});`, "i");

/**
 * Whether `name` may be passed to `setAttribute`: the allowlisted name syntax, never an
 * event-handler content attribute (`on*`) nor an attribute that carries markup (`srcdoc`).
 * @param {string} name Attribute name as sent by the host.
 * @returns {boolean}
 */
export function isSafeAttributeName(name) {
  if (!ATTRIBUTE_NAME.test(name)) return false;
  const lower = name.toLowerCase();
  return !lower.startsWith("on") && !FORBIDDEN_ATTRIBUTES.has(lower);
}

/**
 * Whether one URL is allowed: relative URLs, fragments and the http, https, mailto and tel
 * schemes; `data:image/<raster>` only in image attributes.
 * @param {string} url Raw attribute value.
 * @param {boolean} image Whether the attribute loads an image.
 * @returns {boolean}
 */
export function isSafeUrl(url, image) {
  const cleaned = url.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  const match = SCHEME.exec(cleaned);
  if (match === null) return true;
  const scheme = match[1].toLowerCase();
  if (SAFE_SCHEMES.has(scheme)) return true;
  return image && scheme === "data" && SAFE_DATA_IMAGE.test(cleaned);
}

/**
 * Whether `value` is acceptable for attribute `name` (only URL attributes are checked).
 * `srcset` lists are checked candidate by candidate: every token that carries a scheme must
 * be safe.
 * @param {string} name Attribute name (any case).
 * @param {string} value Attribute value.
 * @returns {boolean}
 */
export function isSafeAttributeValue(name, value) {
  const lower = name.toLowerCase();
  if (!URL_ATTRIBUTES.has(lower)) return true;
  const image = IMAGE_ATTRIBUTES.has(lower);
  if (LIST_ATTRIBUTES.has(lower)) {
    return value.split(/[\s,]+/).every((token) => token === "" || isSafeUrl(token, image));
  }
  return isSafeUrl(value, image);
}
