"""Mode B under load: sessions clicking once a second, against a minimal Starlette WebSocket echo.

Both servers run under the same Hypercorn, each in a process of its own; one client process
drives them the same way over loopback WebSockets (permessage-deflate offered, as browsers do;
no WebSocket pings, which browsers never send: the ``websockets`` client's default of one every
20 s made the pings' parsing and pongs part of the counted work, much of it under callgrind).
The app's server runs on the event loop ``tempestweb run`` picks (``ServerConfig.event_loop``:
uvloop where installed; ``--loop asyncio`` for asyncio's own), the anchor on asyncio's loop, as
a plain ``hypercorn`` serves it.
At each N every server is up with its N sessions at once, and the servers take turns in
``--rounds`` measuring windows (the order reversed each round), so that a machine whose speed
drifts during the run moves the anchor's figures and the app's alike; ``--baseline DIR`` adds a
server importing another checkout's packages (a worktree of an older commit) to the same
windows, to compare two versions of the code in one run:

- **latency**: N sessions each send one event a second (spread evenly); event -> patch (echo)
  time, p50 and p99. A tempestweb session acknowledges its patches by the JS client's rule
  (``ACK_INTERVAL_MS``, ``ACK_MAX_PENDING``): the ``ack`` frames it sends on their own are counted
  in the server's CPU and reported per click (``--ack-interval-ms`` sets another timer). At one
  click a second a JS client's acknowledgement always rides in its next event (2 s > 1 s), so
  a session's timer is suspended while other servers' windows run (:meth:`Client.pause`): its
  pending acknowledgement rides in its next click, as with no pause;
- **CPU per click**: server process CPU time (``/proc/<pid>/stat``) over the clicks it handled;
- **memory per idle session**: server process PSS (``/proc/<pid>/smaps_rollup``) with N idle
  sessions minus before, over N;
- **saturation**: 100 sessions clicking as fast as answers come for a few seconds: clicks per
  second of server CPU (clicks/s per core);
- **admission** (``--admission M``): a server whose table is full (``max_sessions=M``, M sessions
  clicking once a second) while new clients keep arriving (``--storm`` per second: bare
  WebSocket hellos and page GETs, all to be refused with ``server_busy``/503): p50/p99 of the
  existing sessions during the storm against the same sessions without it, in the same run.

With ``--pin`` the machine has a free core for each side: every server process runs on one CPU
and the client process (and the admission storm's process) on another
(``os.sched_setaffinity``, Linux), for the anchor and the app alike, so that neither server
shares its core with the load it answers (the p99 target is stated "with a free core").

On a machine shared with other jobs a pinned core is not yet a free one: ``--realtime`` also runs
the client and the servers under ``SCHED_FIFO`` (Linux, needs root or ``CAP_SYS_NICE``; the
kernel's real-time throttling still leaves other processes 5 % of each CPU), so that the other
jobs wait while this benchmark's processes have work; they use a fraction of their cores at
1 click/s per session, so the others still run.

With ``--asgi`` the tempestweb figures are measured under each ASGI server named
(``ServerConfig.asgi_server``), each against the same anchor (the echo under Hypercorn) measured
in the same run.

Each figure is reported as a ratio against the echo anchor measured in the same run (admission:
against the calm phase of the same server).
Targets (docs/benchmarks.md): idle session <= 64 KB; CPU per click <= 1.2x; p99 at 1,000 sessions
<= 1.5x (with a free core); >= 3,000 clicks/s per core for the counter app.

    python bench/load.py [--sessions 100,1000,2000] [--seconds 10] [--rounds 4] [--baseline DIR]
                         [--compression MODE] [--loop auto|uvloop|asyncio]
                         [--asgi hypercorn,uvicorn,granian] [--pin [--realtime]] [--no-saturation]
                         [--admission 200 --storm 200] [--only-admission]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import websockets

from tempestweb_contract import constants as _contract

ROOT = Path(__file__).resolve().parents[1]
CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
ACK_INTERVAL_MS: float = _contract.ACK_INTERVAL_MS
"""The JS client's acknowledgement timer (``--ack-interval-ms`` sets another, to compare)."""
ACK_MAX_PENDING: int = _contract.ACK_MAX_PENDING

ANCHOR_APP = textwrap.dedent(
    """
    import json
    from starlette.applications import Starlette
    from starlette.routing import WebSocketRoute

    async def echo(ws):
        await ws.accept()
        n = 0
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            n += 1
            await ws.send_text(json.dumps({"type": "patch", "seq": n, "ops": [["text", 3, f"Count: {n}"]]}))

    app = Starlette(routes=[WebSocketRoute("/_tw/ws", echo)])
    """
)

SERVE = textwrap.dedent(
    """
    import asyncio, gc, json, sys
    from hypercorn.asyncio import serve
    from hypercorn.config import Config
    sys.path.insert(0, sys.argv[3])
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind == "anchor":
        from anchor_app import app as asgi
        config = Config()
        config.bind = [f"127.0.0.1:{port}"]
        config.accesslog = None
        asyncio.run(serve(asgi, config, mode="asgi"))
    else:
        from tempestweb_server import ServerConfig, create_app, serve_asgi
        from tempestweb_server.loader import load_app
        app = load_app(sys.argv[4])
        # Capacity is what is measured here: admission control off (the admission phase sets
        # max_sessions and the default lag signal back).
        options = dict(port=port, allowed_origins=("*",), max_sessions=100_000, max_loop_lag_s=1e9)
        if len(sys.argv) > 5:
            options.update(json.loads(sys.argv[5]))
        full_gc_s = options.pop("full_collection_interval_s", None)
        if full_gc_s is not None:  # bench/click_instructions.py: per-time work kept out
            from tempestweb_server import _collector
            _collector.collector_schedule.__wrapped__.__kwdefaults__["full_interval_s"] = full_gc_s
        config = ServerConfig(**options)
        try:  # the event loop `tempestweb run` picks (ServerConfig.event_loop)
            from tempestweb_server._loop import run as run_loop
        except ImportError:  # a --baseline checkout from before the setting: asyncio's loop
            asyncio.run(serve_asgi(create_app(app, config=config), config))
        else:
            run_loop(serve_asgi(create_app(app, config=config), config), config)
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise RuntimeError("no Pss line")


@dataclass
class Server:
    kind: str
    proc: subprocess.Popen[bytes]
    port: int

    def stop(self, timeout_s: float = 10.0) -> None:
        """Interrupt the server (SIGINT) and wait ``timeout_s`` for it to exit, then kill it."""
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()


REALTIME_PRIORITY = 10
"""``SCHED_FIFO`` priority under ``--realtime`` (1-99; low: kernel threads keep theirs)."""
PIN: tuple[int, int] | None = None
"""``(server CPU, client CPU)`` under ``--pin``; ``None``: the scheduler places both."""


def pin_cpus() -> tuple[int, int]:
    """Two CPUs this process may run on: one for the servers, one for the client.

    Returns:
        ``(server_cpu, client_cpu)``, the last two CPUs of this process's affinity mask.

    Raises:
        SystemExit: Fewer than two CPUs are available (``--pin`` needs a core for each side).

    """
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        raise SystemExit(f"--pin needs two CPUs, this process may use {cpus}")
    return cpus[-2], cpus[-1]


def start(
    kind: str,
    workdir: Path,
    options: dict[str, object] | None = None,
    code: Path | None = None,
    *,
    prefix: tuple[str, ...] = (),
    start_timeout_s: float = 30.0,
) -> Server:
    """Start a server process (``kind`` "anchor" or "tempestweb") and wait until it listens.

    ``code``: another checkout whose packages the server imports instead of the installed ones
    (``--baseline``), with this checkout's app. ``prefix``: a command the interpreter runs under
    (``bench/click_instructions.py``: callgrind), given ``start_timeout_s`` to listen.
    """
    port = free_port()
    (workdir / "anchor_app.py").write_text(ANCHOR_APP)
    (workdir / "serve.py").write_text(SERVE)
    args = [
        *prefix,
        sys.executable,
        str(workdir / "serve.py"),
        kind,
        str(port),
        str(workdir),
        str(ROOT / "examples" / "counter"),
    ]
    if options:
        args.append(json.dumps(options))
    env = None
    if code is not None:
        paths = [str(src) for src in sorted((code / "packages").glob("*/src"))]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    if PIN is not None:  # before the interpreter starts its loop: every thread inherits the mask
        os.sched_setaffinity(proc.pid, {PIN[0]})
    deadline = time.monotonic() + start_timeout_s
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return Server(kind, proc, port)
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{kind} server did not start") from None
            time.sleep(0.05)


@contextlib.contextmanager
def client_collector_paused() -> Any:
    """Pause this (client) process's garbage collector while it times clicks.

    The client holds every session's socket; a full collection of its own heap takes tens of
    milliseconds at N=1,000 and delays the answers it is reading, which the figures would count
    as server latency (the anchor's p99 at N=1,000 with a free core: 33 ms with the client's
    collector running, 2-5 ms with it paused). Reference counting still frees the clicks'
    short-lived objects.
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


class Client:
    """One session: a WebSocket that sends a click and waits for the answering frame.

    A tempestweb session acknowledges the patches it applied as the JS client does
    (``client/src/session.js``, docs/protocol.md "Acknowledgements"): the pending ``ack`` rides in
    the next event when that comes first, goes out at once when ``ACK_MAX_PENDING`` batches wait,
    and else as an ``ack`` frame of its own ``ACK_INTERVAL_MS`` after the patch that started the
    wait; and it answers the host's keep-alive ``ping`` with a ``pong`` (read with the next
    click's answer). The anchor's sessions send no ``ack`` (the echo would answer it).
    """

    def __init__(self, ws: Any, node: int, *, acks: bool) -> None:
        self.ws = ws
        self.node = node
        self.acks = acks
        self.eid = 0
        self.seq = 0
        self.acked = 0
        self.ack_frames = 0
        self.ack_timer: asyncio.TimerHandle | None = None
        self.sending: set[asyncio.Future[None]] = set()  # ack frames on their way

    def _take_ack(self) -> int | None:
        """Stop the coalescing timer; return the seq applied but not yet acknowledged."""
        if self.ack_timer is not None:
            self.ack_timer.cancel()
            self.ack_timer = None
        return self.seq if self.seq > self.acked else None

    def pause(self) -> None:
        """Suspend the acknowledgement timer between two of this server's windows.

        The workload is one click a second without pause; the windows of the other servers are
        the benchmark's, not the user's. A JS client clicking once a second never sends an
        ``ack`` frame of its own (its timer is ``ACK_INTERVAL_MS`` = 2 s): the acknowledgement
        pending at a window's end rides in the session's next click, as it would one second
        later. Without this, a server measured in two windows in a row got the ``ack`` frames
        of the sessions' 2.5 s pause counted in its second window (0.10 per click) and one
        whose windows were apart did not: the order of the windows, not the code, moved its
        CPU per click.
        """
        if self.ack_timer is not None:
            self.ack_timer.cancel()
            self.ack_timer = None

    def _flush_ack(self) -> None:
        seq = self._take_ack()
        if seq is not None:
            self.acked = seq
            self.ack_frames += 1
            task = asyncio.ensure_future(self.ws.send(json.dumps({"type": "ack", "seq": seq})))
            self.sending.add(task)
            task.add_done_callback(self.sending.discard)

    async def click(self) -> float:
        self.eid += 1
        started = time.perf_counter()
        event: dict[str, Any] = {
            "type": "event",
            "eid": self.eid,
            "node": self.node,
            "name": "click",
            "data": CLICK,
        }
        if self.acks and (seq := self._take_ack()) is not None:
            event["ack"] = self.acked = seq
        await self.ws.send(json.dumps(event))
        while True:
            frame = json.loads(await self.ws.recv())
            if frame["type"] == "patch":
                self.seq = frame.get("seq", 0)
                if self.acks:
                    if self.seq - self.acked >= ACK_MAX_PENDING:
                        self._flush_ack()
                    elif self.ack_timer is None:
                        self.ack_timer = asyncio.get_running_loop().call_later(
                            ACK_INTERVAL_MS / 1000, self._flush_ack
                        )
                return time.perf_counter() - started
            if frame["type"] == "ping":  # the host's keep-alive: the JS client answers it
                await self.ws.send(json.dumps({"type": "pong", "ts": frame.get("ts", 0)}))


async def open_client(server: Server, http: httpx.AsyncClient) -> Client:
    url = f"ws://127.0.0.1:{server.port}/_tw/ws"
    if server.kind == "anchor":
        return Client(await websockets.connect(url, max_size=None, ping_interval=None), 1, acks=False)
    response = await http.get(f"http://127.0.0.1:{server.port}/")
    if response.status_code != 200:
        raise RuntimeError(f"page GET answered {response.status_code}: {response.text[:200]}")
    page = response.text
    session = re.search(r'data-tw-session="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    token = re.search(r'data-tw-token="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    node = int(re.search(r'<button data-tw="(\d+)"[^>]*id="increment"', page).group(1))  # type: ignore[union-attr]
    ws = await websockets.connect(url, max_size=None, ping_interval=None)
    await ws.send(
        json.dumps({"type": "hello", "v": 1, "path": "/", "session": session, "token": token, "last_seq": 0})
    )
    await ws.recv()
    return Client(ws, node, acks=True)


@dataclass
class Tally:
    """What one server answered over its measuring windows."""

    server: Server
    clients: list[Client]
    idle_kib: float
    latencies: list[float]
    cpu_s: float = 0.0
    ack_frames: int = 0  # ``ack`` frames of their own sent in the windows (the rest rode in events)

    def figures(self) -> dict[str, float]:
        """p50/p99 event -> patch (ms), CPU per click (us), idle memory per session (KiB)."""
        lat = sorted(self.latencies)
        return {
            "idle_kib": self.idle_kib,
            "p50_ms": 1000 * lat[len(lat) // 2],
            "p99_ms": 1000 * lat[int(len(lat) * 0.99)],
            "cpu_us_per_click": 1e6 * self.cpu_s / len(lat),
            "clicks": float(len(lat)),
            "ack_frames_per_click": self.ack_frames / len(lat),
        }


async def connect(server: Server, sessions: int, http: httpx.AsyncClient) -> Tally:
    """Open ``sessions`` sessions on ``server`` (50 at a time); measure the idle memory they hold."""
    await asyncio.sleep(0.5)
    base_pss = pss_kib(server.proc.pid)
    clients: list[Client] = []
    for start_at in range(0, sessions, 50):  # connect ramp: 50 at a time
        clients += await asyncio.gather(
            *(open_client(server, http) for _ in range(min(50, sessions - start_at)))
        )
    await asyncio.sleep(1.0)
    return Tally(server, clients, (pss_kib(server.proc.pid) - base_pss) / sessions, [])


async def window(tally: Tally, seconds: float) -> None:
    """Every session of ``tally`` clicks once a second (spread evenly) for ``seconds``."""
    clients = tally.clients
    latencies = tally.latencies
    cpu0, t0 = cpu_seconds(tally.server.proc.pid), time.perf_counter()
    acks0 = sum(c.ack_frames for c in clients)

    async def drive(i: int, client: Client) -> None:
        await asyncio.sleep(i / len(clients))  # spread the clicks over each second
        next_at = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            latencies.append(await client.click())
            next_at += 1.0
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

    await asyncio.gather(*(drive(i, c) for i, c in enumerate(clients)))
    tally.cpu_s += cpu_seconds(tally.server.proc.pid) - cpu0
    tally.ack_frames += sum(c.ack_frames for c in clients) - acks0
    for client in clients:
        client.pause()  # the other servers' windows are no pause of the workload's users


async def measure(
    servers: list[Server], sessions: int, seconds: float, rounds: int
) -> list[dict[str, float]]:
    """Measure every server at ``sessions`` sessions, in alternating windows.

    Each server gets its sessions first (all held open at once), then ``rounds`` windows of
    ``seconds / rounds`` each, the servers taking turns (the order reversed every round): a
    machine whose speed drifts (other tenants, frequency) moves the anchor's figures and the
    app's alike, where one window after the other would put the drift into the ratio.
    """
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:
        tallies = [await connect(server, sessions, http) for server in servers]
        with client_collector_paused():
            for r in range(rounds):
                for tally in tallies if r % 2 == 0 else tallies[::-1]:
                    await window(tally, seconds / rounds)
        for tally in tallies:
            for client in tally.clients:
                await client.ws.close()
    return [tally.figures() for tally in tallies]


async def saturate(server: Server, seconds: float) -> float:
    async with httpx.AsyncClient(timeout=60) as http:
        clients = [await open_client(server, http) for _ in range(100)]
        cpu0, t0 = cpu_seconds(server.proc.pid), time.perf_counter()
        count = 0

        async def drive(client: Client) -> None:
            nonlocal count
            while time.perf_counter() - t0 < seconds:
                await client.click()
                count += 1

        with client_collector_paused():
            await asyncio.gather(*(drive(c) for c in clients))
        cpu = cpu_seconds(server.proc.pid) - cpu0
        for client in clients:
            await client.ws.close()
    return count / cpu if cpu else float("nan")


async def knock(server: Server, http: httpx.AsyncClient, page: bool) -> str:
    """One new client: a page GET or a bare WebSocket hello; returns what it got."""
    if page:
        response = await http.get(f"http://127.0.0.1:{server.port}/")
        return {200: "admitted", 503: "refused"}.get(response.status_code, f"http {response.status_code}")
    url = f"ws://127.0.0.1:{server.port}/_tw/ws"
    async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        frame = json.loads(await ws.recv())
    if frame["type"] == "init":
        return "admitted"
    return "refused" if frame.get("code") == "server_busy" else f"error {frame.get('code')}"


async def admission(server: Server, sessions: int, seconds: float, storm: float) -> dict[str, Any]:
    """Existing sessions' latency with and without a storm of refused newcomers (same server)."""
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=64), timeout=60) as http:
        clients: list[Client] = []
        for start_at in range(0, sessions, 50):
            clients += await asyncio.gather(
                *(open_client(server, http) for _ in range(min(50, sessions - start_at)))
            )
        outcomes: dict[str, int] = {}

        cpu: dict[bool, float] = {}

        async def phase(with_storm: bool) -> list[float]:
            latencies: list[float] = []
            cpu0, t0 = cpu_seconds(server.proc.pid), time.perf_counter()

            async def drive(i: int, client: Client) -> None:
                await asyncio.sleep(i / sessions)
                next_at = time.perf_counter()
                while time.perf_counter() - t0 < seconds:
                    latencies.append(await client.click())
                    next_at += 1.0
                    await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

            async def newcomers() -> None:
                # Another process: the newcomers' handshakes must not slow this client's clicks.
                storm_proc = await asyncio.create_subprocess_exec(
                    sys.executable,
                    __file__,
                    "--knock",
                    str(server.port),
                    "--seconds",
                    str(seconds),
                    "--storm",
                    str(storm),
                    stdout=asyncio.subprocess.PIPE,
                )
                out, _ = await storm_proc.communicate()
                outcomes.update(json.loads(out))

            jobs = [drive(i, c) for i, c in enumerate(clients)]
            with client_collector_paused():
                await asyncio.gather(*jobs, *([newcomers()] if with_storm else []))
            cpu[with_storm] = cpu_seconds(server.proc.pid) - cpu0
            latencies.sort()
            return latencies

        calm = await phase(False)
        stormy = await phase(True)
        for client in clients:
            await client.ws.close()
    return {
        "calm_p50_ms": 1000 * calm[len(calm) // 2],
        "calm_p99_ms": 1000 * calm[int(len(calm) * 0.99)],
        "storm_p50_ms": 1000 * stormy[len(stormy) // 2],
        "storm_p99_ms": 1000 * stormy[int(len(stormy) * 0.99)],
        "clicks": len(stormy),
        "outcomes": outcomes,
        "calm_cpu_s": cpu[False],
        "storm_cpu_s": cpu[True],
    }


async def knock_storm(port: int, seconds: float, storm: float) -> dict[str, int]:
    """``storm`` new clients a second for ``seconds`` (half page GETs, half bare hellos)."""
    server = Server("tempestweb", None, port)  # type: ignore[arg-type]  # only .port is used
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=256), timeout=60) as http:
        tasks: list[asyncio.Task[str]] = []
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            tasks.append(asyncio.create_task(knock(server, http, page=len(tasks) % 2 == 1)))
            await asyncio.sleep(max(0.0, t0 + len(tasks) / storm - time.perf_counter()))
        outcomes: dict[str, int] = {}
        for result in await asyncio.gather(*tasks, return_exceptions=True):
            outcome = result if isinstance(result, str) else type(result).__name__
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def report_admission(
    workdir: Path, sessions: int, seconds: float, storm: float, compression: str | None
) -> None:
    options: dict[str, object] = {"max_sessions": sessions, "max_loop_lag_s": 0.25}  # the default
    if compression:
        options["ws_compression"] = compression
    server = start("tempestweb", workdir, options)
    try:
        figures = asyncio.run(admission(server, sessions, seconds, storm))
    finally:
        server.stop()
    refused = sum(figures["outcomes"].values()) or 1
    refused_us = 1e6 * (figures["storm_cpu_s"] - figures["calm_cpu_s"]) / refused
    print(
        f"admission: {sessions} sessions (max_sessions={sessions}) at 1 click/s, {storm:.0f} newcomers/s: "
        f"p50 {figures['storm_p50_ms']:.2f} ms (calm {figures['calm_p50_ms']:.2f}; "
        f"x{figures['storm_p50_ms'] / figures['calm_p50_ms']:.2f})  "
        f"p99 {figures['storm_p99_ms']:.2f} ms (calm {figures['calm_p99_ms']:.2f}; "
        f"x{figures['storm_p99_ms'] / figures['calm_p99_ms']:.2f})  "
        f"clicks answered {figures['clicks']}  newcomers {figures['outcomes']}  "
        f"server CPU {figures['storm_cpu_s']:.2f} s (calm {figures['calm_cpu_s']:.2f} s; "
        f"{refused_us:.0f} us per refused newcomer)",
        flush=True,
    )


def report_saturation(
    workdir: Path, servers: list[str], seconds: float, compression: dict[str, object] | None
) -> None:
    server = start("anchor", workdir)
    try:
        anchor_sat = asyncio.run(saturate(server, min(seconds, 5.0)))
    finally:
        server.stop()
    for name in servers:
        server = start("tempestweb", workdir, {**(compression or {}), "asgi_server": name})
        try:
            sat = asyncio.run(saturate(server, min(seconds, 5.0)))
        finally:
            server.stop()
        print(
            f"saturation {name}: {sat:.0f} clicks/s per core of server CPU "
            f"(anchor {anchor_sat:.0f}; x{sat / anchor_sat:.2f})  target >= 3000",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="100,1000,2000")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="also measure this checkout's packages (a worktree of an older commit) in the same windows",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="measuring windows per server at each N, taking turns with the anchor (--seconds split)",
    )
    parser.add_argument("--compression", default=None, help="ServerConfig.ws_compression for tempestweb")
    parser.add_argument("--loop", default=None, help="ServerConfig.event_loop for tempestweb")
    parser.add_argument(
        "--admission", type=int, default=200, help="sessions of the admission phase (0: skip)"
    )
    parser.add_argument(
        "--storm", type=float, default=200.0, help="newcomers per second in the admission phase"
    )
    parser.add_argument("--only-admission", action="store_true", help="run the admission phase only")
    parser.add_argument(
        "--asgi", default="hypercorn", help="ASGI servers to measure, e.g. hypercorn,uvicorn,granian"
    )
    parser.add_argument(
        "--pin", action="store_true", help="servers on one CPU, this client on another (a free core each)"
    )
    parser.add_argument(
        "--realtime", action="store_true", help="with --pin: SCHED_FIFO for client and servers (root)"
    )
    parser.add_argument("--no-saturation", action="store_true", help="skip the saturation phase")
    parser.add_argument(
        "--ack-interval-ms",
        type=float,
        default=None,
        help="the sessions' acknowledgement timer (default: the JS client's ACK_INTERVAL_MS)",
    )
    parser.add_argument("--knock", type=int, default=0, help=argparse.SUPPRESS)  # the storm process
    args = parser.parse_args()
    if args.ack_interval_ms is not None:
        global ACK_INTERVAL_MS
        ACK_INTERVAL_MS = args.ack_interval_ms
    if args.knock:
        print(json.dumps(asyncio.run(knock_storm(args.knock, args.seconds, args.storm))))
        return
    if args.pin:
        global PIN
        PIN = pin_cpus()
        os.sched_setaffinity(0, {PIN[1]})
        print(f"pinned: servers on CPU {PIN[0]}, client on CPU {PIN[1]}", flush=True)
    if args.realtime:
        if not args.pin:
            raise SystemExit(
                "--realtime needs --pin (a real-time process on every CPU would stall the machine)"
            )
        try:  # inherited by the servers and the storm process
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(REALTIME_PRIORITY))
        except PermissionError:
            raise SystemExit("--realtime needs root or CAP_SYS_NICE (SCHED_FIFO)") from None
        print(f"real-time: SCHED_FIFO priority {REALTIME_PRIORITY}", flush=True)
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"tw-load-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    compression: dict[str, object] | None = {"ws_compression": args.compression} if args.compression else None
    if args.loop:
        compression = {**(compression or {}), "event_loop": args.loop}
    if args.only_admission:
        report_admission(workdir, args.admission, args.seconds, args.storm, args.compression)
        return
    servers = args.asgi.split(",")
    for n in (int(x) for x in args.sessions.split(",")):
        # the anchor and each app server up at once, measured in alternating windows
        running = [start("anchor", workdir)]
        try:
            for name in servers:
                running.append(start("tempestweb", workdir, {**(compression or {}), "asgi_server": name}))
            if args.baseline is not None:
                running.append(start("tempestweb", workdir, compression, code=args.baseline))
            a, *ts = asyncio.run(measure(running, n, args.seconds, args.rounds))
        finally:
            for server in running:
                server.stop()
        names = [*servers, "baseline"] if args.baseline is not None else servers
        for name, t in zip(names, ts, strict=True):
            print(
                f"N={n:5d} {name:9s} idle/session {t['idle_kib']:6.1f} KiB (anchor {a['idle_kib']:5.1f})  "
                f"p50 {t['p50_ms']:6.2f} ms (anchor {a['p50_ms']:.2f}; x{t['p50_ms'] / a['p50_ms']:.2f})  "
                f"p99 {t['p99_ms']:7.2f} ms (anchor {a['p99_ms']:.2f}; x{t['p99_ms'] / a['p99_ms']:.2f})  "
                f"CPU/click {t['cpu_us_per_click']:6.0f} us (anchor {a['cpu_us_per_click']:.0f}; "
                f"x{t['cpu_us_per_click'] / a['cpu_us_per_click']:.2f})  "
                f"ack frames/click {t['ack_frames_per_click']:.2f}",
                flush=True,
            )
    if not args.no_saturation:
        report_saturation(workdir, servers, args.seconds, compression)
    if args.admission:
        report_admission(workdir, args.admission, args.seconds, args.storm, args.compression)
    print(
        "targets: idle <= 64 KiB/session; CPU/click <= x1.2; p99 at N=1000 <= x1.5 (free core)",
        flush=True,
    )


if __name__ == "__main__":
    main()
