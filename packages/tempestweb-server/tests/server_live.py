"""A real Hypercorn server in a background thread, for end-to-end tests."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
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


def client_frame(opcode: int, payload: bytes, *, fin: bool = True) -> bytes:
    """A masked client frame (RFC 6455 section 5.2), payload under 64 KiB (``0x1``: text, ``0x9``: ping)."""
    mask = os.urandom(4)
    length = len(payload)
    head = bytes([(0x80 if fin else 0) | opcode])
    head += bytes([0x80 | length]) if length < 126 else bytes([0x80 | 126]) + struct.pack("!H", length)
    return head + mask + bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))


def open_raw_websocket(base: str, *, receive_buffer: int | None = None) -> socket.socket:
    """Open ``ws://base/_tw/ws`` by hand (a blocking socket) as a browser of ``base`` would.

    Args:
        base: ``host:port`` of the server.
        receive_buffer: ``SO_RCVBUF`` in bytes, set before connecting (a small one makes a
            client that does not read fill its buffers fast).

    Returns:
        The socket right after the ``101`` response, read byte by byte so that no frame after
        it is consumed.

    """
    host, port = base.split(":")
    sock = socket.socket()
    if receive_buffer is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.connect((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /_tw/ws HTTP/1.1\r\nHost: {base}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://{base}\r\n\r\n".encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


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


CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
"""A left click's event data, as the JS client sends it."""


def shell(base: str) -> tuple[str, str, int]:
    """Load the counter's page at ``base``: its session, token and the ``+`` button's node id."""
    import httpx

    page = httpx.get(f"http://{base}/").text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    button = re.search(r'<button data-tw="(\d+)"[^>]*\bid="inc"', page)
    assert session is not None and token is not None and button is not None
    return session[1], token[1], int(button[1])


async def frames(ws: Any, kind: str) -> dict[str, Any]:
    """Return the next frame of type ``kind`` on a client WebSocket, passing pings, patches and errors."""
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == kind:
            return message
        assert message["type"] in ("ping", "patch", "error"), message


async def click(ws: Any, eid: int, node: int) -> dict[str, Any]:
    """Click ``node`` as event ``eid``; return the patch that answers it."""
    await ws.send(json.dumps({"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK}))
    return await frames(ws, "patch")


def count_of(message: dict[str, Any]) -> int:
    """The last ``Count: N`` a frame's ops show."""
    found = re.findall(r"Count: (\d+)", json.dumps(message["ops"]))
    return int(found[-1])


@asynccontextmanager
async def lapsed_lease(store: Any, owner: bytes) -> AsyncIterator[None]:
    """While inside, worker ``owner``'s Redis lease keeps lapsing (``store``: a sync redis-py client).

    As when Redis was paused past the lease's TTL, or the worker's loop was blocked: another
    worker may take its sessions over from their checkpoints while it still holds its copies.
    """

    async def lapse() -> None:
        while True:
            store.delete(b"tempestweb:lease:" + owner)
            await asyncio.sleep(0.005)

    lapsing = asyncio.create_task(lapse())
    try:
        yield
    finally:
        lapsing.cancel()
        with suppress(asyncio.CancelledError):
            await lapsing
