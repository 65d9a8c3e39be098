"""Issue 12: ``tempestweb run --mode wasm --debug`` shows tracebacks of the app's code in the page.

A real ``tempestweb run --mode wasm --debug`` subprocess serves a real build; real Chromium boots
it (Pyodide), clicks a button whose handler raises, and the error overlay shows the exception and
the traceback with the app's ``file:line``. Without ``--debug`` the same click shows the generic
message with an error id (``test_issue_12_browser`` in tempestweb-wasm covers that build).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_issue_12_sigterm import SOURCES, _free_port, _wasm_entry_point

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")

BOOT_TIMEOUT_MS = 120_000
"""Pyodide's boot on a loaded 2-core machine."""

APP = (
    "from tempest_core import App, html\n\n\n"
    "def boom() -> None:\n"
    "    raise ValueError('kaboom under --debug')\n\n\n"
    "def view(state: None):\n"
    "    return html.main(html.button('boom', id='boom', type='button', on_click=boom))\n\n\n"
    "app = App(view=view, state=None, title='Debug')\n"
)


def test_issue_12_run_wasm_debug_shows_the_traceback_in_the_overlay(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _wasm_entry_point(site)
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.py").write_text(APP)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, [site, *SOURCES])), "PYTHONUNBUFFERED": "1"}
    port = _free_port()
    command = ["run", str(app), "--mode", "wasm", "--port", str(port), "--debug"]
    process = subprocess.Popen(
        [sys.executable, "-m", "tempestweb_cli", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        for line in process.stdout:
            lines.append(line)
            if "serving on" in line:
                break
        else:
            pytest.fail("the run ended before serving:\n" + "".join(lines))
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_executable(), args=list(CHROMIUM_ARGS)
            )
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
                page.click("#boom")
                overlay = page.locator(".tw-overlay")
                overlay.wait_for()
                title = overlay.locator("h2").inner_text()
                assert title == "the 'click' handler 'boom' raised ValueError: kaboom under --debug"
                trace = overlay.locator("pre").inner_text()
                assert re.search(r"app\.py:5 in boom\n\s+raise ValueError", trace), trace
            finally:
                browser.close()
    finally:
        process.terminate()
        process.wait(timeout=60)
