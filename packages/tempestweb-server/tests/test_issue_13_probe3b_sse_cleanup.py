"""Issue 13, probe 3b: ending an SSE stream visits its own keys, not every open stream.

Found by reading ``_sse.py`` and measured over loopback: ``SseChannels._forget`` (run when a
stream ends) scanned the whole table of open channels for the keys of the one that ended, so N
streams dropped at once cost O(N**2). 8,000 idle streams (``GET /_tw/sse``) reset at once
beside a healthy WebSocket session clicking: its clicks waited up to 1.8 s (2.8 s of clicks
over 50 ms in all), and py-spy put 1.6 s of the server's event loop in ``_forget``; 4,000
streams: 1.1 s. Now each channel keeps the keys it was entered under (its stream's, then its
``init``'s), and forgetting it removes those that still lead to it: the same 8,000 cost no
time in ``_forget`` (what is left is Hypercorn's and Starlette's linear per-connection work).

The test counts what the table is asked, not how long it takes: the old code visited N**2 / 2
entries for N streams, the new one at most two per stream.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

from server_live import counter_app
from starlette.requests import Request
from starlette.responses import StreamingResponse

from tempestweb_server import ServerConfig
from tempestweb_server._sse import SseChannels, _Channel
from tempestweb_server.sessions import SessionManager

N = 1_000


class CountingTable(dict[tuple[str, str], _Channel]):
    """The channel table, counting every entry it is asked about or hands out."""

    visits = 0

    def _count(self, n: int = 1) -> None:
        type(self).visits += n

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for key in super().__iter__():
            self._count()
            yield key

    def items(self) -> Any:
        for item in super().items():
            self._count()
            yield item

    def keys(self) -> Any:
        return iter(self)

    def values(self) -> Any:
        for value in super().values():
            self._count()
            yield value

    def get(self, key: Any, default: Any = None) -> Any:
        self._count()
        return super().get(key, default)

    def __getitem__(self, key: tuple[str, str]) -> _Channel:
        self._count()
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._count()
        return super().__contains__(key)


def _request(session: str, token: str) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/_tw/sse",
            "query_string": f"session={session}&token={token}".encode(),
            "headers": [(b"host", b"127.0.0.1")],
        }
    )


async def _open(channels: SseChannels, session: str, token: str) -> AsyncIterator[str]:
    response = await channels.stream(_request(session, token))
    assert isinstance(response, StreamingResponse), response.body
    events = cast(AsyncIterator[str], response.body_iterator)
    assert await anext(events) == ": tempestweb\n\n"  # the stream is served: its client is there
    return events


def _manager() -> SessionManager:
    config = ServerConfig(max_handshakes=N + 10, handshake_timeout_s=600, max_sessions=N + 10)
    return SessionManager(counter_app(), config=config)


async def _mass_disconnect() -> tuple[int, int]:
    manager = _manager()
    channels = SseChannels(manager)
    table = CountingTable()
    channels._channels = table
    streams = [await _open(channels, f"s{i}", f"t{i}") for i in range(N)]
    assert len(channels) == N
    CountingTable.visits = 0
    for events in streams:  # every client goes at once: each stream's generator is closed
        await events.aclose()  # type: ignore[attr-defined]
    visits = CountingTable.visits
    left = len(channels)
    await manager.close_all()
    return visits, left


def test_issue_13_probe3b_a_mass_disconnect_visits_each_stream_once() -> None:
    visits, left = asyncio.run(asyncio.wait_for(_mass_disconnect(), 60))
    assert left == 0
    # Old code: every end scanned the table (N + (N-1) + ... = 500,500 for 1,000 streams).
    assert visits <= 2 * N, f"{N} streams ending visited the channel table {visits} times"


async def _taken_over_and_rekeyed() -> None:
    manager = _manager()
    channels = SseChannels(manager)
    first = await _open(channels, "s", "t")
    second = await _open(channels, "s", "t")  # the same session's stream again: it takes over
    [_ async for _ in first]  # the first stream ends ("channel taken over"), which forgets it
    assert len(channels) == 1 and channels._channels[("s", "t")] is not None
    held = channels._channels[("s", "t")]
    channels._rekey(held, "s2", "t2")  # its init named another session (a resumed, expired one)
    assert channels._channels[("s2", "t2")] is held and held.keys == [("s", "t"), ("s2", "t2")]
    await second.aclose()  # type: ignore[attr-defined]
    assert len(channels) == 0
    channels._rekey(held, "s3", "t3")  # an init arriving after its stream ended enters nothing
    assert len(channels) == 0
    await manager.close_all()


def test_issue_13_probe3b_a_taken_over_key_stays_with_the_stream_that_took_it() -> None:
    asyncio.run(asyncio.wait_for(_taken_over_and_rekeyed(), 30))
