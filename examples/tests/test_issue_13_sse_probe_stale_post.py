"""Issue 13, SSE probe: a POST of a dropped event stream must not end the next stream's session.

TodoMVC in Chromium over the SSE + POST fallback (the page's WebSocket always fails to open, so
``transport_auto.js`` falls back), through :class:`~sse_probe_proxy.SseProxy`. A todo is typed
while the uplink is slow (the proxy holds each ``POST /_tw/send`` 1 s), and the event stream
drops before that POST arrives. The client reconnects at once: a new ``GET /_tw/sse`` and its
``hello`` POST (held 1 s as well). The POST of the old stream reached the server first, on the
new stream's channel, before its ``hello``:

- the server took it for the new stream's first frame and answered ``error{malformed_frame,
  fatal}`` ("first frame must be hello, got event"); the client stopped for good: the page stayed
  ``closed`` with the typed todo lost. Now the server answers that POST 404 (the frames of no open
  stream, docs/protocol.md) and waits for the ``hello``; the client sends the event again after
  its ``init`` and the host handles it once.
- the client kept that POST's ``posting`` flag across the reconnect, so the new stream's
  ``hello`` waited in its outbox for the old POST, and was never sent when the old POST ended
  (the stream then timed out without a handshake). Now a connection that ends aborts its POST in
  flight and the next one posts at once (``transport_sse.js``).

A second test guards what held in the probe: clicks counted once over slow POSTs, a proxy that
holds the stream's chunks and three dropped streams.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sse_probe_proxy import SseProxy

pytestmark = pytest.mark.browser

WAIT_MS = 10_000

NO_WEBSOCKET = """
(() => {
  // A network that blocks WebSocket upgrades: every WebSocket fails before it opens.
  class BlockedWebSocket extends EventTarget {
    constructor(url) {
      super();
      this.url = String(url);
      this.readyState = 0;
      setTimeout(() => {
        this.readyState = 3;
        this.onerror?.(new Event("error"));
        this.onclose?.(new CloseEvent("close", { code: 1006 }));
      }, 0);
    }
    send() { throw new DOMException("not open", "InvalidStateError"); }
    close() {}
  }
  Object.assign(BlockedWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = BlockedWebSocket;
})();
"""

TITLES_JS = "() => [...document.querySelectorAll('.todo-list > li label')].map((l) => l.textContent)"


@pytest.fixture
def proxy(app_url: Callable[[str], str]) -> Iterator[SseProxy]:
    """A proxy in front of ``tempestweb run examples/todomvc``."""
    port = urlsplit(app_url("todomvc")).port
    assert port is not None
    px = SseProxy(port)
    yield px
    px.close()


def add_todo(page: Page, title: str) -> None:
    """Type ``title`` into the new-todo field and press Enter (real keystrokes)."""
    field = page.locator("input.new-todo")
    field.click()
    field.press_sequentially(title)
    field.press("Enter")


def test_issue_13_a_post_of_a_dropped_stream_does_not_end_the_next_one(page: Page, proxy: SseProxy) -> None:
    errors: list[str] = []
    streams: list[str] = []
    page.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" and "tempestweb" in m.text else None
    )
    page.on("request", lambda r: streams.append(r.url) if "/_tw/sse" in r.url else None)
    page.add_init_script(NO_WEBSOCKET)
    page.goto(proxy.url)
    root = page.locator("#tw-root")
    expect(root).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)
    assert streams, "the page did not fall back to SSE"
    add_todo(page, "one")
    add_todo(page, "two")
    expect(page.locator(".todo-list > li")).to_have_count(2, timeout=WAIT_MS)

    proxy.post_delay_s = 1.0
    add_todo(page, "held")
    page.wait_for_function("() => true")  # a round trip: the keystrokes' POSTs have left
    deadline = page.evaluate("() => performance.now()") + WAIT_MS
    while proxy.held_posts == 0 and page.evaluate("() => performance.now()") < deadline:
        page.wait_for_timeout(20)  # polls the proxy (a condition, not a fixed wait)
    assert proxy.held_posts > 0, "no POST reached the proxy"
    proxy.cut_streams()
    assert proxy.stream_cuts == 1

    expect(page.locator(".todo-list > li")).to_have_count(3, timeout=WAIT_MS)
    expect(root).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)
    proxy.post_delay_s = 0.0
    add_todo(page, "after")
    expect(page.locator(".todo-list > li")).to_have_count(4, timeout=WAIT_MS)
    assert page.evaluate(TITLES_JS) == ["one", "two", "held", "after"]
    assert len(streams) >= 2  # the stream was opened again
    assert not [e for e in errors if "malformed_frame" in e or "first frame" in e], errors
    expect(page.locator(".tw-banner[data-state=reconnecting]")).to_have_count(0, timeout=WAIT_MS)


def test_issue_13_clicks_over_a_slow_buffering_sse_link_count_once(
    page: Page, app_url: Callable[[str], str]
) -> None:
    """30 clicks while POSTs are slow, the stream's chunks are held, and the stream drops 3 times."""
    port = urlsplit(app_url("counter")).port
    assert port is not None
    px = SseProxy(port)
    try:
        page.add_init_script(NO_WEBSOCKET)
        page.goto(px.url)
        root = page.locator("#tw-root")
        expect(root).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)
        px.post_delay_s, px.stream_delay_s = 0.3, 0.2
        for _ in range(3):
            for _ in range(10):
                page.click("#increment")
            expect(root).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)  # a stream to cut
            px.cut_streams()
        expect(page.locator("#count")).to_have_text("30", timeout=WAIT_MS * 2)
        expect(root).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)
        expect(page.locator(".tw-banner[data-state=reconnecting]")).to_have_count(0, timeout=WAIT_MS)
        assert px.stream_cuts == 3
        page.click("#decrement")
        expect(page.locator("#count")).to_have_text("29", timeout=WAIT_MS)
    finally:
        px.close()
