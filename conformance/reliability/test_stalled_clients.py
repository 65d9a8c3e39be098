"""Clients that stop reading, or vanish without a FIN: their connections end, beside healthy sessions.

Attackers open WebSockets by hand (with a 4 KiB receive buffer), say ``hello`` and then:

- **stalled readers** click a button whose every render is 256 KiB of text, 40 times, and never
  read: the server's writes fill the socket buffers and wait for a client that takes nothing;
- **vanished peers** send nothing more and read nothing, as a client whose network dropped
  without a FIN or a reset (a laptop closed, a NAT entry expired).

What must hold: every attacking connection is ended by the server (the client sees the reset
or the close) within ``ping_interval_s`` x (``KEEPALIVE_MISSED_PINGS`` + 1) +
``CLOSE_DRAIN_TIMEOUT_S`` + ``send_timeout_s`` plus slack; the server's open descriptors come
back to what they were before the attack; the healthy sessions clicking meanwhile are all
answered. Before ``send_timeout_s`` and the
keep-alive's ``ping_timeout`` close, both kinds held their connections (a descriptor and
300-650 KiB of kernel buffers each) for as long as the client stayed connected.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import textwrap
import time

import httpx
from harness import CLICK, Figures, healthy_clicker, server_process
from server_live import client_frame, open_raw_websocket

from tempestweb_server.constants import CLOSE_DRAIN_TIMEOUT_S, KEEPALIVE_MISSED_PINGS

PING_INTERVAL_S = 2.0
SEND_TIMEOUT_S = 2.0
LIMITS = {
    "ping_interval_s": PING_INTERVAL_S,
    "send_timeout_s": SEND_TIMEOUT_S,
    "max_queue_bytes": 1024 * 1024,
}
STALLED_READERS = 30
VANISHED_PEERS = 100
HEALTHY = 4
BLOB = 256 * 1024
"""Characters of the text each click of ``#blob`` re-renders."""
SLACK_S = 20.0
"""What a loaded 2-core machine may add to the deadline."""
DEADLINE_S = (KEEPALIVE_MISSED_PINGS + 1) * PING_INTERVAL_S + CLOSE_DRAIN_TIMEOUT_S + SEND_TIMEOUT_S
DEADLINE_S += SLACK_S

APP = textwrap.dedent(
    f"""
    from tempest_core import App, Button, Column, Text


    def increment() -> None:
        app.set_state(lambda s: (s[0] + 1, s[1]))


    def blob() -> None:
        app.set_state(lambda s: (s[0], s[1] + 1))


    def view(s):
        return Column(
            Text(f"Count: {{s[0]}}", id="count"),
            Button("Increment", on_click=increment, id="inc"),  # first: healthy_clicker's button
            Button("Blob", on_click=blob, id="blob"),
            Text(str(s[1] % 10) * {BLOB}),
        )


    app = App(view=view, state=(0, 0), title="Stalled")
    """
)


def _open(base: str) -> socket.socket:
    """A WebSocket opened by hand with a 4 KiB receive buffer, after its ``hello``; nothing is read."""
    sock = open_raw_websocket(base, receive_buffer=4096)
    sock.sendall(client_frame(0x1, json.dumps({"type": "hello", "v": 1, "path": "/"}).encode()))
    return sock


def _ended(sock: socket.socket) -> bool:
    """Read what is buffered; whether the server ended the connection (EOF or reset) by then."""
    sock.settimeout(2)
    try:
        while sock.recv(1 << 20):
            pass
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True


def _descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


async def _attack(base: str, blob_node: int, pid: int, baseline: int) -> dict[str, float | int]:
    stop = asyncio.Event()
    healthy = [asyncio.create_task(healthy_clicker(base, stop)) for _ in range(HEALTHY)]
    await asyncio.sleep(0.5)
    stalled = [await asyncio.to_thread(_open, base) for _ in range(STALLED_READERS)]
    for sock in stalled:
        for eid in range(1, 41):
            event = {"type": "event", "eid": eid, "node": blob_node, "name": "click", "data": CLICK}
            sock.setblocking(False)
            payload = client_frame(0x1, json.dumps(event).encode())
            try:
                sock.send(payload)  # as much as the socket takes; a stalled reader never waits
            except BlockingIOError:
                break
    vanished = [await asyncio.to_thread(_open, base) for _ in range(VANISHED_PEERS)]
    started = time.monotonic()
    opened = _descriptors(pid)
    seconds = float("inf")
    while time.monotonic() - started < DEADLINE_S:
        if _descriptors(pid) <= baseline + HEALTHY:
            seconds = time.monotonic() - started
            break
        await asyncio.sleep(0.25)
    ended = sum(await asyncio.gather(*(asyncio.to_thread(_ended, sock) for sock in stalled + vanished)))
    for sock in stalled + vanished:
        sock.close()
    stop.set()
    answered = sum(await asyncio.gather(*healthy))
    return {
        "descriptors_before": baseline,
        "descriptors_at_peak": opened,
        "descriptors_after": _descriptors(pid),
        "seconds_to_end_all": round(seconds, 1),
        "ended": ended,
        "healthy_clicks_answered": answered,
    }


def test_stalled_and_vanished_clients_are_ended_beside_healthy_sessions(figures: Figures) -> None:
    with server_process(APP, **LIMITS) as server:
        page = httpx.get(f"http://{server.base}/").text
        blob = re.search(r'<button data-tw="(\d+)"[^>]*\bid="blob"', page)
        assert blob is not None
        pid = server.process.pid
        baseline = _descriptors(pid)
        result = asyncio.run(_attack(server.base, int(blob.group(1)), pid, baseline))
        log = server.log()
    figures.add(
        "stalled_clients",
        stalled_readers=STALLED_READERS,
        vanished_peers=VANISHED_PEERS,
        deadline_s=DEADLINE_S,
        aborted_by_send_timeout=log.count("send_timeout_s"),
        **result,
    )
    assert result["descriptors_at_peak"] >= baseline + STALLED_READERS + VANISHED_PEERS
    assert result["seconds_to_end_all"] < DEADLINE_S, result
    assert result["ended"] == STALLED_READERS + VANISHED_PEERS, result
    assert result["healthy_clicks_answered"] > HEALTHY * 10, result
