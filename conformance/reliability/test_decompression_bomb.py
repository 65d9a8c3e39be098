"""Decompression bombs: permessage-deflate messages that inflate about 1,000 times.

Browsers negotiate permessage-deflate (RFC 7692), so the server inflates what clients send. A
message of 100 MiB of zeros is about 100 KiB compressed on the wire. Found before the fix: one
such 300 MiB message took a server from 46 MiB to a 510 MiB peak (405 MiB kept) before its close,
because wsproto inflated the whole frame before Hypercorn counted it against the message limit.

``BOMBERS`` clients each send ``BOMBS`` such messages after their ``hello``, beside healthy
sessions clicking. What must hold: each bomb ends its connection (close 1009, or the reset that
follows it while the bomb is still being sent), the healthy sessions are answered, and the
server's resident memory grows by at most what ``max_frame_bytes`` lets each connection inflate
(``INFLATE_COPIES`` copies of it) plus the allocator allowance of ``test_memory.py``.
"""

from __future__ import annotations

import asyncio
import json

import websockets
from harness import Figures, healthy_clicker, server_process

MAX_FRAME_BYTES = 256 * 1024
BOMBERS = 4
BOMBS = 3
BOMB_BYTES = 100 * 1024 * 1024
HEALTHY = 2
INFLATE_COPIES = 4
"""Copies of one inflated message a connection may hold at once (wsproto's buffer, the joined
message, the decoded text, the frame)."""
ALLOCATOR_MIB = 64
"""As in ``test_memory.py``: what the interpreter and allocator keep beyond the bytes held."""


async def bomber(base: str, bomb: str) -> list[str]:
    """Send ``BOMBS`` bombs, each on a new session's connection; return how each connection ended."""
    ends = []
    for _ in range(BOMBS):
        async with websockets.connect(f"ws://{base}/_tw/ws", compression="deflate", max_size=None) as ws:
            await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
            await ws.recv()
            try:
                await ws.send(bomb)
                while True:
                    await asyncio.wait_for(ws.recv(), 30)
            except websockets.ConnectionClosed:
                pass
            ends.append(str(ws.close_code))
    return ends


async def attack(base: str, bomb: str) -> tuple[list[str], int]:
    stop = asyncio.Event()
    sessions = [
        asyncio.create_task(healthy_clicker(base, stop, compression="deflate")) for _ in range(HEALTHY)
    ]
    results = await asyncio.gather(*(bomber(base, bomb) for _ in range(BOMBERS)))
    stop.set()
    answered = sum(await asyncio.gather(*sessions))
    return [end for ends in results for end in ends], answered


def test_decompression_bombs_inflate_at_most_the_frame_limit(figures: Figures) -> None:
    bomb = "0" * BOMB_BYTES
    with server_process(max_frame_bytes=MAX_FRAME_BYTES) as server:
        stop = asyncio.Event()
        stop.set()
        asyncio.run(healthy_clicker(server.base, stop))  # warm-up: first render, first session
        with server.rss_growth(0.01) as growth:
            ends, answered = asyncio.run(attack(server.base, bomb))
    growth_mib = growth.mib
    bound_mib = BOMBERS * INFLATE_COPIES * MAX_FRAME_BYTES / 2**20 + ALLOCATOR_MIB
    figures.add(
        "decompression_bombs",
        bombs=len(ends),
        inflated_mib_each=BOMB_BYTES // 2**20,
        healthy_clicks_answered=answered,
        rss_growth_mib=round(growth_mib, 1),
        rss_bound_mib=round(bound_mib, 1),
    )
    assert growth_mib < bound_mib, f"RSS grew {growth_mib:.1f} MiB, bound {bound_mib:.1f} MiB"
    assert len(ends) == BOMBERS * BOMBS
    assert set(ends) <= {"1009", "1006"}, ends  # closed for it (a reset while still sending)
    assert answered > 0
