"""Fuzzed frames over every endpoint, beside healthy sessions that must lose nothing.

A seeded generator (``FUZZ_SEED``; the same frames on every run) mutates valid frames and makes
garbage: wrong types, unknown tags, huge and negative numbers, deep nesting, long strings,
invalid UTF-8, binary frames, truncated JSON, arrays where objects belong. It sends them:

- as the first WebSocket frame (the handshake);
- after a good ``hello`` on a WebSocket (events, acks, navigations, pings, ``native_result``
  frames for calls that do not exist);
- as SSE ``POST /_tw/send`` bodies, and as odd ``GET /_tw/sse`` queries;
- as page ``GET`` paths, raw (``//evil.example/x``, ``%00``, ``/..``, 8 KiB paths...).

Meanwhile healthy sessions click and must see every click answered, in order. The server must
never answer 5xx, never log a traceback and never die.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
from typing import Any

import httpx
import websockets
from harness import CLICK, Figures, ServerProcess, server_process

FUZZ_SEED = 13
WS_FIRST_FRAMES = 150
WS_FRAMES_AFTER_HELLO = 1200
SSE_BODIES = 250
SSE_QUERIES = 60
PAGE_PATHS = 120
HEALTHY_SESSIONS = 8

_TAGS = ["hello", "event", "ack", "navigate", "ping", "pong", "native_result", "init", "patch", "x", ""]


def _value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(10 if depth < 4 else 6)
    if kind == 0:
        return rng.choice([0, -1, 1, 2**31, 2**63, -(2**63), 10**30])
    if kind == 1:
        return rng.choice([0.5, -0.0, 1e308, float("nan"), float("inf")])
    if kind == 2:
        return "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(0, 40)))
    if kind == 3:
        return rng.choice(
            ["", "/", "//evil.example/x", "javascript:alert(1)", "x" * rng.randrange(1, 70_000)]
        )
    if kind == 4:
        return rng.choice([None, True, False])
    if kind == 5:
        return rng.choice(_TAGS)
    if kind in (6, 7):
        return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
    return {
        rng.choice(
            [
                "type",
                "v",
                "eid",
                "node",
                "name",
                "data",
                "seq",
                "path",
                "id",
                "ok",
                "value",
                "error",
                "session",
                "token",
                "ts",
                "last_seq",
                "extra",
            ]
        ): _value(rng, depth + 1)
        for _ in range(rng.randrange(0, 6))
    }


def _valid(rng: random.Random, node: int) -> dict[str, Any]:
    return rng.choice(
        [
            {"type": "event", "eid": rng.randrange(1, 10**6), "node": node, "name": "click", "data": CLICK},
            {
                "type": "event",
                "eid": rng.randrange(1, 10**6),
                "node": rng.randrange(0, 99),
                "name": "input",
                "data": {"value": "v"},
            },
            {"type": "ack", "seq": rng.randrange(0, 10**6)},
            {"type": "navigate", "path": "/p"},
            {"type": "ping", "ts": 1.0},
            {"type": "native_result", "id": rng.randrange(0, 10**6), "ok": True, "value": 1},
            {
                "type": "native_result",
                "id": rng.randrange(0, 99),
                "ok": False,
                "error": {"code": "timeout", "message": "m"},
            },
            {"type": "hello", "v": 1, "path": "/"},
        ]
    )


def fuzz_frame(rng: random.Random, node: int = 1) -> str | bytes:
    """One fuzzed client frame (text, or binary for a few)."""
    kind = rng.randrange(9)
    if kind == 0:  # a valid frame with one field changed
        frame = _valid(rng, node)
        frame[rng.choice([*frame, "extra"])] = _value(rng)
        return json.dumps(frame)
    if kind == 1:  # a valid frame with one field dropped
        frame = _valid(rng, node)
        frame.pop(rng.choice(list(frame)))
        return json.dumps(frame)
    if kind == 2:
        return json.dumps(_value(rng))
    if kind == 3:  # deep nesting
        depth = rng.choice([50, 500, 5000])
        return '{"type":"event","eid":1,"node":1,"name":"click","data":' + "[" * depth + "]" * depth + "}"
    if kind == 4:  # truncated JSON
        text = json.dumps(_valid(rng, node))
        return text[: rng.randrange(0, len(text))]
    if kind == 5:  # invalid UTF-8 / binary
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if kind == 6:  # JSON that is not an object
        return rng.choice(["[]", "null", "1", '"hello"', "[[[", "{}", '{"type":null}'])
    if kind == 7:  # huge values
        return json.dumps({"type": "event", "eid": 2**64, "node": -1, "name": "n" * 100_000, "data": {}})
    return json.dumps(_valid(rng, node))


async def healthy(base: str, stop: asyncio.Event, clicks: list[int]) -> None:
    """A well-behaved session: click, wait for the patch showing the new count, again."""
    async with websockets.connect(f"ws://{base}/_tw/ws") as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        init = json.loads(await ws.recv())
        ops = json.dumps(init["ops"])
        node = int(ops.split('"inc"')[0].rsplit('["e", ', 1)[1].split(",")[0])
        count = 0
        while not stop.is_set():
            count += 1
            await ws.send(
                json.dumps({"type": "event", "eid": count, "node": node, "name": "click", "data": CLICK})
            )
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
                assert frame["type"] != "error", frame
                if frame["type"] == "patch":
                    assert f"Count: {count}" in json.dumps(frame["ops"]), (count, frame)
                    await ws.send(json.dumps({"type": "ack", "seq": frame["seq"]}))
                    break
            clicks.append(count)
            await asyncio.sleep(0.01)


async def ws_first_frames(base: str, rng: random.Random) -> int:
    sent = 0
    for _ in range(WS_FIRST_FRAMES):
        async with websockets.connect(f"ws://{base}/_tw/ws", max_size=None) as ws:
            await ws.send(fuzz_frame(rng))
            sent += 1
            try:
                reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
            except websockets.exceptions.ConnectionClosed:
                assert ws.close_code in (1000, 1008, 1013), ws.close_code
                continue
            assert reply["type"] in ("init", "error", "reload"), reply
    return sent


async def ws_after_hello(base: str, rng: random.Random) -> tuple[int, int]:
    """Fuzz one session's connection; reconnect (a new session) whenever the host closes it."""
    sent = closes = 0
    while sent < WS_FRAMES_AFTER_HELLO:
        async with websockets.connect(f"ws://{base}/_tw/ws", max_size=None) as ws:
            await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
            init = json.loads(await ws.recv())
            assert init["type"] == "init"

            async def drain() -> None:
                async for _ in ws:
                    pass

            reader = asyncio.create_task(drain())
            try:
                while sent < WS_FRAMES_AFTER_HELLO and not reader.done():
                    await ws.send(fuzz_frame(rng))
                    sent += 1
                    if sent % 50 == 0:
                        await asyncio.sleep(0)
            except websockets.exceptions.ConnectionClosed:
                pass
            reader.cancel()
            if ws.close_code is not None:
                closes += 1
                assert ws.close_code in (1000, 1008, 1009, 1013), ws.close_code
    return sent, closes


async def sse_bodies(base: str, rng: random.Random) -> int:
    sent = 0
    async with httpx.AsyncClient(timeout=30) as http:
        for index in range(SSE_BODIES):
            query = {"session": f"fuzz{index % 7}", "token": "t"}
            body = fuzz_frame(rng)
            if index % 5 == 0:  # a batch, as the client sends them
                body = "[" + ",".join(str(fuzz_frame(rng))[:2000] for _ in range(3)) + "]"
            response = await http.post(f"http://{base}/_tw/send", params=query, content=body)
            sent += 1
            assert response.status_code < 500, (response.status_code, response.text[:300])
    return sent


async def sse_queries(base: str, rng: random.Random) -> int:
    sent = 0
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(SSE_QUERIES):
            params = {rng.choice(["session", "token", "x", ""]): str(_value(rng))[:3000] for _ in range(3)}
            async with http.stream("GET", f"http://{base}/_tw/sse", params=params) as response:
                sent += 1
                assert response.status_code < 500, response.status_code
    return sent


def page_paths(server: ServerProcess, rng: random.Random) -> int:
    """Raw request targets over a socket, exactly as written (``curl --path-as-is``)."""
    fixed = [
        "//evil.example/x",
        "/%00",
        "/..",
        "/../../etc/passwd",
        "/%2e%2e/",
        "/?" + "a=1&" * 500,
        "/" + "x" * 8000,
        "/%ff%fe",
        "/_tw/",
        "/_tw/ws",
        "/_tw/client/../../x",
        "/_tw/native/%00",
        "/\\evil",
        "/a#b",
        "/;x",
        "/" + "é" * 10,
    ]
    targets = fixed + [
        "/" + "".join(rng.choice("abc/%.?#;&=~:@!$'()*+,0123456789") for _ in range(rng.randrange(1, 300)))
        for _ in range(PAGE_PATHS - len(fixed))
    ]
    for target in targets:
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            request = f"GET {target} HTTP/1.1\r\nHost: {server.base}\r\nConnection: close\r\n\r\n"
            sock.sendall(request.encode("utf-8", errors="surrogateescape"))
            reply = b""
            while chunk := sock.recv(65536):
                reply += chunk
        status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0
        assert status and status < 500, (target[:80], reply[:200])
        assert b"Traceback" not in reply
    return len(targets)


async def fuzz_everything(server: ServerProcess) -> dict[str, int]:
    rng = random.Random(FUZZ_SEED)
    stop = asyncio.Event()
    clicks: list[list[int]] = [[] for _ in range(HEALTHY_SESSIONS)]
    sessions = [asyncio.create_task(healthy(server.base, stop, c)) for c in clicks]
    first = await ws_first_frames(server.base, rng)
    after, closes = await ws_after_hello(server.base, rng)
    bodies = await sse_bodies(server.base, rng)
    queries = await sse_queries(server.base, rng)
    paths = await asyncio.to_thread(page_paths, server, rng)
    stop.set()
    await asyncio.gather(*sessions)  # a failed assertion in a healthy session fails here
    return {
        "ws_first_frames": first,
        "ws_frames_after_hello": after,
        "ws_connections_closed_by_host": closes,
        "sse_post_bodies": bodies,
        "sse_stream_queries": queries,
        "page_get_paths": paths,
        "frames_fuzzed": first + after + bodies + queries + paths,
        "healthy_sessions": HEALTHY_SESSIONS,
        "healthy_clicks_answered": sum(len(c) for c in clicks),
        "healthy_clicks_lost": 0,  # every click waited for its own patch, in order
    }


def test_fuzzed_frames_over_every_endpoint_beside_healthy_sessions(figures: Figures) -> None:
    with server_process() as server:
        result = asyncio.run(fuzz_everything(server))
    figures.add("fuzz", **result)
    assert result["healthy_clicks_answered"] >= HEALTHY_SESSIONS
