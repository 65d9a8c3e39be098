"""A real Redis, supervised workers and counter clients that keep a ledger, for the cluster tests.

Used by ``test_cluster*.py`` and by ``bench/cluster_kill.py`` (the same driver at a larger scale).

The driver plays the JS client's part of the protocol over a raw WebSocket (``websockets``):
one click in flight per session, each acknowledged by a patch whose ``ack`` covers it; after a
drop it reconnects with jitter and resumes; a resumed unacknowledged click is re-sent (exactly
once on the server), a full resync drops it as the JS client does. Every patch and resync shows
the session's count, which is checked against the ledger: the count equals the clicks the client
saw acknowledged, plus at most the one click in flight when a resync happened (then durable).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from server_live import free_port, wait_for_port

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
COUNTER_APP = '''
from tempest_core import App, Button, Column, Text


def increment() -> None:
    app.set_state(lambda n: n + 1)


def view(count: int):
    return Column(Text(f"Count: {count}", id="count"), Button("Increment", on_click=increment, id="inc"))


app = App(view=view, state=0, title="Counter")
'''
_COUNT = re.compile(r"Count: (\d+)")
_SESSION = re.compile(r'data-tw-session="([^"]+)"')
_TOKEN = re.compile(r'data-tw-token="([^"]+)"')


def redis_server_path() -> str | None:
    """The ``redis-server`` binary (Debian package ``redis-server``), if installed."""
    return shutil.which("redis-server")


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Start a private ``redis-server`` on a free port in a temp dir; yield its URL; stop it."""
    binary = redis_server_path()
    assert binary is not None, "redis-server is not installed (Debian package redis-server)"
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tw-redis-") as folder:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", folder, "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for_port(port, timeout_s=30.0)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class Pool:
    """A supervised pool started by :func:`worker_pool`."""

    process: subprocess.Popen[bytes]
    port: int

    def worker_pids(self) -> list[int]:
        """The supervisor's live child processes (its workers)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def wait_workers(self, count: int, timeout_s: float = 30.0) -> list[int]:
        deadline = time.monotonic() + timeout_s
        while len(pids := self.worker_pids()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{count} workers expected, found {pids}")
            time.sleep(0.05)
        return pids


@contextlib.contextmanager
def worker_pool(app_dir: Path, redis_url: str, *, workers: int = 2, **options: object) -> Iterator[Pool]:
    """Run ``tempestweb_server._supervisor.serve_workers`` on ``app_dir/app.py`` in a subprocess."""
    port = free_port()
    config = {"port": port, "workers": workers, "redis": redis_url, **options}
    code = (
        "import json, sys\n"
        "from tempestweb_server._supervisor import serve_workers\n"
        "from tempestweb_server.config import ServerConfig\n"
        "from tempestweb_server.runner import _configure_logging\n"
        "_configure_logging(False)\n"
        f"serve_workers({str(app_dir / 'app.py')!r}, ServerConfig.from_options(json.loads(sys.argv[1])))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code, json.dumps(config)], cwd=app_dir)
    pool = Pool(process, port)
    try:
        wait_for_port(port, timeout_s=30.0)
        pool.wait_workers(workers)
        yield pool
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def write_counter_app(folder: Path) -> Path:
    (folder / "app.py").write_text(COUNTER_APP)
    return folder


# -- the driver -----------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What one client knows of its session."""

    session: str | None = None
    token: str | None = None
    last_seq: int | None = None
    button: int | None = None
    eid: int = 0
    expected: int = 0  # the count the server must show: acknowledged (and resync-confirmed) clicks
    acked: int = 0  # clicks acknowledged by a patch
    confirmed: int = 0  # in-flight clicks a resync showed applied (durable, though never acked)
    dropped: int = 0  # in-flight clicks a resync showed not applied (never acknowledged)
    reconnects: int = 0
    resyncs: int = 0
    violations: list[str] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)


def find_button(ops: Any) -> int | None:
    stack = [ops]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if len(item) >= 4 and item[0] == "e" and isinstance(item[3], dict) and item[3].get("id") == "inc":
                return int(item[1])
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return None


def _count(message: dict[str, Any]) -> int | None:
    found = _COUNT.findall(json.dumps(message.get("ops", [])))
    return int(found[-1]) if found else None


class Drop(Exception):
    """The connection ended; reconnect."""


class Client:
    """One session's client: connects, clicks, resumes, checks every count against its ledger."""

    def __init__(self, port: int, *, page: bool, receive_timeout_s: float = 20.0) -> None:
        self.port = port
        self.page = page
        self.ledger = Ledger()
        self.receive_timeout_s = receive_timeout_s
        self._ws: Any = None

    async def _open_page(self) -> None:
        import httpx

        async with httpx.AsyncClient() as http:
            response = await http.get(f"http://127.0.0.1:{self.port}/")
        response.raise_for_status()
        session, token = _SESSION.search(response.text), _TOKEN.search(response.text)
        assert session is not None and token is not None
        self.ledger.session, self.ledger.token, self.ledger.last_seq = session[1], token[1], None

    async def connect(self, *, in_flight: int | None = None, full: bool = False) -> None:
        """(Re)connect and handshake; settle the click in flight against what the host shows."""
        import websockets

        ledger = self.ledger
        while True:
            try:
                self._ws = await websockets.connect(
                    f"ws://127.0.0.1:{self.port}/_tw/ws", open_timeout=10, max_size=None, compression=None
                )
                hello = {"type": "hello", "v": 1, "path": "/", "session": ledger.session,
                         "last_seq": None if full else ledger.last_seq, "token": ledger.token}  # fmt: skip
                await self._ws.send(json.dumps(hello))
                init = await self._next({"init"})
                break
            except (Drop, OSError, TimeoutError, websockets.exceptions.WebSocketException):
                await self._close()
                ledger.reconnects += 1
                await asyncio.sleep(random.uniform(0.05, 0.25))
        if init["session"] != ledger.session and ledger.session is not None:
            ledger.violations.append(f"session {ledger.session[:8]} replaced by {init['session'][:8]}")
        ledger.session, ledger.token, ledger.last_seq = init["session"], init.get("token"), init["seq"]
        if init.get("reset"):
            ledger.resyncs += 1
            ledger.button = find_button(init.get("ops", []))
            shown = _count(init)
            if shown is None:
                ledger.violations.append("resync without a count")
            elif in_flight is not None and shown == ledger.expected + 1:
                ledger.expected += 1  # the click in flight was handled and checkpointed
                ledger.confirmed += 1
            elif shown == ledger.expected:
                if in_flight is not None:
                    ledger.dropped += 1
            else:
                ledger.violations.append(f"resync shows {shown}, ledger {ledger.expected}")
        elif in_flight is not None:
            await self._send_click(in_flight)  # resumed: re-send it, the host handles it once
            await self._await_ack(in_flight)

    async def _next(self, kinds: set[str]) -> dict[str, Any]:
        while True:
            try:
                raw = await asyncio.wait_for(self._ws.recv(), self.receive_timeout_s)
            except Exception as exc:
                raise Drop(type(exc).__name__) from None
            message: dict[str, Any] = json.loads(raw)
            kind = message["type"]
            if kind == "ping":
                with contextlib.suppress(Exception):
                    await self._ws.send(json.dumps({"type": "pong", "ts": message["ts"]}))
            elif kind == "error":
                if message.get("fatal"):
                    raise Drop(message["code"])
            elif kind == "patch":
                self._on_patch(message)
                if "patch" in kinds:
                    return message
            elif kind in kinds:
                return message

    def _on_patch(self, patch: dict[str, Any]) -> None:
        ledger = self.ledger
        if ledger.last_seq is not None and patch["seq"] <= ledger.last_seq:
            return  # a duplicate after a resync
        ledger.last_seq = patch["seq"]
        shown = _count(patch)
        if shown is not None and shown not in (ledger.expected, ledger.expected + 1):
            ledger.violations.append(f"patch shows {shown}, ledger {ledger.expected}")

    async def _send_click(self, eid: int) -> None:
        event = {"type": "event", "eid": eid, "node": self.ledger.button, "name": "click", "data": CLICK}
        try:
            await self._ws.send(json.dumps(event))
        except Exception as exc:
            raise Drop(type(exc).__name__) from None

    async def _await_ack(self, eid: int) -> None:
        ledger = self.ledger
        while True:
            patch = await self._next({"patch"})
            if patch.get("ack", 0) >= eid:
                shown = _count(patch)
                if shown != ledger.expected + 1:
                    ledger.violations.append(f"click {eid} acked: shows {shown}, ledger {ledger.expected}")
                ledger.expected += 1
                ledger.acked += 1
                with contextlib.suppress(Exception):  # a drop now shows at the next click
                    await self._ws.send(json.dumps({"type": "ack", "seq": patch["seq"]}))
                return

    async def click(self) -> None:
        """One click, acknowledged, or settled by a resync after however many reconnects."""
        ledger = self.ledger
        ledger.eid += 1
        eid = ledger.eid
        started = time.monotonic()
        try:
            await self._send_click(eid)
            await self._await_ack(eid)
        except Drop:
            while True:
                await self._close()
                ledger.reconnects += 1
                await asyncio.sleep(random.uniform(0.0, 0.25))  # the JS client's first backoff
                try:
                    await self.connect(in_flight=eid)
                    break
                except Drop:
                    continue
        ledger.latencies_s.append(time.monotonic() - started)

    async def start(self) -> None:
        if self.page:
            await self._open_page()
        await self.connect()

    async def verify(self) -> int | None:
        """Reconnect asking for a full resync; return the count the host shows (checked)."""
        await self._close()
        for _ in range(20):
            try:
                await self.connect(full=True)
                break
            except Drop:
                await asyncio.sleep(0.2)
        await self._close()
        return self.ledger.expected if not self.ledger.violations else None

    async def _close(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._ws.close(), 2)
            self._ws = None


@dataclass
class Outcome:
    """What a driven run showed, summed over its sessions."""

    sessions: int
    clicks_acked: int
    clicks_confirmed_by_resync: int
    clicks_dropped_unacked: int
    reconnects: int
    resyncs: int
    kills: int
    lost_acked: int
    duplicated: int
    violations: list[str]
    p50_ms: float
    p99_ms: float
    max_ms: float

    def lines(self) -> list[str]:
        return [f"{name}: {value}" for name, value in vars(self).items() if name != "violations"] + [
            f"violations: {len(self.violations)} {self.violations[:5]}"
        ]


async def clicked_clients(port: int, sessions: int, *, clicks: int = 3) -> list[Client]:
    """Open ``sessions`` sessions through a page load, click each ``clicks`` times, disconnect them."""
    clients = [Client(port, page=True) for _ in range(sessions)]
    for client in clients:
        await client.start()
        for _ in range(clicks):
            await client.click()
        await client._close()
    return clients


async def drive(
    pool: Pool,
    *,
    sessions: int,
    duration_s: float,
    kill_every_s: float,
    think_s: tuple[float, float] = (0.2, 0.6),
    connect_concurrency: int = 20,
) -> Outcome:
    """Drive ``sessions`` counter clients for ``duration_s``; SIGKILL a worker every ``kill_every_s``."""
    clients = [Client(pool.port, page=index % 2 == 0) for index in range(sessions)]
    gate = asyncio.Semaphore(connect_concurrency)

    async def start(client: Client) -> None:
        async with gate:
            await client.start()

    await asyncio.gather(*(start(client) for client in clients))
    stop_at = time.monotonic() + duration_s
    kills = 0

    async def run(client: Client) -> None:
        while time.monotonic() < stop_at:
            await client.click()
            await asyncio.sleep(random.uniform(*think_s))

    async def killer() -> None:
        nonlocal kills
        while True:
            await asyncio.sleep(kill_every_s)
            if time.monotonic() >= stop_at:
                return
            pids = pool.worker_pids()
            if pids:
                os.kill(random.choice(pids), signal.SIGKILL)
                kills += 1

    kill_task = asyncio.create_task(killer())
    await asyncio.gather(*(run(client) for client in clients))
    kill_task.cancel()
    lost = duplicated = 0
    for client in clients:
        expected = client.ledger.expected
        await client.verify()
        for violation in client.ledger.violations:
            match = re.search(r"shows (\d+), ledger (\d+)", violation)
            if match:
                shown, ledger = int(match[1]), int(match[2])
                lost += max(0, ledger - shown)
                duplicated += max(0, shown - ledger - 1)
        del expected
    latencies = sorted(s for client in clients for s in client.ledger.latencies_s) or [0.0]

    def pct(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1)

    return Outcome(
        sessions=sessions,
        clicks_acked=sum(c.ledger.acked for c in clients),
        clicks_confirmed_by_resync=sum(c.ledger.confirmed for c in clients),
        clicks_dropped_unacked=sum(c.ledger.dropped for c in clients),
        reconnects=sum(c.ledger.reconnects for c in clients),
        resyncs=sum(c.ledger.resyncs for c in clients),
        kills=kills,
        lost_acked=lost,
        duplicated=duplicated,
        violations=[f"{c.ledger.session}: {v}" for c in clients for v in c.ledger.violations],
        p50_ms=pct(0.5),
        p99_ms=pct(0.99),
        max_ms=round(latencies[-1] * 1000, 1),
    )
