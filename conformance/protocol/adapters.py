"""One peer per host adapter: the protocol suite speaks raw frames to each the same way.

A :class:`Host` opens :class:`Peer` connections. A peer sends text frames and, on :meth:`Peer.sync`,
returns every frame the host sent since the last sync: over a socket it sends a ``ping`` and
reads until the matching ``pong`` (hosts answer pings after the events before them were
handled), or until the host closes. A new host joins the suite by adding one class here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import websockets

from tempest_core import App
from tempest_core.host import Connection, SessionTable
from tempestweb_desktop._ipc import WindowLink
from tempestweb_server import ServerConfig, create_app, serve_asgi
from tempestweb_wasm.runtime import Runtime

Frame = dict[str, Any]

SYNC_TIMEOUT_S = 10.0
"""Longest a sync waits for the host, in seconds (a hang fails the test, never blocks CI)."""


class Peer:
    """One client connection: send frames, collect the host's replies."""

    closed: bool = False
    close_code: int | None = None

    async def send(self, text: str) -> None:
        """Send one text frame."""
        raise NotImplementedError

    async def sync(self, *, until_closed: bool = False) -> list[Frame]:
        """Return the frames the host sent since the last sync (pongs of the barrier excluded)."""
        raise NotImplementedError

    async def close(self) -> None:
        """Drop the connection as a client that goes away does."""


class Host:
    """A running host adapter."""

    name = ""
    has_close_codes = True

    async def connect(self) -> Peer:
        """Open a new connection."""
        raise NotImplementedError

    async def stop(self) -> None:
        """Stop the host and close every session."""


# -- in process: the session host with a list as its port (desktop and the pilot use this) ------
class _ListPort:
    def __init__(self, peer: _LocalPeer) -> None:
        self._peer = peer

    def send(self, frame: bytes, /) -> None:
        self._peer.inbox.append(json.loads(frame))

    def close(self, code: int, reason: str, /) -> None:
        self._peer.closed = True
        self._peer.close_code = code


class _LocalPeer(Peer):
    def __init__(self, table: SessionTable) -> None:
        self.inbox: list[Frame] = []
        self.connection = Connection(table, _ListPort(self), transport="local")

    async def send(self, text: str) -> None:
        self.connection.receive(text)

    async def sync(self, *, until_closed: bool = False) -> list[Frame]:
        session = self.connection.session
        if session is not None and not self.closed:
            await asyncio.wait_for(session.settle(), SYNC_TIMEOUT_S)
        out, self.inbox = self.inbox, []
        return out

    async def close(self) -> None:
        self.connection.detach()


class LocalHost(Host):
    """The session host in process (what the headless pilot and desktop windows run on)."""

    name = "local"

    def __init__(self, app: App[Any]) -> None:
        self.table = SessionTable(app)

    async def connect(self) -> Peer:
        return _LocalPeer(self.table)

    async def stop(self) -> None:
        await self.table.close_all()


# -- Mode A: the Pyodide runtime under CPython --------------------------------------------------
class _RuntimePeer(Peer):
    def __init__(self, host: RuntimeHost) -> None:
        self.host = host

    async def send(self, text: str) -> None:
        self.host.runtime.receive(text)

    async def sync(self, *, until_closed: bool = False) -> list[Frame]:
        if not self.closed:
            await asyncio.wait_for(self.host.runtime.flush(), SYNC_TIMEOUT_S)
        out, self.host.inbox = self.host.inbox, []
        return out

    async def close(self) -> None:
        self.host.runtime.drop_connection()


class RuntimeHost(Host):
    """Mode A's ``tempestweb_wasm.runtime.Runtime``, frames as JSON strings (as over pyodide.ffi)."""

    name = "wasm-runtime"

    def __init__(self, app: App[Any]) -> None:
        self.inbox: list[Frame] = []
        self.peer: _RuntimePeer | None = None
        self.runtime = Runtime(
            app, send=lambda text: self.inbox.append(json.loads(text)), on_close=self._closed
        )

    def _closed(self, code: int, reason: str) -> None:
        if self.peer is not None:
            self.peer.closed = True
            self.peer.close_code = code

    async def connect(self) -> Peer:
        self.peer = _RuntimePeer(self)
        return self.peer

    async def stop(self) -> None:
        await self.runtime.close()


# -- desktop: the IPC transport's host end (batches in, a Tauri channel out) --------------------
class _IpcChannel:
    """Stands in for a Tauri Channel: bytes are frames, a str is the close control message."""

    def __init__(self, peer: _IpcPeer) -> None:
        self._peer = peer

    def send(self, data: str | bytes, /) -> None:
        if isinstance(data, bytes):
            self._peer.inbox.append(json.loads(data))
            self._peer.received += len(data)
        else:
            self._peer.closed = True
            self._peer.close_code = json.loads(data)["close"]


class _IpcPeer(Peer):
    def __init__(self, table: SessionTable, label: str) -> None:
        self.inbox: list[Frame] = []
        self.received = 0
        self.link = WindowLink(label, table)
        self.connection_id = self.link.connect(_IpcChannel(self))

    async def send(self, text: str) -> None:
        self.link.receive(f"{self.connection_id}\n{self.received}\n{text}".encode())

    async def sync(self, *, until_closed: bool = False) -> list[Frame]:
        connection = self.link.connection
        session = connection.session if connection is not None else None
        if session is not None and not self.closed:
            await asyncio.wait_for(session.settle(), SYNC_TIMEOUT_S)
        out, self.inbox = self.inbox, []
        return out

    async def close(self) -> None:
        self.link.drop()


class DesktopIpcHost(Host):
    """The desktop host's IPC end (``tempestweb_desktop._ipc``): one window link per peer."""

    name = "desktop-ipc"

    def __init__(self, app: App[Any]) -> None:
        self.table = SessionTable(app)
        self._n = 0

    async def connect(self) -> Peer:
        self._n += 1
        return _IpcPeer(self.table, f"window{self._n}")

    async def stop(self) -> None:
        await self.table.close_all()


# -- Mode B: a real server on loopback ---------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _ServerThread:
    """Hypercorn serving the app in a thread of its own (a real socket, a real event loop)."""

    def __init__(self, app: App[Any]) -> None:
        self.port = _free_port()
        config = ServerConfig(port=self.port, allowed_origins=("*",))
        self._asgi = create_app(app, config=config)
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(serve_asgi(self._asgi, config, shutdown_trigger=self._stop.wait))

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError("the server did not start") from None
                time.sleep(0.02)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=15)


class _BarrierPeer(Peer):
    """A socket peer: ``sync`` sends a ``ping`` and reads until its ``pong`` (or the close)."""

    def __init__(self) -> None:
        self._ts = 0.0
        self._frames: asyncio.Queue[Frame | None] = asyncio.Queue()

    async def _write(self, text: str) -> None:
        raise NotImplementedError

    async def sync(self, *, until_closed: bool = False) -> list[Frame]:
        out: list[Frame] = []
        barrier: float | None = None
        if not until_closed and not self.closed:
            self._ts += 1
            barrier = self._ts
            with contextlib.suppress(Exception):
                await self._write(json.dumps({"type": "ping", "ts": barrier}))
        while True:
            try:
                frame = await asyncio.wait_for(self._frames.get(), SYNC_TIMEOUT_S)
            except TimeoutError:
                raise AssertionError(f"no pong/close within {SYNC_TIMEOUT_S} s; got {out}") from None
            if frame is None:
                return out
            if frame.get("type") == "pong" and frame.get("ts") == barrier:
                return out
            if frame.get("type") == "ping":
                continue  # keep-alive pings are not part of any script
            out.append(frame)

    async def send(self, text: str) -> None:
        await self._write(text)


class _WsPeer(_BarrierPeer):
    def __init__(self, ws: Any) -> None:
        super().__init__()
        self.ws = ws
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async for text in self.ws:
                self._frames.put_nowait(json.loads(text))
        except websockets.ConnectionClosed:
            pass
        self.closed = True
        self.close_code = self.ws.close_code
        self._frames.put_nowait(None)

    async def _write(self, text: str) -> None:
        await self.ws.send(text)

    async def close(self) -> None:
        self.ws.transport.abort()  # an abrupt drop, as a lost network does
        await asyncio.gather(self._reader, return_exceptions=True)


class WsHost(Host):
    """Mode B over WebSocket (``/_tw/ws``), a real Hypercorn server on loopback."""

    name = "server-ws"

    def __init__(self, app: App[Any]) -> None:
        self.server = _ServerThread(app)
        self.peers: list[_WsPeer] = []

    async def connect(self) -> Peer:
        ws = await websockets.connect(f"ws://127.0.0.1:{self.server.port}/_tw/ws", max_size=None)
        peer = _WsPeer(ws)
        self.peers.append(peer)
        return peer

    async def stop(self) -> None:
        for peer in self.peers:
            with contextlib.suppress(Exception):
                await peer.ws.close()
        await asyncio.to_thread(self.server.stop)


class _SsePeer(_BarrierPeer):
    def __init__(self, client: httpx.AsyncClient, key: str) -> None:
        super().__init__()
        self.client = client
        self.key = key
        self._opened = asyncio.Event()
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async with self.client.stream("GET", f"/_tw/sse?session={self.key}&token={self.key}") as response:
                self._opened.set()
                async for line in response.aiter_lines():
                    if line.startswith("data: "):
                        self._frames.put_nowait(json.loads(line[6:]))
        except (httpx.HTTPError, asyncio.CancelledError):
            pass
        finally:
            self._opened.set()
            self.closed = True
            self._frames.put_nowait(None)

    async def _write(self, text: str) -> None:
        await self._opened.wait()
        response = await self.client.post(
            f"/_tw/send?session={self.key}&token={self.key}", content=text.encode("utf-8")
        )
        if response.status_code == 404:  # the stream is closed: the frame went nowhere
            return
        assert response.status_code == 204, (response.status_code, response.text)

    async def close(self) -> None:
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)


class SseHost(Host):
    """Mode B over SSE + POST (``/_tw/sse``, ``/_tw/send``), a real server on loopback."""

    name = "server-sse"
    has_close_codes = False  # an event stream ends; it carries no close code

    def __init__(self, app: App[Any]) -> None:
        self.server = _ServerThread(app)
        self.client = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{self.server.port}", timeout=SYNC_TIMEOUT_S
        )
        self._n = 0

    async def connect(self) -> Peer:
        self._n += 1
        peer = _SsePeer(self.client, f"channel{self._n}")
        await peer._opened.wait()
        return peer

    async def stop(self) -> None:
        await self.client.aclose()
        await asyncio.to_thread(self.server.stop)


HOSTS: dict[str, Callable[[App[Any]], Host]] = {
    "local": LocalHost,
    "wasm-runtime": RuntimeHost,
    "server-ws": WsHost,
    "server-sse": SseHost,
    "desktop-ipc": DesktopIpcHost,
}
"""Every host adapter of the suite, by name."""


@contextlib.asynccontextmanager
async def running(name: str, app: App[Any]) -> AsyncIterator[Host]:
    """Start host ``name`` serving ``app``; stop it afterwards."""
    host = HOSTS[name](app)
    try:
        yield host
    finally:
        await host.stop()
