"""Issue 13, under attack: connections that never say ``hello`` hold a bounded amount, for a while.

A WebSocket or SSE stream costs memory from the moment it opens but counts against
``max_sessions`` only once its ``hello`` made a session. Found by opening 1,000 WebSockets to
``tempestweb run examples/counter`` and sending nothing: all 1,000 stayed open (42 KiB each).
Now a connection has ``handshake_timeout_s`` to send its first frame, and at most
``max_handshakes`` wait at once; real Hypercorn on loopback, real clients.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from server_live import counter_app, live_server

from tempestweb_contract.constants import CLOSE_POLICY_VIOLATION, CLOSE_TRY_AGAIN_LATER
from tempestweb_contract.errors import RESUMABLE_ERROR_CODES
from tempestweb_contract.project import ProjectConfigError, load_project
from tempestweb_server import ServerConfig, SessionManager
from tempestweb_server._mode import _prepare
from tempestweb_server.constants import DEFAULT_HANDSHAKE_TIMEOUT_S, DEFAULT_MAX_HANDSHAKES
from tempestweb_server.errors import ConfigError

HELLO = json.dumps({"type": "hello", "v": 1, "path": "/"})
TIMEOUT_S = 2.0
"""The handshake timeout of these servers: long enough for the connections of a scenario to open
on a loaded machine before the first one times out."""


async def _first_error(ws: Any) -> tuple[str, int | None]:
    frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert frame["type"] == "error" and frame["fatal"] is True
    with pytest.raises(websockets.ConnectionClosed):
        await asyncio.wait_for(ws.recv(), 10)
    return frame["code"], ws.close_code


def test_issue_13_a_websocket_without_hello_is_closed_and_the_waiting_ones_are_bounded() -> None:
    async def scenario(base: str) -> None:
        idle = [await websockets.connect(f"ws://{base}/_tw/ws") for _ in range(6)]
        # the limit (4) is taken: the next two are refused at once, typed, resumable
        results = await asyncio.gather(*(_first_error(ws) for ws in idle[4:]))
        assert results == [("server_busy", CLOSE_TRY_AGAIN_LATER)] * 2
        # the four waiting ones get handshake_timeout and close 1008 once the timeout passed
        results = await asyncio.gather(*(_first_error(ws) for ws in idle[:4]))
        assert results == [("handshake_timeout", CLOSE_POLICY_VIOLATION)] * 4
        assert "handshake_timeout" in RESUMABLE_ERROR_CODES  # a stalled client reconnects
        # slots came back: a client that says hello at once is served, and its session lives on
        # past the timeout (only the first frame is timed)
        async with websockets.connect(f"ws://{base}/_tw/ws") as ws:
            await ws.send(HELLO)
            assert json.loads(await ws.recv())["type"] == "init"
            await asyncio.sleep(TIMEOUT_S + 0.3)
            await ws.send(json.dumps({"type": "ping", "ts": 1}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "pong"
        # a first frame that is not hello is answered as before, and frees its slot too
        busy = [await websockets.connect(f"ws://{base}/_tw/ws") for _ in range(4)]
        for ws in busy:
            await ws.send('{"type":"ping","ts":1}')
        assert Counter([(await _first_error(ws))[0] for ws in busy]) == {"malformed_frame": 4}
        async with websockets.connect(f"ws://{base}/_tw/ws") as ws:
            await ws.send(HELLO)
            assert json.loads(await ws.recv())["type"] == "init"

    with live_server(counter_app(), handshake_timeout_s=TIMEOUT_S, max_handshakes=4) as base:
        asyncio.run(scenario(base))


def test_issue_13_an_sse_stream_without_a_post_ends_with_handshake_timeout() -> None:
    async def stream(client: httpx.AsyncClient, base: str, session: str) -> tuple[int, bytes]:
        async with client.stream("GET", f"http://{base}/_tw/sse?session={session}&token=t") as response:
            body = b""
            async for chunk in response.aiter_bytes():
                body += chunk
            return response.status_code, body

    async def scenario(base: str) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            first = asyncio.create_task(stream(client, base, "a"))
            second = asyncio.create_task(stream(client, base, "b"))
            await asyncio.sleep(0.3)
            # both slots are taken: a third stream is refused with a typed 503
            status, body = await stream(client, base, "c")
            assert status == 503 and json.loads(body)["code"] == "server_busy"
            for task in (first, second):
                status, body = await task
                assert status == 200
                events = [line[6:] for line in body.decode().splitlines() if line.startswith("data: ")]
                assert [json.loads(e)["code"] for e in events] == ["handshake_timeout"]
            # a stream whose hello is POSTed in time is served
            opened = asyncio.create_task(stream(client, base, "d"))
            await asyncio.sleep(0.1)
            posted = await client.post(f"http://{base}/_tw/send?session=d&token=t", content=HELLO)
            assert posted.status_code == 204
            await asyncio.sleep(TIMEOUT_S + 0.3)  # past the timeout: the served stream is not ended
            assert not opened.done()
            opened.cancel()

    with live_server(counter_app(), handshake_timeout_s=TIMEOUT_S, max_handshakes=2) as base:
        asyncio.run(scenario(base))


def test_issue_13_handshake_limits_from_toml_and_flags_with_typed_errors(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("app = None\n")
    _, defaults = _prepare(str(tmp_path), {})
    assert (defaults.handshake_timeout_s, defaults.max_handshakes) == (
        DEFAULT_HANDSHAKE_TIMEOUT_S,
        DEFAULT_MAX_HANDSHAKES,
    )
    (tmp_path / "tempestweb.toml").write_text("[server]\nhandshake_timeout_s = 3\nmax_handshakes = 50\n")
    _, from_toml = _prepare(str(tmp_path), {})
    assert (from_toml.handshake_timeout_s, from_toml.max_handshakes) == (3.0, 50)
    _, from_flags = _prepare(str(tmp_path), {"max_handshakes": 7})
    assert (from_flags.handshake_timeout_s, from_flags.max_handshakes) == (3.0, 7)
    (tmp_path / "tempestweb.toml").write_text("[server]\nmax_handshakes = 0\n")
    with pytest.raises(ProjectConfigError, match="max_handshakes"):
        load_project(tmp_path)
    with pytest.raises(ConfigError, match=r"ServerConfig.handshake_timeout_s: expected a positive number"):
        ServerConfig(handshake_timeout_s=0)
    with pytest.raises(ConfigError, match=r"ServerConfig.max_handshakes: expected >= 1, got 0"):
        ServerConfig(max_handshakes=0)
    manager = SessionManager(counter_app(), config=ServerConfig(max_handshakes=2, handshake_timeout_s=5))
    assert manager.handshakes.enter() and manager.handshakes.enter() and not manager.handshakes.enter()
    manager.handshakes.leave()
    assert manager.handshakes.enter()
