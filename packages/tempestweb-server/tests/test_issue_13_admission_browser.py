"""Issue 13, admission control in the browser: a refused client says so in its banner and comes back.

Real Chromium, real clicks. The server holds ``max_sessions=2``. Page A and page B are open;
the server drops A's session and another client takes the free place, so when A reconnects
(asking for a new session) the table is full of connected sessions: A gets
``error{server_busy}`` + 1013, its banner shows "The server is busy" with a countdown and
"Retry now". The other client leaves; a click on "Retry now" brings A back on a new session.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from server_live import counter_app, free_port, wait_for_port

from tempestweb_server import ServerConfig, create_app, serve_asgi

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")


class Server:
    """The server in a thread of this process, so that the test can drop a session."""

    def __init__(self) -> None:
        self.port = free_port()
        self.config = ServerConfig(port=self.port, max_sessions=2)
        self.asgi = create_app(counter_app(), config=self.config)
        self.loop = asyncio.new_event_loop()
        self.stop = asyncio.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(serve_asgi(self.asgi, self.config, shutdown_trigger=self.stop.wait))

    def call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)


@pytest.fixture
def server() -> Iterator[Server]:
    instance = Server()
    instance.thread.start()
    wait_for_port(instance.port)
    yield instance
    instance.loop.call_soon_threadsafe(instance.stop.set)
    instance.thread.join(15)


def test_issue_13_a_refused_client_shows_server_busy_and_retries(browser: Any, server: Server) -> None:
    expect = playwright_api.expect
    base = f"http://127.0.0.1:{server.port}/"
    page_a, page_b = browser.new_page(), browser.new_page()
    for page in (page_a, page_b):
        page.goto(base)
        page.locator("#inc").click()
        expect(page.locator("#count")).to_have_text("Count: 1", timeout=10_000)
    manager = server.asgi.state.manager
    session_a = page_a.locator("#tw-root").get_attribute("data-tw-session")
    squatter: dict[str, Any] = {}

    async def drop_a_and_fill_its_place() -> None:
        # A page load would be refused (503) once A is gone: a bare client takes the place.
        session = manager.live(session_a)
        assert session is not None
        await manager.discard(session)
        ws = await websockets.connect(f"ws://127.0.0.1:{server.port}/_tw/ws")
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        assert json.loads(await ws.recv())["type"] == "init"
        squatter["ws"] = ws

    server.call(drop_a_and_fill_its_place())
    banner = page_a.locator(".tw-banner[data-state=busy]")
    expect(banner).to_be_visible(timeout=15_000)
    expect(banner).to_contain_text("The server is busy")
    assert page_a.locator(".tw-banner-action").inner_text() == "Retry now"
    expect(page_b.locator("#count")).to_have_text("Count: 1")  # B was never disturbed
    page_b.locator("#inc").click()
    expect(page_b.locator("#count")).to_have_text("Count: 2", timeout=10_000)
    server.call(squatter["ws"].close())  # the other client leaves: its session becomes evictable
    page_a.locator(".tw-banner-action").click()  # "Retry now"
    expect(page_a.locator(".tw-banner[data-state=reset]")).to_be_visible(timeout=15_000)
    expect(page_a.locator("#count")).to_have_text("Count: 0")  # a new session
    page_a.locator("#inc").click()
    expect(page_a.locator("#count")).to_have_text("Count: 1", timeout=10_000)
    page_a.close()
    page_b.close()
