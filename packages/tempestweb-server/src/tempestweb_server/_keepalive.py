"""One keep-alive scheduler per event loop: a single timer pings every silent connection.

The protocol's keep-alive (docs/protocol.md, ``ping``/``pong``) sends a client a ``ping`` when
its connection has been silent for ``ping_interval_s`` seconds: a connection that received a
frame from its client since its last due time is alive, and is only given its next due time.
Neither direction of such a connection was idle: an ``event`` is answered by a ``patch``, or
by the ``pong`` of the client's probe when its handler renders nothing (``EVENT_ACK_PROBE_MS``),
and an ``ack`` or ``pong`` follows a frame of the host. A person clicking once a second then
costs no ping and no ``pong`` (otherwise two frames per connection and interval, about 2 % of
a click's CPU: docs/benchmarks.md). A task sleeping in a loop per connection costs a task, a
coroutine frame and a timer of the loop's heap per connection, for the connection's whole life;
here the connections of one loop and interval wait in one insertion-ordered table of due times,
and one :meth:`asyncio.loop.call_at` timer (re-armed for the earliest due time) pings those that
are due. A connection's pings keep its own cadence (first one ``interval_s`` after it was added),
so the pings of many connections stay spread as their connections were, and the frame of every
ping sent in the same tick is encoded once.

A connection that stays silent through ``KEEPALIVE_MISSED_PINGS`` pings, a whole interval after
each, has lost its client (a peer gone without a FIN or a reset: a laptop closed, a network
dropped, a NAT entry expired; or a client that stopped reading and answering): it is closed
with 1011 ``ping_timeout``, after 60 s of silence by default, as Phoenix closes a socket whose
heartbeats stopped for 60 s and the ``websockets`` library one whose pong is late. Its session
waits for a resume in its recovery window, so a client that was only slow reconnects and
resumes; before, such a connection was held, and its session counted as connected, until the
server stopped. (A close frame the peer never takes is dropped with the connection after
``send_timeout_s``: :mod:`tempestweb_server._send_timeout`.)

The transports (:mod:`~tempestweb_server._ws`, :mod:`~tempestweb_server._sse`) :meth:`~KeepAlive.add`
a connection once it is served here (or relayed from here) and :meth:`~KeepAlive.discard` it when
their transport ends; a connection the host closed meanwhile is dropped at its next due time.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from typing import TypeAlias

from tempest_core.host import Connection
from tempestweb_contract import Ping, encode
from tempestweb_contract.constants import CLOSE_INTERNAL_ERROR
from tempestweb_server._relay import RelayLink
from tempestweb_server.constants import KEEPALIVE_MISSED_PINGS

__all__ = ["KeepAlive", "keepalive_for"]

logger = logging.getLogger("tempestweb.server")

Link: TypeAlias = Connection | RelayLink
"""What a transport serves: the session side here, or a pipe to the worker that holds it."""

_SCHEDULERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[float, KeepAlive]] = (
    weakref.WeakKeyDictionary()
)


def keepalive_for(interval_s: float, /) -> KeepAlive:
    """Return the running event loop's scheduler for pings every ``interval_s`` seconds.

    Args:
        interval_s: Seconds between two pings of one connection (``ServerConfig.ping_interval_s``).

    Returns:
        The one :class:`KeepAlive` of this loop and interval (made on first use; it lives as
        long as the loop).

    Raises:
        RuntimeError: No event loop is running in this thread.

    """
    loop = asyncio.get_running_loop()
    per_interval = _SCHEDULERS.setdefault(loop, {})
    scheduler = per_interval.get(interval_s)
    if scheduler is None:
        scheduler = per_interval[interval_s] = KeepAlive(interval_s, loop=loop)
    return scheduler


class KeepAlive:
    """Pings connections every ``interval_s`` seconds from one timer of ``loop``.

    Args:
        interval_s: Seconds between two pings of one connection (> 0).
        loop: The event loop whose timer runs the pings (every method is called on it).

    Raises:
        ValueError: ``interval_s`` is not a positive number.

    """

    def __init__(self, interval_s: float, /, *, loop: asyncio.AbstractEventLoop) -> None:
        if not interval_s > 0:
            raise ValueError(
                f"KeepAlive: interval_s must be a positive number of seconds, got {interval_s!r}"
            )
        self.interval_s = interval_s
        self._loop = loop
        # Insertion order is due-time order: every entry is added or moved to the end with
        # "now + interval_s", which is never earlier than any due time already in the table.
        # Each due time goes with the link's ``received`` count when it was set, and the pings
        # the link was sent since its client's last frame.
        self._due: dict[Link, tuple[float, int, int]] = {}
        self._timer: asyncio.TimerHandle | None = None

    def __len__(self) -> int:
        """Count the connections waiting for their next ping."""
        return len(self._due)

    def __contains__(self, link: object, /) -> bool:
        return link in self._due

    def add(self, link: Link, /) -> None:
        """Ping ``link`` whenever it has been silent for ``interval_s`` seconds, until it is closed.

        A link still silent ``interval_s`` after its ``KEEPALIVE_MISSED_PINGS``-th unanswered ping
        is closed (1011, ``ping_timeout``).

        Args:
            link: A connection (its :meth:`~tempest_core.host.Connection.deliver` sends the
                ping) or a relayed link (its :meth:`~tempestweb_server._relay.RelayLink.ping`);
                its ``received`` count of client frames tells whether it was silent, its
                ``close(code, reason)`` ends it. Adding a link already there restarts its cadence.

        """
        self._due.pop(link, None)
        due = self._loop.time() + self.interval_s
        self._due[link] = (due, link.received, 0)
        if self._timer is None:
            self._timer = self._loop.call_at(due, self._tick)

    def discard(self, link: Link, /) -> None:
        """Stop pinging ``link`` (its transport ended); nothing happens if it is not there.

        Args:
            link: A link given to :meth:`add`.

        """
        if self._due.pop(link, None) is not None and not self._due and self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _tick(self) -> None:
        self._timer = None
        now = self._loop.time()
        frame: bytes | None = None
        ping: Ping | None = None
        due = self._due
        while due:
            link, (at, seen, unanswered) = next(iter(due.items()))
            if at > now:
                break
            del due[link]
            if link.state == "closed":
                continue  # the host closed it; its transport discards it when it ends
            received = link.received
            if received != seen:  # the client sent a frame within the interval: it is alive
                due[link] = (now + self.interval_s, received, 0)
                continue
            # No frame, not even a pong, for a whole interval after each of its pings. A tick that
            # runs late (the loop was blocked) proves nothing: a pong may wait unread in the socket.
            if unanswered >= KEEPALIVE_MISSED_PINGS and now - at < self.interval_s / 2:
                try:
                    link.close(CLOSE_INTERNAL_ERROR, "ping_timeout")
                except Exception:  # one broken link must not stop the pings of the others
                    logger.exception("closing a connection that answered no ping failed")
                continue
            due[link] = (now + self.interval_s, received, unanswered + 1)
            if ping is None or frame is None:
                ping = Ping(ts=time.time())
                frame = encode(ping)
            try:
                if isinstance(link, Connection):
                    link.deliver(ping, frame)
                else:
                    link.ping(frame)
            except Exception:  # one broken link must not stop the pings of the others
                logger.exception("keep-alive ping failed; that connection is no longer pinged")
                due.pop(link, None)
        if due:
            self._timer = self._loop.call_at(next(iter(due.values()))[0], self._tick)
