"""Issue 13, SSE fallback in Chromium: a click's POST held across a reconnect no longer closes the page.

The counter over the SSE + POST fallback (the page's WebSocket always fails to open), through
:class:`~sse_probe_proxy.SseProxy`. The proxy holds a click's ``POST /_tw/send``; the event
stream is cut while it is held; the client reconnects and its next stream opens; then the held
POST reaches the server, before the next stream's ``hello`` (held as long).

Before, the server took that POST for the new stream's first frame: a fatal ``malformed_frame``
(a first frame that is not ``hello``), the page closed for good and the click was lost. Now each
connection sends its own stream id (``QUERY_STREAM``) on its ``GET`` and its POSTs; the server
refuses the held POST (``409``, nothing handled), the new stream takes its own ``hello``, and the
client sends the click again after ``init`` (it was not acknowledged): it counts once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Request, expect
from sse_probe_proxy import SseProxy
from test_issue_13_sse_probe_slow_link import NO_WEBSOCKET

from tempestweb_contract.names import QUERY_STREAM

pytestmark = pytest.mark.browser

WAIT_MS = 15_000
HOLD_S = 1.5
"""How long the proxy holds each POST: longer than the client takes to open its next stream
(a backoff of at most 250 ms, then the ``GET``), so the held POST arrives after it opened."""


def test_issue_13_sse_stream_id_a_post_held_across_a_reconnect_is_refused_and_counts_once(
    page: Page, app_url: Callable[[str], str]
) -> None:
    port = urlsplit(app_url("counter")).port
    assert port is not None
    streams: list[str] = []
    posts: list[str] = []

    def on_request(request: Request) -> None:
        url = urlsplit(request.url)
        ids = parse_qs(url.query).get(QUERY_STREAM, [])
        if url.path.endswith("/_tw/sse"):
            streams.append(ids[0] if len(ids) == 1 else repr(ids))
        elif url.path.endswith("/_tw/send"):
            posts.append(ids[0] if len(ids) == 1 else repr(ids))

    px = SseProxy(port)
    try:
        page.add_init_script(NO_WEBSOCKET)
        page.on("request", on_request)
        page.goto(px.url)
        root = page.locator("#tw-root")
        count = page.locator("#count")
        expect(root).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)
        page.click("#increment")
        page.click("#increment")
        expect(count).to_have_text("2", timeout=WAIT_MS)
        px.post_delay_s = HOLD_S
        held_before = px.held_posts
        page.click("#increment")  # its POST leaves the page and is held by the network
        deadline = time.monotonic() + 5
        while px.held_posts == held_before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert px.held_posts > held_before, "the click's POST never reached the proxy"
        px.cut_streams()  # the stream drops while the POST is held; the client reconnects
        # The held POST reaches the server once the next stream is open, before its hello.
        expect(count).to_have_text("3", timeout=WAIT_MS)  # old code: the page closed, "2" for good
        expect(root).to_have_attribute("data-tw-status", "open", timeout=WAIT_MS)
        px.post_delay_s = 0
        page.click("#increment")
        expect(count).to_have_text("4", timeout=WAIT_MS)
        expect(page.locator(".tw-banner[data-state=reconnecting]")).to_have_count(0, timeout=WAIT_MS)
        assert px.stream_cuts == 1
    finally:
        px.close()
    # Each connection draws its own id (16 hex digits) and names it on every POST of it.
    assert len(streams) >= 2 and len(set(streams)) == len(streams), streams
    assert all(re.fullmatch(r"[0-9a-f]{16}", stream) for stream in streams), streams
    assert set(posts) <= set(streams) and posts[-1] == streams[-1], (posts, streams)
