"""The repository's example apps (examples/jsfb, examples/todomvc) built and run in Mode A."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tempestweb_wasm import build
from tempestweb_wasm._serve import StaticServer

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
BOOT_TIMEOUT_MS = 90_000
ACTION_TIMEOUT_MS = 15_000

pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[object]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _serve(name: str, tmp_path: Path) -> StaticServer:
    app = EXAMPLES / name / "app.py"
    if not app.is_file():
        pytest.skip(f"examples/{name}/app.py is not in this checkout")
    return StaticServer(build(app, out=tmp_path / "out").out)


def test_jsfb_runs_in_mode_a(page: object, tmp_path: Path) -> None:
    with _serve("jsfb", tmp_path) as server:
        p: Any = page
        p.goto(server.url, wait_until="domcontentloaded")
        # jsfb spec section 1: #run is disabled until the app can act on a click.
        assert p.get_attribute("#run", "disabled") is not None
        p.wait_for_selector("#run:not([disabled])", timeout=BOOT_TIMEOUT_MS)
        p.click("#run")
        p.wait_for_selector("tbody > tr:nth-child(1000)", timeout=ACTION_TIMEOUT_MS)
        assert p.text_content("tbody > tr:nth-child(1) > td") == "1"
        assert p.text_content("tbody > tr:nth-child(1000) > td") == "1000"
        p.click("#swaprows")
        p.wait_for_selector("tbody > tr:nth-child(2) > td:text-is('999')", timeout=ACTION_TIMEOUT_MS)
        p.click("#clear")
        p.wait_for_selector("tbody > tr", state="detached", timeout=ACTION_TIMEOUT_MS)
        p.click("#run")
        p.wait_for_selector("tbody > tr:nth-child(1) > td:text-is('1001')", timeout=ACTION_TIMEOUT_MS)


def test_todomvc_runs_in_mode_a(page: object, tmp_path: Path) -> None:
    with _serve("todomvc", tmp_path) as server:
        p: Any = page
        p.goto(server.url)
        p.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
        p.fill(".new-todo", "write the report")
        p.press(".new-todo", "Enter")
        p.wait_for_selector(".todo-list li label:text-is('write the report')", timeout=ACTION_TIMEOUT_MS)
        p.fill(".new-todo", "ship it")
        p.press(".new-todo", "Enter")
        p.wait_for_selector(".todo-list li:nth-child(2) label:text-is('ship it')", timeout=ACTION_TIMEOUT_MS)
        p.click(".todo-list li:nth-child(1) .toggle")
        p.wait_for_selector(".todo-list li.completed:nth-child(1)", timeout=ACTION_TIMEOUT_MS)
