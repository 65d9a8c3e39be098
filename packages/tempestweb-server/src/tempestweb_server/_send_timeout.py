"""A connection whose client stops taking data is aborted after ``ServerConfig.send_timeout_s``.

Hypercorn writes each chunk of a connection with ``StreamWriter.write`` then ``drain()``
(asyncio's flow control, PEP 3156): once the transport holds more than its high-water mark,
``drain()`` waits until the peer has taken enough of it, with no time limit. A client that stops
reading therefore held its connection for as long as it stayed connected: a WebSocket that
flooded clicks and read nothing kept, after its session ended with ``queue_overflow``, its socket,
its file descriptor and about 300-650 KiB of kernel buffers, forever (the close frame could not
be written either, and closing a transport waits for its buffer to flush). Many such clients
exhaust the process's descriptors and the machine's socket memory.

Here, as Cowboy's and Ranch's ``send_timeout`` does, a write that finds data still buffered
gives the client ``send_timeout_s`` to take it; past it the transport is aborted (the buffers are
dropped, the peer gets a TCP reset) and Hypercorn handles the connection as closed, so the app
gets ``websocket.disconnect`` and the session waits for a resume as after any dropped
connection. Closing a connection with data still buffered has the same deadline. A write that
the kernel takes at once (every write of a client that reads) schedules nothing.

The same subclass ends quietly a connection that Hypercorn cancels at shutdown. Hypercorn waits
``graceful_timeout`` for the connections still open (an SSE stream or a WebSocket that has not
said ``hello``, an upload arriving, an idle HTTP/2 connection), then cancels them; on Python 3.11
the done-callback of asyncio's ``start_server`` calls ``task.exception()`` on each cancelled
connection task, which raises, and the event loop logged an "Exception in callback" traceback
per connection for every stop of ``tempestweb run`` with such a connection open (found by
probing ``tempestweb run examples/todomvc``: SIGTERM with one SSE stream waiting for its
``hello``). Python 3.12 checks ``task.cancelled()`` first.

Hypercorn builds its per-connection ``TCPServer`` from a name in ``hypercorn.asyncio.run``; it is
replaced by a subclass here (process-wide, as the permessage-deflate factory in
:mod:`tempestweb_server.runner`; the last server configured in a process wins).
"""

from __future__ import annotations

import asyncio
import logging

from hypercorn.asyncio import run as hypercorn_run
from hypercorn.asyncio.tcp_server import TCPServer
from hypercorn.events import Closed, Event, RawData

__all__ = ["TimedTCPServer", "install_send_timeout", "log_abort"]

logger = logging.getLogger("tempestweb.server")


def log_abort(timeout_s: float, unsent: int) -> None:
    """Log one connection aborted by ``send_timeout_s`` (under Hypercorn or Uvicorn).

    Args:
        timeout_s: The deadline it passed, in seconds.
        unsent: Bytes still buffered for the client, dropped with the connection.

    """
    logger.info(
        "tempestweb: aborted a connection whose client took no data for %.0f s "
        "(%d bytes unsent; send_timeout_s)",
        timeout_s,
        unsent,
    )


def install_send_timeout(timeout_s: float) -> None:
    """Make every Hypercorn connection accepted from now on abort writes its client does not take.

    Args:
        timeout_s: Seconds buffered data may wait for the client (``ServerConfig.send_timeout_s``).

    """
    TimedTCPServer.timeout_s = timeout_s
    hypercorn_run.TCPServer = TimedTCPServer  # type: ignore[attr-defined]


class TimedTCPServer(TCPServer):
    """Hypercorn's connection, with ``send_timeout_s`` on ``drain()`` and on a close with data buffered."""

    timeout_s = 30.0
    """Seconds buffered data may wait for the client (set by :func:`install_send_timeout`)."""
    send_aborted = False
    """Set once the deadline aborted this connection."""

    async def run(self) -> None:
        """Serve the connection; a cancellation by the server's shutdown ends it without a traceback."""
        try:
            await super().run()
        except asyncio.CancelledError:
            if not self.context.terminated.is_set():
                raise  # not the shutdown's: cancellation goes on as usual
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()  # done, not cancelled: start_server's callback has nothing to log

    def _deadline(self) -> asyncio.TimerHandle | None:
        if not self.writer.transport.get_write_buffer_size():
            return None  # the kernel took everything: nothing can wait
        return self.loop.call_later(self.timeout_s, self._abort)

    def _abort(self) -> None:
        transport = self.writer.transport
        unsent = transport.get_write_buffer_size()
        if not unsent:
            return
        self.send_aborted = True
        log_abort(self.timeout_s, unsent)
        transport.abort()

    async def protocol_send(self, event: Event) -> None:
        """Write ``event`` as Hypercorn does, aborting the connection if the client takes nothing."""
        if type(event) is not RawData:
            await super().protocol_send(event)
            return
        lock = self.send_lock
        if lock.locked():  # an earlier write waits for the client: this one waits for its turn
            async with lock:
                await self._write(event.data, None)
        else:  # nothing waits: the lock is taken only if this write has to wait
            await self._write(event.data, lock)

    async def _write(self, data: bytes, lock: asyncio.Lock | None) -> None:
        """Write ``data``; wait for the client (holding ``lock``, if given) if the kernel took not all.

        A write the kernel takes at once (every write of a client that reads) awaits nothing, so
        no other write can come between it and its check; ``drain()`` would return at once, as a
        transport with nothing buffered is never paused.
        """
        writer = self.writer
        transport = writer.transport
        try:
            writer.write(data)
            if transport.get_write_buffer_size() or transport.is_closing():
                if lock is None:
                    await self._drained(transport)
                else:
                    async with lock:
                        await self._drained(transport)
        except (ConnectionError, RuntimeError):
            await self.protocol.handle(Closed())

    async def _drained(self, transport: asyncio.BaseTransport) -> None:
        if transport.get_write_buffer_size():  # type: ignore[attr-defined]
            await self._drain_by_deadline()
        else:
            await self.writer.drain()  # closing: raises once the connection is lost

    async def _drain_by_deadline(self) -> None:
        deadline = self._deadline()
        try:
            await self.writer.drain()
        finally:
            if deadline is not None:
                deadline.cancel()
        if self.send_aborted:  # drain() returns once the aborted transport is lost
            raise ConnectionAbortedError("send_timeout_s")

    async def _close(self) -> None:
        # Closing a transport waits for its buffer to be written: give that the same deadline.
        deadline = self._deadline()
        try:
            await super()._close()
        finally:
            if deadline is not None:
                deadline.cancel()
