"""SSE fallback with several workers: a POST gets the same answer whichever worker it reaches.

A ``POST /_tw/send`` naming another stream (``QUERY_STREAM``) than the session's open one is
answered ``409`` by the worker holding that stream, nothing handled. The same POST reaching a
worker that does not hold the stream was passed on through Redis and answered ``204`` ("handed
over"), and the holder then dropped it with a log line: a silent drop from the client's side.
Now the holder records its stream's id in Redis beside the route, the receiving worker reads both
in one round trip and applies the same rule (``_takes``): ``409``, ``400`` for a malformed id,
``204`` only when handed over to the stream the POST names. A POST with no stream id, to a stream
opened without one, is passed on as before; a holder that recorded no id (an older version, in a
rolling deploy) gets its POSTs passed on unchecked, as before.

Two apps in this process on two ports sharing one private ``redis-server`` (the ``redis_url``
fixture); the stream is always held by A and the POSTs reach B.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
import redis
from server_cluster import redis_server_path
from server_live import count_of, counter_app, live_server, shell
from test_issue_13_sse_stream_id import NEW, OLD, WAIT_S, _event, _hello, _post, _query, _refused, _stream

from tempestweb_server.constants import REDIS_KEY_PREFIX

pytestmark = pytest.mark.skipif(
    redis_server_path() is None, reason="redis-server is not installed (Debian package redis-server)"
)

_SETTLE_S = 0.5
"""How long a relayed POST is given to reach the holder and be acted on (the relay is asynchronous)."""


def _records(redis_url: str) -> list[bytes]:
    """The stream records the workers wrote beside their SSE routes."""
    with redis.Redis.from_url(redis_url) as client:
        return sorted(client.keys(f"{REDIS_KEY_PREFIX}sse:*:stream"))


async def test_sse_stream_cluster_409_a_stale_post_reaching_the_other_worker_gets_409_unhandled(
    redis_url: str,
) -> None:
    with live_server(counter_app(), redis=redis_url) as a, live_server(counter_app(), redis=redis_url) as b:
        session, token, node = shell(a)
        old, new = _query(session, token, OLD), _query(session, token, NEW)
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            async with _stream(http, a, old) as first:  # the first stream on A, its POSTs on B
                assert (await _post(http, b, old, _hello(session, token, 0))).status_code == 204
                await first.next_of("init")
                assert (await _post(http, b, old, _event(1, node))).status_code == 204
                assert count_of(await first.next_of("patch")) == 1
            async with _stream(http, a, new) as second:  # it dropped; the next one is on A too
                # A click of the first stream the network held, reaching B: refused there as on A.
                _refused(await _post(http, b, old, _event(2, node)), 409)  # old code: 204
                _refused(await _post(http, a, old, _event(2, node)), 409)
                _refused(await _post(http, b, old, _hello(session, token, 1)), 409)
                await asyncio.sleep(_SETTLE_S)
                assert second.frames == [] and not second.ended.is_set(), second.frames
                # The new stream's own frames, on B: handed over (204) and handled.
                assert (await _post(http, b, new, _hello(session, token, 1))).status_code == 204
                init = await second.next_of("init")
                assert init["session"] == session and not init.get("reset")
                # Once the handshake is done: a stale click is still refused, and not counted.
                _refused(await _post(http, b, old, _event(2, node)), 409)
                await asyncio.sleep(_SETTLE_S)
                assert [f["type"] for f in second.frames] == ["init"], second.frames
                assert (await _post(http, b, new, _event(2, node))).status_code == 204
                patch = await second.next_of("patch")
                assert patch["ack"] == 2 and count_of(patch) == 2  # one click counted, not the stale one
                assert [f["type"] for f in second.frames] == ["init", "patch"], second.frames


async def test_sse_stream_cluster_409_the_right_stream_on_the_non_holding_worker_is_handled(
    redis_url: str,
) -> None:
    with live_server(counter_app(), redis=redis_url) as a, live_server(counter_app(), redis=redis_url) as b:
        session, token, node = shell(a)
        query = _query(session, token, NEW)
        async with httpx.AsyncClient(timeout=WAIT_S) as http, _stream(http, a, query) as stream:
            assert len(_records(redis_url)) == 1  # A recorded its stream's id beside the route
            assert (await _post(http, b, query, _hello(session, token, 0))).status_code == 204
            await stream.next_of("init")
            for eid in (1, 2, 3):
                answer = await _post(http, b, query, _event(eid, node))
                assert answer.status_code == 204, answer.text
            for _ in range(int(WAIT_S / 0.02)):
                patches = [f for f in stream.frames if f["type"] == "patch"]
                if patches and patches[-1]["ack"] == 3:
                    break
                await asyncio.sleep(0.02)
            assert count_of(patches[-1]) == 3, stream.frames
            assert [f for f in stream.frames if f["type"] == "error"] == []
            # A malformed id: 400 on either worker, nothing handled.
            bad = _query(session, token, "not an id!")
            for base in (b, a):
                answer = await _post(http, base, bad, _event(4, node))
                assert answer.status_code == 400, answer.text
                assert answer.json()["code"] == "malformed_frame"
        for _ in range(int(WAIT_S / 0.02)):  # the stream ended: its record goes with its route
            if not _records(redis_url):
                break
            await asyncio.sleep(0.02)
        assert _records(redis_url) == []


async def test_sse_stream_cluster_409_a_post_without_a_stream_id_is_passed_on_as_before(
    redis_url: str,
) -> None:
    """A stream opened without an id (an older or a third-party client) takes POSTs without one."""
    with live_server(counter_app(), redis=redis_url) as a, live_server(counter_app(), redis=redis_url) as b:
        session, token, node = shell(a)
        plain = _query(session, token, None)
        async with httpx.AsyncClient(timeout=WAIT_S) as http, _stream(http, a, plain) as stream:
            assert (await _post(http, b, plain, _hello(session, token, 0))).status_code == 204
            init = await stream.next_of("init")
            assert init["session"] == session
            assert (await _post(http, b, plain, _event(1, node))).status_code == 204
            assert count_of(await stream.next_of("patch")) == 1
            # A POST naming a stream to it: refused on B as on A (old code: 204 on B, then dropped).
            _refused(await _post(http, b, _query(session, token, OLD), _event(2, node)), 409)
            _refused(await _post(http, a, _query(session, token, OLD), _event(2, node)), 409)
            await asyncio.sleep(_SETTLE_S)
            assert [f["type"] for f in stream.frames] == ["init", "patch"], stream.frames


async def test_sse_stream_cluster_409_a_holder_that_recorded_no_stream_id_gets_posts_as_before(
    redis_url: str,
) -> None:
    """A rolling deploy: the holder is of an older version (no record), or the record is another
    worker's (it held the stream before, and an older worker took the route over since)."""
    with live_server(counter_app(), redis=redis_url) as a, live_server(counter_app(), redis=redis_url) as b:
        session, token, node = shell(a)
        new = _query(session, token, NEW)
        async with httpx.AsyncClient(timeout=WAIT_S) as http, _stream(http, a, new) as stream:
            [record] = _records(redis_url)
            with redis.Redis.from_url(redis_url) as client:
                client.set(record, f"a-gone-worker\0{OLD}")  # not the route's worker: ignored
                stale = await _post(http, b, _query(session, token, OLD), _hello(session, token, 0))
                assert stale.status_code == 204, stale.text  # passed on; A drops it (logged)
                client.delete(record)  # as an older holder leaves it
                stale = await _post(http, b, _query(session, token, OLD), _hello(session, token, 0))
                assert stale.status_code == 204, stale.text
            await asyncio.sleep(_SETTLE_S)
            assert stream.frames == [] and not stream.ended.is_set(), stream.frames
            assert (await _post(http, b, new, _hello(session, token, 0))).status_code == 204
            await stream.next_of("init")
            assert (await _post(http, b, new, _event(1, node))).status_code == 204
            assert count_of(await stream.next_of("patch")) == 1


def _route(redis_url: str) -> list[bytes]:
    """The workers recorded as holding an SSE stream (the route keys' values)."""
    with redis.Redis.from_url(redis_url) as client:
        names = [name for name in client.keys(f"{REDIS_KEY_PREFIX}sse:*") if not name.endswith(b":stream")]
        return [client.get(name) or b"" for name in names]


async def test_sse_stream_cluster_409_a_stream_taken_over_on_the_same_worker_keeps_its_route(
    redis_url: str,
) -> None:
    """A second ``GET`` for the same session and token on the same worker takes the first over.

    The first stream's release of the route used to be asked for while the second's hold was on its
    way to Redis (the new channel was made reachable only after that round trip), so it was queued
    after the hold and deleted the new stream's route (the worker id is the same): every POST then
    reaching another worker got 404. Repeated, as the release runs in a task of its own.
    """
    with live_server(counter_app(), redis=redis_url) as a, live_server(counter_app(), redis=redis_url) as b:
        session, token, node = shell(a)
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            query = _query(session, token, "s0")
            async with _stream(http, a, query) as first:
                assert (await _post(http, b, query, _hello(session, token, 0))).status_code == 204
                last_seq = (await first.next_of("init"))["seq"]
                streams = [first]
                for round_ in range(1, 6):
                    query = _query(session, token, f"s{round_}")
                    async with _stream(http, a, query) as taking:  # takes the open one over
                        await asyncio.wait_for(streams[-1].ended.wait(), WAIT_S)
                        await asyncio.sleep(0.2)  # the first stream's release, if any, has run
                        assert len(_route(redis_url)) == 1, f"round {round_}: the route is gone"
                        answer = await _post(http, b, query, _hello(session, token, last_seq))
                        assert answer.status_code == 204, (round_, answer.status_code, answer.text)
                        await taking.next_of("init")
                        streams.append(taking)
                        # and the session answers through the other worker, on the stream now open
                        answer = await _post(http, b, query, _event(round_, node))
                        assert answer.status_code == 204, (round_, answer.status_code, answer.text)
                        patch = await taking.next_of("patch")
                        assert count_of(patch) == round_, patch
                        last_seq = patch["seq"]
