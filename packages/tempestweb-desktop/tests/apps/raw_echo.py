"""A bare PyTauri app (no tempestweb): the stack check and the raw ``pyInvoke`` echo anchor.

Its page exposes ``window.rawEcho`` for a WebDriver test:

- ``echo(text)``: one ``pyInvoke("echo")`` round trip, answering bytes (an ``ArrayBuffer``);
- ``stream(n)``: ``pyInvoke("stream")`` with a ``Channel``; Python sends ``n`` byte messages
  and then one ``str`` message; the page records what each arrived as;
- ``bench(n)``: ``n`` sequential echo round trips, returning the milliseconds of each.

Run: ``python raw_echo.py`` (needs a display).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from anyio.from_thread import start_blocking_portal
from pydantic import BaseModel
from pytauri import AppHandle, Assets, Commands, WebviewUrl
from pytauri.ipc import JavaScriptChannelId
from pytauri.webview import WebviewWindow, WebviewWindowBuilder
from pytauri_wheel.lib import builder_factory, context_factory

PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>raw echo</title>
<script type="module" src="/raw.js"></script></head><body><p id="status">boot</p></body></html>"""

SCRIPT = b"""
const T = window.__TAURI__;
const decoder = new TextDecoder();
const describe = (m) => m instanceof ArrayBuffer
  ? { kind: "ArrayBuffer", text: decoder.decode(m) }
  : { kind: typeof m, text: JSON.stringify(m) };
window.rawEcho = {
  received: [],
  async echo(text) { return describe(await T.pytauri.pyInvoke("echo", new TextEncoder().encode(text))); },
  async stream(n) {
    const channel = new T.core.Channel();
    channel.onmessage = (m) => window.rawEcho.received.push(describe(m));
    await T.pytauri.pyInvoke("stream", { n, channel });
  },
  async bench(n) {
    const body = new TextEncoder().encode('{"t":"event","node":1,"name":"click","eid":1,"data":{}}');
    const times = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await T.pytauri.pyInvoke("echo", body);
      times.push(performance.now() - t0);
    }
    return times;
  },
};
document.getElementById("status").textContent = "ready";
"""


class _Assets(Assets):
    def get(self, key: str, /) -> bytes | None:
        return {"/index.html": PAGE, "/raw.js": SCRIPT}.get(key)

    def iter(self, /) -> Iterator[tuple[str, bytes]]:
        return iter(())


commands = Commands()


class StreamBody(BaseModel):
    """Body of the ``stream`` command."""

    n: int
    channel: JavaScriptChannelId


@commands.command()
async def echo(body: bytes) -> bytes:
    """Answer the body unchanged."""
    return body


@commands.command()
async def stream(body: StreamBody, webview_window: WebviewWindow) -> bytes:
    """Send ``n`` byte messages, then one ``str`` message, over the page's channel."""
    channel = body.channel.channel_on(webview_window.as_ref_webview())
    for i in range(body.n):
        channel.send(json.dumps({"i": i}).encode())
    channel.send(json.dumps({"as": "str"}))
    return b"{}"


def _setup(handle: AppHandle) -> None:
    WebviewWindowBuilder.build(handle, "main", WebviewUrl.App("index.html"), title="raw echo")


def main() -> int:
    """Run the app until its window closes; return the exit code."""
    with tempfile.TemporaryDirectory(prefix="raw-echo-") as tmp:
        root = Path(tmp)
        (root / "dist").mkdir()
        capability = {
            "identifier": "raw",
            "windows": ["main"],
            "permissions": ["core:default", "pytauri:default"],
        }
        config = {
            "productName": "raw-echo",
            "version": "0.1.0",
            "identifier": "dev.tempestweb.raw-echo",
            "build": {"frontendDist": str(root / "dist")},
            "app": {
                "withGlobalTauri": True,
                "windows": [],
                "security": {"capabilities": [capability]},
            },
        }
        (root / "tauri.conf.json").write_text(json.dumps(config))
        with start_blocking_portal("asyncio") as portal:
            context = context_factory(root)
            context.set_assets(_Assets())
            app = builder_factory().build(
                context=context, invoke_handler=commands.generate_handler(portal), setup=_setup
            )
            return app.run_return()


if __name__ == "__main__":
    sys.exit(main())
