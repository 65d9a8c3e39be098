"""Issue 13: an event larger than the server's ``max_frame_bytes`` is refused by the client, not looped.

Found by probing from outside (``tempestweb run examples/todomvc --max-frame-bytes 2048``, as
the server took it then, 5,000 characters typed into the new-todo field, then Enter): the
WebSocket was closed for the oversized ``input`` frame, the client resumed and sent the same
unacknowledged frame again, and so on for ever with exponential backoff: nothing the person did
afterwards reached the server, and nothing said why. Over SSE the same happened with a ``POST``
body of several frames that were each under the limit but together over it (HTTP 413).

Now the host tells the client its limit in ``init`` (``max_frame_bytes``), the client reports an
oversized event as ``frame_too_large`` and drops it, and the SSE transport bounds each ``POST``
body by the limit. Real Chromium, real keystrokes, both transports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest
from server_live import live_server

from tempest_core import App, Button, Column, Node, Text, TextField
from tempestweb_contract.constants import MIN_FRAME_BYTES

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")

LIMIT = MIN_FRAME_BYTES
"""The server's ``max_frame_bytes`` in these tests (64 KiB, the smallest it takes)."""
WAIT_MS = 10_000


@dataclass(frozen=True, slots=True)
class Draft:
    text: str = ""
    inputs: int = 0
    clicks: int = 0


def _app() -> App[Draft]:
    def on_input(text: str) -> None:
        app.set_state(lambda s: replace(s, text=text, inputs=s.inputs + 1))

    def view(state: Draft) -> Node:
        return Column(
            TextField(label="Note", value=state.text, on_input=on_input, id="note"),
            Button("+", on_click=lambda: app.set_state(lambda s: replace(s, clicks=s.clicks + 1)), id="inc"),
            Text(f"chars={len(state.text)} inputs={state.inputs} clicks={state.clicks}", id="out"),
        )

    app = App(view=view, state=Draft, title="Frame limit")
    return app


def _watch(page: Any) -> tuple[list[str], list[str]]:
    """Console errors, and the transport requests that opened a connection (WebSocket, SSE stream)."""
    errors: list[str] = []
    opened: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_request(request: Any) -> None:
        if "/_tw/sse" in request.url:
            opened.append(request.url)

    def on_websocket(websocket: Any) -> None:
        opened.append(websocket.url)

    page.on("console", on_console)
    page.on("request", on_request)
    page.on("websocket", on_websocket)
    return errors, opened


@pytest.mark.parametrize("transport", ["ws", "sse"])
def test_issue_13_an_event_over_max_frame_bytes_is_reported_and_dropped(browser: Any, transport: str) -> None:
    expect = playwright_api.expect
    with live_server(_app(), max_frame_bytes=LIMIT, transport=transport) as host:
        page = browser.new_page()
        errors, opened = _watch(page)
        page.goto(f"http://{host}/")
        note = page.locator("#note")
        note.fill("small")
        expect(page.locator("#out")).to_have_text("chars=5 inputs=1 clicks=0", timeout=WAIT_MS)
        note.fill("x" * (2 * LIMIT))  # one input event of about 128 KiB: over the limit
        page.wait_for_timeout(1_500)  # the old client was closed and resumed (and closed...) here
        page.locator("#inc").click()
        expect(page.locator("#out")).to_have_text("chars=5 inputs=1 clicks=1", timeout=WAIT_MS)
        assert len(opened) == 1, opened  # no reconnect: the oversized frame never left the page
        assert any("[frame_too_large] the input event of" in error for error in errors), errors
        note.fill("fits again")
        expect(page.locator("#out")).to_have_text("chars=10 inputs=2 clicks=1", timeout=WAIT_MS)
        assert page.locator("#note").evaluate("n => n.classList.contains('tw-loading')") is False
        page.close()


def test_issue_13_sse_post_bodies_stay_under_max_frame_bytes(browser: Any) -> None:
    """Six input events of about 30 KB each, dispatched in one task: one goes in the first POST,
    the five that wait for it (150 KB together) must not go as one body over the 64 KiB limit."""
    expect = playwright_api.expect
    with live_server(_app(), max_frame_bytes=LIMIT, transport="sse") as host:
        page = browser.new_page()
        errors, opened = _watch(page)
        posts: list[int] = []

        def on_request(request: Any) -> None:
            if "/_tw/send" in request.url:
                posts.append(len(request.post_data_buffer or b""))

        page.on("request", on_request)
        page.goto(f"http://{host}/")
        page.locator("#inc").click()
        expect(page.locator("#out")).to_have_text("chars=0 inputs=0 clicks=1", timeout=WAIT_MS)
        page.locator("#note").evaluate(
            """(node) => {
              for (let i = 1; i <= 6; i++) {
                node.value = String(i).repeat(30000);
                node.dispatchEvent(new Event("input", { bubbles: true }));
              }
            }"""
        )
        expect(page.locator("#out")).to_have_text("chars=30000 inputs=6 clicks=1", timeout=WAIT_MS)
        assert page.locator("#note").input_value() == "6" * 30000
        assert len(opened) == 1, opened  # no 413, no reconnect
        assert all(size <= LIMIT for size in posts), posts
        assert len(posts) >= 4, posts  # 1 click + the input events in several bodies
        assert not [error for error in errors if "POST /send failed" in error], errors
        page.close()
