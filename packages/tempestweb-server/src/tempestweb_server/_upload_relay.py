"""Uploads relayed to the worker serving their session, over Redis, with flow control.

No sticky sessions: ``POST /_tw/upload`` may land on a worker (the *pipe*) that does not hold
the session's live tree. The pipe locates the session's *owner* and streams the body to it on
the owner's Redis channel (:class:`~tempestweb_server._relay.RelayMessage`, in order):

1. ``upload`` (the :class:`~tempestweb_server._upload.UploadRequest`); the owner runs
   :func:`~tempestweb_server._upload.store_upload`, the rule of a local upload, against its own
   tree (the pipe never decides a limit) and answers ``upload_ack`` 0 once it waits for bytes,
   or ``upload_done`` with the error;
2. ``upload_chunk`` (``code``: sequence number from 1, ``data``: at most
   ``UPLOAD_RELAY_CHUNK_BYTES``) at most ``UPLOAD_RELAY_WINDOW_CHUNKS`` ahead of the owner's
   ``upload_ack`` (``code``: chunks written so far); ``code`` 0 with no data is a heartbeat,
   sent every ``UPLOAD_RELAY_HEARTBEAT_S`` while the client is slow;
3. ``upload_end`` (``code``: chunks sent) or ``upload_abort`` (the client went away);
4. ``upload_done`` (``data``: the :class:`~tempestweb_server._upload.UploadOutcome`) ends it;
   the pipe answers the client exactly as a local upload would. ``too_large`` comes back as
   soon as the owner's count passes the limit, and the pipe stops reading.

Why pub/sub with a window rather than another Redis structure: Redis Pub/Sub delivers at most
once, in publish order, and a subscriber whose output buffer passes
``client-output-buffer-limit pubsub`` (32 MB hard, 8 MB for 60 s by default, redis.conf) is
disconnected, losing whatever was in flight. A list per upload read with ``BLPOP`` would hold a
pooled Redis connection per upload on the owner and still need acknowledgements to bound Redis
memory. So the bytes ride the worker channels the relay already uses, bounded twice: each
upload has at most ``UPLOAD_RELAY_WINDOW_CHUNKS`` chunks unacknowledged, and a pipe worker at most
``UPLOAD_RELAY_MAX_CHUNKS_IN_FLIGHT`` over all its uploads (2 MiB, a quarter of the soft limit).
Sequence numbers turn a lost message (a subscriber reconnect) into ``upload_failed``, never a
corrupted file.

Memory, whatever the client sends: the pipe holds one body chunk of the ASGI server per upload;
the owner at most the window per upload, and at most ``UPLOAD_RELAY_MAX_CHUNKS_IN_FLIGHT`` chunks
per pipe worker; the file itself spools to disk past 1 MiB as a local upload does.

Failures end in a typed answer within ``UPLOAD_RELAY_TIMEOUT_S``: a publish nobody receives, a
``dead`` owner on the control channel, or no acknowledgement in time give ``upload_failed`` on
the pipe; on the owner, a pipe silent that long (dead, or cut off from Redis), a lost chunk or
``upload_abort`` discards what was spooled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import TYPE_CHECKING, Final, Literal

import msgspec

from tempest_core.host import UploadError
from tempestweb_server._relay import RelayMessage
from tempestweb_server._upload import UploadOutcome, UploadRequest, store_upload
from tempestweb_server.constants import (
    ROUTE_TIMEOUT_S,
    UPLOAD_RELAY_CHUNK_BYTES,
    UPLOAD_RELAY_HEARTBEAT_S,
    UPLOAD_RELAY_MAX_CHUNKS_IN_FLIGHT,
    UPLOAD_RELAY_TIMEOUT_S,
    UPLOAD_RELAY_WINDOW_CHUNKS,
)

if TYPE_CHECKING:
    from tempestweb_server._cluster import Cluster

__all__ = ["UploadRelays"]

logger = logging.getLogger("tempestweb.server")

_GONE: Final = UploadOutcome(
    "upload_failed",
    "the worker serving this session stopped, or Redis was lost, during the upload; send the file again",
)
_UNREACHABLE: Final = UploadOutcome(
    "upload_failed", "the worker serving this session cannot be reached now; send the file again"
)
_REQUEST: Final = msgspec.msgpack.Decoder(UploadRequest)
_OUTCOME: Final = msgspec.msgpack.Decoder(UploadOutcome)
_ENCODER: Final = msgspec.msgpack.Encoder()

_ToOwner = Literal["upload", "upload_chunk", "upload_end", "upload_abort"]
_ToPipe = Literal["upload_ack", "upload_done"]


class UploadRelays:
    """A worker's relayed uploads, both sides (one per :class:`~tempestweb_server._cluster.Cluster`).

    Args:
        cluster: The worker's cluster membership.
        timeout_s: Longest wait for the other worker (an answer, an acknowledgement, a chunk).
        window_chunks: Chunks of one upload sent ahead of the owner's acknowledgement.
        max_chunks_in_flight: Chunks this worker has unacknowledged over all its uploads.

    Attributes:
        max_chunks_in_flight: As given.
        chunks_in_flight: Chunks this worker published and the owners did not acknowledge yet.
        high_water_chunks: The most ``chunks_in_flight`` has been (tests, benchmarks).
        sending: Uploads received here and relayed to their owner, by link id.
        hosted: Uploads relayed here by another worker, by link id.

    """

    def __init__(
        self,
        cluster: Cluster,
        *,
        timeout_s: float = UPLOAD_RELAY_TIMEOUT_S,
        window_chunks: int = UPLOAD_RELAY_WINDOW_CHUNKS,
        max_chunks_in_flight: int = UPLOAD_RELAY_MAX_CHUNKS_IN_FLIGHT,
    ) -> None:
        self.cluster = cluster
        self.timeout_s = timeout_s
        self.window_chunks = window_chunks
        self.max_chunks_in_flight = max_chunks_in_flight
        self.chunks_in_flight = 0
        self.high_water_chunks = 0
        self.sending: dict[str, _Sending] = {}
        self.hosted: dict[str, _Hosted] = {}
        self._budget = asyncio.Semaphore(max_chunks_in_flight)

    async def forward(self, upload: UploadRequest, body: AsyncIterable[bytes], /) -> UploadOutcome | None:
        """Relay an upload to the worker serving its session, if another one does.

        Args:
            upload: The request (its token already verified).
            body: The request body, read only once the owner accepted the upload.

        Returns:
            The outcome the owner reported (or ``upload_failed`` when it or Redis was lost);
            ``None`` when the session is served here (live, or just taken over from its
            checkpoint) or nowhere: then the upload is handled here, and ``body`` is unread.

        Raises:
            ClientDisconnect: The client went away (the owner is told, and discards the bytes).

        """
        try:
            route = await asyncio.wait_for(self.cluster.locate(upload.session), ROUTE_TIMEOUT_S)
        except Exception as exc:  # Redis unreachable, a full table: typed, the page may retry
            logger.warning("tempestweb: routing an upload of session %s failed: %s", upload.session[:8], exc)
            return _UNREACHABLE
        if route.owner is None:
            return None
        sending = _Sending(self, route.owner)
        self.sending[sending.link] = sending
        try:
            return await sending.run(upload, body)
        finally:
            self.sending.pop(sending.link, None)
            sending.settle()

    def on_message(self, message: RelayMessage, /) -> None:
        """Take an ``upload*`` message from another worker."""
        kind = message.kind
        if kind == "upload":
            if message.link not in self.hosted:
                hosted = _Hosted(self, message.link, message.sender)
                self.hosted[message.link] = hosted
                self.cluster._spawn(hosted.run(message.data))
        elif kind in ("upload_ack", "upload_done"):
            sending = self.sending.get(message.link)
            if sending is not None:
                sending.on_message(message)
        else:
            hosted_upload = self.hosted.get(message.link)
            if hosted_upload is not None:
                hosted_upload.on_message(message)

    async def _acquire(self) -> None:
        await self._budget.acquire()
        self.chunks_in_flight += 1
        self.high_water_chunks = max(self.high_water_chunks, self.chunks_in_flight)

    def _release(self) -> None:
        self.chunks_in_flight -= 1
        self._budget.release()

    def peer_dead(self, worker_id: str, /) -> None:
        """End at once the uploads relayed to or from a worker announced dead."""
        for sending in [s for s in self.sending.values() if s.owner == worker_id]:
            sending.finish(_GONE)
        for hosted in [h for h in self.hosted.values() if h.pipe == worker_id]:
            hosted.fail("the worker relaying this upload stopped")


class _Sending:
    """The pipe's side of one relayed upload."""

    def __init__(self, relays: UploadRelays, owner: str) -> None:
        self.relays = relays
        self.cluster = relays.cluster
        self.owner = owner
        self.link = self.cluster.new_link_id()
        self.outcome: UploadOutcome | None = None
        self.ready = False
        self.sent = 0  # chunks published
        self.acked = 0  # chunks the owner wrote
        self.held = 0  # budget slots held (chunks sent, not acknowledged)
        self.high_water_chunks = 0  # most chunks unacknowledged at once (tests, benchmarks)
        self._changed = asyncio.Event()
        self._quiet = True  # nothing published since the last heartbeat tick

    async def run(self, upload: UploadRequest, body: AsyncIterable[bytes]) -> UploadOutcome:
        heartbeat = asyncio.get_running_loop().create_task(self._heartbeat())
        try:
            if not await self._publish("upload", _ENCODER.encode(upload)):
                return _GONE
            await self._until(lambda: self.ready)
            if self.outcome is None:
                await self._stream(body)
            if self.outcome is None and await self._publish("upload_end", code=self.sent):
                await self._until(lambda: False)
            return self.outcome or _GONE
        except BaseException:  # the client went away, or the request was cancelled
            self.cluster._spawn(self._publish("upload_abort"))
            raise
        finally:
            heartbeat.cancel()

    async def _stream(self, body: AsyncIterable[bytes]) -> None:
        """Publish the body in chunks of ``UPLOAD_RELAY_CHUNK_BYTES``.

        The ASGI server's pieces are gathered up to that size: fewer, larger messages cost
        fewer Redis round trips (each publish is awaited, to keep the order).
        """
        pending = bytearray()
        async for piece in body:
            pending += piece
            while len(pending) >= UPLOAD_RELAY_CHUNK_BYTES:
                if not await self._send(bytes(pending[:UPLOAD_RELAY_CHUNK_BYTES])):
                    return
                del pending[:UPLOAD_RELAY_CHUNK_BYTES]
            if self.outcome is not None:  # too_large (or any error) from the owner: stop reading
                return
        if pending:
            await self._send(bytes(pending))

    async def _send(self, chunk: bytes) -> bool:
        """Publish one chunk within the window and the worker's budget; ``False``: stop."""
        window = self.relays.window_chunks
        await self._until(lambda: self.sent - self.acked < window)
        if self.outcome is not None:
            return False
        await self.relays._acquire()
        self.held += 1
        self.sent += 1
        self.high_water_chunks = max(self.high_water_chunks, self.sent - self.acked)
        return await self._publish("upload_chunk", chunk, code=self.sent)

    async def _until(self, condition: Callable[[], bool]) -> None:
        """Wait for ``condition`` or an outcome; the owner silent ``timeout_s`` is an outcome."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.relays.timeout_s
        while self.outcome is None and not condition():
            self._changed.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                logger.warning("tempestweb: worker %s did not answer a relayed upload in time", self.owner)
                self.finish(_GONE)
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def _publish(self, kind: _ToOwner, data: bytes = b"", *, code: int = 0) -> bool:
        self._quiet = False
        message = RelayMessage(kind, self.link, self.cluster.worker_id, data, code)
        if await self.cluster.publish(self.owner, message) > 0:
            return True
        self.finish(_GONE)
        return False

    async def _heartbeat(self) -> None:
        """Tell the owner this worker is still here while the client is slow."""
        while True:
            await asyncio.sleep(UPLOAD_RELAY_HEARTBEAT_S)
            if self._quiet:
                await self._publish("upload_chunk")
            self._quiet = True

    def on_message(self, message: RelayMessage, /) -> None:
        if message.kind == "upload_ack":
            written = min(message.code, self.sent)
            self._release(written - self.acked)
            self.acked = max(self.acked, written)
            self.ready = True
            self._changed.set()
        else:
            try:
                outcome = _OUTCOME.decode(message.data)
            except msgspec.DecodeError:
                outcome = UploadOutcome(
                    "upload_failed", "the worker serving this session sent a malformed answer"
                )
            self.finish(outcome)

    def finish(self, outcome: UploadOutcome, /) -> None:
        if self.outcome is None:
            self.outcome = outcome
        self._changed.set()

    def _release(self, count: int) -> None:
        for _ in range(max(0, min(count, self.held))):
            self.held -= 1
            self.relays._release()

    def settle(self) -> None:
        """Give back the budget still held (the upload ended)."""
        self._release(self.held)


class _Hosted:
    """The owner's side of one relayed upload: feeds :func:`store_upload` from the channel."""

    def __init__(self, relays: UploadRelays, link: str, pipe: str) -> None:
        self.relays = relays
        self.cluster = relays.cluster
        self.link = link
        self.pipe = pipe
        self.chunks: deque[bytes] = deque()
        self.received = 0  # chunks taken from the channel
        self.end: int | None = None  # chunks the pipe says it sent
        self.error: str | None = None
        self.high_water_chunks = 0
        self._changed = asyncio.Event()
        self._heard = asyncio.get_running_loop().time()
        self._written = 0  # chunks the store took
        self._told = -1  # the count the pipe was last sent
        self._acker: asyncio.Task[None] | None = None

    async def run(self, request: bytes) -> None:
        try:
            try:
                upload = _REQUEST.decode(request)
                uploaded = await store_upload(self.cluster.manager, upload, self._body())
                outcome = UploadOutcome(size=uploaded.size)
            except msgspec.DecodeError:
                outcome = UploadOutcome("upload_failed", "a malformed upload was relayed")
            except UploadError as exc:
                logger.info("relayed upload refused: %s", exc)
                outcome = UploadOutcome(exc.code, exc.message)
            except Exception:  # the spool failed (a full disk): typed for the page, logged here
                logger.exception("tempestweb: storing an upload relayed by worker %s failed", self.pipe)
                outcome = UploadOutcome("upload_failed", "the server could not store the file")
            await self._publish("upload_done", _ENCODER.encode(outcome))
        finally:
            self.relays.hosted.pop(self.link, None)
            self.chunks.clear()

    async def _body(self) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        written = 0
        while True:
            self._ack(written)  # the first one: ready for bytes
            while not self.chunks and self.end is None and self.error is None:
                self._changed.clear()
                remaining = self._heard + self.relays.timeout_s - loop.time()
                if remaining <= 0:
                    self.fail("the worker relaying this upload went silent")
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)
            if self.error is not None:
                raise UploadError("upload_failed", self.error)
            if self.chunks:
                written += 1
                yield self.chunks.popleft()
            elif self.end != written:
                raise UploadError("upload_failed", "chunks of this upload were lost between workers")
            else:
                return

    def _ack(self, written: int) -> None:
        """Tell the pipe how many chunks the store took, without making the store wait for Redis.

        One publish at a time carries the newest count (counts are cumulative: coalescing them
        loses nothing).
        """
        self._written = written
        if self._acker is None or self._acker.done():
            self._acker = self.cluster._spawn(self._send_acks())

    async def _send_acks(self) -> None:
        while self._told < self._written:
            count = self._written
            await self._publish("upload_ack", code=count)
            self._told = count

    async def _publish(self, kind: _ToPipe, data: bytes = b"", *, code: int = 0) -> None:
        message = RelayMessage(kind, self.link, self.cluster.worker_id, data, code)
        await self.cluster.publish(self.pipe, message)

    def on_message(self, message: RelayMessage, /) -> None:
        self._heard = asyncio.get_running_loop().time()
        if message.kind == "upload_chunk":
            if message.code == 0:
                return  # a heartbeat
            if message.code != self.received + 1:
                self.fail("chunks of this upload were lost between workers")
            elif (
                len(message.data) > UPLOAD_RELAY_CHUNK_BYTES or len(self.chunks) >= self.relays.window_chunks
            ):
                self.fail("the relaying worker sent past its window")
            else:
                self.received += 1
                self.chunks.append(message.data)
                self.high_water_chunks = max(self.high_water_chunks, len(self.chunks))
        elif message.kind == "upload_end":
            self.end = message.code
        elif message.kind == "upload_abort":
            self.fail("the client went away before the whole file arrived")
        self._changed.set()

    def fail(self, reason: str, /) -> None:
        """End the upload with ``upload_failed`` (what was spooled is discarded)."""
        if self.error is None:
            self.error = reason
        self.chunks.clear()
        self._changed.set()
