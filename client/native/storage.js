// @ts-check
/**
 * `storage` capability: a key-value store in IndexedDB (database `tempestweb-native`, store
 * `kv`). Values are `{kind: "json", value}` or `{kind: "bytes", value: Uint8Array}`.
 * @module native/storage
 */

import { NATIVE_CODES, NativeError, check, fromBase64, toBase64, toNativeError } from "./_errors.js";

/** IndexedDB database name. */
const DB_NAME = "tempestweb-native";
/** Object store name. */
const STORE = "kv";
/** Schema version. */
const DB_VERSION = 1;

/** @type {Promise<IDBDatabase> | null} */
let opening = null;

/** @returns {Promise<IDBDatabase>} */
function database() {
  if (typeof indexedDB === "undefined") return Promise.reject(new NativeError(NATIVE_CODES.NOT_SUPPORTED, "no IndexedDB"));
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(toNativeError(request.error, NATIVE_CODES.NOT_SUPPORTED));
    };
    request.onblocked = () => {
      opening = null;
      reject(new NativeError(NATIVE_CODES.ABORTED, "IndexedDB upgrade blocked by another tab"));
    };
  });
  return opening;
}

/**
 * Run one request in a transaction and resolve with its result once the transaction commits.
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest<T>} make
 * @returns {Promise<T>}
 */
async function transact(mode, make) {
  const db = await database();
  return new Promise((resolve, reject) => {
    let tx;
    try {
      tx = db.transaction(STORE, mode);
    } catch (error) {
      reject(toNativeError(error));
      return;
    }
    const request = make(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(toNativeError(tx.error ?? request.error));
    tx.onabort = () => reject(toNativeError(tx.error ?? new DOMException("transaction aborted", "AbortError")));
  });
}

/** @param {unknown} key @returns {string} */
function keyOf(key) {
  check(typeof key === "string" && key.length > 0, "storage keys are non-empty strings");
  return /** @type {string} */ (key);
}

/**
 * Store a value.
 * @param {Record<string, unknown>} args `{key, kind: "json" | "bytes", value}` (bytes as base64).
 * @returns {Promise<null>}
 * @throws {NativeError} `quota_exceeded` when the origin's quota is full.
 */
export async function put(args) {
  const key = keyOf(args.key);
  check(args.kind === "json" || args.kind === "bytes", "kind is json or bytes");
  const value = args.kind === "bytes" ? fromBase64(args.value) : args.value;
  await transact("readwrite", (store) => store.put({ kind: args.kind, value }, key));
  return null;
}

/**
 * Read a value.
 * @param {Record<string, unknown>} args `{key}`.
 * @returns {Promise<{found: boolean, kind?: string, json_value?: unknown, bytes_value?: string}>}
 */
export async function get(args) {
  const key = keyOf(args.key);
  const record = /** @type {{kind: string, value: unknown} | undefined} */ (await transact("readonly", (store) => store.get(key)));
  if (record === undefined) return { found: false };
  if (record.kind === "bytes") return { found: true, kind: "bytes", bytes_value: toBase64(/** @type {Uint8Array} */ (record.value)) };
  return { found: true, kind: "json", json_value: record.value };
}

/**
 * List the keys (with an optional prefix).
 * @param {Record<string, unknown>} args `{prefix}`.
 * @returns {Promise<string[]>}
 */
export async function list(args) {
  const keys = await transact("readonly", (store) => store.getAllKeys());
  const prefix = typeof args.prefix === "string" ? args.prefix : "";
  return keys.filter((key) => typeof key === "string" && key.startsWith(prefix)).map(String).sort();
}

/**
 * Remove a key.
 * @param {Record<string, unknown>} args `{key}`.
 * @returns {Promise<null>}
 */
async function remove(args) {
  const key = keyOf(args.key);
  await transact("readwrite", (store) => store.delete(key));
  return null;
}
export { remove as delete };
