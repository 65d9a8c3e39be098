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
import zlib

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


RATIO_BOMBERS = 4
RATIO_BOMBS = 6
RATIO_BOMB_BYTES = 15 * 1024 * 1024
"""Under the default 16 MiB ``max_frame_bytes``: each such message is about 15 KiB on the wire."""


async def ratio_bomber(base: str, bomb: str) -> str:
    """Send ``RATIO_BOMBS`` bombs on one session's connection; return how it ended."""
    async with websockets.connect(f"ws://{base}/_tw/ws", compression="deflate", max_size=None) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        await ws.recv()
        try:
            for _ in range(RATIO_BOMBS):
                await ws.send(bomb)
            while True:
                await asyncio.wait_for(ws.recv(), 30)
        except websockets.ConnectionClosed:
            pass
        return str(ws.close_code)


def test_issue_13_messages_inflating_a_thousandfold_under_the_frame_limit_are_refused(
    figures: Figures,
) -> None:
    # Found by probing from outside: with the default 16 MiB frame limit, compressed pings of
    # 15 KiB padded with whitespace inflated to 15 MiB each (valid frames, under the limit), and
    # Hypercorn queued ten of them per connection: 8 connections x 12 such messages (1.5 MB
    # sent) took a server from 49 MiB to 1 GiB. A compressed message may now inflate at most
    # MAX_INFLATE_RATIO times its wire size past INFLATE_BURST_BYTES.
    from tempestweb_server._deflate import INFLATE_BURST_BYTES, MAX_INFLATE_RATIO

    bomb = " " * RATIO_BOMB_BYTES + '{"type":"ping","ts":1}'
    with server_process() as server:  # the default max_frame_bytes
        stop = asyncio.Event()
        stop.set()
        asyncio.run(healthy_clicker(server.base, stop))  # warm-up

        async def attack_ratio() -> tuple[list[str], int]:
            stop = asyncio.Event()
            sessions = [
                asyncio.create_task(healthy_clicker(server.base, stop, compression="deflate"))
                for _ in range(HEALTHY)
            ]
            ends = await asyncio.gather(*(ratio_bomber(server.base, bomb) for _ in range(RATIO_BOMBERS)))
            stop.set()
            return list(ends), sum(await asyncio.gather(*sessions))

        with server.rss_growth(0.01) as growth:
            ends, answered = asyncio.run(attack_ratio())
    wire = len(zlib.compress(bomb.encode(), 9))
    most_inflated = MAX_INFLATE_RATIO * wire + INFLATE_BURST_BYTES
    bound_mib = RATIO_BOMBERS * INFLATE_COPIES * most_inflated / 2**20 + ALLOCATOR_MIB
    figures.add(
        "inflate_ratio_bombs",
        connections=RATIO_BOMBERS,
        bombs_each=RATIO_BOMBS,
        wire_kib_each=round(wire / 1024, 1),
        inflated_mib_each=RATIO_BOMB_BYTES // 2**20,
        healthy_clicks_answered=answered,
        rss_growth_mib=round(growth.mib, 1),
        rss_bound_mib=round(bound_mib, 1),
    )
    assert set(ends) <= {"1009", "1006"}, ends  # refused as too big (a reset while still sending)
    assert growth.mib < bound_mib, f"RSS grew {growth.mib:.1f} MiB, bound {bound_mib:.1f} MiB"
    assert answered > 0
