"""Slow readers and flooding clients: the server's memory stays within what its byte limits allow.

The server runs with small byte limits (``LIMITS``). Attackers then:

- **slow readers** open a session, start ~25 MiB of patches (an app whose every render is
  64 KiB of text, 400 times) and never read;
- **flooders** send events as fast as the socket takes them (cheap clicks and events with
  128 KiB names for handlers that do not exist) and never read either.

While they run, healthy sessions click and must be answered. The server's resident memory is
sampled every 20 ms from ``/proc/<pid>/status``; its growth over the baseline (after a warm-up
run of the same attack) must stay under a bound derived from the limits: everything the limits
let the server hold (``max_total_queue_bytes`` of outgoing frames for the whole process; per
session ``max_inbox_bytes`` of received frames and ``MAX_REPLAY_BYTES`` of unacknowledged
patches kept for a resume, since every attacker's session stays resumable for the recovery
window; per connection Hypercorn's app queue of ``max_app_queue_size`` (10) frames of at most
``max_frame_bytes``), twice over for transient copies (encode, JSON parse), plus a fixed
allowance of ``SLACK_MIB`` for the interpreter's and allocator's own growth.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import textwrap
import threading
from typing import Any

import websockets
from harness import CLICK, Figures, server_process

from tempestweb_contract.constants import MAX_REPLAY_BYTES

LIMITS = {
    "max_queue_bytes": 1024 * 1024,
    "max_total_queue_bytes": 8 * 1024 * 1024,
    "max_inbox_bytes": 512 * 1024,
    "max_frame_bytes": 256 * 1024,
}
SLOW_READERS = 6
FLOODERS = 6
FLOOD_EVENTS = 4000
SLACK_MIB = 48
HYPERCORN_APP_QUEUE = 10  # hypercorn.config.Config.max_app_queue_size

APP = textwrap.dedent(
    """
    import asyncio

    from tempest_core import App, Button, Column, Text


    def increment() -> None:
        app.set_state(lambda s: (s[0] + 1, s[1]))


    async def grow() -> None:
        for _ in range(400):
            app.set_state(lambda s: (s[0], s[1] + 1))
            await asyncio.sleep(0.001)


    def view(state):
        count, size = state
        blob = "x" * 65_536 if size else ""
        return Column(
            Text(f"Count: {count}", id="count"),
            Text(f"{size}:{blob}", id="blob"),
            Button("Increment", on_click=increment, id="inc"),
            Button("Grow", on_click=grow, id="grow"),
        )


    app = App(view=view, state=(0, 0), title="Memory")
    """
)


def bound_bytes(connections: int) -> int:
    """What the limits let the server hold, twice over, plus the fixed allowance."""
    held = (
        LIMITS["max_total_queue_bytes"]
        + connections * (LIMITS["max_inbox_bytes"] + MAX_REPLAY_BYTES)
        + connections * HYPERCORN_APP_QUEUE * LIMITS["max_frame_bytes"]
    )
    return 2 * held + SLACK_MIB * 1024 * 1024


def button(init: dict[str, Any], name: str) -> int:
    ops = json.dumps(init["ops"])
    return int(ops.split(f'"{name}"')[0].rsplit('["e", ', 1)[1].split(",")[0])


async def open_session(base: str) -> tuple[Any, dict[str, Any]]:
    ws = await websockets.connect(f"ws://{base}/_tw/ws", max_size=None, max_queue=1)
    await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
    init = json.loads(await ws.recv())
    assert init["type"] == "init"
    return ws, init


async def slow_reader(base: str) -> None:
    ws, init = await open_session(base)
    event = {"type": "event", "eid": 1, "node": button(init, "grow"), "name": "click", "data": CLICK}
    await ws.send(json.dumps(event))
    ws.transport.pause_reading()  # never read again: the kernel buffers fill, then the server's queue
    await asyncio.sleep(6)
    ws.transport.abort()


async def flooder(base: str, index: int) -> int:
    ws, init = await open_session(base)
    ws.transport.pause_reading()
    node = button(init, "inc")
    sent = 0
    with contextlib.suppress(websockets.exceptions.ConnectionClosed, OSError):
        for eid in range(1, FLOOD_EVENTS + 1):
            if eid % 4 == 0:  # an unknown handler with a 128 KiB name: the error must not echo it
                event = {"type": "event", "eid": eid, "node": 99_999, "name": "n" * 131_072, "data": {}}
            else:
                event = {"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK}
            await asyncio.wait_for(ws.send(json.dumps(event)), 10)
            sent += 1
    ws.transport.abort()
    return sent


async def healthy(base: str, stop: asyncio.Event) -> int:
    ws, init = await open_session(base)
    node = button(init, "inc")
    count = 0
    while not stop.is_set():
        count += 1
        await ws.send(
            json.dumps({"type": "event", "eid": count, "node": node, "name": "click", "data": CLICK})
        )
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if frame["type"] == "patch" and f"Count: {count}" in json.dumps(frame["ops"]):
                await ws.send(json.dumps({"type": "ack", "seq": frame["seq"]}))
                break
        await asyncio.sleep(0.05)
    await ws.close()
    return count


async def attack(base: str) -> tuple[int, int]:
    stop = asyncio.Event()
    healthy_tasks = [asyncio.create_task(healthy(base, stop)) for _ in range(2)]
    results = await asyncio.gather(
        *(slow_reader(base) for _ in range(SLOW_READERS)),
        *(flooder(base, i) for i in range(FLOODERS)),
    )
    stop.set()
    answered = sum(await asyncio.gather(*healthy_tasks))
    return sum(r for r in results if isinstance(r, int)), answered


def test_slow_readers_and_flooders_stay_within_the_byte_limits(figures: Figures) -> None:
    with server_process(APP, **LIMITS) as server:
        asyncio.run(attack(server.base))  # warm-up: first renders, allocator arenas
        baseline = server.status_kib("VmRSS")
        peak = baseline
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.02):
                with contextlib.suppress(OSError, KeyError):
                    peak = max(peak, server.status_kib("VmRSS"))

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            events, answered = asyncio.run(attack(server.base))
        finally:
            done.set()
            sampler.join()
    connections = SLOW_READERS + FLOODERS + 2
    growth = (peak - baseline) * 1024
    bound = bound_bytes(connections)
    figures.add(
        "slow_and_flooding_clients",
        slow_readers=SLOW_READERS,
        flooders=FLOODERS,
        flood_events_sent=events,
        healthy_clicks_answered=answered,
        rss_baseline_mib=round(baseline / 1024, 1),
        rss_growth_mib=round(growth / 2**20, 1),
        rss_bound_mib=round(bound / 2**20, 1),
    )
    assert answered > 0
    assert growth < bound, f"RSS grew {growth / 2**20:.1f} MiB, bound {bound / 2**20:.1f} MiB"
