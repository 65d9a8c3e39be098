// @ts-check
/**
 * Auto-boot: `<script type="module" src="/_tw/client/boot.js">` mounts the `#tw-root` element
 * with the configuration of its data attributes:
 * `data-tw-endpoint` (default "/_tw"), `data-tw-session`, `data-tw-token`,
 * `data-tw-transport` ("ws" | "sse" | "auto" | "ipc", default "auto"; "ipc" in a desktop
 * window), `data-tw-seq` (seq of the prerendered view, default 0).
 *
 * Once the session's first `init` is applied and the page is idle, the page replays the host's
 * recording of the rehearsal (`GET <endpoint>/rehearsal`: a Mode B server, a desktop window's
 * asset resolver) in an inert document (`rehearsal.js`), so that a person's first scroll,
 * keystroke and click run compiled code; the mark `tw:rehearsed` carries how many patches it
 * applied and any errors.
 * @module boot
 */

import {
  ATTR_ENDPOINT, ATTR_SEQ, ATTR_SESSION, ATTR_TOKEN, ATTR_TRANSPORT, DOM_EVENT_STATUS, ENDPOINT_PREFIX,
  ROOT_ELEMENT_ID,
} from "./constants.js";
import { whenIdle } from "./idle.js";
import { rehearseRecorded, untilPersonActs } from "./rehearsal.js";
import { mount } from "./tempestweb.js";

const root = document.getElementById(ROOT_ELEMENT_ID);
if (root === null) {
  console.error(`tempestweb: no #${ROOT_ELEMENT_ID} element to mount`);
} else {
  const transport = root.getAttribute(ATTR_TRANSPORT) ?? "auto";
  if (transport !== "ws" && transport !== "sse" && transport !== "auto" && transport !== "ipc") {
    console.error(`tempestweb: ${ATTR_TRANSPORT}=${JSON.stringify(transport)} is not ws, sse, auto or ipc`);
  } else {
    const endpoint = root.getAttribute(ATTR_ENDPOINT) ?? ENDPOINT_PREFIX;
    mount(root, {
      endpoint,
      session: root.getAttribute(ATTR_SESSION) || null,
      token: root.getAttribute(ATTR_TOKEN) || null,
      transport,
      lastSeq: Number(root.getAttribute(ATTR_SEQ) ?? 0),
    });
    /** @param {Event} event */
    const opened = (event) => {
      const state = /** @type {CustomEvent<import("./session.js").StatusDetail>} */ (event).detail.state;
      if (state !== "open" && state !== "resynced" && state !== "reset") return; // an init is applied
      root.removeEventListener(DOM_EVENT_STATUS, opened);
      const watch = untilPersonActs(window);
      whenIdle(() => {
        rehearseRecorded(endpoint, watch).then(
          (result) => {
            if (result !== null) performance.mark("tw:rehearsed", { detail: result });
          },
          (error) => console.debug("tempestweb: idle rehearsal skipped", error),
        );
      });
    };
    root.addEventListener(DOM_EVENT_STATUS, opened);
  }
}
