"""Request shapes that made Hypercorn drop a connection with a logged traceback, answered instead.

Found by probing ``tempestweb run examples/gallery`` from outside (an HTTP/2 client without
TLS, and raw sockets); all are faults of Hypercorn's protocol code, before the app runs, so no
route can catch them:

- **HTTP/2, a body the app did not read.** Hypercorn forgets a stream once its response has
  been sent, then looks up the stream of every DATA frame that still arrives for it
  (``self.streams[event.stream_id]``) without catching the ``KeyError`` (it does catch it for the
  END_STREAM that follows). Any request answered before its body was read (``PUT /`` is a
  ``405``, a ``POST`` to a page a ``404``) therefore killed the whole connection with a
  traceback: the client never got the answer, and every other stream of that connection (an
  HTTP/2 proxy in front multiplexes many visitors on one) died with it. The frames of a finished
  stream are now acknowledged (so the connection's flow-control window is given back) and
  dropped, as RFC 9113, section 5.1 allows for a stream the server closed.
- **HTTP/2, a malformed request.** A ``:path`` or ``:method`` with a non-ASCII byte
  (``UnicodeDecodeError``), or a request without ``:path`` such as a ``CONNECT`` to a host
  (``UnboundLocalError``), killed the connection with a traceback. Such a request is malformed
  or one this server does not serve (RFC 9113, sections 8.1.1 and 8.5): its stream is now reset
  with ``PROTOCOL_ERROR`` and the connection goes on.
- **HTTP/2, more than 1,000 streams opened in one read** (the "rapid reset" pattern: HEADERS
  then RST_STREAM, over and over). Hypercorn's priority tree refuses the 1,001st with a
  ``TooManyStreamsError`` that killed the connection with a traceback; the connection is now
  closed with ``GOAWAY(ENHANCE_YOUR_CALM)`` (RFC 9113, section 5.4.1) and nothing is logged.
- **HTTP/2, a client that gives no flow-control window.** A client that announces a window
  of 0 (or stops sending WINDOW_UPDATE) and opens 100 streams held them, their app tasks and
  their buffered responses for as long as it stayed connected: the TCP connection is not
  backed up, so ``send_timeout_s`` (:mod:`tempestweb_server._send_timeout`) never fired (20
  such connections held about 100 MB, after 40 s still open). A connection whose responses
  wait for window for ``send_timeout_s`` now gets ``GOAWAY(ENHANCE_YOUR_CALM)`` and is closed,
  as an HTTP/1.1 client that stops reading is aborted.
- **WebSocket handshake, a non-ASCII byte in a list field.** Hypercorn decodes
  ``Connection``, ``Sec-WebSocket-Protocol`` and ``Sec-WebSocket-Extensions`` of an upgrade
  request as ASCII without catching the ``UnicodeDecodeError``: a ``Sec-WebSocket-Protocol``
  with a byte ``0xFF`` got no answer and a traceback in the log, on every path. Such a
  handshake is now invalid, and Hypercorn answers it ``400 Bad Request`` as it answers any
  other invalid handshake (RFC 6455, section 4.2.1: those fields are tokens).
- **WebSocket handshake, a malformed key.** Hypercorn accepted any ``Sec-WebSocket-Key``
  (``x``, 30 bytes of base64, non-base64 text) and hashed it; RFC 6455, section 4.2.1 says the
  server must not accept a key that is not the base64 of 16 bytes. Such an upgrade is now
  answered ``400 Bad Request`` (browsers always send a valid key).

The guards are installed by replacing names in Hypercorn's modules with subclasses
(process-wide, as :mod:`tempestweb_server._send_timeout` replaces its ``TCPServer``).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
from collections.abc import Iterable

import h2.errors
import h2.events
import h2.exceptions
from hypercorn import protocol as hypercorn_protocol
from hypercorn.events import Closed, Event
from hypercorn.protocol import ws_stream
from hypercorn.protocol.h2 import H2Protocol
from priority.priority import TooManyStreamsError

__all__ = ["GuardedH2Protocol", "TokenCheckedHandshake", "install_protocol_guards"]

logger = logging.getLogger("tempestweb.server")

_KEY_BYTES = 16
"""What a ``Sec-WebSocket-Key`` decodes to (RFC 6455 §4.2.1, item 5)."""
_TOKEN_LIST_FIELDS = frozenset({b"connection", b"sec-websocket-protocol", b"sec-websocket-extensions"})
"""The fields of an upgrade request Hypercorn decodes as ASCII (comma-separated tokens)."""


def install_protocol_guards(send_timeout_s: float) -> None:
    """Make every Hypercorn connection accepted from now on use the guarded protocol code.

    Args:
        send_timeout_s: Seconds an HTTP/2 response may wait for flow-control window
            (``ServerConfig.send_timeout_s``).

    """
    GuardedH2Protocol.send_timeout_s = send_timeout_s
    hypercorn_protocol.H2Protocol = GuardedH2Protocol  # type: ignore[attr-defined]
    ws_stream.Handshake = TokenCheckedHandshake  # type: ignore[misc]


class GuardedH2Protocol(H2Protocol):
    """Hypercorn's HTTP/2 protocol, guarded (see the module docstring)."""

    send_timeout_s = 30.0
    """Seconds a response may wait for window (set by :func:`install_protocol_guards`)."""
    _stall: asyncio.TimerHandle | None = None
    _stall_closing: asyncio.Task[None] | None = None

    async def handle(self, event: Event) -> None:
        """Handle a connection event; once the connection is closed, release the responses waiting on it.

        Hypercorn left the app task of a response waiting for window (``StreamBuffer.drain()``)
        waiting after the connection closed (3 closed connections of 10 stalled streams each
        still had their 30 app tasks 15 s later). The buffers are now closed, so those sends
        end at once (Hypercorn drops the rest).
        """
        await super().handle(event)
        if isinstance(event, Closed):
            if self._stall is not None:
                self._stall.cancel()
                self._stall = None
            for buffer in list(self.stream_buffers.values()):
                await buffer.close()

    async def _send_data(self, stream_id: int) -> None:
        """Send what the window allows of a stream; arm the stall deadline when it allows nothing."""
        await super()._send_data(stream_id)
        if self._stall is not None or stream_id not in self.stream_buffers:
            return
        try:
            window = self.connection.local_flow_control_window(stream_id)
        except h2.exceptions.H2Error:  # the stream or the connection is closed
            return
        if window <= 0:
            loop = asyncio.get_running_loop()
            self._stall = loop.call_later(self.send_timeout_s, self._stalled)

    async def _window_updated(self, stream_id: int | None) -> None:
        """Disarm the stall deadline: the client gave window (it is armed again if that is not enough)."""
        if self._stall is not None:
            self._stall.cancel()
            self._stall = None
        await super()._window_updated(stream_id)

    def _stalled(self) -> None:
        self._stall = None
        if self.closed:
            return
        logger.info(
            "tempestweb: closed an HTTP/2 connection whose client gave no flow-control window "
            "for %.0f s (send_timeout_s)",
            self.send_timeout_s,
        )
        with contextlib.suppress(h2.exceptions.H2Error):
            self.connection.close_connection(h2.errors.ErrorCodes.ENHANCE_YOUR_CALM)
        self._stall_closing = asyncio.ensure_future(self._close_stalled())

    async def _close_stalled(self) -> None:
        await self._flush()
        await self.send(Closed())

    async def _handle_events(self, events: list[h2.events.Event]) -> None:
        """Handle ``events`` in order, dropping DATA of streams that are gone (see the module docstring).

        One event at a time: a stream may finish (its response sent) while an earlier event of
        the same batch is handled, so which streams are gone is known only at each event.
        """
        for event in events:
            if isinstance(event, h2.events.DataReceived) and event.stream_id not in self.streams:
                # The connection's window is given back; the stream's own is gone with it.
                with contextlib.suppress(h2.exceptions.H2Error):
                    self.connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                await self._flush()
                continue
            if isinstance(event, h2.events.RequestReceived) and not _well_formed(event.headers or []):
                with contextlib.suppress(h2.exceptions.H2Error):
                    self.connection.reset_stream(event.stream_id, h2.errors.ErrorCodes.PROTOCOL_ERROR)
                await self._flush()
                continue
            try:
                await super()._handle_events([event])
            except TooManyStreamsError:  # a rapid reset: this client is done here
                if isinstance(event, h2.events.RequestReceived) and event.stream_id is not None:
                    # Its stream was half made (no request yet): closing it would log a traceback.
                    self.streams.pop(event.stream_id, None)
                    self.stream_buffers.pop(event.stream_id, None)
                self.connection.close_connection(h2.errors.ErrorCodes.ENHANCE_YOUR_CALM)
                await self._flush()
                await self.send(Closed())
                return


def _well_formed(headers: Iterable[tuple[bytes | str, bytes | str]]) -> bool:
    """Return whether an HTTP/2 request's header block is one Hypercorn can build a request from.

    Its pseudo-header fields are ASCII, and ``:method`` and ``:path`` are present (RFC 9113,
    section 8.3.1; a plain ``CONNECT``, which has no ``:path``, opens tunnels, which this server
    does not: only an extended ``CONNECT``, a WebSocket, RFC 8441).
    """
    pseudo: dict[bytes, bytes] = {}
    for raw_name, raw_value in headers:
        name = raw_name.encode("latin-1") if isinstance(raw_name, str) else raw_name
        if name.startswith(b":"):
            value = raw_value.encode("utf-8") if isinstance(raw_value, str) else raw_value
            if not value.isascii():
                return False
            pseudo[name] = value
    return b":method" in pseudo and b":path" in pseudo


class TokenCheckedHandshake(ws_stream.Handshake):
    """Hypercorn's WebSocket handshake, invalid (``400``) on a non-ASCII token list or a bad key.

    A token list field (``Connection``, ``Sec-WebSocket-Protocol``, ``Sec-WebSocket-Extensions``)
    must be ASCII, and an HTTP/1.1 upgrade's ``Sec-WebSocket-Key`` the base64 of 16 bytes (RFC
    6455 §4.2.1: the server must not accept it otherwise; Hypercorn took any value and hashed it).

    Args:
        headers: The upgrade request's header fields.
        http_version: Its HTTP version (``"1.1"``, ``"2"``).

    """

    def __init__(self, headers: Iterable[tuple[bytes, bytes]], http_version: str) -> None:
        fields = list(headers)
        self.malformed = any(
            name.lower() in _TOKEN_LIST_FIELDS and not value.isascii() for name, value in fields
        )
        if self.malformed:  # parsed without them: is_valid() is False anyway
            fields = [(name, value) for name, value in fields if name.lower() not in _TOKEN_LIST_FIELDS]
        super().__init__(fields, http_version)

    def is_valid(self) -> bool:
        """Return whether the handshake is one to accept (Hypercorn's rules, ASCII token lists, the key)."""
        if self.malformed:
            return False
        if self.http_version == "1.1" and self.key is not None:  # HTTP/2 (RFC 8441) has no key
            try:
                if len(base64.b64decode(self.key, validate=True)) != _KEY_BYTES:
                    return False
            except binascii.Error:
                return False
        return super().is_valid()
