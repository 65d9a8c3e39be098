"""A real Hypercorn server in a background thread, for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tempest_core import App, Button, Column, Text
from tempestweb_server import ServerConfig, create_app, serve_asgi


def counter_app() -> App[int]:
    """A counter: ``#count`` shows the count, ``#inc`` increments it."""

    def increment() -> None:
        app.set_state(lambda n: n + 1)

    def view(count: int) -> Any:
        return Column(Text(f"Count: {count}", id="count"), Button("Increment", on_click=increment, id="inc"))

    app: App[int] = App(view=view, state=0, title="Counter")
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"server on port {port} did not start") from None
            time.sleep(0.02)


@contextmanager
def live_server(app: Any, **options: Any) -> Iterator[str]:
    """Serve ``app`` on a free port; yield its base URL; stop it gracefully afterwards."""
    port = free_port()
    config = ServerConfig(port=port, **options)
    asgi = create_app(app, config=config)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    errors: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(serve_asgi(asgi, config, shutdown_trigger=stop.wait))
        except BaseException as exc:
            errors.append(exc)
        finally:
            loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        try:
            wait_for_port(port)
        except TimeoutError as exc:
            # The server's own failure says why it never listened; report it, not the timeout.
            if errors:
                raise errors[0] from exc
            raise
        yield f"127.0.0.1:{port}"
    finally:
        if not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=15)
    assert not thread.is_alive(), "server did not stop"
    assert not errors, errors


MODE_SCRIPT = (
    "import sys\n"
    "from tempestweb_server._mode import MODE\n"
    "getattr(MODE, sys.argv[1])(sys.argv[2], host='127.0.0.1', port=int(sys.argv[3]), options={})\n"
)
"""``python -c MODE_SCRIPT COMMAND TARGET PORT``: ``tempestweb run|dev TARGET`` as the CLI runs it."""


@contextmanager
def python_server(script: str, *args: str, port: int) -> Iterator[subprocess.Popen[str]]:
    """Run ``python -c script *args`` (a server on ``port``) and yield it once it listens.

    Its output (stdout and stderr) is a pipe the test reads with ``communicate``; a process
    still running at the end is killed.
    """
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_for_port(port, timeout_s=30)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
