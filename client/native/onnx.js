// @ts-check
/**
 * `onnx` capability: onnxruntime-web (the global `ort` of its `ort.min.js`, which the app lists
 * in `[wasm].scripts`) with the `wasm` execution provider forced. Sessions are compiled once
 * and cached by id; tensors cross as base64 of their little-endian bytes + dims + dtype.
 * @module native/onnx
 */

import { NATIVE_CODES, NativeError, check, fromBase64, toBase64, toNativeError } from "./_errors.js";

/**
 * The part of onnxruntime-web's API used here.
 * @typedef {{dims: readonly number[], type: string, data: ArrayBufferView}} OrtTensor
 * @typedef {{inputNames: readonly string[], outputNames: readonly string[],
 *   run: (feeds: Record<string, OrtTensor>) => Promise<Record<string, OrtTensor>>, release?: () => Promise<void>}} OrtSession
 * @typedef {{env: {wasm: {numThreads?: number, proxy?: boolean}},
 *   Tensor: new (type: string, data: ArrayBufferView, dims: readonly number[]) => OrtTensor,
 *   InferenceSession: {create: (model: Uint8Array, options: object) => Promise<OrtSession>}}} Ort
 */

/** Typed-array constructor for each dtype (`bool` is one byte per element). */
const ARRAYS = Object.freeze({
  float32: Float32Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array,
  int32: Int32Array, int64: BigInt64Array, bool: Uint8Array,
});

/** Compiled sessions by id. @type {Map<string, Promise<OrtSession>>} */
const sessions = new Map();

/** @returns {Ort} */
function runtime() {
  const ort = /** @type {{ort?: Ort}} */ (/** @type {unknown} */ (globalThis)).ort;
  if (ort === undefined) {
    throw new NativeError(NATIVE_CODES.NOT_SUPPORTED, "onnxruntime-web is not loaded: list its ort.min.js in [wasm].scripts");
  }
  ort.env.wasm.numThreads = 1; // no SharedArrayBuffer needed (no cross-origin isolation)
  ort.env.wasm.proxy = false;
  return ort;
}

/** @param {string} id @param {string} url @returns {Promise<OrtSession>} */
async function compile(id, url) {
  const ort = runtime();
  let response;
  try {
    response = await fetch(new URL(url, location.href));
  } catch (error) {
    throw new NativeError(NATIVE_CODES.NETWORK, `cannot download ${url}: ${String(error)}`);
  }
  if (response.status === 404) throw new NativeError(NATIVE_CODES.NOT_FOUND, `${url}: 404 not found`);
  if (!response.ok) throw new NativeError(NATIVE_CODES.NETWORK, `${url}: HTTP ${response.status}`);
  const model = new Uint8Array(await response.arrayBuffer());
  try {
    return await ort.InferenceSession.create(model, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
  } catch (error) {
    throw new NativeError(NATIVE_CODES.INVALID_ARGUMENT, `${url} is not a model onnxruntime-web can load: ${String(error)}`);
  }
}

/**
 * Download and compile a model (cached by session id).
 * @param {Record<string, unknown>} args `{url, session_id}`.
 * @returns {Promise<{session_id: string, input_names: string[], output_names: string[]}>}
 */
export async function load(args) {
  check(typeof args.url === "string", "onnx.load needs a url");
  const url = /** @type {string} */ (args.url);
  const id = typeof args.session_id === "string" ? args.session_id : url;
  runtime();
  let pending = sessions.get(id);
  if (pending === undefined) {
    pending = compile(id, url);
    sessions.set(id, pending);
    pending.catch(() => sessions.delete(id));
  }
  const session = await pending;
  return { session_id: id, input_names: [...session.inputNames], output_names: [...session.outputNames] };
}

/** @param {Ort} ort @param {string} name @param {unknown} value @returns {OrtTensor} */
function toTensor(ort, name, value) {
  const spec = /** @type {{data_base64?: unknown, dims?: unknown, dtype?: unknown}} */ (value ?? {});
  const dtype = String(spec.dtype ?? "float32");
  const Array_ = /** @type {Record<string, {new (buffer: ArrayBuffer): ArrayBufferView, BYTES_PER_ELEMENT: number}>} */ (ARRAYS)[dtype];
  check(Array_ !== undefined, `feed ${name}: unsupported dtype ${dtype}`);
  check(Array.isArray(spec.dims), `feed ${name}: dims must be a list`);
  const bytes = fromBase64(spec.data_base64);
  check(bytes.byteLength % Array_.BYTES_PER_ELEMENT === 0, `feed ${name}: data is not whole ${dtype} elements`);
  const copy = bytes.slice().buffer; // aligned, owned buffer
  return new ort.Tensor(dtype, new Array_(copy), /** @type {number[]} */ (spec.dims));
}

/** @param {OrtTensor} tensor @returns {{data_base64: string, dims: number[], dtype: string}} */
function fromTensor(tensor) {
  const data = tensor.data;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { data_base64: toBase64(bytes), dims: [...tensor.dims], dtype: tensor.type };
}

/**
 * Run a cached session.
 * @param {Record<string, unknown>} args `{session_id, feeds: {name: {data_base64, dims, dtype}}}`.
 * @returns {Promise<{outputs: Record<string, {data_base64: string, dims: number[], dtype: string}>}>}
 */
export async function run(args) {
  const ort = runtime();
  const pending = sessions.get(String(args.session_id));
  if (pending === undefined) throw new NativeError(NATIVE_CODES.NOT_FOUND, `no model loaded as ${String(args.session_id)}`);
  const session = await pending;
  check(typeof args.feeds === "object" && args.feeds !== null, "feeds must be an object");
  /** @type {Record<string, OrtTensor>} */
  const feeds = {};
  for (const [name, value] of Object.entries(/** @type {Record<string, unknown>} */ (args.feeds))) feeds[name] = toTensor(ort, name, value);
  let results;
  try {
    results = await session.run(feeds);
  } catch (error) {
    throw toNativeError(error, NATIVE_CODES.INVALID_ARGUMENT);
  }
  /** @type {Record<string, {data_base64: string, dims: number[], dtype: string}>} */
  const outputs = {};
  for (const [name, tensor] of Object.entries(results)) outputs[name] = fromTensor(tensor);
  return { outputs };
}

/**
 * Release a cached session (nothing happens for an unknown id).
 * @param {Record<string, unknown>} args `{session_id}`.
 * @returns {Promise<null>}
 */
export async function unload(args) {
  const id = String(args.session_id);
  const pending = sessions.get(id);
  sessions.delete(id);
  if (pending !== undefined) await (await pending).release?.();
  return null;
}
