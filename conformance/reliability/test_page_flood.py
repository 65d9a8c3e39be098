"""A page-request flood at capacity: the people whose connection dropped keep their sessions.

Every page request makes a session (the page's prerendered view is that session's) and costs its
sender nothing. Against a server holding ``max_sessions``, 20 people have their pages open
(ledger clients, as the JS client: page load, WebSocket, clicks): 10 stay connected and go on
clicking, 10 lose their connection. Then a flood of page requests arrives, far past what the
table can hold. When the network comes back, each of the 10 must resume its own session (the
same id, its count intact, its in-flight click handled once); the flood's pages take each
other's places. Before, the table evicted the longest idle session first: the 10 people.
"""

from __future__ import annotations

import asyncio
import time

import httpx
from harness import COUNTER_APP, Figures, server_process
from server_cluster import Client

MAX_SESSIONS = 60
PEOPLE = 20
DROPPED = 10
FLOOD = 600
CLICKS_BEFORE = 3


async def flood_and_return(port: int) -> dict[str, int]:
    people = [Client(port, page=True) for _ in range(PEOPLE)]
    for person in people:
        await person.start()
        for _ in range(CLICKS_BEFORE):
            await person.click()
    dropped, connected = people[:DROPPED], people[DROPPED:]
    for person in dropped:
        await person._close()  # the network dropped: the session waits in its recovery window
    ids = [person.ledger.session for person in dropped]
    stop = asyncio.Event()

    async def keep_clicking(person: Client) -> None:
        while not stop.is_set():
            await person.click()
            await asyncio.sleep(0.02)

    statuses: list[int] = []

    async def flood() -> None:
        limits = httpx.Limits(max_connections=20)
        async with httpx.AsyncClient(limits=limits, timeout=30) as http:

            async def one() -> None:
                statuses.append((await http.get(f"http://127.0.0.1:{port}/")).status_code)

            for start in range(0, FLOOD, 20):
                await asyncio.gather(*(one() for _ in range(min(20, FLOOD - start))))
        stop.set()

    deadline = time.monotonic() + 120
    clickers = [keep_clicking(person) for person in connected]
    await asyncio.wait_for(asyncio.gather(flood(), *clickers), deadline - time.monotonic())
    for person in dropped:  # back online: the next click reconnects, resumes, re-sends
        await person.click()
    resumed = sum(person.ledger.session == sid for person, sid in zip(dropped, ids, strict=True))
    shown = [await person.verify() for person in people]
    violations = [v for person in people for v in person.ledger.violations]
    assert violations == [], violations[:10]
    assert resumed == DROPPED
    assert shown == [person.ledger.expected for person in people]
    assert statuses == [200] * FLOOD  # each flood page took the place of an older flood page
    return {
        "max_sessions": MAX_SESSIONS,
        "page_requests_flooded": FLOOD,
        "sessions_dropped_then_resumed": resumed,
        "connected_sessions_clicking": len(connected),
        "clicks_acknowledged": sum(person.ledger.acked for person in people),
        "lost_acknowledged": 0,
    }


def test_a_page_flood_at_capacity_leaves_dropped_sessions_resumable(figures: Figures) -> None:
    with server_process(COUNTER_APP, max_sessions=MAX_SESSIONS) as server:
        result = asyncio.run(flood_and_return(server.port))
    figures.add("page_flood", **result)
