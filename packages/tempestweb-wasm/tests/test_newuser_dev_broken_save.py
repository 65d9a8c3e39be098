"""``tempestweb dev --mode wasm``: a save that breaks the app reaches the open pages.

A save with a syntax error, a failing import or a view raising on its first render fails the
rebuild (it imports and prerenders the app). The dev loop used to print one terminal line and
announce nothing: the open page went on showing the previous version with no sign of the
error, unlike Mode B's overlay. Now the served build takes the saved app files under a new id,
announced as an ``update``: the page's runtime fails to load them and the overlay shows the
error, the page keeping the previous version until a fix is saved.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from test_dev_reload import BOOT_TIMEOUT_MS, WAIT_S, DevLoop, SseReader, app_source, get, write_app


def next_named(stream: SseReader, name: str, within: float = WAIT_S) -> str:
    """Return the data of the next event ``name`` on ``stream``, failing after ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        event = stream.next()  # a keep-alive at least every 0.5 s (DevLoop keepalive)
        if event.get("event") == name:
            return event["data"]
    raise AssertionError(f"no {name!r} event within {within} s")


@pytest.fixture
def dev_app(tmp_path: Path) -> Path:
    folder = tmp_path / "devapp"
    folder.mkdir()
    write_app(folder, "Hello v1")
    return folder


@pytest.mark.parametrize(
    ("broken", "shown"),
    [
        ("def (:\n", "SyntaxError"),
        ("import not_a_module_of_this_test\n", "ModuleNotFoundError"),
        (
            app_source("x").replace("return html.main", "raise RuntimeError('boom')\n    return html.main"),
            "boom",
        ),
    ],
    ids=["syntax", "import", "first-render"],
)
def test_newuser_a_broken_save_is_announced_with_its_files(dev_app: Path, broken: str, shown: str) -> None:
    loop = DevLoop(dev_app, None, keepalive=0.5)
    try:
        stream = SseReader(loop.url)
        first_id = next_named(stream, "hello")
        line = loop.save_until(dev_app, broken, "tempestweb: rebuild failed")
        assert shown in line and "\n" not in line
        failed_id = next_named(stream, "update")  # the open pages are told
        assert failed_id != first_id
        status, page = get(loop.url)
        assert status == 200 and "Hello v1" in page and f'content="{failed_id}"' in page
        assert get(loop.url + "app/app.py")[1] == broken  # what the page's runtime loads
        loop.save_until(dev_app, app_source("Hello v2"), "tempestweb: rebuilt")
        fixed_id = next_named(stream, "update")
        assert fixed_id not in (first_id, failed_id)
        assert "Hello v2" in get(loop.url)[1]
        stream.close()
    finally:
        loop.close()


@pytest.mark.browser
def test_newuser_the_open_page_shows_a_syntax_error_and_recovers(dev_app: Path, browser: Any) -> None:
    loop = DevLoop(dev_app, None)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(loop.url)
        page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
        loop.save_until(
            dev_app, app_source("Hello v1").replace("def view", "def view("), "tempestweb: rebuild"
        )
        overlay = page.wait_for_selector(".tw-overlay", timeout=BOOT_TIMEOUT_MS)
        assert overlay is not None and "SyntaxError" in overlay.inner_text()
        assert page.text_content("#headline") == "Hello v1"  # the previous version stays
        loop.save_until(dev_app, app_source("Hello v2"), "tempestweb: rebuilt")
        page.wait_for_function(
            "() => document.querySelector('#headline')?.textContent === 'Hello v2'"
            " && document.querySelector('.tw-overlay') === null",
            timeout=BOOT_TIMEOUT_MS,
        )
        context.close()
    finally:
        loop.close()
