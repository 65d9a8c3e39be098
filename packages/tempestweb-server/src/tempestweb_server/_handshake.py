"""Connections waiting for their ``hello``: at most ``max_handshakes`` at once, each for a while.

A WebSocket or an SSE stream costs the process memory from the moment it opens (about 42 KiB
under Hypercorn), but counts against ``max_sessions`` only once its ``hello`` made a session.
Without a bound, a client that opens connections and never says ``hello`` holds that memory for
as long as it likes. Both transports therefore take a slot here when a connection opens and give
it back at its first frame (or when it ends):

- past ``ServerConfig.max_handshakes`` waiting connections a new one is refused at once with
  ``error{server_busy, fatal}`` (WebSocket close 1013; SSE ``503``), as admission control refuses
  a session;
- a connection still without a first frame after ``ServerConfig.handshake_timeout_s`` gets
  ``error{handshake_timeout, fatal}`` and is closed (1008). The client sends ``hello`` as soon
  as its connection opens, so only a stalled or hostile one gets there; ``handshake_timeout`` is
  resumable, so a stalled client that wakes up reconnects.

The bytes idle connections can hold are then at most ``max_handshakes`` times one connection's
(the RFC 6455 handshake itself is the ASGI server's: Hypercorn bounds the request head it reads).
"""

from __future__ import annotations

from tempestweb_contract import Error, encode

__all__ = ["Handshakes"]


class Handshakes:
    """The slots of the connections of one app and process that have not said ``hello`` yet.

    Args:
        limit: Most connections waiting at once (``ServerConfig.max_handshakes``).
        timeout_s: Seconds one may wait (``ServerConfig.handshake_timeout_s``).

    Attributes:
        pending: Connections waiting now.

    """

    def __init__(self, *, limit: int, timeout_s: float) -> None:
        self.limit = limit
        self.timeout_s = timeout_s
        self.pending = 0

    def enter(self) -> bool:
        """Take a slot for a connection that just opened.

        Returns:
            ``False`` when ``limit`` connections are waiting already (refuse this one with
            :meth:`busy_frame`); nothing was taken then.

        """
        if self.pending >= self.limit:
            return False
        self.pending += 1
        return True

    def leave(self) -> None:
        """Give a slot back (the connection's first frame arrived, or it ended)."""
        self.pending -= 1

    def busy_frame(self) -> bytes:
        """Return the fatal ``error{server_busy}`` frame of a connection refused by :meth:`enter`."""
        message = f"{self.limit} connections are waiting for their hello; try again later"
        return encode(Error(code="server_busy", message=message, fatal=True))

    def timeout_frame(self) -> bytes:
        """Return the fatal ``error{handshake_timeout}`` frame of a connection that waited too long."""
        message = f"no hello within {self.timeout_s:g} s of the connection opening"
        return encode(Error(code="handshake_timeout", message=message, fatal=True))
