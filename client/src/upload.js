// @ts-check
/**
 * File uploads of FileUpload drop zones (`tempest_core` FileUpload; docs/components.md).
 *
 * A drop zone is an element with `ATTR_UPLOAD` (`data-tw-upload`) holding an
 * `<input type=file>` and a button with `ATTR_UPLOAD_PICK`. This module, installed once per
 * mounted root, opens the picker from the button, takes the files of the input's `change` and
 * of a drop on the zone (https://html.spec.whatwg.org/multipage/dnd.html), and sends each file
 * alone:
 *
 * - it gives the file an id and dispatches a bubbling `EVENT_UPLOAD` CustomEvent on the zone
 *   (phase `progress`, `loaded` 0), which the event layer sends to the zone's Python handler
 *   like any DOM event (the payload is the `detail`);
 * - a file larger than `ATTR_UPLOAD_MAX` bytes or outside the input's `accept` fails at once
 *   (phase `error`, codes `too_large`/`not_accepted`) without being read;
 * - otherwise its bytes go to the session: through the transport's `upload` method when it has
 *   one (Mode A: the page reads the `File` and hands the bytes to Python in the page), else,
 *   over HTTP, to `POST <endpoint>/upload` with the session id, token, zone node id, file id and
 *   name (Mode B), with `XMLHttpRequest` upload progress
 *   (https://xhr.spec.whatwg.org/#the-upload-attribute) sent as `progress` events at most every
 *   `UPLOAD_PROGRESS_INTERVAL_MS`; a desktop window (IPC transport) has no path for the bytes
 *   and fails with `not_supported`;
 * - when the bytes are stored it sends phase `done` (the handler then takes the file), else
 *   phase `error` with the host's `code` and `message`.
 *
 * While files are dragged over a zone it carries `data-tw-dragover` (a styling hook; the
 * reconciler never writes that attribute).
 * @module upload
 */

import {
  ATTR_ENDPOINT, ATTR_TRANSPORT, ATTR_UPLOAD, ATTR_UPLOAD_MAX, ATTR_UPLOAD_PICK, ENDPOINT_PREFIX, EVENT_UPLOAD,
  MAX_ERROR_MESSAGE_CHARS, QUERY_FILE_NAME, QUERY_NODE, QUERY_SESSION, QUERY_TOKEN, QUERY_UPLOAD, UPLOAD_ERROR, UPLOAD_FIELD,
  UPLOAD_PATH, UPLOAD_PHASE, UPLOAD_PROGRESS_INTERVAL_MS,
} from "./constants.js";

/** Attribute a zone carries while files are dragged over it. */
export const ATTR_DRAGOVER = "data-tw-dragover";

/**
 * One file on its way to the session.
 * @typedef {object} UploadRequest
 * @property {File} file The file.
 * @property {number} node Node id of the drop zone (the host finds the handler and limits there).
 * @property {string} id The file's id (8-64 of `A-Za-z0-9_-`).
 * @property {(loaded: number) => void} progress Report bytes sent so far.
 */

/**
 * A transport that carries file bytes itself (Mode A's pyodide.ffi transport). The promise
 * resolves once the bytes are stored and rejects with an {@link UploadFailure}.
 * @typedef {{upload?: (request: UploadRequest) => Promise<void>}} UploadingTransport
 */

/**
 * What the session gives the upload layer.
 * @typedef {object} UploadHost
 * @property {(node: Node) => number | undefined} nodeId The node id of a mounted element.
 * @property {() => {session: string | null, token: string | null}} auth Session id and token (Mode B).
 * @property {() => UploadingTransport} transport The session's current transport.
 */

/** A failed upload: a code of `UPLOAD_ERROR` and a message for the page. */
export class UploadFailure extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = "UploadFailure";
    /** @readonly */
    this.code = code;
  }
}

/**
 * The HTML `accept` rule (https://html.spec.whatwg.org/multipage/input.html#attr-input-accept):
 * `.ext`, `type/*` or an exact MIME type, case-insensitive; an empty list accepts any file.
 * Python applies the same rule to the bytes' arrival (`tempest_core.host.accepts`).
 * @param {string} accept The input's `accept` attribute.
 * @param {string} name File name.
 * @param {string} type MIME type (may be empty).
 * @returns {boolean}
 */
export function accepts(accept, name, type) {
  const tokens = accept.split(",").map((token) => token.trim().toLowerCase()).filter((token) => token !== "");
  if (tokens.length === 0) return true;
  const lname = name.toLowerCase();
  const ltype = type.toLowerCase();
  return tokens.some((token) => {
    if (token.startsWith(".")) return lname.endsWith(token);
    if (token.endsWith("/*")) return ltype.startsWith(token.slice(0, -1));
    return token === ltype;
  });
}

/** @returns {string} A random file id (URL-safe, 22 characters). */
function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(36).padStart(2, "0")).join("").slice(0, 22);
}

/**
 * POST one file to Mode B's upload endpoint.
 * @param {string} url The endpoint URL with its query.
 * @param {UploadRequest} request
 * @returns {Promise<void>}
 */
function postFile(url, request) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.upload.addEventListener("progress", (event) => request.progress(event.loaded));
    xhr.addEventListener("load", () => {
      if (xhr.status === 200) {
        resolve();
        return;
      }
      /** @type {{code?: unknown, message?: unknown}} */
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      const code = typeof body.code === "string" ? body.code : UPLOAD_ERROR.FAILED;
      const message = typeof body.message === "string" ? body.message : `the server answered ${xhr.status}`;
      reject(new UploadFailure(code, message));
    });
    xhr.addEventListener("error", () => reject(new UploadFailure(UPLOAD_ERROR.FAILED, "the upload was interrupted")));
    xhr.addEventListener("abort", () => reject(new UploadFailure(UPLOAD_ERROR.FAILED, "the upload was aborted")));
    xhr.send(request.file);
  });
}

/** The upload layer of one mounted root. */
export class Uploads {
  /**
   * @param {Element} root The mount element.
   * @param {UploadHost} host What the session provides.
   */
  constructor(root, host) {
    /** @private @readonly */
    this.root = root;
    /** @private @readonly */
    this.host = host;
    /** @private @readonly */
    this.onClick = (/** @type {Event} */ event) => this.clicked(event);
    /** @private @readonly */
    this.onChange = (/** @type {Event} */ event) => this.changed(event);
    /** @private @readonly */
    this.onDrag = (/** @type {Event} */ event) => {
      if (event instanceof DragEvent) this.dragged(event);
    };
    /** @private @readonly */
    this.onDrop = (/** @type {Event} */ event) => {
      if (event instanceof DragEvent) this.dropped(event);
    };
    root.addEventListener("click", this.onClick);
    root.addEventListener("change", this.onChange);
    root.addEventListener("dragenter", this.onDrag);
    root.addEventListener("dragover", this.onDrag);
    root.addEventListener("dragleave", this.onDrag);
    root.addEventListener("drop", this.onDrop);
  }

  /** Remove the listeners (uploads under way finish). */
  dispose() {
    this.root.removeEventListener("click", this.onClick);
    this.root.removeEventListener("change", this.onChange);
    this.root.removeEventListener("dragenter", this.onDrag);
    this.root.removeEventListener("dragover", this.onDrag);
    this.root.removeEventListener("dragleave", this.onDrag);
    this.root.removeEventListener("drop", this.onDrop);
  }

  /**
   * @private
   * @param {EventTarget | null} target
   * @returns {Element | null} The drop zone holding `target`.
   */
  zoneOf(target) {
    return target instanceof Element ? target.closest(`[${ATTR_UPLOAD}]`) : null;
  }

  /**
   * @private
   * @param {Element} zone
   * @returns {HTMLInputElement | null}
   */
  inputOf(zone) {
    const input = zone.querySelector("input[type=file]");
    return input instanceof HTMLInputElement ? input : null;
  }

  /**
   * @private
   * @param {Event} event
   */
  clicked(event) {
    const button = event.target instanceof Element ? event.target.closest(`[${ATTR_UPLOAD_PICK}]`) : null;
    const zone = this.zoneOf(button);
    const input = zone === null ? null : this.inputOf(zone);
    if (input !== null && !input.disabled) input.click();
  }

  /**
   * @private
   * @param {Event} event
   */
  changed(event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    const zone = this.zoneOf(input);
    if (zone === null || input.files === null) return;
    const files = Array.from(input.files);
    input.value = ""; // choosing the same file again is a new upload
    this.start(zone, files);
  }

  /**
   * @private
   * @param {DragEvent} event
   */
  dragged(event) {
    const zone = this.zoneOf(event.target);
    if (zone === null || !event.dataTransfer?.types.includes("Files")) return;
    const input = this.inputOf(zone);
    if (input === null || input.disabled) return;
    event.preventDefault(); // a drop target must cancel dragover
    event.dataTransfer.dropEffect = "copy";
    if (event.type === "dragleave") {
      if (!(event.relatedTarget instanceof Node) || !zone.contains(event.relatedTarget)) {
        zone.removeAttribute(ATTR_DRAGOVER);
      }
    } else {
      zone.setAttribute(ATTR_DRAGOVER, "");
    }
  }

  /**
   * @private
   * @param {DragEvent} event
   */
  dropped(event) {
    const zone = this.zoneOf(event.target);
    if (zone === null) return;
    zone.removeAttribute(ATTR_DRAGOVER);
    const input = this.inputOf(zone);
    const files = event.dataTransfer?.files;
    if (input === null || input.disabled || files === undefined || files.length === 0) return;
    event.preventDefault(); // the browser would open the file
    this.start(zone, Array.from(files));
  }

  /**
   * Send each file alone (see the module docs).
   * @param {Element} zone
   * @param {File[]} files
   * @returns {Promise<void>[]} One promise per file, settled when its last event is dispatched.
   */
  start(zone, files) {
    return files.map((file) => this.send(zone, file));
  }

  /**
   * @private
   * @param {Element} zone
   * @param {File} file
   * @returns {Promise<void>}
   */
  async send(zone, file) {
    const id = newId();
    /** @param {string} phase @param {Record<string, string | number>} [extra] */
    const emit = (phase, extra = {}) => {
      zone.dispatchEvent(new CustomEvent(EVENT_UPLOAD, {
        bubbles: true,
        detail: {
          [UPLOAD_FIELD.ID]: id, [UPLOAD_FIELD.PHASE]: phase, [UPLOAD_FIELD.NAME]: file.name,
          [UPLOAD_FIELD.SIZE]: file.size, [UPLOAD_FIELD.TYPE]: file.type, ...extra,
        },
      }));
    };
    emit(UPLOAD_PHASE.PROGRESS, { [UPLOAD_FIELD.LOADED]: 0 });
    try {
      const max = zone.getAttribute(ATTR_UPLOAD_MAX);
      if (max !== null && file.size > Number(max)) {
        throw new UploadFailure(UPLOAD_ERROR.TOO_LARGE, `the file is larger than ${max} bytes`);
      }
      const input = this.inputOf(zone);
      if (input !== null && !accepts(input.accept, file.name, file.type)) {
        throw new UploadFailure(UPLOAD_ERROR.NOT_ACCEPTED, `${file.name} is not an accepted type (${input.accept})`);
      }
      const node = this.host.nodeId(zone);
      if (node === undefined) throw new UploadFailure(UPLOAD_ERROR.NOT_FOUND, "the drop zone is no longer on the page");
      let last = performance.now();
      /** @param {number} loaded */
      const progress = (loaded) => {
        const now = performance.now();
        if (now - last < UPLOAD_PROGRESS_INTERVAL_MS || loaded >= file.size) return;
        last = now;
        emit(UPLOAD_PHASE.PROGRESS, { [UPLOAD_FIELD.LOADED]: loaded });
      };
      await this.transfer({ file, node, id, progress });
      emit(UPLOAD_PHASE.DONE, { [UPLOAD_FIELD.LOADED]: file.size });
    } catch (error) {
      const failure = error instanceof UploadFailure ? error
        : new UploadFailure(UPLOAD_ERROR.FAILED, String(error instanceof Error ? error.message : error));
      emit(UPLOAD_PHASE.ERROR, {
        // the host validates the payload: a message over MAX_ERROR_MESSAGE_CHARS would be refused
        [UPLOAD_FIELD.CODE]: failure.code, [UPLOAD_FIELD.MESSAGE]: failure.message.slice(0, MAX_ERROR_MESSAGE_CHARS),
      });
    }
  }

  /**
   * Carry one file's bytes to the session (transport, HTTP, or not at all in a desktop window).
   * @private
   * @param {UploadRequest} request
   * @returns {Promise<void>}
   */
  transfer(request) {
    const transport = this.host.transport();
    if (typeof transport.upload === "function") return transport.upload(request);
    if (this.root.getAttribute(ATTR_TRANSPORT) === "ipc") {
      return Promise.reject(new UploadFailure(
        UPLOAD_ERROR.NOT_SUPPORTED, "file uploads are not available in a desktop window: no IPC path carries file bytes",
      ));
    }
    const { session, token } = this.host.auth();
    if (session === null || token === null) {
      return Promise.reject(new UploadFailure(UPLOAD_ERROR.UNAUTHORIZED, "the page has no session yet"));
    }
    const base = this.root.getAttribute(ATTR_ENDPOINT) ?? ENDPOINT_PREFIX;
    const url = new URL(`${base}${UPLOAD_PATH}`, location.href);
    url.searchParams.set(QUERY_SESSION, session);
    url.searchParams.set(QUERY_TOKEN, token);
    url.searchParams.set(QUERY_NODE, String(request.node));
    url.searchParams.set(QUERY_UPLOAD, request.id);
    url.searchParams.set(QUERY_FILE_NAME, request.file.name);
    return postFile(url.href, request);
  }
}
