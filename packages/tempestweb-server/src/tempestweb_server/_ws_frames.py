"""wsproto's frame protocol with a fast path for whole data frames (RFC 6455 §5.2), server side.

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

Before wsproto, each read of an upgraded HTTP/1.1 connection passes through Hypercorn's h11
layer: copied into a buffer, taken out of it as a ``Data`` event, then a second ``next_event``
to learn that the buffer is empty (about 250 bytecodes per read). :class:`FastH11Protocol`
hands the read to the WebSocket stream at once when that buffer is empty, as that loop would.

Hypercorn builds its WebSocket connections and its HTTP/1.1 protocol from names in
``hypercorn.protocol.ws_stream`` and ``hypercorn.protocol``; :func:`install_fast_frames`
replaces them (process-wide, as the other Hypercorn hooks of :mod:`tempestweb_server.runner`).
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Generator

from hypercorn.events import Event, RawData
from hypercorn.protocol.events import Data
from hypercorn.protocol.h11 import STREAM_ID, H11Protocol, H11WSConnection
from hypercorn.protocol.ws_stream import WSStream
from wsproto.connection import Connection, ConnectionState, ConnectionType
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

__all__ = ["FastConnection", "FastFrameProtocol", "FastH11Protocol", "install_fast_frames"]

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

    def received_frames(self) -> Generator[Frame, None, None]:
        """Yield the frames the received bytes hold, whole data frames first through the fast path.

        Yields:
            wsproto ``Frame`` tuples, as ``FrameProtocol.received_frames``.

        Raises:
            ParseFailed: As wsproto's parser, for the same bytes.

        """
        decoder = self._frame_decoder
        messages = self._message_decoder
        fast = not self.client
        while not self._ended:
            if fast and decoder.header is None and messages.opcode is None:
                if len(decoder.buffer.buffer) < 2:
                    return  # no header yet: wsproto's parser would wait for more bytes too
                try:
                    frame = self._whole_frame(decoder)
                except ParseFailed:
                    self._ended = True
                    raise
                if frame is not None:
                    yield frame
                    continue
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


class FastConnection(Connection):
    """wsproto's ``Connection`` on a :class:`FastFrameProtocol` (same arguments as wsproto's)."""

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
            and type(self.stream) is WSStream
            and not connection.buffer
            and event.data
        ):
            await self.stream.handle(Data(stream_id=STREAM_ID, data=event.data))
            return
        await super().handle(event)


def install_fast_frames() -> None:
    """Make Hypercorn's connections accepted from now on use the fast paths of this module."""
    import hypercorn.protocol as hypercorn_protocol
    from hypercorn.protocol import ws_stream

    ws_stream.Connection = FastConnection  # type: ignore[attr-defined]
    hypercorn_protocol.H11Protocol = FastH11Protocol  # type: ignore[attr-defined]
