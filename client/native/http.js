// @ts-check
/**
 * `http` capability: one `fetch` per attempt (the retry loop runs in Python), and uploads
 * through `XMLHttpRequest` whose progress Python follows with long-poll `upload_wait` calls.
 * Follows WHATWG Fetch and XMLHttpRequest. Bodies cross as base64.
 * @module native/http
 */

import { NATIVE_CODES, NativeError, check, fromBase64, toBase64, toNativeError } from "./_errors.js";

/**
 * @typedef {object} Fetched What one attempt answers.
 * @property {number} status
 * @property {string} status_text
 * @property {string} url
 * @property {boolean} redirected
 * @property {[string, string][]} headers
 * @property {string} body Base64 of the body.
 */

/** @param {unknown} value @returns {[string, string][]} */
function headerPairs(value) {
  check(Array.isArray(value), "headers must be a list of [name, value] pairs");
  return /** @type {unknown[]} */ (value).map((pair) => {
    check(Array.isArray(pair) && pair.length === 2, "each header is a [name, value] pair");
    return /** @type {[string, string]} */ ([String(pair[0]), String(pair[1])]);
  });
}

/**
 * One HTTP attempt with `fetch`.
 * @param {Record<string, unknown>} args `{method, url, headers, body (base64 | null), credentials, timeout_ms}`.
 * @returns {Promise<Fetched>}
 * @throws {NativeError} `network` (TypeError from fetch: offline, DNS, CORS), `timeout`, `invalid_argument`.
 */
async function fetchOnce(args) {
  check(typeof args.url === "string" && typeof args.method === "string", "fetch needs url and method");
  const timeoutMs = typeof args.timeout_ms === "number" ? args.timeout_ms : 30_000;
  const signal = AbortSignal.timeout(timeoutMs);
  /** @type {RequestInit} */
  const init = {
    method: /** @type {string} */ (args.method),
    headers: headerPairs(args.headers ?? []),
    credentials: /** @type {RequestCredentials} */ (args.credentials ?? "same-origin"),
    signal,
  };
  if (args.body !== null && args.body !== undefined) init.body = fromBase64(args.body);
  let url;
  try {
    url = new URL(/** @type {string} */ (args.url), location.href);
  } catch {
    throw new NativeError(NATIVE_CODES.INVALID_ARGUMENT, `bad URL ${JSON.stringify(args.url)}`);
  }
  try {
    const response = await fetch(url, init);
    const body = new Uint8Array(await response.arrayBuffer());
    return {
      status: response.status,
      status_text: response.statusText,
      url: response.url,
      redirected: response.redirected,
      headers: [...response.headers],
      body: toBase64(body),
    };
  } catch (error) {
    const name = /** @type {{name?: unknown}} */ (error ?? {}).name;
    // WebKit (the desktop window on Linux and macOS) rejects with an AbortError, not the
    // signal's TimeoutError reason: the signal tells that the timeout fired.
    if (name === "TimeoutError" || (signal.aborted && signal.reason?.name === "TimeoutError")) throw new NativeError(NATIVE_CODES.TIMEOUT, `no response within ${timeoutMs} ms`);
    if (name === "TypeError") throw new NativeError(NATIVE_CODES.NETWORK, `${init.method} ${url.pathname}: ${String(/** @type {Error} */ (error).message)}`);
    throw toNativeError(error, NATIVE_CODES.NETWORK);
  }
}
export { fetchOnce as fetch };

/**
 * @typedef {object} Upload
 * @property {XMLHttpRequest} xhr
 * @property {number} loaded
 * @property {number | null} total
 * @property {boolean} done
 * @property {Fetched | null} response
 * @property {NativeError | null} error
 * @property {(() => void)[]} waiters
 */

/** Uploads in flight, by id. @type {Map<string, Upload>} */
const uploads = new Map();
let nextUpload = 0;

/** @param {Upload} upload */
function wake(upload) {
  const waiters = upload.waiters;
  upload.waiters = [];
  for (const resolve of waiters) resolve();
}

/** @param {string} text @returns {[string, string][]} */
function parseHeaders(text) {
  return text.trim().split(/[\r\n]+/).filter(Boolean).map((line) => {
    const at = line.indexOf(":");
    return /** @type {[string, string]} */ ([line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()]);
  });
}

/**
 * Start a `multipart/form-data` upload.
 * @param {Record<string, unknown>} args `{url, method, data (base64), filename, field, mime_type, fields, headers, timeout_ms}`.
 * @returns {{id: string}}
 */
export function upload_start(args) {
  check(typeof args.url === "string", "upload needs a url");
  const form = new FormData();
  const fields = /** @type {Record<string, unknown>} */ (args.fields ?? {});
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  const blob = new Blob([fromBase64(args.data)], { type: String(args.mime_type ?? "application/octet-stream") });
  form.append(String(args.field ?? "file"), blob, String(args.filename ?? "file"));
  const xhr = new XMLHttpRequest();
  const id = `u${++nextUpload}`;
  /** @type {Upload} */
  const state = { xhr, loaded: 0, total: blob.size, done: false, response: null, error: null, waiters: [] };
  uploads.set(id, state);
  xhr.open(String(args.method ?? "POST"), new URL(/** @type {string} */ (args.url), location.href));
  for (const [name, value] of headerPairs(args.headers ?? [])) xhr.setRequestHeader(name, value);
  xhr.responseType = "arraybuffer";
  xhr.timeout = typeof args.timeout_ms === "number" ? args.timeout_ms : 0;
  xhr.upload.onprogress = (event) => {
    state.loaded = event.loaded;
    state.total = event.lengthComputable ? event.total : state.total;
    wake(state);
  };
  xhr.upload.onload = () => {
    state.loaded = state.total ?? state.loaded;
    wake(state);
  };
  xhr.onload = () => {
    state.done = true;
    state.response = {
      status: xhr.status, status_text: xhr.statusText, url: xhr.responseURL, redirected: false,
      headers: parseHeaders(xhr.getAllResponseHeaders()),
      body: toBase64(new Uint8Array(/** @type {ArrayBuffer} */ (xhr.response ?? new ArrayBuffer(0)))),
    };
    wake(state);
  };
  xhr.onerror = () => {
    state.error = new NativeError(NATIVE_CODES.NETWORK, "the upload failed at the network level");
    wake(state);
  };
  xhr.ontimeout = () => {
    state.error = new NativeError(NATIVE_CODES.TIMEOUT, "the upload timed out");
    wake(state);
  };
  xhr.onabort = () => {
    state.error = new NativeError(NATIVE_CODES.ABORTED, "the upload was aborted");
    wake(state);
  };
  xhr.send(form);
  return { id };
}

/**
 * Wait until an upload's progress differs from `seen` (or it ends), at most `wait_ms`.
 * @param {Record<string, unknown>} args `{id, seen, wait_ms}`.
 * @returns {Promise<{loaded: number, total: number | null, done: boolean, response: Fetched | null}>}
 * @throws {NativeError} `not_found` for an unknown id; the upload's own error when it failed.
 */
export async function upload_wait(args) {
  const state = uploads.get(String(args.id));
  if (state === undefined) throw new NativeError(NATIVE_CODES.NOT_FOUND, `no upload ${String(args.id)}`);
  if (state.loaded === args.seen && !state.done && state.error === null) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, typeof args.wait_ms === "number" ? args.wait_ms : 25_000);
      state.waiters.push(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
  if (state.error !== null) {
    uploads.delete(String(args.id));
    throw state.error;
  }
  if (state.done) uploads.delete(String(args.id));
  return { loaded: state.loaded, total: state.total, done: state.done, response: state.response };
}

/**
 * Abort an upload (nothing happens for an unknown id).
 * @param {Record<string, unknown>} args `{id}`.
 * @returns {null}
 */
export function upload_abort(args) {
  const state = uploads.get(String(args.id));
  uploads.delete(String(args.id));
  state?.xhr.abort();
  return null;
}
