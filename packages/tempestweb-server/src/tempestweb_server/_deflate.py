"""permessage-deflate (RFC 7692) for Hypercorn's wsproto, sized to each message.

With ``server_no_context_takeover`` every outgoing message gets a compressor of its own. wsproto
builds it with zlib's defaults (a 32 KiB window, ``memLevel`` 8): about 256 KiB allocated and a
64 KiB hash table cleared per message, for a 70-byte patch 4 us of CPU when the allocator hands
the same memory back, 12-40 us when it does not (``send_data`` of such a patch: 5.4 us, 1.7 us
here). The window and ``memLevel`` are the sender's choice (RFC
7692 §7.1.2.1: a server may use a smaller LZ77 window than ``server_max_window_bits``, and the
decompressor never needs to know): a message of ``n`` bytes is compressed with a window of at
least ``n`` (no match is lost) and a hash table in proportion, and messages too small to gain
from compression are sent uncompressed, RSV1 clear, as RFC 7692 §6 allows per message.
"""

from __future__ import annotations

import zlib
from typing import Any

from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import CloseReason, FrameDecoder, FrameProtocol, Opcode, RsvBits

from tempestweb_contract.constants import MAX_FRAME_BYTES

__all__ = [
    "INFLATE_BURST_BYTES",
    "MAX_INFLATE_RATIO",
    "MIN_COMPRESSED_BYTES",
    "SizedDeflate",
    "deflate_parameters",
]

MIN_COMPRESSED_BYTES = 128
"""Messages shorter than this (bytes of payload) are sent uncompressed: DEFLATE's block header
and the sync flush's trailer leave nothing to gain."""

MAX_INFLATE_RATIO = 200
"""Most bytes an inbound compressed message may inflate to per byte of it on the wire, past
:data:`INFLATE_BURST_BYTES` (Apache ``mod_deflate``'s ``DeflateInflateRatioLimit`` default). The
JSON of a client's frames compresses 3 to 20 times; DEFLATE can expand about 1,000 times."""
INFLATE_BURST_BYTES = 1 << 20
"""Bytes (1 MiB) any inbound compressed message may inflate to whatever its ratio: a short
message of repeated text compresses far past :data:`MAX_INFLATE_RATIO`."""

_MIN_WINDOW_BITS = 9  # raw deflate's smallest window (zlib turns 8 into 9)
_MAX_MEM_LEVEL = 8  # zlib's default; 9 is allowed but buys nothing here


def deflate_parameters(size: int, max_window_bits: int) -> tuple[int, int]:
    """Choose the window bits and ``memLevel`` for compressing a whole message of ``size`` bytes.

    Args:
        size: The message's payload length in bytes.
        max_window_bits: The negotiated ``server_max_window_bits`` (or client's), 9-15.

    Returns:
        ``(window_bits, mem_level)``: the smallest window holding the message, capped by the
        negotiated one, and a ``memLevel`` 7 below it (zlib's default pairing 15 / 8), at least 1.

    """
    bits = min(max_window_bits, max(_MIN_WINDOW_BITS, (size - 1).bit_length()))
    return bits, max(1, min(_MAX_MEM_LEVEL, bits - 7))


class SizedDeflate(PerMessageDeflate):
    """wsproto's ``PerMessageDeflate``, with sized compressors and a bounded decompressor.

    Fresh compressors fit the message they compress, and no inbound message is inflated past
    ``max_message_bytes``.

    Only messages sent in one frame, with no context kept between messages (the side sending
    negotiated ``no_context_takeover``), are sized: a kept context must hold the full window for
    the messages that follow.

    Inbound, wsproto inflates whatever a frame's compressed bytes expand to before Hypercorn
    counts the message against ``websocket_max_message_size``: DEFLATE expands up to about
    1,000 times, so a 300 KiB frame of compressed zeros took a server from 46 MiB to a 510 MiB
    peak (and 405 MiB kept) before its close 1009. Here each call inflates at most what is left
    of ``max_message_bytes`` (``zlib``'s ``max_length``), and a message that would inflate past
    it is closed with 1009 (``MESSAGE_TOO_BIG``, RFC 6455 §7.4.1) having held at most that many
    bytes. A message also may not inflate past :data:`MAX_INFLATE_RATIO` times its compressed
    bytes plus :data:`INFLATE_BURST_BYTES` (the same close): without it, messages of 15 KiB on the
    wire each inflated to 15 MiB under the default 16 MiB limit, and Hypercorn's queue of ten
    messages per connection let 8 connections grow a server by 1 GiB for 1.5 MB sent.
    An offer whose parameters do not parse is declined (:meth:`accept`). Everything else is
    wsproto's own behaviour.

    Args:
        max_message_bytes: Most bytes one inbound message may inflate to
            (``ServerConfig.max_frame_bytes``).
        **kwargs: wsproto's ``PerMessageDeflate`` parameters.

    """

    def __init__(self, *, max_message_bytes: int = MAX_FRAME_BYTES, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_message_bytes = max_message_bytes
        self._inflated = 0  # bytes the current inbound message inflated to so far
        self._deflated = 0  # its compressed bytes received so far

    def accept(self, offer: str) -> bool | str | None:
        """Accept a client's offer as wsproto does, or decline it when a parameter has no valid value.

        RFC 7692 §5: a server declines an offer with an extension parameter of an invalid value;
        the connection then goes on uncompressed. wsproto parses the window bits with ``int()``
        before its own check of their range, so an offer such as ``permessage-deflate;
        client_max_window_bits=abc`` raised ``ValueError`` inside Hypercorn's accept of the
        upgrade: the client got no answer at all, and each such request put two tracebacks in
        the server's log.

        Args:
            offer: One ``permessage-deflate`` offer of ``Sec-WebSocket-Extensions``.

        Returns:
            The parameters of the response (wsproto's), or ``None``: declined.

        """
        flags = (self.client_no_context_takeover, self.server_no_context_takeover)
        try:
            return super().accept(offer)
        except ValueError:  # parsing set flags of this offer: a later offer starts from the configured ones
            self.client_no_context_takeover, self.server_no_context_takeover = flags
            return None

    def frame_inbound_payload_data(
        self, proto: FrameDecoder | FrameProtocol, data: bytes
    ) -> bytes | CloseReason:
        """Inflate a compressed frame's payload, at most up to the message limit.

        Args:
            proto: wsproto's frame protocol.
            data: Payload bytes as received.

        Returns:
            The inflated bytes, or ``CloseReason.MESSAGE_TOO_BIG`` past ``max_message_bytes``
            (``INVALID_FRAME_PAYLOAD_DATA`` for a payload that is not DEFLATE data).

        """
        if not self._inbound_compressed or not self._inbound_is_compressible:
            return data
        assert self._decompressor is not None
        self._deflated += len(data)
        room = self._room()
        try:
            out = self._decompressor.decompress(bytes(data), room + 1)
        except zlib.error:
            return CloseReason.INVALID_FRAME_PAYLOAD_DATA
        self._inflated += len(out)
        if len(out) > room:
            return CloseReason.MESSAGE_TOO_BIG
        return out

    def _room(self) -> int:
        """Bytes the current inbound message may still inflate to: its size and ratio limits."""
        most = min(self.max_message_bytes, MAX_INFLATE_RATIO * self._deflated + INFLATE_BURST_BYTES)
        return max(0, most - self._inflated)

    def frame_inbound_complete(
        self, proto: FrameDecoder | FrameProtocol, fin: bool
    ) -> bytes | CloseReason | None:
        """Flush the decompressor at a message's end (bounded as the payload), then reset the count.

        Args:
            proto: wsproto's frame protocol.
            fin: Whether the frame ended its message.

        Returns:
            The last inflated bytes, ``None``, or a close reason as above.

        """
        if not fin:
            return None
        if not (self._inbound_compressed and self._inbound_is_compressible):
            self._inflated = self._deflated = 0
            return super().frame_inbound_complete(proto, fin)
        assert self._decompressor is not None
        room = self._room()
        self._inflated = self._deflated = 0
        try:
            tail = self._decompressor.decompress(b"\x00\x00\xff\xff", room + 1)
        except zlib.error:
            return CloseReason.INVALID_FRAME_PAYLOAD_DATA
        if len(tail) > room:
            return CloseReason.MESSAGE_TOO_BIG
        no_context_takeover = (
            self.server_no_context_takeover if proto.client else self.client_no_context_takeover
        )
        if no_context_takeover:
            self._decompressor = None
        self._inbound_compressed = None
        return tail

    def frame_outbound(
        self,
        proto: FrameDecoder | FrameProtocol,
        opcode: Opcode,
        rsv: RsvBits,
        data: bytes,
        fin: bool,
    ) -> tuple[RsvBits, bytes]:
        """Compress one outgoing frame, or send a whole small message as it is.

        Args:
            proto: wsproto's frame protocol (tells the side: client or server).
            opcode: The frame's opcode; control frames are never compressed.
            rsv: The frame's reserved bits; RSV1 marks a compressed message.
            data: The frame's payload.
            fin: Whether this frame ends its message.

        Returns:
            The reserved bits and payload to send.

        """
        client = proto.client
        fresh = self.client_no_context_takeover if client else self.server_no_context_takeover
        if fin and fresh and opcode in (Opcode.TEXT, Opcode.BINARY) and self._compressor is None:
            if len(data) < MIN_COMPRESSED_BYTES:
                return rsv, data
            bits, mem_level = deflate_parameters(
                len(data), int(self.client_max_window_bits if client else self.server_max_window_bits)
            )
            self._compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -bits, mem_level)
        return super().frame_outbound(proto, opcode, rsv, data, fin)
