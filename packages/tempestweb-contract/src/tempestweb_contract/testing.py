"""Test support shared by every tempestweb package, example suite and benchmark.

Browser tests: the JS client ships in this package, so its tests, the hosts' tests and plugin
authors' tests all launch Chromium the same way: the system Chromium where there is one (Debian
package ``chromium``), else Playwright's own browser, with flags that keep a headless run quiet
and offline-safe. Playwright itself is not a dependency: callers pass these to
``playwright.chromium.launch(executable_path=..., args=...)``.

Cross-mode tests: :func:`write_asset_project` writes one app folder and returns the files every
mode must expose from it, so each mode's tests compare against the same oracle.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Final

__all__ = ["CHROMIUM_ARGS", "SYSTEM_CHROMIUM", "chromium_executable", "write_asset_project"]

SYSTEM_CHROMIUM: Final = "/usr/bin/chromium"
"""Path of Debian's ``chromium`` package binary."""

CHROMIUM_ARGS: Final = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
"""Launch flags: no sandbox (containers run as root), no GPU, and no background connections
(update checks, sync, component downloads) that a closed network would refuse."""


def chromium_executable() -> str | None:
    """Return the system Chromium to launch, or ``None`` to let Playwright use its own browser.

    Returns:
        :data:`SYSTEM_CHROMIUM` when it exists, else ``chromium`` found on ``PATH``, else ``None``.

    """
    if os.path.exists(SYSTEM_CHROMIUM):
        return SYSTEM_CHROMIUM
    return shutil.which("chromium")


_ASSET_APP: Final = (
    "from tempest_core import App, html\n\n"
    "app = App(view=lambda _: html.p('assets', id='ready'), state=None, title='Assets')\n"
)
_ASSET_TOML: Final = """\
[wasm]
assets = ["static/*.png", "static/**/*.css", "media/*.svg"]
scripts = ["js/lib.js"]
"""


def write_asset_project(folder: Path, /) -> dict[str, bytes]:
    """Write an app folder whose ``[wasm]`` assets and scripts exercise the asset rule.

    The cross-mode oracle: Mode B must serve, and a Mode A build must hold, exactly the files
    returned, at those paths, with those bytes. The folder has a symlinked file
    (``static/link.png -> a.png``), a symlinked folder (``media -> art``), a nested match
    (``static/css/site.css``), a script (``js/lib.js``) and files no glob names
    (``static/notes.txt``, ``art/logo.svg`` under its real path).

    Args:
        folder: Where to create the app folder (created; must not exist).

    Returns:
        Path relative to the app folder -> the bytes at that path, for every asset and script.

    """
    files = {
        "static/a.png": b"\x89PNG-a",
        "static/css/site.css": b"body { color: teal }\n",
        "static/notes.txt": b"not an asset",
        "art/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        "js/lib.js": b"globalThis.twLib = 1;\n",
    }
    for relative, body in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(body)
    (folder / "app.py").write_text(_ASSET_APP, "utf-8")
    (folder / "tempestweb.toml").write_text(_ASSET_TOML, "utf-8")
    (folder / "static" / "link.png").symlink_to("a.png")
    (folder / "media").symlink_to("art", target_is_directory=True)
    expected = ("static/a.png", "static/css/site.css", "js/lib.js")
    return {
        **{relative: files[relative] for relative in expected},
        "static/link.png": files["static/a.png"],
        "media/logo.svg": files["art/logo.svg"],
    }


def __dir__() -> list[str]:
    return list(__all__)
