"""The SSE + POST transport (and the `auto` fallback to it) against a stdlib HTTP host."""

from __future__ import annotations

import http.server
import queue
import re
import threading
import urllib.parse
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from conftest import CSP

from tempestweb_contract import (
    PROTOCOL_VERSION,
    Ack,
    ClientMessage,
    Event,
    Hello,
    Init,
    Message,
    Patch,
    SetText,
    client_dir,
    decode,
    encode,
)

pytestmark = pytest.mark.browser

TIMEOUT_S = 10.0


class SseHost:
    """Serves the page and client, `GET /_tw/sse` (event stream) and `POST /_tw/send`."""

    def __init__(self, transport: str) -> None:
        self.received: queue.Queue[tuple[dict[str, list[str]], ClientMessage]] = queue.Queue()
        self.streams: list[queue.Queue[bytes]] = []
        self.stopping = threading.Event()
        self.page = (
            '<!doctype html><html><head><meta charset="utf-8"></head><body>'
            f'<div id="tw-root" data-tw-session="S1" data-tw-token="T1" data-tw-transport="{transport}">'
            '<button id="b" data-tw="1" data-tw-on="click:0"><!--2-->go</button></div>'
            '<script type="module" src="/_tw/client/boot.js"></script></body></html>'
        )
        host = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                if url.path == "/app":
                    self._reply(200, "text/html", host.page.encode(), csp=True)
                elif url.path.startswith("/_tw/client/"):
                    file = client_dir() / url.path.rsplit("/", 1)[1]
                    if file.is_file():
                        self._reply(200, "text/javascript", file.read_bytes())
                    else:
                        self._reply(404, "text/plain", b"")
                elif url.path == "/_tw/sse":
                    self._stream()
                else:
                    self._reply(404, "text/plain", b"")

            def do_POST(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if url.path != "/_tw/send":
                    self._reply(404, "text/plain", b"")
                    return
                query = urllib.parse.parse_qs(url.query)
                raw = msgspec.json.decode(body)
                for item in raw if isinstance(raw, list) else [raw]:
                    message = decode(msgspec.json.encode(item), sender="client")
                    host.received.put((query, message))
                    if isinstance(message, Hello):
                        host.send(Init(v=PROTOCOL_VERSION, session="S1", seq=0, token="T2"))
                self._reply(204, "text/plain", b"")

            def _stream(self) -> None:
                frames: queue.Queue[bytes] = queue.Queue()
                host.streams.append(frames)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.flush()
                while not host.stopping.is_set():
                    try:
                        frame = frames.get(timeout=0.05)
                    except queue.Empty:
                        continue
                    try:
                        self.wfile.write(b"data: " + frame + b"\n\n")
                        self.wfile.flush()
                    except OSError:
                        return

            def _reply(self, status: int, kind: str, body: bytes, *, csp: bool = False) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                if csp:
                    self.send_header("Content-Security-Policy", CSP)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/app"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def send(self, message: Message) -> None:
        self.streams[-1].put(encode(message))

    def next_of(self, kind: type[Any]) -> tuple[dict[str, list[str]], Any]:
        while True:
            query, message = self.received.get(timeout=TIMEOUT_S)
            if isinstance(message, kind):
                return query, message

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(params=["sse", "auto"])
def sse_host(request: pytest.FixtureRequest) -> Iterator[SseHost]:
    host = SseHost(request.param)
    yield host
    host.close()


def test_sse_and_post_round_trip(browser: Any, sse_host: SseHost) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(sse_host.url)
        query, hello = sse_host.next_of(Hello)
        stream = query.pop("stream")  # the connection's id (QUERY_STREAM), 16 hex digits
        assert query == {"session": ["S1"], "token": ["T1"]}
        assert len(stream) == 1 and re.fullmatch(r"[0-9a-f]{16}", stream[0]), stream
        assert (hello.session, hello.last_seq, hello.token) == ("S1", 0, "T1")
        page.wait_for_function("() => document.getElementById('tw-root').dataset.twStatus === 'open'")
        page.click("#b")
        query, event = sse_host.next_of(Event)
        assert query["token"] == ["T2"]  # the token from init is used from then on
        assert query["stream"] == stream  # every POST of the connection names its stream
        assert (event.eid, event.node, event.name) == (1, 1, "click")
        sse_host.send(Patch(seq=1, ops=(SetText(2, "went"),), ack=1))
        page.wait_for_function("() => document.getElementById('b').textContent === 'went'")
        _, ack = sse_host.next_of(Ack)
        assert ack.seq == 1
    finally:
        context.close()
