"""A TCP proxy that adds network latency, with jitter, to every connection it carries (issue 14).

It stands between Chromium and a ``tempestweb run`` server on 127.0.0.1, in a thread of its own,
and plays a slow but ordered link: each chunk read from one side is written to the other
``delay`` seconds later, where ``delay`` is drawn for each chunk from
``[min_delay_s, max_delay_s]``, in each direction. Chunks never overtake each other (TCP keeps
order, so a chunk waits at least until the one before it was written), and chunks are pipelined
(a slow link, not a narrow one: a chunk does not wait for the delay of the one before it to end
before its own starts). WebSocket frames and the SSE fallback's stream and POSTs alike get the
latency. The delays can be changed at any time (a page loaded at full speed, then a slow link
for what the test does); :attr:`LatencyProxy.chunks` counts the chunks delayed.
"""

from __future__ import annotations

import asyncio
import random

from loopback_proxy import LoopbackProxy

__all__ = ["LatencyProxy"]

_LINGER_S = 4.0
"""Seconds :meth:`LatencyProxy.close` waits for the connections' tasks to end."""


class LatencyProxy(LoopbackProxy):
    """Proxy ``127.0.0.1:<port>`` to ``127.0.0.1:<target_port>`` with latency until :meth:`close`.

    Args:
        target_port: Port of the server.
        min_delay_s: Least one-way delay of a chunk, in seconds.
        max_delay_s: Most one-way delay of a chunk, in seconds.
        seed: Seed of the jitter (the same delays on every run).

    Attributes:
        url: Base URL of the proxy, e.g. ``"http://127.0.0.1:40123/"``.
        min_delay_s: Least one-way delay of the chunks read from now on.
        max_delay_s: Most one-way delay of the chunks read from now on.
        chunks: Chunks delayed so far, both directions.

    Raises:
        ValueError: A negative delay, or ``min_delay_s > max_delay_s``.
        RuntimeError: The proxy did not start listening.

    """

    def __init__(self, target_port: int, min_delay_s: float, max_delay_s: float, seed: int = 14) -> None:
        if min_delay_s < 0 or max_delay_s < min_delay_s:
            raise ValueError(f"delays must satisfy 0 <= min <= max, got {min_delay_s}, {max_delay_s}")
        self.min_delay_s = min_delay_s
        self.max_delay_s = max_delay_s
        self.chunks = 0
        self._random = random.Random(seed)
        self._writers: set[asyncio.StreamWriter] = set()
        super().__init__(target_port, linger_s=_LINGER_S)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy ``reader`` to ``writer``, each chunk after its delay, in order."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        async def read() -> None:
            last = 0.0
            try:
                while data := await reader.read(65536):
                    due = max(last, loop.time() + self._random.uniform(self.min_delay_s, self.max_delay_s))
                    last = due
                    if self.max_delay_s > 0:
                        self.chunks += 1
                    queue.put_nowait((due, data))
            except OSError:
                pass
            queue.put_nowait((last, b""))

        async def write() -> None:
            try:
                while True:
                    due, data = await queue.get()
                    wait = due - loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    if not data:
                        break
                    writer.write(data)
                    await writer.drain()
            except OSError:
                pass
            finally:
                writer.transport.abort()

        await asyncio.gather(read(), write())

    async def _handle(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        try:
            server_in, server_out = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_out.transport.abort()
            return
        self._writers.update((client_out, server_out))
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await asyncio.gather(self._pipe(client_in, server_out), self._pipe(server_in, client_out))
        finally:
            self._writers.difference_update((client_out, server_out))
            if task is not None:
                self._tasks.discard(task)

    def _abort_all(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()
