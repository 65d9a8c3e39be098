"""The real WebSocket transport against a `websockets` server: boot, hydrate, reconnect, resume."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import StaticServer

from tempestweb_contract import (
    PROTOCOL_VERSION,
    Ack,
    ClientMessage,
    Event,
    Hello,
    Init,
    Patch,
    Ping,
    Pong,
    SetText,
    decode,
    encode,
)

pytestmark = pytest.mark.browser
sync_server = pytest.importorskip("websockets.sync.server", reason="the websockets package is missing")

TIMEOUT_S = 10.0


class Host:
    """A minimal host: answers hello with init, records every (validated) client frame."""

    def __init__(self) -> None:
        self.received: queue.Queue[tuple[int, ClientMessage]] = queue.Queue()
        self.accepting = threading.Event()
        self.accepting.set()
        self.connections: list[Any] = []
        self.seq = 0
        self.server = sync_server.serve(self.handle, "127.0.0.1", 0)
        self.port: int = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, connection: Any) -> None:
        if connection.request.path != "/_tw/ws":
            connection.close(1008)
            return
        if not self.accepting.is_set():
            connection.close(1013)
            return
        index = len(self.connections)
        self.connections.append(connection)
        for raw in connection:
            message = decode(raw, sender="client")  # every client frame must satisfy the contract
            self.received.put((index, message))
            if isinstance(message, Hello):
                connection.send(
                    encode(Init(v=PROTOCOL_VERSION, session="S1", seq=self.seq, token="T2")).decode()
                )

    def send(self, message: Patch | Ping) -> None:
        self.connections[-1].send(encode(message).decode())

    def send_pong(self, ts: float) -> None:
        self.connections[-1].send(encode(Pong(ts=ts)).decode())

    def next(self) -> tuple[int, ClientMessage]:
        return self.received.get(timeout=TIMEOUT_S)

    def next_of(self, kind: type[Any]) -> tuple[int, Any]:
        while True:
            index, message = self.next()
            if isinstance(message, kind):
                return index, message

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def host() -> Iterator[Host]:
    server = Host()
    yield server
    server.close()


def _status(page: Any, *statuses: str) -> None:
    page.wait_for_function(
        "s => s.includes(document.getElementById('tw-root').dataset.twStatus)", arg=list(statuses)
    )


def test_reconnect_resumes_and_sends_a_queued_event_once(
    browser: Any, static_server: StaticServer, host: Host
) -> None:
    static_server.pages["/ws-app"] = (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<script src="/fixtures/csp_watch.js"></script></head>'
        f'<body><div id="tw-root" data-tw-endpoint="http://127.0.0.1:{host.port}/_tw" data-tw-session="S1"'
        ' data-tw-token="T1" data-tw-transport="ws"><button id="b" data-tw="1" data-tw-on="click:0">'
        '<!--2-->go</button></div><script type="module" src="/client/boot.js"></script></body></html>'
    )
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(static_server.url("/ws-app"))
        _, hello = host.next_of(Hello)
        assert (hello.session, hello.last_seq, hello.token, hello.path) == ("S1", 0, "T1", "/ws-app")
        _status(page, "open")

        page.click("#b")
        _, first = host.next_of(Event)
        assert (first.eid, first.node, first.name) == (1, 1, "click")
        host.seq = 1
        host.send(Patch(seq=1, ops=(SetText(2, "went"),), ack=1))
        page.wait_for_function("() => document.getElementById('b').textContent === 'went'")
        _, ack = host.next_of(Ack)
        assert ack.seq == 1

        host.accepting.clear()
        host.connections[0].close()
        _status(page, "closed", "connecting")
        page.click("#b")  # queued while disconnected
        host.accepting.set()

        index, hello = host.next_of(Hello)
        assert index == 1
        assert (hello.session, hello.last_seq, hello.token) == ("S1", 1, "T2")
        _status(page, "open")
        index, queued = host.next_of(Event)
        assert (index, queued.eid, queued.node) == (1, 2, 1)
        host.send(Ping(ts=7.0))
        rest: list[ClientMessage] = []
        while True:
            _, message = host.next()
            if isinstance(message, Pong):
                assert message.ts == 7.0
                break
            rest.append(message)
        assert not [m for m in rest if isinstance(m, Event)], "the queued event was sent more than once"
        assert page.evaluate("() => window.__tw_violations") == []
    finally:
        context.close()


def _ws_page(static_server: StaticServer, host: Host) -> str:
    static_server.pages["/ws-inflight"] = (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<script src="/fixtures/csp_watch.js"></script></head>'
        f'<body><div id="tw-root" data-tw-endpoint="http://127.0.0.1:{host.port}/_tw" data-tw-session="S1"'
        ' data-tw-token="T1" data-tw-transport="ws"><button id="b" data-tw="1" data-tw-on="click:0">'
        '<!--2-->go</button></div><script type="module" src="/client/boot.js"></script></body></html>'
    )
    return static_server.url("/ws-inflight")


def _drop_and_resume(page: Any, host: Host) -> None:
    host.accepting.clear()
    host.connections[-1].close()
    _status(page, "closed", "connecting")
    host.accepting.set()
    host.next_of(Hello)
    _status(page, "open")


def test_unacknowledged_event_is_sent_again_after_resume(
    browser: Any, static_server: StaticServer, host: Host
) -> None:
    """An event written into a socket that then died is not lost: the resumed session re-sends it."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(_ws_page(static_server, host))
        host.next_of(Hello)
        _status(page, "open")
        page.click("#b")
        index, sent = host.next_of(Event)
        assert (index, sent.eid) == (0, 1)
        _drop_and_resume(page, host)  # no patch acknowledged eid 1 before the drop
        index, again = host.next_of(Event)
        assert (index, again.eid, again.node, again.name) == (1, 1, 1, "click")
    finally:
        context.close()


def test_pong_to_the_probe_acknowledges_events_without_a_patch(
    browser: Any, static_server: StaticServer, host: Host
) -> None:
    """A handler that renders nothing sends no patch; the client's ping probe gets the ack instead."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(_ws_page(static_server, host))
        host.next_of(Hello)
        _status(page, "open")
        page.click("#b")
        host.next_of(Event)
        _, probe = host.next_of(Ping)  # sent EVENT_ACK_PROBE_MS after the unacknowledged event
        host.send_pong(probe.ts)
        # The pong is read before the close frame sent after it (one ordered socket).
        _drop_and_resume(page, host)
        page.click("#b")
        _, next_event = host.next_of(Event)
        assert next_event.eid == 2  # eid 1 was acknowledged by the pong and not sent again
    finally:
        context.close()


def test_issue_13_queue_overflow_then_1013_resumes_and_resends_the_event(
    browser: Any, static_server: StaticServer, host: Host
) -> None:
    """The host's documented overflow (error{queue_overflow, fatal} + close 1013) is not final."""
    from tempestweb_contract import Error

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(_ws_page(static_server, host))
        host.next_of(Hello)
        _status(page, "open")
        page.click("#b")
        _, sent = host.next_of(Event)
        text = "outgoing queue full; reconnect and resume"
        overflow = Error(code="queue_overflow", message=text, fatal=True)
        host.connections[-1].send(encode(overflow).decode())
        host.connections[-1].close(1013)
        index, hello = host.next_of(Hello)
        assert index == 1 and (hello.session, hello.token) == ("S1", "T2")
        _status(page, "open")
        index, again = host.next_of(Event)
        assert (index, again.eid) == (1, sent.eid)  # not acknowledged: sent again, once
    finally:
        context.close()
