"""A bare PyTauri window (no tempestweb) showing a static folder: the desktop benchmark's anchors.

- the vanilla jsfb page in the same webview the desktop mode uses (``python desktop_static.py
  bench/e2e/vanilla``);
- a bare window showing a static page, for start-to-first-paint and memory;
- the raw IPC anchor: the ``echo`` command answers its body, so ``pyInvoke("echo", bytes)`` in the
  page is one raw PyTauri round trip.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from anyio.from_thread import start_blocking_portal
from pytauri import AppHandle, Assets, Commands, WebviewUrl
from pytauri.webview import WebviewWindowBuilder
from pytauri_wheel.lib import builder_factory, context_factory


class _Folder(Assets):
    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def get(self, key: str, /) -> bytes | None:
        path = (self._root / key.lstrip("/")).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            return None
        return path.read_bytes()

    def iter(self, /) -> Iterator[tuple[str, bytes]]:
        return iter(())


commands = Commands()


@commands.command()
async def echo(body: bytes) -> bytes:
    """Answer the body unchanged (one raw round trip)."""
    return body


def main(folder: str) -> int:
    """Show ``folder``'s ``index.html`` in a window until it closes."""
    with tempfile.TemporaryDirectory(prefix="tw-static-") as tmp:
        root = Path(tmp)
        (root / "dist").mkdir()
        capability = {
            "identifier": "static",
            "windows": ["*"],
            "permissions": ["core:default", "pytauri:default"],
        }
        config = {
            "productName": "static",
            "version": "0.1.0",
            "identifier": "dev.tempestweb.bench.static",
            "build": {"frontendDist": str(root / "dist")},
            "app": {"withGlobalTauri": True, "windows": [], "security": {"capabilities": [capability]}},
        }
        (root / "tauri.conf.json").write_text(json.dumps(config))

        def setup(handle: AppHandle) -> None:
            WebviewWindowBuilder.build(handle, "main", WebviewUrl.App("index.html"), title="static")

        with start_blocking_portal("asyncio") as portal:
            context = context_factory(root)
            context.set_assets(_Folder(Path(folder)))
            app = builder_factory().build(
                context=context, invoke_handler=commands.generate_handler(portal), setup=setup
            )
            return app.run_return()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
