"""Connections that never say ``hello``: a bounded number wait, for a bounded time, beside healthy sessions.

Attackers open WebSockets and SSE streams and send nothing, in waves larger than
``max_handshakes`` (``LIMITS``). What must hold: every idle connection ends typed (refused at once
with ``server_busy`` past the limit, or ``handshake_timeout`` once the timeout passed), healthy
sessions clicking meanwhile are all answered, and the server's resident memory grows by at most
what ``max_handshakes`` waiting connections hold (``PER_CONNECTION_KIB`` each, measured) plus
the allocator allowance of ``test_memory.py``. Before the limits 1,000 such WebSockets stayed
open for good, 42 KiB each.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter

import httpx
import websockets
from harness import Figures, healthy_clicker, server_process

MAX_HANDSHAKES = 200
LIMITS = {"max_handshakes": MAX_HANDSHAKES, "handshake_timeout_s": 3.0}
WAVES = 3
WS_PER_WAVE = 300
SSE_PER_WAVE = 60
HEALTHY = 4
PER_CONNECTION_KIB = 64
"""What one waiting connection may hold, in KiB (measured: 42 KiB per WebSocket under Hypercorn)."""
ALLOCATOR_MIB = 64
"""As in ``test_memory.py``: what the interpreter and allocator keep beyond the bytes held."""


async def idle_ws(base: str) -> str:
    """Open a WebSocket, send nothing; return how it ended (the error code of its one frame)."""
    try:
        async with websockets.connect(f"ws://{base}/_tw/ws", open_timeout=30) as ws:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            with contextlib.suppress(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 60)
            return f"{frame.get('code')}/{ws.close_code}"
    except (OSError, websockets.InvalidHandshake, TimeoutError) as exc:
        return type(exc).__name__


async def idle_sse(client: httpx.AsyncClient, base: str, index: int) -> str:
    """Open an SSE stream, POST nothing; return how it ended."""
    url = f"http://{base}/_tw/sse?session=idle{index}&token=t"
    async with client.stream("GET", url) as response:
        body = b""
        async for chunk in response.aiter_bytes():
            body += chunk
    if response.status_code != 200:
        return f"{json.loads(body)['code']}/{response.status_code}"
    events = [line[6:] for line in body.decode().splitlines() if line.startswith("data: ")]
    return "/".join(json.loads(event)["code"] for event in events) + "/stream"


async def attack(base: str) -> tuple[Counter[str], int]:
    stop = asyncio.Event()
    sessions = [asyncio.create_task(healthy_clicker(base, stop)) for _ in range(HEALTHY)]
    ends: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        for wave in range(WAVES):
            results = await asyncio.gather(
                *(idle_ws(base) for _ in range(WS_PER_WAVE)),
                *(idle_sse(client, base, wave * SSE_PER_WAVE + i) for i in range(SSE_PER_WAVE)),
            )
            ends.update(results)
    stop.set()
    answered = sum(await asyncio.gather(*sessions))
    return ends, answered


def test_idle_connections_are_bounded_and_timed_out_beside_healthy_sessions(figures: Figures) -> None:
    with server_process(**LIMITS) as server:
        asyncio.run(healthy_warmup(server.base))
        with server.rss_growth() as growth:
            ends, answered = asyncio.run(attack(server.base))
    growth_mib = growth.mib
    bound_mib = MAX_HANDSHAKES * PER_CONNECTION_KIB / 1024 + ALLOCATOR_MIB
    total = WAVES * (WS_PER_WAVE + SSE_PER_WAVE)
    figures.add(
        "idle_connections",
        idle_connections=total,
        ended_by_handshake_timeout=sum(n for end, n in ends.items() if end.startswith("handshake_timeout")),
        refused_server_busy=sum(n for end, n in ends.items() if end.startswith("server_busy")),
        healthy_clicks_answered=answered,
        rss_growth_mib=round(growth_mib, 1),
        rss_bound_mib=round(bound_mib, 1),
    )
    assert sum(ends.values()) == total
    typed = {"handshake_timeout/1008", "server_busy/1013", "handshake_timeout/stream", "server_busy/503"}
    assert set(ends) <= typed, ends
    assert ends["server_busy/1013"] + ends["server_busy/503"] > 0  # the waves were past the limit
    assert answered > HEALTHY * 10
    assert growth_mib < bound_mib, f"RSS grew {growth_mib:.1f} MiB, bound {bound_mib:.1f} MiB"


async def healthy_warmup(base: str) -> None:
    """One short attack wave first: allocator arenas and first renders, as ``test_memory.py`` does."""
    stop = asyncio.Event()
    session = asyncio.create_task(healthy_clicker(base, stop))
    await asyncio.gather(*(idle_ws(base) for _ in range(MAX_HANDSHAKES)))
    stop.set()
    await session
