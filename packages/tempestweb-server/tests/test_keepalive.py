"""The keep-alive scheduler: one timer per loop pings every connection, each at its own cadence."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Any, cast

import httpx
import pytest
import websockets
from server_live import counter_app, live_server

from tempestweb_contract import Ping, ServerMessage
from tempestweb_server._keepalive import _SCHEDULERS, KeepAlive, Link, keepalive_for
from tempestweb_server.constants import KEEPALIVE_MISSED_PINGS

INTERVAL_S = 0.02


class FakeLink:
    """Stands in for a ``Connection``'s outbound side: records the pings it was given.

    Its client answers each ping with a ``pong`` (one more received frame), as the JS client
    does, unless ``pongs`` is false; ``closed`` records the host's close.
    """

    def __init__(
        self, name: str, log: list[tuple[str, bytes]], changed: asyncio.Event, *, pongs: bool = True
    ) -> None:
        self.name = name
        self.state = "open"
        self.received = 0  # client frames, as Connection.received
        self.log = log
        self.changed = changed
        self.pongs = pongs
        self.closed: tuple[int, str] | None = None

    def ping(self, frame: bytes, /) -> None:
        self.log.append((self.name, frame))
        if self.pongs:
            self.received += 1
        self.changed.set()

    def close(self, code: int, reason: str) -> None:
        self.state = "closed"
        self.closed = (code, reason)
        self.changed.set()


class FakeConnection(FakeLink):
    """A ``Connection`` look-alike: the scheduler calls ``deliver(message, frame)`` on those."""

    def deliver(self, message: ServerMessage, frame: bytes | None = None, /) -> None:
        assert isinstance(message, Ping) and frame is not None
        self.ping(frame)


def as_link(fake: FakeLink) -> Link:
    return cast(Link, fake)  # duck-typed: state, ping/deliver


def pinged(interval_s: float) -> int:
    """Links waiting for a ping in every loop's scheduler of ``interval_s`` (the server's thread)."""
    return sum(len(per[interval_s]) for per in list(_SCHEDULERS.values()) if interval_s in per)


async def wait_until(changed: asyncio.Event, done: Any) -> None:
    while not done():
        changed.clear()
        await changed.wait()


def closed_by_host(link: FakeLink) -> tuple[int, str] | None:
    """The code and reason ``link`` was closed with (read anew: each tick may close it)."""
    return link.closed


def pings(log: list[tuple[str, bytes]], name: str) -> int:
    return sum(1 for who, _ in log if who == name)


async def test_each_link_is_pinged_in_turn_until_discarded_or_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempestweb_server._keepalive.Connection", FakeConnection)
    log: list[tuple[str, bytes]] = []
    changed = asyncio.Event()
    scheduler = KeepAlive(INTERVAL_S, loop=asyncio.get_running_loop())
    a, b, c = (FakeConnection(name, log, changed) for name in "abc")
    scheduler.add(as_link(a))
    await wait_until(changed, lambda: pings(log, "a") >= 2)
    scheduler.add(as_link(b))
    scheduler.add(as_link(c))
    await wait_until(changed, lambda: pings(log, "b") >= 2 and pings(log, "c") >= 2)
    assert log[0][0] == "a" and len(scheduler) == 3
    frame = json.loads(log[0][1])
    assert frame["type"] == "ping" and isinstance(frame["ts"], float)

    c.state = "closed"  # closed by the host: dropped at its next due time
    scheduler.discard(as_link(b))  # its transport ended
    seen = len(log)
    await wait_until(changed, lambda: pings(log[seen:], "a") >= 3)
    assert pings(log[seen:], "b") == 0 and pings(log[seen:], "c") == 0
    assert b not in scheduler and c not in scheduler and len(scheduler) == 1

    scheduler.discard(as_link(a))
    scheduler.discard(as_link(a))  # twice is harmless
    assert len(scheduler) == 0
    seen = len(log)
    d = FakeConnection("d", log, changed)
    scheduler.add(as_link(d))  # an emptied scheduler re-arms its timer
    await wait_until(changed, lambda: pings(log, "d") >= 1)
    assert {who for who, _ in log[seen:]} == {"d"}
    scheduler.discard(as_link(d))


async def test_links_due_in_the_same_tick_share_one_encoded_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempestweb_server._keepalive.Connection", FakeConnection)
    log: list[tuple[str, bytes]] = []
    changed = asyncio.Event()
    loop = asyncio.get_running_loop()
    scheduler = KeepAlive(INTERVAL_S, loop=loop)
    links = [FakeConnection(str(i), log, changed) for i in range(50)]
    real_time = loop.time
    monkeypatch.setattr(loop, "time", lambda: 1_000.0)  # every link gets the same due time
    for link in links:
        scheduler.add(as_link(link))
    monkeypatch.setattr(loop, "time", real_time)
    scheduler._tick()  # the timer's callback, at a time when all 50 are due
    assert [who for who, _ in log] == [link.name for link in links]  # in the order they came
    assert len({id(frame) for _, frame in log}) == 1  # encoded once
    for link in links:
        scheduler.discard(as_link(link))


async def test_a_failing_link_is_logged_and_dropped_and_the_others_are_still_pinged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(FakeConnection):
        def deliver(self, message: ServerMessage, frame: bytes | None = None, /) -> None:
            raise RuntimeError("boom")

    monkeypatch.setattr("tempestweb_server._keepalive.Connection", FakeConnection)
    log: list[tuple[str, bytes]] = []
    changed = asyncio.Event()
    scheduler = KeepAlive(INTERVAL_S, loop=asyncio.get_running_loop())
    broken, healthy = Broken("broken", log, changed), FakeConnection("healthy", log, changed)
    scheduler.add(as_link(broken))
    scheduler.add(as_link(healthy))
    await wait_until(changed, lambda: pings(log, "healthy") >= 2)
    assert broken not in scheduler
    assert "keep-alive ping failed" in caplog.text and "boom" in caplog.text
    scheduler.discard(as_link(healthy))


async def test_relayed_links_get_the_frame_through_ping() -> None:
    log: list[tuple[str, bytes]] = []
    changed = asyncio.Event()
    scheduler = KeepAlive(INTERVAL_S, loop=asyncio.get_running_loop())
    relayed = FakeLink("relayed", log, changed)  # not a Connection: RelayLink.ping(frame)
    scheduler.add(as_link(relayed))
    await wait_until(changed, lambda: pings(log, "relayed") >= 1)
    scheduler.discard(as_link(relayed))


async def test_issue_13_a_link_that_heard_from_its_client_within_the_interval_is_not_pinged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("tempestweb_server._keepalive.Connection", FakeConnection)
    log: list[tuple[str, bytes]] = []
    changed = asyncio.Event()
    loop = asyncio.get_running_loop()
    scheduler = KeepAlive(20.0, loop=loop)
    busy, silent = FakeConnection("busy", log, changed), FakeConnection("silent", log, changed)
    now = 1_000.0
    monkeypatch.setattr(loop, "time", lambda: now)
    scheduler.add(as_link(busy))
    scheduler.add(as_link(silent))
    for _ in range(3):  # three intervals: the busy link's client sends a frame in each
        busy.received += 1
        now += 20.0
        scheduler._tick()
    # The silent link's client only answers pings: its pong makes the next interval not silent.
    assert pings(log, "silent") == 2 and pings(log, "busy") == 0
    now += 20.0  # the busy link's client went quiet for a whole interval: pinged again
    scheduler._tick()
    assert pings(log, "busy") == 1 and pings(log, "silent") == 2
    assert busy.closed is None and silent.closed is None
    assert len(scheduler) == 2  # both still waiting for their next due time
    scheduler.discard(as_link(busy))
    scheduler.discard(as_link(silent))


async def test_one_scheduler_per_loop_and_interval() -> None:
    assert keepalive_for(20.0) is keepalive_for(20.0)
    assert keepalive_for(20.0) is not keepalive_for(3.0)
    with pytest.raises(ValueError, match="positive number of seconds"):
        KeepAlive(0, loop=asyncio.get_running_loop())


def test_keepalive_for_needs_a_running_loop() -> None:
    with pytest.raises(RuntimeError):
        keepalive_for(20.0)


async def _answer_pings(ws: Any, kinds: list[str]) -> None:
    """Record each frame's type and answer every ``ping`` with its ``pong``, as the JS client does."""
    with contextlib.suppress(websockets.ConnectionClosed):
        async for raw in ws:
            frame = json.loads(raw)
            kinds.append(frame["type"])
            if frame["type"] == "ping":
                await ws.send(json.dumps({"type": "pong", "ts": frame["ts"]}))


async def test_issue_13_websocket_and_sse_clients_are_pinged_without_a_task_per_connection() -> None:
    interval = 0.5  # a pong may be two intervals late before ping_timeout: room for a loaded machine
    with live_server(counter_app(), ping_interval_s=interval) as base:
        sockets = [await websockets.connect(f"ws://{base}/_tw/ws") for _ in range(3)]
        kinds: list[list[str]] = [[] for _ in sockets]
        for ws in sockets:
            await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
            assert json.loads(await ws.recv())["type"] == "init"
        talker = sockets[0]
        pairs = zip(sockets[1:], kinds[1:], strict=True)
        answering = [asyncio.create_task(_answer_pings(ws, got)) for ws, got in pairs]
        try:
            # A client that keeps sending (an ack) is alive: no ping while it does.
            got = kinds[0]
            for _ in range(60):  # about 4 intervals, a frame every 0.03 s or so
                await talker.send(json.dumps({"type": "ack", "seq": 0}))
                with contextlib.suppress(TimeoutError):
                    got.append(json.loads(await asyncio.wait_for(talker.recv(), 0.03))["type"])
            assert "ping" not in got[2:]  # a ping may have been due as the first ack left
            assert pinged(interval) == 3  # one table entry per connection, in the server's loop
            for got in kinds[1:]:  # each socket that answers its pings gets pings, again and again
                for _ in range(3000):
                    if got.count("ping") >= 2:
                        break
                    await asyncio.sleep(0.01)
                assert got.count("ping") >= 2 and set(got) == {"ping"}
            assert json.loads(await asyncio.wait_for(talker.recv(), 30))["type"] == "ping"  # quiet again
            assert all(not ws.close_code for ws in sockets)  # every one answered: none was closed
        finally:
            for ws in sockets:
                await ws.close()
            await asyncio.gather(*answering)
        for _ in range(3000):  # each transport discards its link when it ends
            if pinged(interval) == 0:
                break
            await asyncio.sleep(0.01)
        assert pinged(interval) == 0

        page = httpx.get(f"http://{base}/").text
        session = re.search(r'data-tw-session="([^"]+)"', page)
        token = re.search(r'data-tw-token="([^"]+)"', page)
        assert session is not None and token is not None
        query = {"session": session.group(1), "token": token.group(1)}
        async with (
            httpx.AsyncClient(base_url=f"http://{base}", timeout=30) as client,
            client.stream("GET", "/_tw/sse", params=query) as stream,
        ):
            hello = {"type": "hello", "v": 1, "path": "/", **query, "last_seq": 0}
            sent = await client.post("/_tw/send", params=query, content=json.dumps([hello]))
            assert sent.status_code == 204
            sse_kinds: list[str] = []
            async for line in stream.aiter_lines():
                if line.startswith("data: "):
                    frame = json.loads(line[len("data: ") :])
                    sse_kinds.append(frame["type"])
                    if frame["type"] == "ping":
                        pong = [{"type": "pong", "ts": frame["ts"]}]
                        answered = await client.post("/_tw/send", params=query, content=json.dumps(pong))
                        assert answered.status_code == 204
                    if sse_kinds.count("ping") == 2:
                        break
            assert sse_kinds[0] == "init" and sse_kinds.count("ping") == 2


async def test_issue_13_a_client_that_answers_no_ping_is_closed_and_its_session_resumes() -> None:
    """A WebSocket whose client stops answering is closed 1011 ``ping_timeout``; it resumes later.

    Before, the host pinged it forever and held the connection (and counted its session as
    connected) until the server stopped.
    """
    interval = 0.5  # a pong may be two intervals late before ping_timeout: room for a loaded machine
    with live_server(counter_app(), ping_interval_s=interval) as base:
        page = httpx.get(f"http://{base}/").text
        session = re.search(r'data-tw-session="([^"]+)"', page)
        token = re.search(r'data-tw-token="([^"]+)"', page)
        assert session is not None and token is not None
        hello = {"type": "hello", "v": 1, "path": "/", "session": session.group(1), "token": token.group(1)}
        async with websockets.connect(f"ws://{base}/_tw/ws") as ws:
            await ws.send(json.dumps({**hello, "last_seq": 0}))
            assert json.loads(await ws.recv())["type"] == "init"
            button = re.search(r'<button data-tw="(\d+)"[^>]*\bid="inc"', page)
            assert button is not None
            node = int(button.group(1))
            click = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
            event = {"type": "event", "eid": 1, "node": node, "name": "click", "data": click}
            await ws.send(json.dumps(event))
            assert json.loads(await ws.recv())["type"] == "patch"
            started = asyncio.get_running_loop().time()
            seen: list[str] = []
            with pytest.raises(websockets.ConnectionClosed) as closed:
                while True:  # read, never answer
                    seen.append(json.loads(await asyncio.wait_for(ws.recv(), 30))["type"])
            waited = asyncio.get_running_loop().time() - started
        assert seen == ["ping"] * KEEPALIVE_MISSED_PINGS
        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1011, "ping_timeout")
        assert KEEPALIVE_MISSED_PINGS * interval < waited < 30  # each ping after an interval, then the close
        async with websockets.connect(f"ws://{base}/_tw/ws") as ws:  # a full resync of the session
            await ws.send(json.dumps({**hello, "last_seq": None}))
            again = json.loads(await ws.recv())
        assert again["type"] == "init" and again["session"] == session.group(1)
        assert "Count: 1" in json.dumps(again)  # the click before the close is kept


async def test_issue_13_a_link_silent_through_its_pings_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A peer gone without a FIN (or a client that stopped reading) no longer holds its connection."""
    assert KEEPALIVE_MISSED_PINGS == 2
    monkeypatch.setattr("tempestweb_server._keepalive.Connection", FakeConnection)
    log: list[tuple[str, bytes]] = []
    changed = asyncio.Event()
    loop = asyncio.get_running_loop()
    scheduler = KeepAlive(20.0, loop=loop)
    gone = FakeConnection("gone", log, changed, pongs=False)
    late = FakeConnection("late", log, changed, pongs=False)
    now = 1_000.0
    monkeypatch.setattr(loop, "time", lambda: now)
    scheduler.add(as_link(gone))
    scheduler.add(as_link(late))
    for _ in range(2):  # silent for an interval, twice: pinged twice
        now += 20.0
        scheduler._tick()
    assert pings(log, "gone") == 2 and pings(log, "late") == 2
    late.received += 1  # its pong arrives just before the next due time
    now += 20.0
    scheduler._tick()  # silent for an interval after each of two pings: gone
    assert gone.closed == (1011, "ping_timeout") and gone not in scheduler
    assert late.closed is None and late in scheduler and pings(log, "late") == 2
    for _ in range(2):
        now += 20.0
        scheduler._tick()  # late is silent again: pinged, not closed (its count starts over)
    assert late.closed is None and pings(log, "late") == 4 and pings(log, "gone") == 2
    now += 35.0  # the loop was blocked for 15 s past the due time: its pong may be unread
    scheduler._tick()
    assert late.closed is None and late in scheduler and pings(log, "late") == 5
    now += 20.0
    scheduler._tick()  # a tick on time, still silent: closed
    assert closed_by_host(late) == (1011, "ping_timeout") and late not in scheduler
