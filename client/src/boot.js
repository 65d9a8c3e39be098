// @ts-check
/**
 * Auto-boot: `<script type="module" src="/_tw/client/boot.js">` mounts the `#tw-root` element
 * with the configuration of its data attributes:
 * `data-tw-endpoint` (default "/_tw"), `data-tw-session`, `data-tw-token`,
 * `data-tw-transport` ("ws" | "sse" | "auto" | "ipc", default "auto"; "ipc" in a desktop
 * window), `data-tw-seq` (seq of the prerendered view, default 0).
 * @module boot
 */

import { mount } from "./tempestweb.js";

const root = document.getElementById("tw-root");
if (root === null) {
  console.error("tempestweb: no #tw-root element to mount");
} else {
  const data = root.dataset;
  const transport = data.twTransport ?? "auto";
  if (transport !== "ws" && transport !== "sse" && transport !== "auto" && transport !== "ipc") {
    console.error(`tempestweb: data-tw-transport=${JSON.stringify(transport)} is not ws, sse, auto or ipc`);
  } else {
    mount(root, {
      endpoint: data.twEndpoint ?? "/_tw",
      session: data.twSession || null,
      token: data.twToken || null,
      transport,
      lastSeq: data.twSeq === undefined ? 0 : Number(data.twSeq),
    });
  }
}
