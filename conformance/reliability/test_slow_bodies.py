"""Slow request bodies: POSTs trickled a byte at a time end with 408, beside healthy sessions.

Attackers open SSE sessions as the client does (stream, then ``hello`` by POST) and a page with a
FileUpload, then start ``POST /_tw/send`` and ``POST /_tw/upload`` bodies that declare 100 KB
and send one byte every ``GAP_S`` (2 bytes/s against ``body_min_rate`` 500). What must hold:
every slow POST is answered ``408`` (``request_timeout``; an upload ``upload_failed``) by its
deadline (``body_timeout_s`` plus one second per 500 bytes: here at most a few bytes arrive), the
healthy sessions clicking meanwhile are all answered, and the server's resident memory grows by
at most the allocator allowance of ``test_memory.py`` plus 64 KiB per slow POST. Before the
deadline such a body held its connection for as long as the client liked (still open after 72 s
in the probe that found it).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter

import httpx
from harness import UPLOAD_APP, Figures, healthy_clicker, server_process

BODY_TIMEOUT_S = 2.0
LIMITS = {"body_timeout_s": BODY_TIMEOUT_S, "body_min_rate": 500}
SSE_ATTACKERS = 100
UPLOAD_ATTACKERS = 100
GAP_S = 0.5
"""Seconds between two bytes of a slow body."""
LATE_S = 3.0
"""What an answer may come after its deadline on a loaded 2-core machine, in seconds."""
HEALTHY = 4
PER_POST_KIB = 64
ALLOCATOR_MIB = 64
"""As in ``test_memory.py``: what the interpreter and allocator keep beyond the bytes held."""


async def slow_post(base: str, target: str) -> tuple[str, float]:
    """POST ``target`` declaring 100 KB, one byte every ``GAP_S``; return (status/code, seconds)."""
    host, port = base.split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(f"POST {target} HTTP/1.1\r\nHost: {base}\r\nContent-Length: 100000\r\n\r\n".encode())
    started = time.monotonic()

    async def trickle() -> None:
        try:
            while True:
                await asyncio.sleep(GAP_S)
                writer.write(b" ")
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            return

    dripping = asyncio.create_task(trickle())
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 60)
        length = int(re.search(rb"content-length: (\d+)", head.lower())[1])  # type: ignore[index]
        body = json.loads(await reader.readexactly(length))
        status = head.split(b" ", 2)[1].decode()
        return f"{status}/{body['code']}", time.monotonic() - started
    except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
        return type(exc).__name__, time.monotonic() - started
    finally:
        dripping.cancel()
        writer.close()


async def sse_session(client: httpx.AsyncClient, base: str, index: int, opened: asyncio.Event) -> None:
    """Hold an SSE session of its own open (stream + hello) until cancelled."""
    query = f"session=slow{index:04d}&token=t"
    async with client.stream("GET", f"http://{base}/_tw/sse?{query}") as stream:
        lines = stream.aiter_lines()
        await anext(lines)
        hello = json.dumps({"type": "hello", "v": 1, "path": "/"})
        await client.post(f"http://{base}/_tw/send?{query}", content=hello)
        opened.set()
        async for _ in lines:
            pass


async def upload_target(client: httpx.AsyncClient, base: str, index: int) -> str:
    page = (await client.get(f"http://{base}/")).text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    zone = re.search(r'<div data-tw="(\d+)"[^>]*data-tw-upload=""', page)
    assert session and token and zone, page[:300]
    return (
        f"/_tw/upload?session={session[1]}&token={token[1]}&node={zone[1]}"
        f"&upload=upload-slow{index:04d}&name=a.txt"
    )


async def attack(base: str) -> tuple[Counter[str], float, int]:
    stop = asyncio.Event()
    healthy = [asyncio.create_task(healthy_clicker(base, stop)) for _ in range(HEALTHY)]
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        opened = [asyncio.Event() for _ in range(SSE_ATTACKERS)]
        streams = [asyncio.create_task(sse_session(client, base, i, opened[i])) for i in range(SSE_ATTACKERS)]
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in opened)), 60)
        uploads = await asyncio.gather(*(upload_target(client, base, i) for i in range(UPLOAD_ATTACKERS)))
        results = await asyncio.gather(
            *(slow_post(base, f"/_tw/send?session=slow{i:04d}&token=t") for i in range(SSE_ATTACKERS)),
            *(slow_post(base, target) for target in uploads),
        )
        for task in streams:
            task.cancel()
        await asyncio.gather(*streams, return_exceptions=True)
    stop.set()
    answered = sum(await asyncio.gather(*healthy))
    return Counter(end for end, _ in results), max(seconds for _, seconds in results), answered


def test_slow_bodies_end_with_408_by_their_deadline_beside_healthy_sessions(figures: Figures) -> None:
    with server_process(UPLOAD_APP, **LIMITS) as server, server.rss_growth() as growth:
        ends, slowest_s, answered = asyncio.run(attack(server.base))
    total = SSE_ATTACKERS + UPLOAD_ATTACKERS
    bound_mib = total * PER_POST_KIB / 1024 + ALLOCATOR_MIB
    figures.add(
        "slow_bodies",
        slow_posts=total,
        answered_408=ends["408/request_timeout"] + ends["408/upload_failed"],
        slowest_answer_s=round(slowest_s, 1),
        healthy_clicks_answered=answered,
        rss_growth_mib=round(growth.mib, 1),
        rss_bound_mib=round(bound_mib, 1),
    )
    expected = {"408/request_timeout": SSE_ATTACKERS, "408/upload_failed": UPLOAD_ATTACKERS}
    assert ends == Counter(expected), ends
    # a few bytes arrived at most: each deadline is the grace plus a fraction of a second
    assert slowest_s < BODY_TIMEOUT_S + 1 + LATE_S, slowest_s
    assert answered > HEALTHY * 10
    assert growth.mib < bound_mib, f"RSS grew {growth.mib:.1f} MiB, bound {bound_mib:.1f} MiB"
