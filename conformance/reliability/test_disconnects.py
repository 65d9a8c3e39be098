"""Disconnect storms: abrupt TCP drops (RST) mid-stream; 0 acknowledged events lost or duplicated.

Counter sessions click with one click in flight each (the ledger client of the cluster tests,
``server_cluster.Client``, which plays the JS client: resume with ``last_seq``, re-send the
unacknowledged click, check every count it is shown). A dropper resets a random session's TCP
connection (``SO_LINGER`` 0, then abort: the server sees a reset, not a close) every few
milliseconds, mid-click or mid-patch. At the end every session reconnects for a full resync and
its count must equal the clicks its client saw acknowledged.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import time

from harness import COUNTER_APP, Figures, server_process
from server_cluster import Client

SESSIONS = 20
DROPS = 150
DROP_INTERVAL_S = (0.005, 0.03)


def reset(client: Client) -> bool:
    """Abort the client's TCP connection with a reset; ``False`` when it had none open."""
    ws = client._ws  # the ledger client's live connection
    transport = getattr(ws, "transport", None)
    if transport is None or transport.is_closing():
        return False
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    return True


async def storm(port: int) -> dict[str, int]:
    rng = random.Random(13)
    clients = [Client(port, page=index % 2 == 0) for index in range(SESSIONS)]
    for client in clients:
        await client.start()
    stop = asyncio.Event()
    drops = 0

    async def run(client: Client) -> None:
        while not stop.is_set():
            await client.click()
            await asyncio.sleep(rng.uniform(0.0, 0.01))

    async def dropper() -> None:
        nonlocal drops
        while drops < DROPS:
            await asyncio.sleep(rng.uniform(*DROP_INTERVAL_S))
            drops += reset(rng.choice(clients))
        stop.set()

    deadline = time.monotonic() + 120
    await asyncio.wait_for(asyncio.gather(dropper(), *(run(c) for c in clients)), deadline - time.monotonic())
    shown = [await client.verify() for client in clients]
    violations = [v for c in clients for v in c.ledger.violations]
    assert violations == [], violations[:10]
    expected = [c.ledger.expected for c in clients]
    assert shown == expected
    return {
        "sessions": SESSIONS,
        "abrupt_disconnects": drops,
        "reconnects": sum(c.ledger.reconnects for c in clients),
        "resyncs": sum(c.ledger.resyncs for c in clients),
        "clicks_acknowledged": sum(c.ledger.acked for c in clients),
        "lost_acknowledged": 0,
        "duplicated": 0,
    }


def test_disconnect_storm_loses_and_duplicates_nothing(figures: Figures) -> None:
    with server_process(COUNTER_APP) as server:
        result = asyncio.run(storm(server.port))
    figures.add("disconnect_storm", **result)
    assert result["abrupt_disconnects"] == DROPS and result["clicks_acknowledged"] > DROPS
