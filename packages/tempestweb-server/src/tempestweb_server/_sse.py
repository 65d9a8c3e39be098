"""SSE + POST fallback transport: server frames on an event stream, client frames by POST.

``GET /_tw/sse?session=S&token=T&stream=X`` opens a channel keyed by ``(S, T)``; ``POST
/_tw/send?session=S&token=T&stream=X`` carries one JSON frame or a JSON array of frames, the
first of which is ``hello``. After the handshake the channel is also reachable under the
(possibly new) session id and token from ``init``. The protocol is the host-neutral
:class:`tempest_core.host.Connection`, as for WebSocket; outgoing frames wait in a byte-bounded
:class:`~tempest_core.host.FrameQueue` (WHATWG HTML, "Server-sent events").

``stream`` (:data:`~tempestweb_contract.names.QUERY_STREAM`) names one stream: the JS client
draws a new id for each stream it opens. A POST is handled only by the stream it names
(:meth:`_Channel.takes`), so a POST of an earlier stream that the network held until the next
stream of the session opened is refused (409) instead of being taken for the new stream's first
frame (a fatal ``malformed_frame``: the page closed for good). A stream opened without the
parameter (an older or a third-party client) takes only POSTs without it, as before.

With several workers on Redis a POST may reach a worker that does not hold the stream: it is
passed to the worker that does (recorded in Redis when the stream opened, with the stream's id),
with the stream id it named, and the first frame is routed like a WebSocket's
(:func:`~tempestweb_server._relay.open_link`). The worker it reached applies the same rule
(:func:`_takes`) to the id the holder recorded, and so answers as the holder would: 409 for a
POST of another stream, 204 once passed on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Final, NamedTuple

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse

from tempest_core.host import Connection, FrameQueue
from tempestweb_contract import ContractError, Error, ErrorCode, encode
from tempestweb_contract.codec import check_values
from tempestweb_contract.constants import CLOSE_POLICY_VIOLATION, MAX_FRAMES_PER_POST
from tempestweb_contract.names import QUERY_SESSION, QUERY_STREAM, QUERY_TOKEN
from tempestweb_server._body import BodyTimeout, content_coding, discard_body, request_body
from tempestweb_server._head import head_response
from tempestweb_server._keepalive import keepalive_for
from tempestweb_server._origin import origin_allowed
from tempestweb_server._relay import RelayLink, open_link
from tempestweb_server.constants import SSE_HEARTBEAT_INTERVAL_S
from tempestweb_server.sessions import SessionManager

if TYPE_CHECKING:
    from tempestweb_server._cluster import Cluster

__all__ = ["SseChannels"]

logger = logging.getLogger("tempestweb.server")

_JSON = json.JSONDecoder()
_STREAM_HEADERS = {
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",
    "X-Content-Type-Options": "nosniff",
}
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace (RFC 8259, section 2)

MAX_STREAM_ID_CHARS: Final = 64
"""Longest stream id (:data:`~tempestweb_contract.names.QUERY_STREAM`) a host takes; the JS
client sends 16 hex digits."""

_STREAM_ID = re.compile(rf"[0-9A-Za-z_-]{{1,{MAX_STREAM_ID_CHARS}}}")


class _Target(NamedTuple):
    """Where a ``GET /_tw/sse`` or ``POST /_tw/send`` goes: its channel's key and stream id."""

    key: tuple[str, str]
    """``(session, token)`` of the channel."""
    stream: str | None
    """The stream id the request names; ``None`` when it names none."""


def _skip_space(text: str, index: int, /) -> int:
    """Return the index of the first character at or after ``index`` that is not JSON whitespace."""
    match = _SPACE.match(text, index)
    return match.end() if match is not None else index


def split_frames(body: bytes, /, *, limit: int = MAX_FRAMES_PER_POST) -> list[bytes]:
    """Split a ``POST /send`` body into its frames: one frame, or a JSON array of frames.

    The array is walked one element at a time (the C scanner of :mod:`json` finds where each
    ends), so what the walk holds is the frames it found so far and the objects of one element,
    never an object per element of the whole body: a 16 MiB ``[0,0,0,...]`` (8 million
    elements) decoded whole grew a server by 940 MiB and held its event loop for 5 s. The
    frames themselves are decoded by the connection, as any frame.

    Args:
        body: The POST body, at most ``max_frame_bytes`` bytes.
        limit: Most frames of an array (``MAX_FRAMES_PER_POST``).

    Returns:
        The frames, in order: ``[body]`` when the body is not an array, or not a flat array of
        JSON values (garbage, invalid UTF-8, nesting past the scanner's depth): the connection
        answers it whole with a typed error. ``[]`` for an empty array.

    Raises:
        ContractError: ``frame_too_large``: the array has more than ``limit`` elements (found
            at element ``limit + 1``; nothing after it is read), or more than
            ``MAX_FRAME_VALUES`` JSON values in all (:func:`~tempestweb_contract.codec.check_values`,
            before the walk, which would build them).

    """
    if body.lstrip()[:1] != b"[":
        return [body]
    check_values(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:  # the connection answers it: malformed_frame
        return [body]
    index = _skip_space(text, 0)
    if not text.startswith("[", index):  # other leading space than JSON's
        return [body]
    index = _skip_space(text, index + 1)
    frames: list[bytes] = []
    if text.startswith("]", index):
        return frames if _skip_space(text, index + 1) == len(text) else [body]
    while True:
        try:
            end = _JSON.raw_decode(text, index)[1]
        except (ValueError, RecursionError):
            return [body]
        if len(frames) == limit:
            raise ContractError("frame_too_large", f"a POST carries at most {limit} frames")
        frames.append(text[index:end].encode("utf-8"))
        index = _skip_space(text, end)
        if text.startswith(",", index):
            index = _skip_space(text, index + 1)
        elif text.startswith("]", index) and _skip_space(text, index + 1) == len(text):
            return frames
        else:
            return [body]


def _takes(open_stream: str | None, posted: str | None, /) -> bool:
    """Whether a POST naming ``posted`` is for the open stream ``open_stream``: the one rule.

    Applied by the worker holding the stream (:meth:`_Channel.takes`) and by a worker a POST
    reaches that does not hold it, to the id the holder recorded in Redis
    (:meth:`~tempestweb_server._cluster.Cluster.stream_holder`), so a POST gets the same answer
    on either. A POST names the stream its client opened (``None``: it names none, and so did
    the ``GET`` of a stream that takes it). A POST of another stream of the same session is one
    the network held across a reconnect: fed to this one, it would be its first frame.

    Args:
        open_stream: The id the open stream's ``GET`` named (``None``: none).
        posted: The id the POST names (``None``: none).

    """
    return posted == open_stream


class _Channel:
    """One event stream: its queue and what serves it (``None`` until the cluster routed it)."""

    def __init__(
        self, queue: FrameQueue, link: Connection | RelayLink | None, stream: str | None = None
    ) -> None:
        self.queue = queue
        self.link = link
        self.stream = stream  # the id its GET named (None: none, an older or a third-party client)
        # The keys it was entered under (its stream's, then its init's): forgetting it visits
        # these, not every open channel (a mass disconnect of N streams was O(N**2)).
        self.keys: list[tuple[str, str]] = []
        self.forgotten = False  # its stream ended: a late init no longer enters it under its key
        self.lock = asyncio.Lock()  # POSTs relayed from other workers are fed in arrival order
        self.pinged = False  # given to the loop's keep-alive scheduler
        self.waiting = True  # holds a handshake slot until its first POSTed frame (or the end)
        self.deadline: asyncio.TimerHandle | None = None

    @property
    def closed(self) -> bool:
        return self.link is not None and self.link.state == "closed"

    def takes(self, stream: str | None, /) -> bool:
        """Whether a POST naming ``stream`` is for this stream (:func:`_takes`)."""
        return _takes(self.stream, stream)


class SseChannels:
    """The open SSE channels of one app.

    Args:
        manager: The app's session manager.
        heartbeat_s: Seconds between comment heartbeats on an idle stream.

    """

    def __init__(self, manager: SessionManager, *, heartbeat_s: float = SSE_HEARTBEAT_INTERVAL_S) -> None:
        self.manager = manager
        self.heartbeat_s = heartbeat_s
        self._channels: dict[tuple[str, str], _Channel] = {}
        self.cluster: Cluster | None = manager.cluster

    def __len__(self) -> int:
        return len(self._channels)

    async def stream(self, request: Request, /) -> Response:
        """Handle ``GET /_tw/sse``: open the event stream of a new channel.

        Args:
            request: The HTTP request with ``session`` and ``token`` query parameters, and
                optionally ``stream``: the stream's id, which its POSTs name too.

        Returns:
            ``text/event-stream`` response, or 403 (origin) / 400 (missing parameters, a
            ``stream`` that is not 1 to ``MAX_STREAM_ID_CHARS`` letters, digits, ``-`` or
            ``_``) with an ``error`` frame as JSON body. A ``HEAD`` gets the stream's status and
            headers and opens nothing (no channel, no handshake slot; RFC 9110, section 9.3.2).

        """
        target = self._target(request)
        if isinstance(target, Response):
            return target
        key = target.key
        if request.method == "HEAD":  # a probe: the stream's headers, no channel, no slot
            return head_response(media_type="text/event-stream", headers=_STREAM_HEADERS)
        handshakes = self.manager.handshakes
        if not handshakes.enter():
            return _frame_response(handshakes.busy_frame())
        previous = self._channels.get(key)
        if previous is not None:
            if previous.link is not None:
                previous.link.close(reason="channel taken over")
            else:
                previous.queue.close(1000, "channel taken over")
        config = self.manager.config
        queue = FrameQueue(max_bytes=config.max_queue_bytes, budget=self.manager.outbox_budget)
        channel = _Channel(queue, None, target.stream)
        # Armed at once: the slot comes back even if what follows fails (Redis lost).
        loop = asyncio.get_running_loop()
        channel.deadline = loop.call_later(handshakes.timeout_s, self._handshake_timed_out, channel)
        # Reachable before the hold's round trip to Redis: the stream taken over (``previous``)
        # ends meanwhile, and its release of the route, asked for now, would be queued after
        # this hold and delete it (same worker id); the key leads here, so it asks for none.
        self._enter(key, channel)
        if self.cluster is None:
            max_frame_bytes = config.max_frame_bytes
            channel.link = Connection(self.manager, queue, transport="sse", max_frame_bytes=max_frame_bytes)
        else:
            try:
                await self.cluster.hold_stream(key, target.stream)
            except BaseException:
                self._forget(channel)  # never served: unreachable again (its deadline still runs)
                raise
        events = self._events(channel)
        return StreamingResponse(events, media_type="text/event-stream", headers=_STREAM_HEADERS)

    async def send(self, request: Request, /) -> Response:
        """Handle ``POST /_tw/send``: feed the posted frames to the channel's connection.

        Args:
            request: The HTTP request with ``session`` and ``token`` query parameters, the
                ``stream`` its stream's ``GET`` named (if any), and a body of one JSON frame or a
                JSON array of frames.

        Returns:
            204 when every frame was handed over (protocol errors travel on the stream); 403
            (origin), 400 (missing parameters, a malformed ``stream``), 404 (no open channel),
            409 (``not_found``: the session's open stream is another one than the POST names, a
            POST of an earlier stream; nothing is handled and that stream is not affected: its
            handshake still waits for its own ``hello``; with a cluster the same whichever
            worker the POST reaches, from the stream id the holder recorded), 415 (a body with a
            ``Content-Encoding`` other than ``identity``: bodies are never decoded), 408 (a
            body slower than ``body_timeout_s`` + one second per ``body_min_rate`` bytes:
            ``request_timeout``, :mod:`tempestweb_server._body`), 413 (``frame_too_large``: a body over
            ``max_frame_bytes``, or an array of more than ``MAX_FRAMES_PER_POST`` frames or
            ``MAX_FRAME_VALUES`` JSON values, of which none is handled) with an ``error`` frame
            as JSON body.

        """
        config = self.manager.config
        chunks = request_body(request, config)  # a refusal below reads the rest first (lingering close)
        target = self._target(request)
        if isinstance(target, Response):
            await discard_body(chunks)
            return target
        key, stream = target
        coding = content_coding(request)
        if coding is not None:  # never decoded (no bomb to bound); read as JSON it was garbage
            await discard_body(chunks)
            return _error(415, "malformed_frame", f"Content-Encoding {coding[:40]!r} is not supported")
        open_here = self._channels.get(key)
        if open_here is not None and open_here.closed:
            open_here = None
        # With a cluster, a POST this worker's stream does not take may be for a newer stream
        # of the session on another worker: it is passed on, and the holder applies the rule.
        channel = open_here if open_here is not None and open_here.takes(stream) else None
        if channel is None and self.cluster is None:
            await discard_body(chunks)
            return _not_open(open_here)
        limit = config.max_frame_bytes
        body = bytearray()
        try:
            async for chunk in chunks:
                body += chunk
                if len(body) > limit:
                    await discard_body(chunks)
                    return _error(413, "frame_too_large", f"request body exceeds {limit} bytes")
        except ClientDisconnect:
            return Response(status_code=400)
        except BodyTimeout as exc:  # a trickled body frees its connection (nothing was fed)
            return _error(408, "request_timeout", str(exc))
        try:
            frames = split_frames(bytes(body))
        except ContractError as exc:  # none of it is handled
            return _error(413, exc.code, exc.message)
        if channel is None or channel.closed:  # with a cluster: another worker may hold the stream
            cluster = self.cluster
            holder = None if cluster is None else await cluster.stream_holder(key)
            if cluster is not None and holder is not None:
                # The holder's rule, applied here: a 204 would hide that the holder drops it.
                if holder.recorded and not _takes(holder.stream, stream):
                    return _other_stream()
                if await cluster.relay_post(holder.worker, key, bytes(body), stream):
                    return Response(status_code=204)
            return _not_open(open_here)
        await self._feed(channel, frames)
        return Response(status_code=204)

    async def feed(self, key: tuple[str, str], body: bytes, stream: str | None, /) -> None:
        """Feed a POST body another worker passed on to the channel of ``key`` held here.

        Args:
            key: ``(session, token)`` of the channel.
            body: The POST body (one frame or a JSON array of frames).
            stream: The stream id the POST named (``""``: none). ``None`` when the worker that
                received it did not say (an older version, during a rolling deploy): fed
                unchecked, as that version would.

        A POST for another stream than the one held here (:meth:`_Channel.takes`) is dropped,
        nothing handled, and the stream held here still waits for its own frames. The worker
        that received it refuses such a POST itself (409) from the stream id recorded in Redis;
        one gets here only when that record changed between its lookup and this (a new stream
        of the session opened meanwhile), or the receiving worker is of an older version: it
        answered 204 (passed on).

        """
        channel = self._channels.get(key)
        if channel is None or channel.closed:
            return
        if stream is not None and not channel.takes(stream or None):
            logger.info("tempestweb: dropped a relayed SSE POST of another stream of session %s", key[0][:8])
            return
        try:
            frames = split_frames(body)
        except ContractError:  # the worker that received it answered 413
            return
        await self._feed(channel, frames)

    async def _feed(self, channel: _Channel, frames: list[bytes]) -> None:
        async with channel.lock:
            if frames:
                self._handshake_done(channel)
            if channel.link is None:
                assert self.cluster is not None
                if not frames:
                    return
                link = await open_link(
                    self.cluster,
                    frames[0],
                    channel.queue,
                    transport="sse",
                    on_init=lambda init: self._rekey(channel, init.session, init.token),
                )
                channel.link = link
                frames = frames[1:]
            link = channel.link
            for frame in frames:
                link.receive(frame)
            if not channel.pinged and link.state != "closed":
                keepalive_for(self.manager.config.ping_interval_s).add(link)
                channel.pinged = True
        if isinstance(link, Connection):
            session = link.session
            if session is not None and session.peer is link:
                self._rekey(channel, session.id, session.token)

    def _handshake_done(self, channel: _Channel) -> None:
        """Give the channel's handshake slot back (its first frame arrived, or it ended)."""
        if channel.waiting:
            channel.waiting = False
            self.manager.handshakes.leave()
            if channel.deadline is not None:
                channel.deadline.cancel()

    def _handshake_timed_out(self, channel: _Channel) -> None:
        """No frame was POSTed within ``handshake_timeout_s``: end the stream with the error.

        The channel is forgotten here too, so a stream whose response never started (its
        client left before the first byte) holds nothing either.
        """
        if not channel.waiting:
            return
        self._handshake_done(channel)
        channel.queue.send(self.manager.handshakes.timeout_frame())
        channel.queue.close(CLOSE_POLICY_VIOLATION, "handshake_timeout")
        self._forget(channel)

    def _enter(self, key: tuple[str, str], channel: _Channel) -> None:
        """Make ``channel`` reachable under ``key``, and remember the key on the channel."""
        self._channels[key] = channel
        channel.keys.append(key)

    def _forget(self, channel: _Channel) -> None:
        """Remove ``channel`` under each of its keys that still leads to it (O(its keys)).

        A key another stream has taken over since (a second ``GET /_tw/sse`` for the same
        session and token) leads to that stream and is left to it.
        """
        channel.forgotten = True
        keys, channel.keys = channel.keys, []
        for channel_key in keys:
            if self._channels.get(channel_key) is not channel:
                continue
            del self._channels[channel_key]
            if self.cluster is not None:
                self.cluster.release_stream(channel_key)

    def _rekey(self, channel: _Channel, session_id: str, token: str | None) -> None:
        """Make the channel reachable under the session and token of its ``init`` too."""
        if token is None or channel.forgotten or (session_id, token) in self._channels:
            return
        self._enter((session_id, token), channel)
        if self.cluster is not None:
            self.cluster.hold_stream_soon((session_id, token), channel.stream)

    def _target(self, request: Request) -> _Target | Response:
        """Read a request's channel key and stream id, or the refusal of its origin or query."""
        if not origin_allowed(request.headers, self.manager.config.allowed_origins):
            origin = request.headers.get("origin", "")[:200]  # never echo unbounded client text
            logger.warning("rejected %s %s from origin %r", request.method, request.url.path[:200], origin)
            return _error(403, "origin_rejected", f"origin {origin!r} is not allowed")
        query = request.query_params
        session = query.get(QUERY_SESSION)
        token = query.get(QUERY_TOKEN)
        if not session or not token:
            return _error(
                400, "malformed_frame", f"query parameters {QUERY_SESSION!r} and {QUERY_TOKEN!r} are required"
            )
        streams = query.getlist(QUERY_STREAM)
        if not streams:
            return _Target((session, token), None)
        if len(streams) > 1 or _STREAM_ID.fullmatch(streams[0]) is None:
            return _error(
                400,
                "malformed_frame",
                f"query parameter {QUERY_STREAM!r} is one id of 1 to {MAX_STREAM_ID_CHARS} "
                "letters, digits, '-' or '_'",
            )
        return _Target((session, token), streams[0])

    async def _events(self, channel: _Channel) -> AsyncIterator[str]:
        queue = channel.queue
        keepalive = keepalive_for(self.manager.config.ping_interval_s)
        if channel.link is not None:
            keepalive.add(channel.link)
            channel.pinged = True
        try:
            yield ": tempestweb\n\n"
            while True:
                try:
                    frame = await asyncio.wait_for(queue.get(), self.heartbeat_s)
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                if frame is None:
                    return
                yield f"data: {frame.decode('utf-8')}\n\n"
        finally:
            self._handshake_done(channel)
            if channel.link is not None:
                keepalive.discard(channel.link)
                channel.link.detach()
            queue.discard()
            self._forget(channel)


def _not_open(other: _Channel | None, /) -> Response:
    """Refuse a POST that no open stream takes: 409 when the session's open stream is another."""
    if other is not None:
        return _other_stream()
    return _error(404, "not_found", "no open event stream for this session; open /_tw/sse first")


def _other_stream() -> Response:
    """Refuse a POST naming another stream than the session's open one (409, nothing handled)."""
    return _error(
        409,
        "not_found",
        f"the session's open event stream is not the one this POST names ({QUERY_STREAM!r}): "
        "a POST of an earlier stream; nothing was handled",
    )


def _error(status: int, code: ErrorCode, message: str) -> Response:
    return _frame_response(encode(Error(code=code, message=message, fatal=True)), status)


def _frame_response(body: bytes, status: int = 503) -> Response:
    """Return a JSON ``error`` frame as the whole response (a refused stream or POST)."""
    return Response(
        body,
        status_code=status,
        media_type="application/json",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )
