"""Fast paths for whole WebSocket messages (RFC 6455 §5.2) in wsproto and Hypercorn, server side.

A click reaches the server as one small masked text frame, whole in one read. wsproto parses
every frame through the same general machinery: a ``Buffer`` consumed two, then four, then N
bytes at a time, a ``Header`` and ``RsvBits`` tuple, an ``XorMaskerSimple`` that unmasks with
four ``bytes.translate`` calls, a generator step, and a ``MessageDecoder`` with an incremental
UTF-8 decoder made for each message: about 1,200 bytecodes per click in the server's profile
(``bench/click_instructions.py``), more than the session's own answer to some clicks.

:class:`FastFrameProtocol` takes the frames that need none of that in one step: a whole frame
already in the buffer, ``FIN`` set, a text or binary opcode, masked (a client's frames must be,
§5.3), no ``RSV2``/``RSV3``, the payload length in its shortest form (§5.2), arriving between
messages (no fragmented message under way) and before any close or failure. It unmasks with
one integer XOR, runs the negotiated extensions' hooks (permessage-deflate and the frame budget
of :mod:`tempestweb_server._frame_guard`) in the order and with the arguments wsproto's own
``FrameDecoder`` uses, and decodes the text in one call. Every other frame, and every frame a
read leaves incomplete, goes through wsproto's code unchanged, which also raises the protocol
errors for what the fast path declines (an unmasked frame, a reserved bit, an overlong length
encoding). The frames and errors are the same as wsproto's for any bytes in any splits (the
tests compare both parsers on generated streams).

Outgoing frames of the server are built without the intermediate ``bytearray`` copies and
``RsvBits`` arithmetic of ``FrameProtocol._serialize_frame``, with the same bytes.

Around wsproto, Hypercorn's layers cost as much again per message. Each read of an upgraded
HTTP/1.1 connection passes through its h11 layer: copied into a buffer, taken out of it as a
``Data`` event, then a second ``next_event`` to learn that the buffer is empty (about 250
bytecodes per read); :class:`FastH11Protocol` hands the read to the WebSocket stream at once when
that buffer is empty, as that loop would, and sends a stream's ``Data`` without the type checks
of the four events before it. Its WebSocket stream turns each message into wsproto event
objects, a ``StringIO`` buffer and back; :class:`FastWSStream` passes a message that came whole
in one frame to the app as the ASGI ``websocket.receive`` Hypercorn would build, and frames the
app's ``websocket.send`` directly (:meth:`FastConnection.send_message`), leaving every other
case (fragments, control frames, closing, the size limit's close) to Hypercorn's code. The
tests drive both streams with the same reads and app messages and compare what the app gets
and what is sent.

A frame that cannot be parsed (a reserved bit, an unmasked frame, invalid UTF-8, a control
frame too long) makes wsproto report the failure as if the peer had closed, leaving the
connection open, so Hypercorn dropped the TCP connection without a Close frame and the client
saw 1006 with no reason. :class:`ClosingOnFailure` (under :class:`FastConnection`) answers it
with a Close frame giving the failure's code (1002, 1007, 1009) and reason first, as RFC 6455
§7.1.7 says an endpoint failing the connection should.

Hypercorn builds its WebSocket connections, its HTTP/1.1 protocol and its WebSocket streams
from names in ``hypercorn.protocol.ws_stream``, ``hypercorn.protocol``, ``.h11`` and ``.h2``;
:func:`install_fast_frames` replaces them (process-wide, as the other Hypercorn hooks of
:mod:`tempestweb_server.runner`).
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Generator
from typing import Any, Literal

from hypercorn.events import Event, RawData
from hypercorn.protocol.events import Data
from hypercorn.protocol.events import Event as StreamEvent
from hypercorn.protocol.h11 import STREAM_ID, H11Protocol, H11WSConnection
from hypercorn.protocol.ws_stream import ASGIWebsocketState, FrameTooLargeError, WSStream
from wsproto.connection import Connection, ConnectionState, ConnectionType
from wsproto.events import BytesMessage, CloseConnection, TextMessage
from wsproto.events import Event as WSEvent
from wsproto.extensions import Extension
from wsproto.frame_protocol import (
    CloseReason,
    Frame,
    FrameDecoder,
    FrameProtocol,
    Opcode,
    ParseFailed,
    RsvBits,
)

__all__ = [
    "ClosingOnFailure",
    "FastConnection",
    "FastFrameProtocol",
    "FastH11Protocol",
    "FastWSStream",
    "install_fast_frames",
]

_OPCODES = {1: Opcode.TEXT, 2: Opcode.BINARY}
"""The data opcodes the fast path takes (RFC 6455 §5.2: 0x1 text, 0x2 binary)."""
_RSV = {0: RsvBits(False, False, False), 0x40: RsvBits(True, False, False)}
"""The reserved bits of a frame the fast path takes, by its first byte's ``RSV1`` bit."""
_NO_RSV = _RSV[0]
_LEN16 = struct.Struct("!BBH")
_LEN64 = struct.Struct("!BBQ")


def unmask(payload: bytes | bytearray, key: bytes | bytearray) -> bytes:
    """XOR ``payload`` with the 4-byte masking ``key`` repeated (RFC 6455 §5.3).

    Args:
        payload: The masked payload bytes.
        key: The frame's masking key (4 bytes).

    Returns:
        The unmasked payload, as long as ``payload``.

    """
    n = len(payload)
    if not n:
        return b""
    repeated = (bytes(key) * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(repeated, "little")).to_bytes(n, "little")


class FastFrameProtocol(FrameProtocol):
    """wsproto's ``FrameProtocol`` with the fast paths above (same frames, same errors, same bytes).

    Args:
        client: Whether this is the client side (the fast paths serve the server side only).
        extensions: The connection's extensions, as wsproto's.

    """

    def __init__(self, client: bool, extensions: list[Extension]) -> None:
        super().__init__(client, extensions)
        self._ended = False
        """A close frame was received or parsing failed: no frame follows (as wsproto's generator)."""
        self._failure: ParseFailed | None = None
        """What the fast path found wrong, raised by :meth:`received_frames` next (as wsproto would)."""

    def whole_message(self) -> Frame | Literal[False] | None:
        """Take the next frame if it is a whole data frame the fast path takes (see the module).

        Returns:
            The frame (a whole message: ``frame_finished`` and ``message_finished``); ``None``
            when no frame header has arrived (wsproto's parser would wait too); ``False`` when
            the next frame is wsproto's parser's (nothing consumed; an error the fast path found
            is raised by :meth:`received_frames` next).

        """
        decoder = self._frame_decoder
        if (
            self._ended
            or self._failure is not None
            or self.client
            or decoder.header is not None
            or self._message_decoder.opcode is not None
        ):
            return False
        if len(decoder.buffer.buffer) < 2:
            return None
        try:
            frame = self._whole_frame(decoder)
        except ParseFailed as exc:
            self._failure = exc
            return False
        return False if frame is None else frame

    def received_frames(self) -> Generator[Frame, None, None]:
        """Yield the frames the received bytes hold, whole data frames through the fast path.

        Yields:
            wsproto ``Frame`` tuples, as ``FrameProtocol.received_frames``.

        Raises:
            ParseFailed: As wsproto's parser, for the same bytes.

        """
        while not self._ended:
            frame = self.whole_message()
            if frame is None:
                return
            if frame is not False:
                yield frame
                continue
            failure = self._failure
            if failure is not None:
                self._failure = None
                self._ended = True
                raise failure
            try:
                event = next(self._parse_more, None)
            except ParseFailed:
                self._ended = True
                raise
            if event is None:
                return
            if event.opcode is Opcode.CLOSE:
                self._ended = True
            yield event

    def _whole_frame(self, decoder: FrameDecoder) -> Frame | None:
        """Parse the next frame if the fast path takes it (see the module), else consume nothing."""
        buffer = decoder.buffer
        data = buffer.buffer
        size = len(data)
        if size < 6 or buffer.bytes_used:
            return None
        first = data[0]
        opcode = _OPCODES.get(first & 0x0F)
        second = data[1]
        # FIN, a data opcode, no RSV2/RSV3 and the mask bit: anything else is wsproto's to handle
        if opcode is None or not first & 0x80 or first & 0x30 or not second & 0x80:
            return None
        length = second & 0x7F
        start = 6
        if length == 126:
            if size < 8:
                return None
            length = (data[2] << 8) | data[3]
            if length < 126:
                return None  # not the shortest form: wsproto fails the connection
            start = 8
        elif length == 127:
            if size < 14:
                return None
            length = int.from_bytes(data[2:10], "big")
            if length <= 0xFFFF or length >> 63:
                return None  # not the shortest form, or the most significant bit set: as above
            start = 14
        end = start + length
        if size < end:
            return None
        rsv = _RSV[first & 0x40]
        extensions = decoder.extensions
        rsv1_used = False
        for extension in extensions:
            result = extension.frame_inbound_header(decoder, opcode, rsv, length)
            if isinstance(result, CloseReason):
                raise ParseFailed("error in extension", result)
            if result[0]:
                rsv1_used = True
        if rsv[0] and not rsv1_used:
            raise ParseFailed("Reserved bit set unexpectedly")
        payload: bytes | bytearray = unmask(data[start:end], data[start - 4 : start])
        del data[:end]
        for extension in extensions:
            inflated = extension.frame_inbound_payload_data(decoder, bytes(payload))
            if isinstance(inflated, CloseReason):
                raise ParseFailed("error in extension", inflated)
            payload = inflated
        tail = b""
        for extension in extensions:
            result_tail = extension.frame_inbound_complete(decoder, True)
            if isinstance(result_tail, CloseReason):
                raise ParseFailed("error in extension", result_tail)
            if result_tail is not None:
                tail += result_tail
        if tail:
            payload = bytes(payload) + tail
        if opcode is Opcode.TEXT:
            try:
                text = payload.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ParseFailed(str(exc), CloseReason.INVALID_FRAME_PAYLOAD_DATA) from None
            return Frame(opcode, text, True, True)
        return Frame(opcode, bytes(payload), True, True)

    def _serialize_frame(
        self, opcode: Opcode, payload: bytes | bytearray = b"", fin: bool = True
    ) -> bytearray:
        """Build one outgoing frame as wsproto does (the server's frames are not masked, §5.1)."""
        if self.client:
            return super()._serialize_frame(opcode, payload, fin)
        data = bytes(payload)
        rsv = _NO_RSV
        for extension in reversed(self.extensions):
            rsv, data = extension.frame_outbound(self, opcode, rsv, data, fin)
        first = (
            (0x80 if fin else 0) | (0x40 if rsv[0] else 0) | (0x20 if rsv[1] else 0) | (0x10 if rsv[2] else 0)
        ) | opcode
        length = len(data)
        if length <= 125:
            header = bytes((first, length))
        elif opcode & 0x08:
            raise ValueError("payload too long for control frame")
        elif length <= 0xFFFF:
            header = _LEN16.pack(first, 126, length)
        else:
            header = _LEN64.pack(first, 127, length)
        return bytearray(header + data)


class ClosingOnFailure(Connection):
    """wsproto's ``Connection``, failing the connection with a Close frame on bytes it cannot parse.

    wsproto turns a ``ParseFailed`` into a ``CloseConnection`` event carrying the failure's code
    (1002 protocol error, 1007 invalid UTF-8, 1009 too big) and reason, but leaves its state
    ``OPEN``, as if nothing had been received: Hypercorn, which answers a peer's close only in
    ``REMOTE_CLOSING``, then closed the TCP connection without a Close frame (the client saw
    1006 and no reason). Here that event puts the connection in ``REMOTE_CLOSING`` first, so
    Hypercorn's own code sends its ``response()``: a Close frame with the failure's code and
    reason (RFC 6455 §7.1.7, "Fail the WebSocket Connection": the endpoint should send one),
    then closes. A close the peer really sent already set that state; one received after this
    end closed is left alone (the Close frame was sent).
    """

    def events(self) -> Generator[WSEvent, None, None]:
        """Yield wsproto's events; the ``CloseConnection`` of a parse failure also sets ``REMOTE_CLOSING``."""
        for event in super().events():
            if type(event) is CloseConnection and self._state is ConnectionState.OPEN:
                self._state = ConnectionState.REMOTE_CLOSING
            yield event


class FastConnection(ClosingOnFailure):
    """A :class:`ClosingOnFailure` connection on a :class:`FastFrameProtocol` (wsproto's arguments)."""

    _proto: FastFrameProtocol

    def __init__(
        self,
        connection_type: ConnectionType,
        extensions: list[Extension] | None = None,
        trailing_data: bytes = b"",
    ) -> None:
        # wsproto's own __init__, with this protocol (not one built and dropped per connection)
        self.client = connection_type is ConnectionType.CLIENT
        self._events: deque[WSEvent] = deque()
        self._proto = FastFrameProtocol(self.client, extensions or [])
        self._state = ConnectionState.OPEN
        self.receive_data(trailing_data)

    def whole_message(self) -> Frame | Literal[False] | None:
        """Take the next received message if it came whole in one frame.

        As :meth:`FastFrameProtocol.whole_message`, and ``False`` when an event is queued before
        it (wsproto's ``events()`` yields those first).
        """
        if self._events:
            return False
        return self._proto.whole_message()

    def send_message(self, data: str | bytes) -> bytes | None:
        """Return the frame of one whole message, as ``send(TextMessage/BytesMessage)`` would.

        Returns:
            The frame's bytes; ``None`` where wsproto's ``send`` is to decide (the connection is
            not open, or an outgoing message is under way in fragments).

        """
        proto = self._proto
        if self._state is not ConnectionState.OPEN or proto._outbound_opcode is not None:
            return None
        return bytes(proto.send_data(data, True))


class FastWSStream(WSStream):
    """Hypercorn's WebSocket stream, passing whole messages between wsproto and the app directly.

    A message that arrived whole in one frame goes to the app without Hypercorn's
    ``WebsocketBuffer`` (a ``StringIO`` per message) and wsproto's event objects; an app's
    ``websocket.send`` becomes its frame without the ``TextMessage`` event and the
    ``Connection.send`` dispatch. The size limit, the order of messages and what the app receives
    are Hypercorn's; everything else is Hypercorn's own code.
    """

    async def _handle_events(self) -> None:
        connection = self.connection
        app_put = self.app_put
        if type(connection) is FastConnection and app_put is not None:
            buffer = self.buffer
            while buffer.value is None:  # no message under way in fragments
                frame = connection.whole_message()
                if frame is None:
                    return  # nothing more was received
                if frame is False:
                    break  # wsproto's and Hypercorn's way below
                data: Any = frame.payload
                text = frame.opcode is Opcode.TEXT
                if len(data) > buffer.max_length:  # what WebsocketBuffer.extend refuses, refused by it
                    try:
                        buffer.extend(TextMessage(data=data) if text else BytesMessage(data=data))
                    except FrameTooLargeError:
                        await self._send_wsproto_event(CloseConnection(code=CloseReason.MESSAGE_TOO_BIG))
                    return
                if text:
                    await app_put({"type": "websocket.receive", "bytes": None, "text": data})
                else:
                    await app_put({"type": "websocket.receive", "bytes": data, "text": None})
        await super()._handle_events()

    async def app_send(self, message: Any) -> None:
        """Send the app's ``message`` as Hypercorn does; a whole text or bytes message directly."""
        if (
            message is not None
            and not self.closed
            and self.state is ASGIWebsocketState.CONNECTED  # accepted: the connection exists
            and message["type"] == "websocket.send"
            and type(connection := self.connection) is FastConnection
        ):
            raw = message.get("bytes")
            text = message.get("text")
            if raw is not None or type(text) is str:
                frame = connection.send_message(bytes(raw) if raw is not None else text)
                if frame is not None:
                    await self.send(Data(stream_id=self.stream_id, data=frame))
                    return
        await super().app_send(message)


class FastH11Protocol(H11Protocol):
    """Hypercorn's HTTP/1.1 protocol, handing an upgraded WebSocket's reads straight to its stream."""

    async def handle(self, event: Event) -> None:
        """Handle ``event`` as Hypercorn does; a WebSocket's read skips the h11 layer's round trip.

        Hypercorn's loop would put the bytes in ``H11WSConnection``'s buffer, take them out as
        one ``Data`` event for the stream, then find the buffer empty and stop: with the buffer
        empty the same ``Data`` goes to the stream directly.
        """
        connection = self.connection
        if (
            type(event) is RawData
            and type(connection) is H11WSConnection
            and type(self.stream) is FastWSStream
            and not connection.buffer
            and event.data
        ):
            await self.stream.handle(Data(stream_id=STREAM_ID, data=event.data))
            return
        await super().handle(event)

    async def stream_send(self, event: StreamEvent) -> None:
        """Send a stream's event as Hypercorn does; a WebSocket's ``Data`` without its type checks."""
        if type(event) is Data:  # Hypercorn's branch for it, after four that cannot match
            await self.send(RawData(data=event.data))
            return
        await super().stream_send(event)


def install_fast_frames() -> None:
    """Make Hypercorn's connections accepted from now on use the fast paths of this module."""
    import hypercorn.protocol as hypercorn_protocol
    from hypercorn.protocol import h2, h11, ws_stream

    ws_stream.Connection = FastConnection  # type: ignore[attr-defined]
    hypercorn_protocol.H11Protocol = FastH11Protocol  # type: ignore[attr-defined]
    h11.WSStream = FastWSStream  # type: ignore[attr-defined]
    h2.WSStream = FastWSStream  # type: ignore[attr-defined]
