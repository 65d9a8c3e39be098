"""Mode B under attack, black-box: a real server process on loopback and the figures each test tried.

A server runs in a process of its own (:func:`server_process`), so that its memory can be read
from ``/proc`` and its log checked for tracebacks; the clients (``websockets``, ``httpx``, raw
sockets, Chromium) run in the test process. Every test adds what it tried to :class:`Figures`
(frames fuzzed, attacks tried, disconnects survived...); the session writes them to the JSON
file named by ``TEMPESTWEB_RELIABILITY_JSON`` (docs/reliability.md reports one run).
"""

from __future__ import annotations

import contextlib
import json
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
