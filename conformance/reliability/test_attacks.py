"""Origin and token attacks over every transport: none may reach a session it does not own.

A victim session is opened the way a browser opens one (page GET, then a WebSocket ``hello``
with the page's token) and clicked once. Attacks then try, over WebSocket and SSE + POST:
foreign ``Origin`` values (another host, a look-alike host, another port, ``null``, other schemes;
``https://`` + the request's own host is not foreign: that is a page behind a TLS proxy),
and the victim's session id with forged tokens (random, truncated, another session's token,
case-flipped, empty, the victim's token for another id), and names rebound to the server's
address (DNS rebinding: ``Host`` and ``Origin`` agree, on a name that is not this server's). An
attack counts as accepted when it gets an ``init`` for the victim's session, or any frame at all
through a rejected origin, or through a rebound name a page with a token, an SSE stream or an
``init``; the victim's count must be unchanged afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import httpx
import websockets
from harness import CLICK, SESSION_RE, TOKEN_RE, Figures, ServerProcess, server_process

FOREIGN_ORIGINS = [
    "http://evil.example",
    "https://evil.example",
    "http://127.0.0.1.evil.example",
    "http://evil.example:{port}",
    "http://127.0.0.1:{port}.evil.example",
    "http://127.0.0.1:1",
    "http://localhost.evil.example:{port}",
    "null",
    "file://",
    "http://127.0.0.1:{port}@evil.example",
    "http://[::1]:{port}",
    "chrome-extension://abcdefghijklmnop",
]


REBOUND_NAMES = [
    "evil.example",
    "127.0.0.1.evil.example",
    "localhost.evil.example",
    "127-0-0-1.nip.example",
    "evil.example.",
]
"""Names a web page can point at 127.0.0.1 (DNS rebinding): the browser then sends ``Host`` and
``Origin`` of that name to this server, so they agree and pass an ``Origin`` check."""


def forged_tokens(victim_token: str, other_token: str) -> list[str | None]:
    flipped = victim_token[:-1] + ("0" if victim_token[-1] != "0" else "1")
    return [
        None,
        "",
        "0" * len(victim_token),
        victim_token[:-1],
        victim_token + "0",
        victim_token.upper(),
        flipped,
        other_token,
        "x" * 64,
        victim_token[::-1],
    ]


async def open_victim(base: str) -> tuple[str, str, int]:
    async with httpx.AsyncClient() as http:
        page = (await http.get(f"http://{base}/")).text
    session, token = SESSION_RE.search(page), TOKEN_RE.search(page)
    assert session is not None and token is not None
    return session[1], token[1], 0


async def ws_attack(base: str, hello: dict[str, Any], origin: str | None) -> str | None:
    """Say ``hello`` over a WebSocket; return the session of the ``init`` received, if any."""
    headers = {"Origin": origin} if origin is not None else None
    try:
        async with websockets.connect(f"ws://{base}/_tw/ws", origin=None, additional_headers=headers) as ws:
            await ws.send(json.dumps(hello))
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if frame["type"] == "init":
                    return str(frame["session"])
                if frame["type"] == "error" and frame.get("fatal"):
                    return None
    except websockets.exceptions.ConnectionClosed:
        return None
    except websockets.exceptions.InvalidStatus:
        return None


async def sse_attack(
    base: str, session: str, token: str | None, hello: dict[str, Any], origin: str | None
) -> str | None:
    """Open an SSE channel and POST ``hello``; return the session of the ``init`` streamed, if any."""
    query = {"session": session, "token": token or ""}
    headers = {"Origin": origin} if origin is not None else {}
    url = f"http://{base}/_tw/sse"
    async with (
        httpx.AsyncClient(timeout=10) as http,
        http.stream("GET", url, params=query, headers=headers) as stream,
    ):
        if stream.status_code != 200:
            return None
        lines = stream.aiter_lines()
        posted = await http.post(
            f"http://{base}/_tw/send", params=query, headers=headers, content=json.dumps(hello)
        )
        if posted.status_code >= 400:
            return None
        with contextlib.suppress(TimeoutError, StopAsyncIteration):
            while True:
                line = await asyncio.wait_for(lines.__anext__(), 10)
                if line.startswith("data: "):
                    frame = json.loads(line[6:])
                    if frame["type"] == "init":
                        return str(frame["session"])
                    if frame["type"] == "error" and frame.get("fatal"):
                        return None
    return None


async def rebound_attack(base: str, name: str, session: str, token: str) -> int:
    """Reach the server as a page of ``name`` rebound to its address would; count what got through:
    a page with a session token, an SSE stream (with a session's genuine token), a WebSocket
    ``init``."""
    address, port = base.rsplit(":", 1)
    authority = f"{name}:{port}"
    headers = {"Host": authority, "Origin": f"http://{authority}"}
    got = 0
    async with httpx.AsyncClient(timeout=10) as http:
        page = await http.get(f"http://{base}/", headers=headers)
        got += page.status_code == 200 and TOKEN_RE.search(page.text) is not None
        query = {"session": session, "token": token}
        async with http.stream("GET", f"http://{base}/_tw/sse", params=query, headers=headers) as stream:
            got += stream.status_code == 200
    try:
        async with websockets.connect(
            f"ws://{authority}/_tw/ws", origin=f"http://{authority}", host=address, port=int(port)  # type: ignore[arg-type]
        ) as ws:
            await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
            got += json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "init"
    except (websockets.exceptions.InvalidHandshake, websockets.exceptions.ConnectionClosed):
        pass  # refused (403) or closed: nothing got through
    return got


async def victim_count(base: str, session: str, token: str) -> str:
    async with websockets.connect(f"ws://{base}/_tw/ws") as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/", "session": session, "token": token}))
        init = json.loads(await ws.recv())
        assert init["type"] == "init" and init["session"] == session, init
        return json.dumps(init["ops"])


async def attack(server: ServerProcess) -> dict[str, int]:
    base = server.base
    victim, victim_token, _ = await open_victim(base)
    other, other_token, _ = await open_victim(base)
    own_origin = f"http://{base}"
    # The victim clicks once, from its own origin, so its count is 1.
    async with websockets.connect(f"ws://{base}/_tw/ws", origin=own_origin) as ws:  # type: ignore[arg-type]
        hello = {"type": "hello", "v": 1, "path": "/", "session": victim, "token": victim_token}
        await ws.send(json.dumps(hello))
        init = json.loads(await ws.recv())
        assert init["session"] == victim
        button = int(json.dumps(init["ops"]).split('"inc"')[0].rsplit('["e", ', 1)[1].split(",")[0])
        await ws.send(json.dumps({"type": "event", "eid": 1, "node": button, "name": "click", "data": CLICK}))
        while "Count: 1" not in await ws.recv():
            pass
    before = await victim_count(base, victim, victim_token)
    tried = accepted = 0
    port = str(server.port)
    for template in FOREIGN_ORIGINS:
        origin = template.replace("{port}", port)
        hello = {"type": "hello", "v": 1, "path": "/", "session": victim, "token": victim_token}
        for result in (
            await ws_attack(base, hello, origin),
            await sse_attack(base, victim, victim_token, hello, origin),
            await ws_attack(base, {"type": "hello", "v": 1, "path": "/"}, origin),  # a new session
        ):
            tried += 1
            accepted += result is not None
    for token in forged_tokens(victim_token, other_token):
        for session in (victim, other):
            if token == other_token and session == other:
                continue  # that pair is genuine
            hello = {"type": "hello", "v": 1, "path": "/", "session": session, "token": token}
            for result in (
                await ws_attack(base, hello, own_origin),
                await sse_attack(base, session, token, hello, own_origin),
            ):
                tried += 1
                accepted += result == session  # a new session of its own is fine; this one is not
    # The victim's token presented for another id, and ids near the victim's.
    for session in (victim[:-1], victim + "x", victim.upper(), "", "../" + victim):
        hello = {"type": "hello", "v": 1, "path": "/", "session": session, "token": victim_token}
        result = await ws_attack(base, hello, own_origin)
        tried += 1
        accepted += result in (victim, session)
    for name in REBOUND_NAMES:  # each: a page, an SSE stream, a WebSocket
        tried += 3
        accepted += await rebound_attack(base, name, other, other_token)
    after = await victim_count(base, victim, victim_token)
    assert after == before, "an attack changed the victim's view"
    return {"attacks_tried": tried, "attacks_accepted": accepted}


def test_origin_and_token_attacks_are_never_accepted(figures: Figures) -> None:
    with server_process() as server:
        result = asyncio.run(attack(server))
    figures.add("origin_and_token_attacks", **result)
    assert result["attacks_tried"] >= 90
    assert result["attacks_accepted"] == 0
