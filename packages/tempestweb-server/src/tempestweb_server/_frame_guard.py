"""A per-connection budget of the WebSocket frames that cost the server work but reach no app.

Hypercorn parses what a connection sent (up to 64 KiB per read) in one go: a complete message
is put on the app's queue of ten and parsing waits when it is full, so a flood of messages is
paced by the session that handles them; but a control frame (a ping is answered with a pong in
the same go) and a fragment of a message (RFC 6455 §5.4: a message may come in any number of
continuation frames, each as small as one byte) never reach the app until the message ends.
A client sending empty pings (6 bytes each) or one-byte continuation frames (7 bytes) made each
read of its connection cost the event loop about a second for 10,000 frames: every session of
the process answered a click in 560 to 960 ms instead of 1 ms, for as long as it went on.

:class:`FrameGuard` wraps the extension Hypercorn negotiates (permessage-deflate, or the
"none" of ``ws_compression="off"``) and is always enabled, so it sees every frame header
(wsproto's ``Extension.frame_inbound_header``). Each control frame and each continuation frame
shorter than :data:`~tempestweb_server.constants.WS_SMALL_FRAGMENT_BYTES` costs a token from a
bucket of :data:`~tempestweb_server.constants.WS_CHEAP_FRAME_BURST` refilled at
:data:`~tempestweb_server.constants.WS_CHEAP_FRAMES_PER_S` (RFC 2697's token bucket); a frame
with none left fails the connection (RFC 6455 §7.1.7; wsproto's reason is 1008,
``POLICY_VIOLATION``, and Hypercorn closes the TCP connection as for any protocol error). The
session stays resumable, as after any dropped connection.
Browsers send neither (the protocol's keep-alive is a ``ping`` message, not a WebSocket ping,
and a browser sends a message in one frame or in large ones), so no client of tempestweb meets
it. Everything else is the wrapped extension's behaviour.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from wsproto.extensions import Extension
from wsproto.frame_protocol import CloseReason, FrameDecoder, FrameProtocol, Opcode, RsvBits

from tempestweb_server.constants import WS_CHEAP_FRAME_BURST, WS_CHEAP_FRAMES_PER_S, WS_SMALL_FRAGMENT_BYTES

__all__ = ["FrameGuard"]

_NO_RSV = RsvBits(False, False, False)
_CONTROL = Opcode.CLOSE  # 0x8, the first control opcode
_CONTINUATION = Opcode.CONTINUATION


class FrameGuard(Extension):
    """wsproto extension: the frame budget above, around the negotiated extension ``inner``.

    Args:
        inner: The extension Hypercorn would have used (its name is negotiated as usual; its
            hooks run only once it is enabled).
        burst: Tokens the bucket holds (and starts with).
        per_s: Tokens added per second.
        small_fragment_bytes: Continuation frames with at least this payload cost nothing.
        clock: Monotonic clock in seconds (tests pass a fake).

    Attributes:
        name: ``inner``'s name.
        tokens: Tokens left as of the last costly frame.

    """

    def __init__(
        self,
        inner: Extension,
        *,
        burst: int = WS_CHEAP_FRAME_BURST,
        per_s: float = WS_CHEAP_FRAMES_PER_S,
        small_fragment_bytes: int = WS_SMALL_FRAGMENT_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.burst = burst
        self.per_s = per_s
        self.small_fragment_bytes = small_fragment_bytes
        self.tokens = float(burst)
        self._clock = clock
        self._last = clock()
        self._header: Callable[..., CloseReason | RsvBits] | None = None
        """``inner``'s header check once it is enabled (:meth:`accept`)."""

    def enabled(self) -> bool:
        """Return ``True``: every frame's header passes here, whatever was negotiated."""
        return True

    def offer(self) -> bool | str:
        """Return ``inner``'s offer (the client side's; a server makes none)."""
        return self.inner.offer()

    def accept(self, offer: str) -> bool | str | None:
        """Accept a client's offer of ``inner``'s name as ``inner`` does (RFC 6455 §9.1).

        Once ``inner`` is enabled, its payload and outbound hooks are this object's own (bound
        here, so a message's frames pass through no wrapper call) and the header check ends in
        its check.
        """
        response = self.inner.accept(offer)
        inner = self.inner
        if inner.enabled():
            self._header = inner.frame_inbound_header
            self.frame_inbound_payload_data = inner.frame_inbound_payload_data  # type: ignore[method-assign]
            self.frame_inbound_complete = inner.frame_inbound_complete  # type: ignore[method-assign]
            self.frame_outbound = inner.frame_outbound  # type: ignore[method-assign]
        return response

    def finalize(self, offer: str) -> None:
        """Finalize as ``inner`` does (client side)."""
        self.inner.finalize(offer)

    def frame_inbound_header(
        self,
        proto: FrameDecoder | FrameProtocol,
        opcode: Opcode,
        rsv: RsvBits,
        payload_length: int,
    ) -> CloseReason | RsvBits:
        """Charge a control frame or a small continuation frame; then ``inner``'s check.

        Returns:
            ``CloseReason.POLICY_VIOLATION`` when the bucket is empty (wsproto fails the
            connection with it), else the reserved bits ``inner`` uses.

        """
        # a control opcode has its high bit set (RFC 6455 §5.5); Opcode is an IntEnum
        if opcode >= _CONTROL or (opcode is _CONTINUATION and payload_length < self.small_fragment_bytes):
            now = self._clock()
            self.tokens = min(self.burst, self.tokens + (now - self._last) * self.per_s)
            self._last = now
            if self.tokens < 1:
                return CloseReason.POLICY_VIOLATION
            self.tokens -= 1
        header = self._header
        if header is not None:
            return header(proto, opcode, rsv, payload_length)
        return _NO_RSV

    def frame_inbound_payload_data(
        self, proto: FrameDecoder | FrameProtocol, data: bytes
    ) -> bytes | CloseReason:
        """Return the payload as it is (``inner`` not negotiated: :meth:`accept` binds its own)."""
        return data

    def frame_inbound_complete(
        self, proto: FrameDecoder | FrameProtocol, fin: bool
    ) -> bytes | CloseReason | None:
        """Return nothing (``inner`` not negotiated: :meth:`accept` binds its own)."""
        return None

    def frame_outbound(
        self,
        proto: FrameDecoder | FrameProtocol,
        opcode: Opcode,
        rsv: RsvBits,
        data: bytes,
        fin: bool,
    ) -> tuple[RsvBits, bytes]:
        """Return the frame as it is (``inner`` not negotiated: :meth:`accept` binds its own)."""
        return rsv, data

    def __repr__(self) -> str:
        return f"FrameGuard({self.inner!r})"
