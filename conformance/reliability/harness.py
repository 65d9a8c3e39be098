"""Mode B under attack, black-box: a real server process on loopback and the figures each test tried.

A server runs in a process of its own (:func:`server_process`), so that its memory can be read
from ``/proc`` and its log checked for tracebacks; the clients (``websockets``, ``httpx``, raw
sockets, Chromium) run in the test process. Every test adds what it tried to :class:`Figures`
(frames fuzzed, attacks tried, disconnects survived...); the session writes them to the JSON
file named by ``TEMPESTWEB_RELIABILITY_JSON`` (docs/reliability.md reports one run).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets
from server_live import free_port, wait_for_port  # the server tests' (on sys.path: conftest.py)

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
SERVER_START_TIMEOUT_S = 30.0
"""How long a server process may take to listen (a loaded 2-core machine)."""
SESSION_RE = re.compile(r'data-tw-session="([^"]+)"')
TOKEN_RE = re.compile(r'data-tw-token="([^"]+)"')

COUNTER_APP = textwrap.dedent(
    """
    from tempest_core import App, Button, Column, Text


    def increment() -> None:
        app.set_state(lambda n: n + 1)


    def view(count: int):
        return Column(Text(f"Count: {count}", id="count"), Button("Increment", on_click=increment, id="inc"))


    app = App(view=view, state=0, title="Counter")
    """
)

UPLOAD_APP = textwrap.dedent(
    """
    from tempest_core import App, Button, Column, FileUpload, Text


    def increment() -> None:
        app.set_state(lambda n: n + 1)


    def view(count: int):
        return Column(
            Text(f"Count: {count}", id="count"),
            Button("Increment", on_click=increment, id="inc"),
            FileUpload(max_bytes=10_000_000),
        )


    app = App(view=view, state=0, title="Counter")
    """
)
"""``COUNTER_APP`` with a FileUpload (its button stays the first, for ``healthy_clicker``)."""

BIG_APP = textwrap.dedent(
    """
    import asyncio

    from tempest_core import App, Button, Column, Text


    async def grow() -> None:
        for _ in range(400):  # 400 renders of 64 KiB each: about 25 MiB for a client to read
            app.set_state(lambda n: n + 1)
            await asyncio.sleep(0.001)


    def view(n: int):
        return Column(Text(f"{n}:" + "x" * 65_536, id="blob"), Button("grow", on_click=grow, id="inc"))


    app = App(view=view, state=0, title="Big")
    """
)

_SERVE = textwrap.dedent(
    """
    import asyncio, json, sys
    from tempestweb_server import ServerConfig, create_app, serve_asgi
    from tempestweb_server.loader import load_app
    from tempestweb_server.runner import _configure_logging
    _configure_logging(False)
    config = ServerConfig.from_options(json.loads(sys.argv[2]))
    asyncio.run(serve_asgi(create_app(load_app(sys.argv[1]), config=config), config))
    """
)


@dataclass
class ServerProcess:
    """A Mode B server in its own process."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    options: dict[str, Any]

    @property
    def base(self) -> str:
        return f"127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    def status_kib(self, key: str) -> int:
        """A ``/proc/<pid>/status`` memory figure in KiB (``VmRSS``, ``VmHWM``: peak RSS)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
        raise KeyError(key)

    def alive(self) -> bool:
        return self.process.poll() is None

    @contextlib.contextmanager
    def rss_growth(self, interval_s: float = 0.02) -> Iterator[RssGrowth]:
        """Sample ``VmRSS`` every ``interval_s`` while the block runs; the growth is read after it.

        The baseline is the RSS when the block starts (run a warm-up first: first renders,
        allocator arenas).
        """
        growth = RssGrowth(baseline_kib=self.status_kib("VmRSS"))
        growth.peak_kib = growth.baseline_kib
        done = threading.Event()

        def sample() -> None:
            while not done.wait(interval_s):
                with contextlib.suppress(OSError, KeyError):
                    growth.peak_kib = max(growth.peak_kib, self.status_kib("VmRSS"))

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            yield growth
        finally:
            done.set()
            sampler.join()


@dataclass
class RssGrowth:
    """A server's resident memory over an attack, in KiB (``ServerProcess.rss_growth``)."""

    baseline_kib: int
    peak_kib: int = 0

    @property
    def mib(self) -> float:
        """Peak over baseline, in MiB."""
        return (self.peak_kib - self.baseline_kib) / 1024


async def healthy_clicker(base: str, stop: asyncio.Event, *, compression: str | None = None) -> int:
    """A session of ``COUNTER_APP`` clicking every 50 ms until ``stop``, each click's patch awaited.

    Returns:
        The clicks answered (their acknowledging patch arrived).

    """
    async with websockets.connect(f"ws://{base}/_tw/ws", compression=compression) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        init = json.loads(await ws.recv())
        node = int(re.findall(r'\["e",\s*(\d+),\s*"button"', json.dumps(init["ops"]))[0])
        answered = 0
        while not stop.is_set():
            eid = answered + 1
            event = {"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK}
            await ws.send(json.dumps(event))
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
                if frame["type"] == "patch" and frame.get("ack") == eid:
                    answered += 1
                    break
            await asyncio.sleep(0.05)
        return answered


@contextlib.contextmanager
def server_process(app_source: str = COUNTER_APP, **options: Any) -> Iterator[ServerProcess]:
    """Serve ``app_source`` (an ``app.py``) on a free loopback port in a new process.

    Yields the running server; on exit it is stopped with SIGINT (SIGKILL after 15 s). The test
    fails if the server died on its own or logged a traceback while serving.
    """
    with tempfile.TemporaryDirectory(prefix="tw-reliability-") as folder:
        app_dir = Path(folder)
        (app_dir / "app.py").write_text(app_source)
        port = free_port()
        config = {"port": port, **options}
        log_path = app_dir / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", _SERVE, str(app_dir / "app.py"), json.dumps(config)],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=app_dir,
            )
        server = ServerProcess(process, port, log_path, config)
        served = ""
        try:
            wait_for_port(port, timeout_s=SERVER_START_TIMEOUT_S)
            yield server
            assert server.alive(), f"the server died: {server.log()[-2000:]}"
            served = server.log()
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        # While serving, never a traceback. (At SIGINT, Hypercorn cancels connections still open
        # after its graceful timeout and asyncio may log their cancellation: not checked.)
        assert "Traceback" not in served, served[-4000:]


@dataclass
class Figures:
    """What the suite tried and what held, by test: ``{"fuzz": {"frames": 1000, ...}}``."""

    tests: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, test: str, **counts: Any) -> None:
        """Add counts (numbers add up; other values replace) under ``test``."""
        row = self.tests.setdefault(test, {})
        for key, value in counts.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                row[key] = row.get(key, 0) + value
            else:
                row[key] = value

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"tests": self.tests}, indent=2, sort_keys=True) + "\n")
