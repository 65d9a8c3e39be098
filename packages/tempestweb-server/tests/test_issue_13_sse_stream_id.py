"""Issue 13, SSE fallback: a POST of a dropped stream no longer ends the session's next stream.

Found by the SSE probe in Chromium (``examples/tests/test_issue_13_sse_probe_slow_link.py``) and
left open at the last stop: a ``POST /_tw/send`` already on the wire when its event stream
dropped, which the network held until the client's next stream (``GET /_tw/sse``, same session
and token) had opened, was taken for that stream's first frame. An ``event`` ended the new
stream with a fatal ``malformed_frame`` (a first frame that is not ``hello``): the page closed
for good and what was typed meanwhile was lost. A held ``hello`` started the new stream's
handshake, and the real one then got a ``malformed_frame``.

Now each stream has an id (``QUERY_STREAM``, drawn afresh by the client for each stream it
opens) on its ``GET`` and on every ``POST`` of it. A POST naming another stream than the
session's open one is answered ``409`` (``not_found``), nothing handled, and the open stream
still waits for its own ``hello``. A stream opened without an id (an older or a third-party
client, the protocol suite's raw HTTP clients) keeps the old behaviour.

Real Hypercorn on loopback, a real HTTP client; each test fails on the code before.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from server_live import CLICK, count_of, counter_app, live_server, shell

from tempestweb_contract.names import QUERY_SESSION, QUERY_STREAM, QUERY_TOKEN

OLD = "0123456789abcdef"
"""The stream id of the dropped stream (16 hex digits, as the JS client draws them)."""
NEW = "fedcba9876543210"
"""The stream id of the session's next stream."""
WAIT_S = 10.0


class Stream:
    """One ``GET /_tw/sse`` read in the background: the frames it brings, and whether it ended."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.frames: list[dict[str, Any]] = []
        self.ended = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for line in self.response.aiter_lines():
                if line.startswith("data: "):
                    self.frames.append(json.loads(line[len("data: ") :]))
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()

    async def next_of(self, kind: str) -> dict[str, Any]:
        """Wait for the first frame of type ``kind`` (fails after ``WAIT_S``)."""
        for _ in range(int(WAIT_S / 0.02)):
            for frame in self.frames:
                if frame["type"] == kind:
                    return frame
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {kind!r} frame; got {self.frames}")

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self.response.aclose()


def _query(session: str, token: str, stream: str | None) -> dict[str, str]:
    query = {QUERY_SESSION: session, QUERY_TOKEN: token}
    if stream is not None:
        query[QUERY_STREAM] = stream
    return query


@contextlib.asynccontextmanager
async def _stream(http: httpx.AsyncClient, base: str, query: dict[str, str]) -> AsyncIterator[Stream]:
    request = http.build_request("GET", f"http://{base}/_tw/sse", params=query)
    response = await http.send(request, stream=True)
    assert response.status_code == 200, (response.status_code, await response.aread())
    stream = Stream(response)
    try:
        yield stream
    finally:
        await stream.close()


def _hello(session: str, token: str, last_seq: int) -> str:
    return json.dumps(
        {"type": "hello", "v": 1, "path": "/", "session": session, "token": token, "last_seq": last_seq}
    )


def _event(eid: int, node: int) -> str:
    return json.dumps({"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK})


async def _post(http: httpx.AsyncClient, base: str, query: dict[str, str], body: str) -> httpx.Response:
    return await http.post(f"http://{base}/_tw/send", params=query, content=body)


async def _first_stream(http: httpx.AsyncClient, base: str) -> tuple[str, str, int]:
    """Open the page's first stream (id ``OLD``), say hello, click once; drop the stream."""
    session, token, node = shell(base)
    query = _query(session, token, OLD)
    async with _stream(http, base, query) as first:
        assert (await _post(http, base, query, _hello(session, token, 0))).status_code == 204
        init = await first.next_of("init")
        assert init["session"] == session
        assert (await _post(http, base, query, _event(1, node))).status_code == 204
        assert count_of(await first.next_of("patch")) == 1
    return session, token, node


def _refused(answer: httpx.Response, status: int) -> None:
    assert answer.status_code == status, (answer.status_code, answer.text)
    error = answer.json()
    assert error["type"] == "error" and error["code"] == "not_found" and error["fatal"] is True
    assert QUERY_STREAM in error["message"] and "Traceback" not in answer.text


async def test_issue_13_sse_stream_id_a_held_event_post_is_refused_and_the_next_stream_lives() -> None:
    """The probe's case: a click's POST of the dropped stream reaches the next stream first."""
    with live_server(counter_app()) as base:
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            session, token, node = await _first_stream(http, base)
            query = _query(session, token, NEW)
            async with _stream(http, base, query) as second:
                # The POST the network held: a click sent on the dropped stream, arriving now.
                held = await _post(http, base, _query(session, token, OLD), _event(2, node))
                _refused(held, 409)  # old code: 204, and the new stream ended with malformed_frame
                await asyncio.sleep(0.3)
                assert second.frames == [] and not second.ended.is_set()  # nothing handled, still open
                # The client's own hello, then the click again (it was not acknowledged).
                assert (await _post(http, base, query, _hello(session, token, 1))).status_code == 204
                init = await second.next_of("init")
                assert init["session"] == session and not init.get("reset")
                assert (await _post(http, base, query, _event(2, node))).status_code == 204
                patch = await second.next_of("patch")
                assert patch["ack"] == 2 and count_of(patch) == 2  # counted once, nothing lost
                assert [f for f in second.frames if f["type"] == "error"] == []


async def test_issue_13_sse_stream_id_a_held_hello_does_not_disturb_the_next_handshake() -> None:
    with live_server(counter_app()) as base:
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            session, token, node = await _first_stream(http, base)
            query = _query(session, token, NEW)
            async with _stream(http, base, query) as second:
                held = await _post(http, base, _query(session, token, OLD), _hello(session, token, 0))
                _refused(held, 409)  # old code: 204, it started the new stream's handshake
                await asyncio.sleep(0.3)
                assert second.frames == []
                assert (await _post(http, base, query, _hello(session, token, 1))).status_code == 204
                await second.next_of("init")
                assert (await _post(http, base, query, _event(2, node))).status_code == 204
                assert count_of(await second.next_of("patch")) == 2
                # Old code: the real hello got error{malformed_frame} ("a second hello").
                assert [f["type"] for f in second.frames] == ["init", "patch"], second.frames


async def test_issue_13_sse_stream_id_the_open_stream_takes_its_own_posts_only() -> None:
    """Every pairing: a POST is for the stream it names (none names none), on the live stream too."""
    with live_server(counter_app()) as base:
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            session, token, node = shell(base)
            with_id = _query(session, token, NEW)
            async with _stream(http, base, with_id) as stream:
                # A POST naming no stream (an older client's) is not this stream's either.
                _refused(
                    await _post(http, base, _query(session, token, None), _hello(session, token, 0)), 409
                )
                assert (await _post(http, base, with_id, _hello(session, token, 0))).status_code == 204
                init = await stream.next_of("init")
                # After the handshake the stream is also reached under init's key, with its id.
                query = _query(init["session"], init["token"], NEW)
                _refused(
                    await _post(http, base, _query(init["session"], init["token"], OLD), _event(1, node)), 409
                )
                assert (await _post(http, base, query, _event(1, node))).status_code == 204
                assert count_of(await stream.next_of("patch")) == 1
                assert [f["type"] for f in stream.frames] == ["init", "patch"]
            # No stream open at all: 404, as before.
            gone = await _post(http, base, _query("nope", "nope", NEW), _event(1, node))
            assert gone.status_code == 404 and gone.json()["code"] == "not_found"


async def test_issue_13_sse_stream_id_a_stream_opened_without_an_id_keeps_the_old_rules() -> None:
    """Older and third-party clients (and the protocol suite's raw clients) send no stream id."""
    with live_server(counter_app()) as base:
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            session, token, node = shell(base)
            bare = _query(session, token, None)
            async with _stream(http, base, bare) as stream:
                # A POST naming a stream is not for a stream opened without one.
                _refused(await _post(http, base, _query(session, token, NEW), _hello(session, token, 0)), 409)
                assert (await _post(http, base, bare, _hello(session, token, 0))).status_code == 204
                await stream.next_of("init")
                assert (await _post(http, base, bare, _event(1, node))).status_code == 204
                assert count_of(await stream.next_of("patch")) == 1
            session, token, node = shell(base)
            bare = _query(session, token, None)
            async with _stream(http, base, bare) as stream:
                # The protocol's rule stands for them: a first frame that is not hello is fatal.
                assert (await _post(http, base, bare, _event(1, node))).status_code == 204
                error = await stream.next_of("error")
                assert error["code"] == "malformed_frame" and error["fatal"] is True
                await asyncio.wait_for(stream.ended.wait(), WAIT_S)


BAD_IDS = [
    "",
    "x" * 65,
    "a b",
    "a.b",
    "../x",
    "\u00e9t\u00e9",
    "a\x00b",
    "<script>",
]


@pytest.mark.parametrize("bad", BAD_IDS, ids=range(len(BAD_IDS)))
async def test_issue_13_sse_stream_id_a_malformed_id_is_a_typed_400(bad: str) -> None:
    with live_server(counter_app(), handshake_timeout_s=30) as base:
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            session, token, _ = shell(base)
            refused = await http.get(f"http://{base}/_tw/sse", params=_query(session, token, bad))
            assert refused.status_code == 400, (refused.status_code, refused.text[:200])  # old code: a stream
            error = refused.json()
            assert error["code"] == "malformed_frame" and error["fatal"] is True
            assert QUERY_STREAM in error["message"] and len(error["message"]) <= 300
            query = _query(session, token, NEW)
            async with _stream(http, base, query) as stream:
                posted = await _post(http, base, _query(session, token, bad), _hello(session, token, 0))
                assert posted.status_code == 400 and posted.json()["code"] == "malformed_frame"
                # nothing handled: the stream still takes its own hello
                assert (await _post(http, base, query, _hello(session, token, 0))).status_code == 204
                await stream.next_of("init")
                assert [f["type"] for f in stream.frames] == ["init"]


async def test_issue_13_sse_stream_id_bounds_of_a_good_id() -> None:
    """64 letters, digits, ``-`` and ``_`` are an id; two ``stream`` parameters are not."""
    with live_server(counter_app()) as base:
        async with httpx.AsyncClient(timeout=WAIT_S) as http:
            session, token, _ = shell(base)
            longest = ("aZ0-_" * 13)[:64]
            query = _query(session, token, longest)
            async with _stream(http, base, query) as stream:
                assert (await _post(http, base, query, _hello(session, token, 0))).status_code == 204
                await stream.next_of("init")
            twice = f"http://{base}/_tw/sse?session={session}&token={token}&stream=a&stream=b"
            refused = await http.get(twice)
            assert refused.status_code == 400 and refused.json()["code"] == "malformed_frame"
