"""FileUpload in real Chromium with two workers on Redis (issues 13 and 14).

The page is served by worker A (its session lives there); the page's ``POST /_tw/upload`` is
sent to worker B instead, as a load balancer without sticky sessions may do (Playwright
re-routes the request; B accepts A's origin as a balancer's shared host would). B streams the
bytes to A; ``client/src/upload.js`` gets the answer a local upload gets and the handler the
exact bytes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Route, expect
from server_cluster import redis_server_path
from server_live import live_server
from test_issue_13_upload_relay import app_dir, load

from tempestweb_contract.names import ENDPOINT_PREFIX, UPLOAD_PATH

__all__ = ["app_dir"]  # a fixture, shared with test_issue_13_upload_relay (redis_url: conftest.py)

pytestmark = pytest.mark.skipif(
    redis_server_path() is None, reason="redis-server is not installed (Debian package redis-server)"
)
WAIT_MS = 20_000


def test_issue_13_a_file_picked_in_chromium_reaches_its_session_through_another_worker(
    browser: Any, app_dir: Path, redis_url: str
) -> None:
    app, received = load(app_dir)
    with (
        live_server(app, redis=redis_url) as a,
        live_server(app, redis=redis_url, allowed_origins=(f"http://{a}",)) as b,  # one host
    ):
        rerouted: list[str] = []

        def to_b(route: Route) -> None:
            rerouted.append(route.request.url)
            route.continue_(url=route.request.url.replace(a, b, 1))

        page = browser.new_page()
        try:
            page.route(f"http://{a}{ENDPOINT_PREFIX}{UPLOAD_PATH}?*", to_b)
            page.goto(f"http://{a}/")
            page.wait_for_selector("[data-tw-status=open]", state="attached", timeout=WAIT_MS)
            data = os.urandom(3 * 1024 * 1024 + 7)
            page.locator("#tw-upload").set_input_files(
                {"name": "big.bin", "mimeType": "application/octet-stream", "buffer": data}
            )
            expect(page.locator("li", has_text="big.bin")).to_contain_text("Uploaded,", timeout=WAIT_MS)
        finally:
            page.close()
    assert len(rerouted) == 1
    assert received == [("big.bin", len(data), hashlib.sha256(data).hexdigest())]
