"""The real JS client in Chromium against 2 worker processes on Redis while each worker is killed.

The page is served by whichever worker the kernel picks; its WebSocket (or SSE stream and POSTs)
may land on the other one. Every worker is SIGKILLed in turn while the page stays open: the
client reconnects, its session is taken over from its checkpoint, and every click it saw counted
is still counted (issue 13).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_cluster import redis_server, redis_server_path, worker_pool, write_counter_app

from tempestweb_contract import client_dir
from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        redis_server_path() is None, reason="redis-server is not installed (Debian package redis-server)"
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    if not (client_dir() / "boot.js").is_file():
        pytest.skip("the JS client entry client/src/boot.js is missing")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        try:
            yield instance
        finally:
            instance.close()


@pytest.mark.parametrize("transport", ["ws", "sse"])
def test_issue_13_the_js_client_keeps_its_count_while_every_worker_is_killed(
    browser: Any, tmp_path: Path, transport: str
) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    app_dir = write_counter_app(tmp_path)
    with redis_server() as url, worker_pool(app_dir, url, workers=2, transport=transport) as pool:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{pool.port}/")
        count = page.locator("#count")
        root = page.locator("[data-tw-status]")
        expect(root).to_have_attribute("data-tw-status", "open", timeout=15_000)
        clicks = 0
        for _ in range(2):
            page.locator("#inc").click()
            clicks += 1
            expect(count).to_have_text(f"Count: {clicks}", timeout=10_000)
        for victim in pool.wait_workers(2):  # each of the two workers in turn, whichever owns the session
            os.kill(victim, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while victim in pool.worker_pids() or len(pool.worker_pids()) < 2:
                assert time.monotonic() < deadline, "the supervisor did not restart the worker"
                time.sleep(0.05)
            expect(root).to_have_attribute("data-tw-status", "open", timeout=20_000)
            expect(count).to_have_text(f"Count: {clicks}", timeout=20_000)  # restored, or never moved
            for _ in range(2):
                page.locator("#inc").click()
                clicks += 1
                expect(count).to_have_text(f"Count: {clicks}", timeout=20_000)
        page.reload()  # a new page, a new session: the old one is not in the way
        expect(count).to_have_text("Count: 0", timeout=10_000)
        page.close()
