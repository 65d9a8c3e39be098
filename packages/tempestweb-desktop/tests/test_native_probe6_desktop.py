"""Sixth outside probe of ``tempestweb.native`` in a desktop window: the storage and file scenarios
of ``examples/tests/apps/probe6_native`` render what the fake backend answers.

A 16 MB ``storage.put`` failed here with ``AbortedError`` "the connection was lost" or not,
depending on the bytes the page had not reported as read (its one frame passed the window's
8 MiB ``MAX_UNREAD_BYTES`` unless nothing was unread): it is ``QuotaExceededError`` in every mode
now, and a 4.4 MiB one round-trips.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tempestweb.native.testing import fake_native
from tempestweb_desktop.testing import VirtualDisplay, WebDriverServer

APP = Path(__file__).parents[3] / "examples" / "tests" / "apps" / "probe6_native" / "app.py"
SCENARIOS = [
    "put-16mb",
    "big-int",
    "nested-big-int",
    "safe-edges",
    "floats",
    "nested",
    "concurrent-small",
    "save-16mb",
    "put-4mb",
]
"""The scenarios checked here (``save-empty``, a real download, and ``concurrent-big`` are left to
the browser suite)."""


def _probe_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("native_probe6_desktop_app", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _fake_outcomes() -> dict[str, str]:
    probe = _probe_app()

    async def run() -> dict[str, str]:
        with fake_native():
            return {name: await probe.outcome(name) for name in SCENARIOS}

    return asyncio.run(run())


@pytest.mark.window
def test_storage_and_file_scenarios_render_what_the_fake_answers(display: VirtualDisplay) -> None:
    expected = _fake_outcomes()
    assert expected["put-16mb"].startswith("QuotaExceededError quota_exceeded the arguments are")
    driver = WebDriverServer(display=display.name).start()
    with driver:
        page = driver.launch(sys.executable, ["-m", "tempestweb_desktop", str(APP)])
        with page:
            page.wait_for(
                "return document.getElementById('tw-root')?.dataset.twStatus === 'open'",
                timeout_s=30,
                what="the live first view",
            )
            seen: dict[str, object] = {}
            for name in SCENARIOS:
                page.execute("document.getElementById(arguments[0]).click()", name)  # below the fold too
                seen[name] = page.wait_for(
                    "const t = document.getElementById(arguments[0] + '-out').textContent;"
                    "return t && t !== '…' ? t : null;",
                    name,
                    timeout_s=60,
                    what=f"the outcome of {name}",
                )
            assert seen == expected
            assert page.execute("return document.getElementById('tw-root').dataset.twStatus") == "open"
