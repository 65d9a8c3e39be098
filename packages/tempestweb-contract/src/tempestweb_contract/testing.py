"""Browser-test support shared by every tempestweb package, example suite and benchmark.

The JS client ships in this package, so its tests, the hosts' tests and plugin authors' tests
all launch Chromium the same way: the system Chromium where there is one (Debian package
``chromium``), else Playwright's own browser, with flags that keep a headless run quiet and
offline-safe. Playwright itself is not a dependency: callers pass these to
``playwright.chromium.launch(executable_path=..., args=...)``.
"""

from __future__ import annotations

import os
import shutil
from typing import Final

__all__ = ["CHROMIUM_ARGS", "SYSTEM_CHROMIUM", "chromium_executable"]

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


def __dir__() -> list[str]:
    return list(__all__)
