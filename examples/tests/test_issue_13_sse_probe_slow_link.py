"""Issue 13, SSE probe: clicks over a slow, buffering SSE + POST link with dropped streams count once.

The counter in Chromium over the SSE + POST fallback (the page's WebSocket always
fails to open, so ``transport_auto.js`` falls back), through :class:`~sse_probe_proxy.SseProxy`,
which holds each ``POST /_tw/send`` and the stream's chunks and can cut the stream.

Found by the probe: a POST of a dropped stream that the network holds until after the next
stream opened reached that stream's channel before its ``hello`` and, as any first frame that is
not ``hello``, ended it with a fatal ``malformed_frame``. The client aborts its POST in flight
when its connection ends (``transport_sse.js``: before, the next stream's ``hello`` also waited
behind that POST for good), and every request names its stream (``QUERY_STREAM``), so a POST
already on the wire is refused by the next stream (``test_issue_13_sse_stream_id_browser.py``).
"""

from __future__ import annotations

from collections.abc import Callable
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
