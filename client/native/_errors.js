// @ts-check
/**
 * Shared helpers of the capability modules: typed errors, secure-context checks, base64.
 *
 * A capability method fails by throwing a DOMException-like {@link NativeError}: its `name` is
 * the DOMException name a browser would use and its `code` one of {@link NATIVE_CODES}, which
 * the client's session sends back in `native_result.error.code` (a test checks that these codes
 * equal the contract's `NATIVE_ERROR_CODES`). Any other thrown DOMException is mapped by name
 * with {@link toNativeError}.
 * @module native/_errors
 */

/** Native error codes (the contract's `NativeErrorCode`), spelled once for every capability module. */
export const NATIVE_CODES = Object.freeze({
  PERMISSION_DENIED: "permission_denied",
  NOT_SUPPORTED: "not_supported",
  INSECURE_CONTEXT: "insecure_context",
  TIMEOUT: "timeout",
  ABORTED: "aborted",
  INVALID_ARGUMENT: "invalid_argument",
  NETWORK: "network",
  NOT_FOUND: "not_found",
  QUOTA_EXCEEDED: "quota_exceeded",
  MALFORMED_RESULT: "malformed_result",
  SESSION_CLOSED: "session_closed",
  NO_SESSION: "no_session",
  UNKNOWN: "unknown",
});

/** DOMException name for each code, so errors read like the browser's own. @type {Readonly<Record<string, string>>} */
const NAME_OF = Object.freeze({
  permission_denied: "NotAllowedError", not_supported: "NotSupportedError", insecure_context: "SecurityError",
  timeout: "TimeoutError", aborted: "AbortError", invalid_argument: "DataError", network: "NetworkError",
  not_found: "NotFoundError", quota_exceeded: "QuotaExceededError", unknown: "UnknownError",
});

/** Code for each DOMException (or Error) name a Web API throws. @type {Readonly<Record<string, string>>} */
const CODE_OF = Object.freeze({
  NotAllowedError: "permission_denied", SecurityError: "permission_denied", NotSupportedError: "not_supported",
  TimeoutError: "timeout", AbortError: "aborted", TypeError: "invalid_argument", DataError: "invalid_argument",
  InvalidStateError: "invalid_argument", SyntaxError: "invalid_argument", NotFoundError: "not_found",
  OverconstrainedError: "not_found", NotReadableError: "aborted", NetworkError: "network",
  QuotaExceededError: "quota_exceeded", EncodingError: "invalid_argument",
});

/** A capability failure: `name` as a DOMException's, `code` a native error code. */
export class NativeError extends Error {
  /**
   * @param {string} code One of {@link NATIVE_CODES}.
   * @param {string} message Detail for the Python side.
   */
  constructor(code, message) {
    super(message);
    /** @type {string} */
    this.name = NAME_OF[code] ?? "UnknownError";
    /** @type {string} */
    this.code = code;
  }
}

/**
 * Map anything a Web API threw to a {@link NativeError} (already-native errors pass through).
 * @param {unknown} error
 * @param {string} [fallback] Code when the name is unknown. Default: "unknown".
 * @returns {NativeError}
 */
export function toNativeError(error, fallback = NATIVE_CODES.UNKNOWN) {
  if (error instanceof NativeError) return error;
  const named = /** @type {{name?: unknown, message?: unknown}} */ (error ?? {});
  const code = CODE_OF[String(named.name)] ?? fallback;
  return new NativeError(code, `${String(named.name ?? "Error")}: ${String(named.message ?? error)}`);
}

/**
 * Throw `insecure_context` unless the page is a secure context (HTTPS or localhost).
 * @param {string} api Name of the Web API, for the message.
 * @returns {void}
 * @throws {NativeError}
 */
export function requireSecureContext(api) {
  if (!globalThis.isSecureContext) {
    throw new NativeError(NATIVE_CODES.INSECURE_CONTEXT, `${api} needs a secure context (HTTPS or localhost)`);
  }
}

/**
 * Throw `invalid_argument` unless `condition` holds.
 * @param {boolean} condition
 * @param {string} message
 * @returns {asserts condition}
 */
export function check(condition, message) {
  if (!condition) throw new NativeError(NATIVE_CODES.INVALID_ARGUMENT, message);
}

/** Bytes per `String.fromCharCode` call when encoding (keeps the argument list small). */
const B64_CHUNK_BYTES = 0x8000;

/**
 * Standard base64 (RFC 4648 section 4) of bytes.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function toBase64(bytes) {
  let binary = "";
  for (let start = 0; start < bytes.length; start += B64_CHUNK_BYTES) {
    binary += String.fromCharCode(...bytes.subarray(start, start + B64_CHUNK_BYTES));
  }
  return btoa(binary);
}

/**
 * Decode standard base64.
 * @param {unknown} text
 * @returns {Uint8Array<ArrayBuffer>}
 * @throws {NativeError} `invalid_argument` when `text` is not base64.
 */
export function fromBase64(text) {
  check(typeof text === "string", "expected a base64 string");
  let binary;
  try {
    binary = atob(/** @type {string} */ (text));
  } catch {
    throw new NativeError(NATIVE_CODES.INVALID_ARGUMENT, "invalid base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
