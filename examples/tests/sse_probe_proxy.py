"""A TCP proxy for the SSE probes (issue 13): cuts event streams, holds POSTs, delays stream chunks.

It stands between Chromium and a ``tempestweb run`` server on 127.0.0.1, in a thread of its own,
and plays the network between them: :meth:`SseProxy.cut_streams` resets every connection
carrying a ``GET /_tw/sse`` (a dropped stream, as a mobile network or a proxy's idle timeout
does), ``post_delay_s`` holds each ``POST /_tw/send`` request that long before passing it on (a
slow uplink: the request left the browser, the server has not seen it yet), and
``stream_delay_s`` holds each chunk of a response that long, gathering what arrives meanwhile
(a proxy that buffers responses).
"""

from __future__ import annotations

import asyncio
import threading

from loopback_proxy import LoopbackProxy

__all__ = ["SseProxy"]

_SSE_REQUEST = b"GET /_tw/sse"
_POST_REQUEST = b"POST /_tw/send"
_LINGER_S = 5.0
"""Seconds a connection whose client left waits for the server's answer (a held POST's)."""


class _Pipe:
    """One proxied connection: what it carries now and its two sockets."""

    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client = client
        self.server = server
        self.request = b""  # the start of the latest request line seen on it

    def abort(self) -> None:
        for writer in (self.client, self.server):
            writer.transport.abort()


async def _drain(reader: asyncio.StreamReader) -> bytes:
    """Return what ``reader`` holds now (waiting at most a millisecond for more)."""
    data = b""
    while True:
        try:
            more = await asyncio.wait_for(reader.read(65536), 0.001)
        except TimeoutError:
            return data
        if not more:
            return data
        data += more


class SseProxy(LoopbackProxy):
    """Proxy ``127.0.0.1:<port>`` to ``127.0.0.1:<target_port>`` until :meth:`close`.

    Args:
        target_port: Port of the server.

    Attributes:
        url: Base URL of the proxy, e.g. ``"http://127.0.0.1:40123/"``.
        post_delay_s: Seconds each ``POST /_tw/send`` request is held (0: none).
        stream_delay_s: Seconds each response chunk is held, with what follows it meanwhile.
        stream_cuts: Event streams reset by :meth:`cut_streams` so far.
        held_posts: Chunks of ``POST /_tw/send`` requests held so far.

    """

    def __init__(self, target_port: int) -> None:
        self.post_delay_s = 0.0
        self.stream_delay_s = 0.0
        self.stream_cuts = 0
        self.held_posts = 0
        self._pipes: set[_Pipe] = set()
        super().__init__(target_port, linger_s=_LINGER_S)

    async def _handle(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        try:
            server_in, server_out = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_out.transport.abort()
            return
        pipe = _Pipe(client_out, server_out)
        self._pipes.add(pipe)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        answered = asyncio.Event()

        async def upstream() -> None:
            try:
                while data := await client_in.read(65536):
                    if data.startswith((b"GET ", b"POST ", b"HEAD ")):
                        pipe.request = data[:32]
                        answered.clear()
                    if self.post_delay_s > 0 and pipe.request.startswith(_POST_REQUEST):
                        self.held_posts += 1
                        await asyncio.sleep(self.post_delay_s)
                    server_out.write(data)
                    await server_out.drain()
                # The client left: a request it sent is still answered (then dropped).
                await asyncio.wait_for(answered.wait(), _LINGER_S)
            except (OSError, TimeoutError):
                pass
            finally:
                server_out.transport.abort()

        async def downstream() -> None:
            try:
                while data := await server_in.read(65536):
                    if self.stream_delay_s > 0:
                        await asyncio.sleep(self.stream_delay_s)
                        data += await _drain(server_in)  # what arrived meanwhile joins it
                    answered.set()
                    client_out.write(data)
                    await client_out.drain()
            except OSError:
                pass
            finally:
                answered.set()
                client_out.transport.abort()

        await asyncio.gather(upstream(), downstream())
        self._pipes.discard(pipe)
        if task is not None:
            self._tasks.discard(task)

    def cut_streams(self) -> None:
        """Reset every connection carrying an event stream (``GET /_tw/sse``), at once."""
        done = threading.Event()

        def cut() -> None:
            for pipe in list(self._pipes):
                if pipe.request.startswith(_SSE_REQUEST):
                    self.stream_cuts += 1
                    pipe.abort()
            done.set()

        self._loop.call_soon_threadsafe(cut)
        done.wait(5)

    def _abort_all(self) -> None:
        for pipe in list(self._pipes):
            pipe.abort()
