"""Issue 13 (CPU per click): the WebSocket fast paths give wsproto's and Hypercorn's behaviour.

``tempestweb_server._ws_frames`` parses whole data frames in one step and builds the server's
frames directly. Here the same bytes, cut at the same points, go through wsproto's own
``Connection`` and through ``FastConnection``, each with its own extensions (none, wsproto's
permessage-deflate, the server's ``FrameGuard`` around ``SizedDeflate``), and the events, the
errors and the connection state must be the same after every read; the frames the server sends
must be the same bytes. The streams are generated: mostly valid messages (whole or fragmented,
compressed or not, with control frames between fragments) and frames with any header bits
(reserved bits, unmasked, unknown opcodes, lengths not in their shortest form, invalid UTF-8,
bytes that are not DEFLATE data). One level up, Hypercorn's ``WSStream`` and ``FastWSStream``
(whole messages passed to the app and the app's messages framed directly) get the same reads and
the same app messages, and must hand the app the same messages and send the same events.
The reference is wsproto's ``Connection`` with only :class:`ClosingOnFailure`'s change (a parse
failure answered with a Close frame; its own test is in ``test_http_probe_regressions.py``).
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from hypercorn.config import Config
from hypercorn.protocol import ws_stream
from hypercorn.protocol.events import Data, Request
from hypercorn.protocol.ws_stream import WSStream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wsproto.connection import Connection, ConnectionType
from wsproto.events import BytesMessage, CloseConnection, Event, Ping, Pong, TextMessage
from wsproto.extensions import Extension, PerMessageDeflate
from wsproto.frame_protocol import Opcode, XorMaskerSimple
from wsproto.utilities import LocalProtocolError

from tempestweb_server._deflate import SizedDeflate
from tempestweb_server._frame_guard import FrameGuard
from tempestweb_server._ws_frames import (
    ClosingOnFailure,
    FastConnection,
    FastFrameProtocol,
    FastWSStream,
    unmask,
)

OFFER_FRESH = "permessage-deflate; client_no_context_takeover; server_no_context_takeover"
OFFER_KEPT = "permessage-deflate"


def _guarded(offer: str) -> list[Extension]:
    guard = FrameGuard(SizedDeflate(max_message_bytes=4096), clock=lambda: 0.0)
    guard.accept(offer)
    return [guard]


def _wsproto(offer: str) -> list[Extension]:
    deflate = PerMessageDeflate()
    deflate.accept(offer)
    return [deflate]


EXTENSIONS: dict[str, Callable[[], list[Extension]]] = {
    "none": list,
    "guarded-fresh": lambda: _guarded(OFFER_FRESH),
    "guarded-kept": lambda: _guarded(OFFER_KEPT),
    "wsproto-deflate": lambda: _wsproto(OFFER_FRESH),
    "guard-only": lambda: [FrameGuard(SizedDeflate(max_message_bytes=4096), clock=lambda: 0.0)],
}


def frame(
    opcode: int,
    payload: bytes,
    *,
    fin: bool = True,
    rsv: int = 0,
    masked: bool = True,
    key: bytes = b"\x01\x02\x03\x04",
    length_form: str = "short",
) -> bytes:
    """One client frame (RFC 6455 §5.2), with the length in the given form even if not the shortest."""
    n = len(payload)
    first = (0x80 if fin else 0) | rsv | opcode
    if length_form == "64" or n > 0xFFFF:
        head = struct.pack("!BBQ", first, 127, n)
    elif length_form == "16" or n > 125:
        head = struct.pack("!BBH", first, 126, n)
    else:
        head = struct.pack("!BB", first, n)
    if not masked:
        return head + payload
    head = bytes((head[0], head[1] | 0x80)) + head[2:]
    return head + key + XorMaskerSimple(key).process(bytearray(payload))


def deflated(data: bytes) -> bytes:
    """``data`` as a permessage-deflate message body (RFC 7692 §7.2.1: the empty block's tail removed)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    body = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return body[:-4] if body.endswith(b"\x00\x00\xff\xff") else body


keys = st.binary(min_size=4, max_size=4)
texts = st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
payloads = st.one_of(texts, st.binary(max_size=300), st.binary(min_size=126, max_size=70_000))


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    """A valid message: whole or in fragments, compressed or not, with control frames between fragments."""
    opcode = draw(st.sampled_from([1, 2]))
    body = draw(texts if opcode == 1 else st.binary(max_size=400))
    compress = draw(st.booleans())
    wire = deflated(body) if compress else body
    cuts = sorted(draw(st.lists(st.integers(0, len(wire)), max_size=3)))
    parts = [wire[a:b] for a, b in zip([0, *cuts], [*cuts, len(wire)], strict=True)]
    out = b""
    for i, part in enumerate(parts):
        first = i == 0
        last = i == len(parts) - 1
        out += frame(
            opcode if first else 0,
            part,
            fin=last,
            rsv=0x40 if compress and first else 0,
            key=draw(keys),
            length_form=draw(st.sampled_from(["short", "short", "16"])) if len(part) <= 125 else "short",
        )
        if not last and draw(st.booleans()):
            out += frame(draw(st.sampled_from([9, 10])), draw(st.binary(max_size=20)), key=draw(keys))
    return out


@st.composite
def odd_frames(draw: st.DrawFn) -> bytes:
    """A frame with any header bits: reserved bits, no mask, unknown or control opcodes, long forms."""
    opcode = draw(st.sampled_from([0, 1, 2, 3, 8, 9, 10, 11]))
    payload = draw(payloads)
    if opcode == 8 and payload and draw(st.booleans()):
        code = draw(st.sampled_from([1000, 1001, 999, 1005, 3000, 5000]))
        payload = struct.pack("!H", code) + payload[:100]
    return frame(
        opcode,
        payload,
        fin=draw(st.booleans()),
        rsv=draw(st.sampled_from([0, 0x40, 0x40, 0x20, 0x10])),
        masked=draw(st.booleans()) or draw(st.booleans()),
        key=draw(keys),
        length_form=draw(st.sampled_from(["short", "16", "64"])),
    )


streams = st.lists(st.one_of(messages(), messages(), messages(), odd_frames()), min_size=1, max_size=6).map(
    b"".join
)


def outcome(connection: Connection, chunk: bytes) -> list[object]:
    """What one read gives: its events, or the error wsproto raises, and the state after it."""
    try:
        connection.receive_data(chunk)
        seen: list[object] = list(connection.events())
    except LocalProtocolError as exc:
        seen = [type(exc), str(exc)]
    return [*seen, connection.state]


@pytest.mark.parametrize("setup", sorted(EXTENSIONS))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=streams, cuts=st.lists(st.integers(0, 80_000), max_size=6))
def test_issue_13_fast_frames_give_wsprotos_events_for_any_bytes_in_any_splits(
    setup: str, data: bytes, cuts: list[int]
) -> None:
    stock = ClosingOnFailure(ConnectionType.SERVER, EXTENSIONS[setup]())  # wsproto's parser
    fast = FastConnection(ConnectionType.SERVER, EXTENSIONS[setup]())
    assert type(fast._proto) is FastFrameProtocol
    points = sorted({c % (len(data) + 1) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    for chunk in chunks:
        assert outcome(fast, chunk) == outcome(stock, chunk)


def test_issue_13_a_click_frame_takes_the_fast_path() -> None:
    """The frames a browser sends (a whole masked text frame, compressed) never reach wsproto's parser."""
    for setup in ("none", "guarded-fresh"):
        fast = FastConnection(ConnectionType.SERVER, EXTENSIONS[setup]())
        proto = fast._proto
        assert isinstance(proto, FastFrameProtocol)

        def refuse() -> None:
            raise AssertionError("wsproto's general parser was used")

        proto._frame_decoder.process_buffer = refuse  # type: ignore[method-assign]
        click = b'{"type":"event","eid":7,"node":4,"name":"click","data":{}}'
        body = deflated(click) if setup != "none" else click
        rsv = 0x40 if setup != "none" else 0
        fast.receive_data(frame(1, body, rsv=rsv) + frame(2, b"\x00\xff", key=b"\xff\x00\xaa\x55"))
        assert list(fast.events()) == [
            TextMessage(data=click.decode(), frame_finished=True, message_finished=True),
            BytesMessage(data=b"\x00\xff", frame_finished=True, message_finished=True),
        ]


@pytest.mark.parametrize("setup", sorted(EXTENSIONS))
@settings(max_examples=100, deadline=None)
@given(
    sends=st.lists(
        st.one_of(
            st.text(max_size=300).map(lambda t: TextMessage(data=t)),
            st.binary(max_size=70_000).map(lambda b: BytesMessage(data=b)),
            st.tuples(st.text(max_size=50), st.booleans()).map(
                lambda x: TextMessage(data=x[0], message_finished=x[1])
            ),
            st.binary(max_size=125).map(lambda b: Ping(payload=b)),
            st.binary(max_size=125).map(lambda b: Pong(payload=b)),
            st.just(CloseConnection(code=1000, reason="bye")),
        ),
        max_size=6,
    )
)
def test_issue_13_fast_frames_send_wsprotos_bytes(setup: str, sends: list[Event]) -> None:
    stock = Connection(ConnectionType.SERVER, EXTENSIONS[setup]())
    fast = FastConnection(ConnectionType.SERVER, EXTENSIONS[setup]())
    for event in sends:
        results: list[object] = []
        for connection in (stock, fast):
            try:
                results.append(connection.send(event))
            except (LocalProtocolError, TypeError, ValueError) as exc:
                results.append((type(exc), str(exc)))
        assert results[0] == results[1]


def test_issue_13_a_control_frame_too_long_to_send_is_refused_as_wsproto_does() -> None:
    for connection in (
        Connection(ConnectionType.SERVER),
        FastConnection(ConnectionType.SERVER),
    ):
        with pytest.raises(ValueError, match="payload too long for control frame"):
            connection._proto._serialize_frame(Opcode.PING, b"x" * 200)


@given(payload=st.binary(max_size=5000), key=keys)
def test_issue_13_unmask_is_rfc_6455_masking(payload: bytes, key: bytes) -> None:
    assert unmask(payload, key) == bytes(XorMaskerSimple(key).process(bytearray(payload)))
    assert unmask(unmask(payload, key), key) == payload


class StreamHarness:
    """One Hypercorn WebSocket stream, upgraded and accepted, with what it sends and gives the app."""

    def __init__(self, stream_class: type[WSStream], max_message: int) -> None:
        self.sent: list[object] = []
        self.app: list[object] = []
        config = Config()
        config.websocket_max_message_size = max_message
        config.websocket_ping_interval = None
        harness = self

        class TaskGroup:
            async def spawn_app(self, app: object, config: object, scope: object, send: object) -> Any:
                async def put(message: object) -> None:
                    harness.app.append(message)

                return put

        self.stream = stream_class(
            None,  # type: ignore[arg-type]
            config,
            None,  # type: ignore[arg-type]
            TaskGroup(),  # type: ignore[arg-type]
            False,
            ("127.0.0.1", 1),
            ("127.0.0.1", 2),
            self.record,
            1,
        )

    async def record(self, event: object) -> None:
        self.sent.append(event)

    async def upgrade(self, extensions: str) -> None:
        headers = [
            (b"host", b"127.0.0.1"),
            (b"upgrade", b"websocket"),
            (b"connection", b"Upgrade"),
            (b"sec-websocket-key", b"dGhlIHNhbXBsZSBub25jZQ=="),
            (b"sec-websocket-version", b"13"),
        ]
        if extensions:
            headers.append((b"sec-websocket-extensions", extensions.encode()))
        await self.stream.handle(Request(1, headers, "1.1", "GET", b"/_tw/ws", {}))  # type: ignore[arg-type]
        await self.stream.app_send({"type": "websocket.accept"})  # type: ignore[arg-type]

    async def step(self, what: object) -> list[object]:
        """Feed a read (bytes) or an app message (dict); return what came of it (or the error)."""
        self.sent.clear()
        self.app.clear()
        try:
            if isinstance(what, bytes):
                await self.stream.handle(Data(1, what))
            else:
                await self.stream.app_send(what)  # type: ignore[arg-type]
        except Exception as exc:  # Hypercorn's own errors (a text that is not str) must match too
            return [type(exc), str(exc)]
        return [list(self.sent), list(self.app), self.stream.state, self.stream.connection.state]


app_messages = st.one_of(
    st.text(max_size=300).map(lambda t: {"type": "websocket.send", "text": t}),
    st.binary(max_size=3000).map(lambda b: {"type": "websocket.send", "bytes": b}),
    st.just({"type": "websocket.send", "text": None, "bytes": None}),
    st.just({"type": "websocket.send", "text": 7}),
    st.just({"type": "websocket.send", "text": "both", "bytes": b"bytes win"}),
    st.just({"type": "websocket.close", "code": 1000}),
)


@pytest.mark.parametrize("offer", ["", OFFER_FRESH, OFFER_KEPT])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=streams,
    cuts=st.lists(st.integers(0, 80_000), max_size=4),
    sends=st.lists(app_messages, max_size=3),
    max_message=st.sampled_from([16, 300, 1 << 20]),
)
def test_issue_13_fast_ws_stream_acts_as_hypercorns(
    offer: str, data: bytes, cuts: list[int], sends: list[dict[str, object]], max_message: int
) -> None:
    points = sorted({c % (len(data) + 1) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    steps: list[object] = [*chunks[:1], *sends, *chunks[1:]]

    assert stream_run(FastWSStream, FastConnection, offer, steps, max_message) == stream_run(
        WSStream, ClosingOnFailure, offer, steps, max_message
    )


def stream_run(
    stream_class: type[WSStream],
    connection_class: type[Connection],
    offer: str,
    steps: list[object],
    max_message: int,
) -> list[object]:
    """What each step gives on a fresh stream of ``stream_class`` over ``connection_class``."""

    async def go() -> list[object]:
        harness = StreamHarness(stream_class, max_message)
        await harness.upgrade(offer)
        return [await harness.step(what) for what in steps]

    def extension() -> Extension:
        return FrameGuard(SizedDeflate(max_message_bytes=4096), clock=lambda: 0.0)

    module: Any = ws_stream  # its names are replaced for the run, as install_fast_frames does
    saved = (module.Connection, module.PerMessageDeflate)
    module.Connection, module.PerMessageDeflate = connection_class, extension
    try:
        return asyncio.run(go())
    finally:
        module.Connection, module.PerMessageDeflate = saved


@pytest.mark.parametrize("kind", [1, 2])
def test_issue_13_after_a_message_too_big_no_message_reaches_the_app(kind: int) -> None:
    """Hypercorn closes 1009 and keeps refusing what follows; the fast stream must too."""
    big = frame(kind, b"x" * 40)
    small = frame(kind, b"ok")
    steps: list[object] = [big + small, small, {"type": "websocket.send", "text": "late"}]
    fast = stream_run(FastWSStream, FastConnection, "", steps, 16)
    assert fast == stream_run(WSStream, ClosingOnFailure, "", steps, 16)
    assert fast[0][1] == [] and fast[1][1] == []  # type: ignore[index]  # the app got nothing
