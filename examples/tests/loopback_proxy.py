"""A TCP proxy on 127.0.0.1 that runs its own event loop in a thread of its own (test helper).

The browser suites put one between Chromium and a ``tempestweb run`` server to play a network:
:class:`latency_proxy.LatencyProxy` (a slow, ordered link) and :class:`sse_probe_proxy.SseProxy`
(held POSTs, cut event streams). This base listens on a free port, hands each connection to the
subclass's ``_handle`` on the proxy's loop, and on :meth:`close` resets what the subclass still
carries, stops listening and ends the thread.
"""

from __future__ import annotations

import asyncio
import socket
import threading

__all__ = ["LoopbackProxy"]


class LoopbackProxy:
    """Listen on ``127.0.0.1:<port>`` for a proxy to ``127.0.0.1:<target_port>`` until :meth:`close`.

    A subclass sets its own attributes first, then calls this ``__init__`` (which starts
    listening), and implements ``_handle`` and ``_abort_all``.

    Args:
        target_port: Port of the server.
        linger_s: Seconds :meth:`close` waits for the connections' tasks to end.

    Attributes:
        url: Base URL of the proxy, e.g. ``"http://127.0.0.1:40123/"``.
        port: Its port.

    Raises:
        RuntimeError: The proxy did not start listening.

    """

    def __init__(self, target_port: int, *, linger_s: float = 5.0) -> None:
        self.target_port = target_port
        self._linger_s = linger_s
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop = asyncio.new_event_loop()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port: int = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._ready = threading.Event()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

        self._loop.run_until_complete(start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _handle(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        """Carry one client connection (on the proxy's loop)."""
        raise NotImplementedError

    def _abort_all(self) -> None:
        """Reset every connection the proxy carries (on the proxy's loop, at :meth:`close`)."""
        raise NotImplementedError

    def close(self) -> None:
        """Reset every connection, stop listening and end the proxy's thread."""

        async def stop() -> None:
            self._abort_all()
            if self._server is not None:
                self._server.close()
            if self._tasks:
                await asyncio.wait(list(self._tasks), timeout=self._linger_s + 1)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(stop(), self._loop)
        self._thread.join(self._linger_s + 5)
