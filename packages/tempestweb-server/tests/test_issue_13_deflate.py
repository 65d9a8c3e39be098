"""Issue 13: permessage-deflate compressors sized to each message (CPU per click).

The server's frames are decoded by a standard RFC 7692 receiver (wsproto's own
``PerMessageDeflate`` on the client side, with a full 32 KiB window), so a message compressed
with a smaller window, or sent uncompressed, must come out byte for byte.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import CloseReason, FrameProtocol, Opcode, ParseFailed

from tempestweb_server._deflate import MIN_COMPRESSED_BYTES, SizedDeflate, deflate_parameters

RSV1 = 0x40


def pair(*, fresh: bool) -> tuple[FrameProtocol, FrameProtocol]:
    """A server sending with ``SizedDeflate`` and a client receiving with wsproto's extension.

    The two negotiate as a handshake would: the client's offer, the server's answer.
    """
    options = {"client_no_context_takeover": fresh, "server_no_context_takeover": fresh}
    sending, receiving = SizedDeflate(**options), PerMessageDeflate(**options)
    offer = receiving.offer()
    assert isinstance(offer, str)
    answer = sending.accept(offer)
    assert isinstance(answer, str)
    receiving.finalize(answer)
    assert sending.enabled() and receiving.enabled()
    server = FrameProtocol(client=False, extensions=[sending])
    return server, FrameProtocol(client=True, extensions=[receiving])


def received(client: FrameProtocol, wire: bytes) -> tuple[Opcode, bytes]:
    client.receive_bytes(wire)
    frames = list(client.received_frames())
    assert len(frames) == 1 and frames[0].message_finished
    payload = frames[0].payload
    assert isinstance(payload, (str, bytes, bytearray))  # a data frame (a close's is a tuple)
    return frames[0].opcode, payload.encode() if isinstance(payload, str) else bytes(payload)


def test_issue_13_a_small_message_goes_uncompressed_and_a_large_one_compressed() -> None:
    server, client = pair(fresh=True)
    small = '{"type":"patch","seq":7,"ops":[["text",3,"Count: 7"]]}'
    wire = bytes(server.send_data(small))
    assert not wire[0] & RSV1  # RFC 7692 §6: RSV1 clear, the payload as it is
    assert received(client, wire) == (Opcode.TEXT, small.encode())

    large = ('{"ops":[' + ",".join(f'["text",{i},"row {i}"]' for i in range(2_000)) + "]}").encode()
    wire = bytes(server.send_data(large))
    assert wire[0] & RSV1
    assert len(wire) < len(large) // 3  # it did compress
    assert received(client, wire) == (Opcode.BINARY, large)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(min_size=0, max_size=70_000) | st.text(max_size=5_000), min_size=1, max_size=4))
def test_issue_13_every_message_decodes_byte_for_byte(messages: list[bytes | str]) -> None:
    for fresh in (True, False):
        server, client = pair(fresh=fresh)
        for message in messages:
            wire = bytes(server.send_data(message))
            expected = message.encode() if isinstance(message, str) else message
            assert received(client, wire)[1] == expected


def test_issue_13_the_window_holds_the_message_and_never_exceeds_the_negotiated_one() -> None:
    assert deflate_parameters(MIN_COMPRESSED_BYTES, 15) == (9, 2)
    assert deflate_parameters(512, 15) == (9, 2)
    assert deflate_parameters(513, 15) == (10, 3)
    assert deflate_parameters(4_096, 15) == (12, 5)
    assert deflate_parameters(1 << 20, 15) == (15, 8)
    assert deflate_parameters(1 << 20, 10) == (10, 3)  # the client asked for a smaller window
    for size in (200, 3_000, 32_768):
        bits, _ = deflate_parameters(size, 15)
        assert 1 << bits >= size


@pytest.mark.parametrize("fresh", [True, False])
def test_issue_13_fragmented_and_kept_context_messages_are_wsprotos_own(fresh: bool) -> None:
    server, client = pair(fresh=fresh)
    first = bytes(server.send_data("x" * 300, fin=False))
    assert first[0] & RSV1  # a message sent in pieces is compressed from its first frame
    rest = bytes(server.send_data("y" * 10, fin=True))
    client.receive_bytes(first + rest)
    text = "".join(str(frame.payload) for frame in client.received_frames())
    assert text == "x" * 300 + "y" * 10
    # A kept context stays for the next message; without takeover none is kept.
    assert (server.extensions[0]._compressor is None) == fresh  # type: ignore[attr-defined]


def inbound_pair(*, fresh: bool, limit: int) -> tuple[FrameProtocol, FrameProtocol]:
    """A client compressing with wsproto's extension and a server inflating with ``SizedDeflate``."""
    options = {"client_no_context_takeover": fresh, "server_no_context_takeover": fresh}
    sending, receiving = PerMessageDeflate(**options), SizedDeflate(max_message_bytes=limit, **options)
    offer = sending.offer()
    assert isinstance(offer, str)
    answer = receiving.accept(offer)
    assert isinstance(answer, str)
    sending.finalize(answer)
    return FrameProtocol(client=True, extensions=[sending]), FrameProtocol(
        client=False, extensions=[receiving]
    )


def inflated(server: FrameProtocol, wire: bytes) -> bytes | int:
    """The message the server got, or the close code it answered with."""
    server.receive_bytes(wire)
    try:
        frames = list(server.received_frames())
    except ParseFailed as exc:
        return int(exc.code)
    parts = []
    for frame in frames:
        payload = frame.payload
        assert isinstance(payload, (str, bytes, bytearray))  # a data frame (a close's is a tuple)
        parts.append(payload.encode() if isinstance(payload, str) else bytes(payload))
    return b"".join(parts)


@pytest.mark.parametrize("fresh", [True, False])
def test_issue_13_a_decompression_bomb_is_refused_having_inflated_at_most_the_limit(fresh: bool) -> None:
    """Found: 300 KiB of compressed zeros took a live server from 46 MiB to a 510 MiB peak
    (wsproto inflated the whole frame before Hypercorn's size check); now the message is closed
    with 1009 having inflated at most ``max_message_bytes`` + 1 bytes."""
    limit = 64 * 1024
    client, server = inbound_pair(fresh=fresh, limit=limit)
    wire = bytes(client.send_data(b"0" * (50 * 1024 * 1024)))
    assert len(wire) < 100 * 1024  # about 1,000:1
    assert inflated(server, wire) == CloseReason.MESSAGE_TOO_BIG
    assert server.extensions[0]._inflated <= limit + 1  # type: ignore[attr-defined]
    # the same bomb spread over several frames of one message, and a legal message at the limit
    client, server = inbound_pair(fresh=fresh, limit=limit)
    pieces = b"".join(bytes(client.send_data(b"1" * (limit // 2), fin=False)) for _ in range(3))
    assert inflated(server, pieces + bytes(client.send_data(b"", fin=True))) == CloseReason.MESSAGE_TOO_BIG
    client, server = inbound_pair(fresh=fresh, limit=limit)
    for message in (b"2" * limit, b"3" * 100, b"4" * (limit - 1)):  # context kept or not, count resets
        assert inflated(server, bytes(client.send_data(message))) == message
