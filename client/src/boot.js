// @ts-check
/**
 * Auto-boot: `<script type="module" src="/_tw/client/boot.js">` mounts the `#tw-root` element
 * with the configuration of its data attributes:
 * `data-tw-endpoint` (default "/_tw"), `data-tw-session`, `data-tw-token`,
 * `data-tw-transport` ("ws" | "sse" | "auto" | "ipc", default "auto"; "ipc" in a desktop
 * window), `data-tw-seq` (seq of the prerendered view, default 0).
 * @module boot
 */

import {
  ATTR_ENDPOINT, ATTR_SEQ, ATTR_SESSION, ATTR_TOKEN, ATTR_TRANSPORT, ENDPOINT_PREFIX, ROOT_ELEMENT_ID,
} from "./constants.js";
import { mount } from "./tempestweb.js";

const root = document.getElementById(ROOT_ELEMENT_ID);
if (root === null) {
  console.error(`tempestweb: no #${ROOT_ELEMENT_ID} element to mount`);
} else {
  const transport = root.getAttribute(ATTR_TRANSPORT) ?? "auto";
  if (transport !== "ws" && transport !== "sse" && transport !== "auto" && transport !== "ipc") {
    console.error(`tempestweb: ${ATTR_TRANSPORT}=${JSON.stringify(transport)} is not ws, sse, auto or ipc`);
  } else {
    mount(root, {
      endpoint: root.getAttribute(ATTR_ENDPOINT) ?? ENDPOINT_PREFIX,
      session: root.getAttribute(ATTR_SESSION) || null,
      token: root.getAttribute(ATTR_TOKEN) || null,
      transport,
      lastSeq: Number(root.getAttribute(ATTR_SEQ) ?? 0),
    });
  }
}
