"""End to end over real sockets: Hypercorn, a `websockets` client, SSE + POST with httpx."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
import websockets
from server_live import counter_app, live_server

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


def shell(base: str, path: str = "/") -> tuple[str, str, str]:
    page = httpx.get(f"http://{base}{path}").text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    assert session is not None and token is not None
    return page, session.group(1), token.group(1)


def button_id(page: str) -> int:
    match = re.search(r'<button data-tw="(\d+)"[^>]*\bid="inc"', page)
    assert match is not None
    return int(match.group(1))


async def next_frame(ws: Any) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await ws.recv())
        if message["type"] != "ping":
            return message


async def test_websocket_session_over_hypercorn() -> None:
    with live_server(counter_app()) as base:
        page, session, token = shell(base, "/deep/link")
        assert '<span data-tw="2" id="count"><!--3-->Count: 0</span>' in page
        node = button_id(page)
        async with websockets.connect(f"ws://{base}/_tw/ws", origin=f"http://{base}") as ws:  # type: ignore[arg-type]
            hello = {"type": "hello", "v": 1, "path": "/deep/link", "session": session, "token": token}
            await ws.send(json.dumps({**hello, "last_seq": 0}))
            assert (await next_frame(ws))["seq"] == 0
            patches = []
            for eid in (1, 2):  # one at a time: events arriving in one tick coalesce into one render
                event = {"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK}
                await ws.send(json.dumps(event))
                patches.append(await next_frame(ws))
        assert [p["seq"] for p in patches] == [1, 2]
        assert patches[1]["ops"] == [["text", 3, "Count: 2"]] and patches[1]["ack"] == 2
        async with websockets.connect(f"ws://{base}/_tw/ws") as ws:  # resume: replay of batch 2
            await ws.send(json.dumps({**hello, "last_seq": 1}))
            init = await next_frame(ws)
            replay = await next_frame(ws)
        assert init["seq"] == 1 and replay["seq"] == 2


async def test_cross_origin_websocket_is_closed_with_policy_violation() -> None:
    with live_server(counter_app()) as base:
        async with websockets.connect(f"ws://{base}/_tw/ws", origin="http://evil.example") as ws:  # type: ignore[arg-type]
            error = json.loads(await ws.recv())
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await ws.recv()
        assert error["code"] == "origin_rejected"
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_sse_and_post_fallback() -> None:
    with live_server(counter_app()) as base:
        page, session, token = shell(base)
        node = button_id(page)
        query = {"session": session, "token": token}
        async with httpx.AsyncClient(base_url=f"http://{base}", timeout=10) as client:
            async with client.stream("GET", "/_tw/sse", params=query) as stream:
                assert stream.headers["content-type"].startswith("text/event-stream")
                lines = stream.aiter_lines()

                async def next_data() -> dict[str, Any]:
                    async for line in lines:
                        if line.startswith("data: "):
                            message: dict[str, Any] = json.loads(line[len("data: ") :])
                            if message["type"] != "ping":
                                return message
                    raise AssertionError("stream ended")

                hello = {
                    "type": "hello",
                    "v": 1,
                    "path": "/",
                    "session": session,
                    "token": token,
                    "last_seq": 0,
                }
                event = {"type": "event", "eid": 1, "node": node, "name": "click", "data": CLICK}
                sent = await client.post("/_tw/send", params=query, content=json.dumps([hello, event]))
                assert sent.status_code == 204
                assert (await next_data())["type"] == "init"
                patch = await next_data()
                assert patch["ops"] == [["text", 3, "Count: 1"]]
                bad = await client.post("/_tw/send", params=query, content="{nope")
                assert bad.status_code == 204
                assert (await next_data())["code"] == "malformed_frame"
                evil = await client.post(
                    "/_tw/send", params=query, content="{}", headers={"origin": "http://x.example"}
                )
                assert evil.status_code == 403 and evil.json()["code"] == "origin_rejected"
            missing = await client.post(
                "/_tw/send", params={"session": "nope", "token": "nope"}, content="{}"
            )
            assert missing.status_code == 404 and missing.json()["code"] == "not_found"
