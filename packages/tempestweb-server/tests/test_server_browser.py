"""Browser smoke test: real Chromium loads the counter app, clicks, and sees the count change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from server_live import counter_app, live_server

from tempestweb_contract import client_dir
from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

pytestmark = pytest.mark.browser



def _client_ready() -> bool:
    try:
        return (client_dir() / "boot.js").is_file()
    except FileNotFoundError:
        return False


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    if not _client_ready():
        pytest.skip("the JS client entry client/src/boot.js is missing")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        try:
            yield instance
        finally:
            instance.close()


@pytest.mark.parametrize("transport", ["auto", "sse"])
def test_counter_click_updates_the_count(browser: Any, transport: str) -> None:
    with live_server(counter_app(), transport=transport) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(f"http://{base}/deep/link")
        count = page.locator("#count")
        assert count.text_content() == "Count: 0"  # prerendered, before any script ran
        expect = pytest.importorskip("playwright.sync_api").expect
        page.locator("#inc").click()
        expect(count).to_have_text("Count: 1", timeout=10_000)  # polls; no eval (the CSP forbids it)
        page.locator("#inc").click()
        page.locator("#inc").click()
        expect(count).to_have_text("Count: 3", timeout=10_000)
        page.close()
        assert errors == []
