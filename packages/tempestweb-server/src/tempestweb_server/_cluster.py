"""One worker's membership of a cluster on Redis: lease, session ownership, checkpoints, messages.

Every worker serving an app shares one Redis database (docs/deployment.md, "Several workers"):

- ``<prefix>secret``: the key of the session-bound tokens, created by the first worker (or
  its supervisor, which gives it to every worker it starts); each worker writes it back every
  ``LEASE_RENEW_INTERVAL_S`` if Redis lost it (restarted without persistence, ``FLUSHALL``),
  so a worker started later never makes another one;
- ``<prefix>lease:<worker>``: a worker's lease, renewed every ``LEASE_RENEW_INTERVAL_S`` and
  gone ``LEASE_TTL_S`` after its last renewal (at once when its supervisor sees it die);
- ``<prefix>s:<session>``: a hash ``{owner, cp}``: the worker serving the session and its last
  durable checkpoint (:mod:`tempestweb_server._checkpoint`). A checkpoint is written only by
  the owner (a Lua script compares, so a worker that lost the session cannot overwrite the new
  owner's); another worker takes a session over only when its owner's lease is gone;
- ``<prefix>sse:<hash>``: the worker holding the SSE stream of a ``(session, token)``, and
  ``<prefix>sse:<hash>:stream``: ``<worker> NUL <stream id>``, the stream id that worker's
  stream was opened with (:meth:`Cluster.stream_holder`; a key an older version neither writes
  nor reads);
- channels ``<prefix>w:<worker>`` (relayed frames, :mod:`tempestweb_server._relay`) and
  ``<prefix>ctl`` (``dead <worker>``: close what was relayed to or from it).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from tempest_core.errors import SessionError
from tempest_core.host import Connection, HostSession
from tempestweb_contract.constants import CLOSE_INTERNAL_ERROR, CLOSE_TRY_AGAIN_LATER
from tempestweb_server._checkpoint import RedisCheckpointer, decode_state, read_record
from tempestweb_server._relay import HostedLink, RelayLink, RelayMessage, decode_message, encode_message
from tempestweb_server._upload_relay import UploadRelays
from tempestweb_server.constants import (
    CHECKPOINT_RETRY_DELAY_S,
    CHECKPOINT_WRITE_ATTEMPTS,
    LEASE_RENEW_INTERVAL_S,
    LEASE_TTL_S,
    REDIS_KEY_PREFIX,
    REDIS_MAX_CONNECTIONS,
    REDIS_TIMEOUT_S,
    SSE_ROUTE_TTL_S,
)
from tempestweb_server.errors import ConfigError

if TYPE_CHECKING:
    from tempestweb_server._sse import SseChannels
    from tempestweb_server.sessions import SessionManager

__all__ = [
    "SECRET_ENV",
    "SECRET_SCRIPT",
    "WORKER_ID_ENV",
    "Cluster",
    "Route",
    "StreamHolder",
    "check_url",
    "control_channel",
    "lease_key",
    "read_secret",
    "secret_key",
]

logger = logging.getLogger("tempestweb.server")

WORKER_ID_ENV: Final = "TEMPESTWEB_WORKER_ID"
"""Environment variable in which a supervisor passes a worker its id."""

SECRET_ENV: Final = "TEMPESTWEB_WORKER_SECRET"
"""Environment variable in which a supervisor passes its workers the shared token key (hex)."""

_SECRET_HEX_CHARS: Final = 64  # 32 random bytes, as a worker makes them


class Outage:
    """Logs one line when a worker's calls to Redis start failing and one when they work again.

    While Redis is unreachable a worker's lease loop and relay listener retry every
    ``LEASE_RENEW_INTERVAL_S``; a line (or a traceback) per attempt would fill the log with the
    same news every second for every worker. What is logged instead: the first failure of an
    outage (its error, one line), then its end, seen by the lease loop's next call that works
    (how long it lasted, how many calls failed).
    """

    def __init__(self, what: str) -> None:
        """Start with Redis reachable.

        Args:
            what: Whose calls these are, as the log lines name it (``"worker w1"``).

        """
        self.what = what
        self.since: float | None = None
        """``time.monotonic()`` of the outage's first failure; ``None`` while Redis answers."""
        self.failures = 0

    def failed(self, exc: BaseException) -> None:
        """Count a failed call; the first of an outage is logged."""
        self.failures += 1
        if self.since is None:
            self.since = time.monotonic()
            logger.warning(
                "tempestweb: %s: Redis unreachable (%s: %s); retrying every %g s",
                self.what,
                type(exc).__name__,
                exc,
                LEASE_RENEW_INTERVAL_S,
            )

    def note(self, exc: BaseException, /) -> bool:
        """Count ``exc`` as a failed call if it is one of Redis (:meth:`failed`); say whether it was.

        For the calls each client's reconnect makes (routing a ``hello``, relaying a frame):
        during an outage they fail as often as clients retry, and a line each would flood the
        log (918 lines in 5 s for 50 clients), so they count towards the outage's one line.
        """
        if not isinstance(exc, (RedisError, OSError)):
            return False
        self.failed(exc)
        return True

    def ok(self) -> None:
        """Note a call that worked: an outage in progress is over (logged)."""
        if self.since is None:
            return
        logger.warning(
            "tempestweb: %s: Redis reachable again after %.1f s (%d failed calls)",
            self.what,
            time.monotonic() - self.since,
            self.failures,
        )
        self.since = None
        self.failures = 0


LOST_NOTICE: Final = (
    "the server restarted and this session's state could not be restored; a new session started"
)
"""The non-fatal ``session_expired`` error a client gets with the fresh session that replaces a lost one."""

# KEYS[1] the session hash; ARGV: me, lease key prefix, ttl ms.
_CLAIM: Final = """
local owner = redis.call('HGET', KEYS[1], 'owner')
if not owner then return {'none'} end
if owner == ARGV[1] then return {'mine', redis.call('HGET', KEYS[1], 'cp')} end
if redis.call('EXISTS', ARGV[2] .. owner) == 1 then return {'alive', owner} end
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'claimed', redis.call('HGET', KEYS[1], 'cp')}
"""
# KEYS[1] the session hash; ARGV: me, checkpoint, ttl ms.
_STORE: Final = """
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'cp', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""
# KEYS[1] any key; ARGV: the value it must hold to be deleted.
_DELETE_IF: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# KEYS[1] an SSE route key, KEYS[2] its stream record; ARGV: me, me .. NUL.
_RELEASE_STREAM: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local record = redis.call('GET', KEYS[2])
if record and string.sub(record, 1, string.len(ARGV[2])) == ARGV[2] then redis.call('DEL', KEYS[2]) end
return 0
"""


def lease_key(prefix: str, worker_id: str, /) -> str:
    """Return the Redis key of a worker's lease (used by the supervisor too)."""
    return f"{prefix}lease:{worker_id}"


def check_url(url: str, /) -> None:
    """Check a Redis URL as redis-py will read it, before anything connects.

    redis-py reads ``redis://host/abc`` as database 0 and ``redis://host/1/2`` as database
    12, silently: an app would share a database it was not given (docs/deployment.md: one
    database per app).

    Args:
        url: ``ServerConfig.redis``.

    Raises:
        ConfigError: redis-py refuses the URL (a port that is not a number, a bad query
            option), or its database is not a number.

    """
    from urllib.parse import urlsplit

    from redis.connection import parse_url

    try:
        parse_url(url)  # type: ignore[no-untyped-call]  # redis-py ships no annotation for it
        parts = urlsplit(url)
    except ValueError as exc:
        raise ConfigError(f"ServerConfig.redis: {_safe_url(url)} is not a Redis URL: {exc}") from None
    database = parts.path[1:]
    if parts.scheme != "unix" and database and not (database.isascii() and database.isdigit()):
        raise ConfigError(
            f"ServerConfig.redis: the database of {_safe_url(url)} must be a number "
            f"(redis://host:6379/1), got {database!r}"
        )


def secret_key(prefix: str, /) -> str:
    """Return the Redis key of the shared token key (used by the supervisor too)."""
    return f"{prefix}secret"


def _is_secret(text: str) -> bool:
    """Whether ``text`` is a token key as workers make them: at least 32 bytes, in hex."""
    try:
        return len(text) >= _SECRET_HEX_CHARS and len(bytes.fromhex(text)) * 2 == len(text)
    except ValueError:
        return False


# KEYS[1] the token key; ARGV[1] the key to store when there is none. Answers {type, value}.
SECRET_SCRIPT: Final = """
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind == 'none' then
  redis.call('SET', KEYS[1], ARGV[1])
  return {'string', ARGV[1]}
end
if kind ~= 'string' then return {kind} end
return {kind, redis.call('GET', KEYS[1])}
"""
"""Read the shared token key, storing ``ARGV[1]`` first when there is none, in one atomic step:
the supervisor (sync redis-py) and each worker (async) run it and check its answer with
:func:`read_secret`."""


def read_secret(reply: Sequence[bytes | str], *, where: str) -> str:
    """Check the answer of :data:`SECRET_SCRIPT`: the token key every worker shares.

    Args:
        reply: What the script answered: ``[type, value]``, or ``[type]`` for a key that is not
            a string.
        where: The Redis it came from, for the message (``redis://host:6379/0``, no password).

    Returns:
        The key, hex.

    Raises:
        ConfigError: The key holds something no worker wrote (another app's data): not a
            string (a hash, list, set...), not hex, or shorter than 32 bytes (it would sign
            tokens anyone could forge).

    """
    texts = [item.decode("utf-8", "replace") if isinstance(item, bytes) else item for item in reply]
    if len(texts) == 2 and texts[0] == "string" and _is_secret(texts[1]):
        return texts[1]
    raise ConfigError(
        f"ServerConfig.redis: {where} holds {secret_key(REDIS_KEY_PREFIX)!r} with a value no "
        "tempestweb worker wrote (another app's data?); give this app a Redis database of its "
        "own (redis://host:6379/1) or delete that key"
    )


def control_channel(prefix: str, /) -> str:
    """Return the channel on which worker deaths are announced (``dead <worker id>``)."""
    return f"{prefix}ctl"


class Route(NamedTuple):
    """Where a resuming client's session is served.

    Attributes:
        owner: The worker to relay to; ``None`` to serve it here (live here, restored here, or
            unknown, and then a new session opens).
        notice: For a session that could not be restored: the notice sent with the new one.

    """

    owner: str | None
    notice: str | None = None


class StreamHolder(NamedTuple):
    """The worker holding an SSE stream, and the stream id it recorded (:meth:`Cluster.stream_holder`).

    Attributes:
        worker: The holding worker.
        recorded: Whether it recorded its stream's id (``False``: a worker of an older version,
            during a rolling deploy, or a record of another worker that held it before).
        stream: The id its stream's ``GET`` named, ``None`` when it named none; only meaningful
            when ``recorded``.

    """

    worker: str
    recorded: bool
    stream: str | None


class Cluster:
    """A worker's view of the cluster (one per :func:`~tempestweb_server.create_app` with ``redis``).

    Args:
        manager: The worker's session table; the cluster sets its token key and checkpointer.
        url: Redis URL (``redis://host:port/db``, ``rediss://``, ``unix://``).
        worker_id: This worker's id; ``None`` reads ``TEMPESTWEB_WORKER_ID`` or makes one.
        prefix: Prefix of every key and channel.

    Attributes:
        worker_id: As given.
        draining: ``True`` once :meth:`drain` began: new connections are refused with 1013.
        joined: Set once :meth:`start` completed.
        links: Client connections held here whose session another worker serves.
        hosted: Sessions' connections served here for clients connected to another worker.
        channels: The app's SSE channels (POSTs relayed from other workers are fed to them).
        uploads: FileUpload bodies relayed to or from other workers.

    """

    def __init__(
        self,
        manager: SessionManager,
        url: str,
        *,
        worker_id: str | None = None,
        prefix: str = REDIS_KEY_PREFIX,
    ) -> None:
        self.manager = manager
        self.url = url
        self.prefix = prefix
        self.worker_id = worker_id or os.environ.get(WORKER_ID_ENV) or _new_worker_id()
        self.draining = False
        self.joined = asyncio.Event()
        self.links: dict[str, RelayLink] = {}
        self.hosted: dict[str, HostedLink] = {}
        self.channels: SseChannels | None = None
        self.uploads = UploadRelays(self)
        check_url(url)
        pool = aioredis.BlockingConnectionPool.from_url(  # waits for a free connection, never fails
            url,
            max_connections=REDIS_MAX_CONNECTIONS,
            timeout=REDIS_TIMEOUT_S,
            socket_timeout=REDIS_TIMEOUT_S,
            socket_connect_timeout=REDIS_TIMEOUT_S,
        )
        self.redis: aioredis.Redis = aioredis.Redis.from_pool(pool)
        self._claim = self.redis.register_script(_CLAIM)
        self._store = self.redis.register_script(_STORE)
        self._delete_if = self.redis.register_script(_DELETE_IF)
        self._release_stream = self.redis.register_script(_RELEASE_STREAM)
        self._pubsub: Any = None
        self._secret: str | None = None  # the shared token key, hex (None: ServerConfig.secret)
        self.outage = Outage(f"worker {self.worker_id}")
        """Redis outages as this worker's lease loop and relay listener meet them (logged once)."""
        self._tasks: set[asyncio.Task[Any]] = set()
        # The last write to each SSE route key, by key: writes to one key go to Redis in the
        # order they were asked for (see _stream_turn).
        self._stream_turns: dict[str, asyncio.Future[None]] = {}
        self._links_made = 0
        window_s = manager.config.recovery_window_s
        self._record_ttl_ms = int((window_s + LEASE_TTL_S) * 1000)
        self._refresh_every = max(1, int(window_s / 4 / LEASE_RENEW_INTERVAL_S))
        manager.cluster = self
        manager.checkpointer = RedisCheckpointer(self)

    # -- keys ------------------------------------------------------------------------------------
    def _session_key(self, session_id: str) -> str:
        return f"{self.prefix}s:{session_id}"

    def channel(self, worker_id: str, /) -> str:
        """Return the channel a worker receives relayed frames on."""
        return f"{self.prefix}w:{worker_id}"

    def _stream_key(self, key: tuple[str, str]) -> str:
        digest = hashlib.sha256(f"{key[0]}\0{key[1]}".encode()).hexdigest()[:32]
        return f"{self.prefix}sse:{digest}"

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        """Join: take the shared token key, take a lease, subscribe, start renewing.

        Raises:
            RedisError: Redis is unreachable (the worker does not start).
            ConfigError: Redis holds a token key no worker wrote (another app's data).

        """
        if self.manager.config.secret is None:
            self._secret = await self._shared_secret()
            self.manager.use_secret(bytes.fromhex(self._secret))
        await self._renew_lease()
        self._pubsub = pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.connect()  # type: ignore[no-untyped-call]
        # Only RESP3 parsers take a push handler (redis-py 8's default protocol): RESP2's have
        # none, and redis-py < 8 has the method under another name.
        set_handler = getattr(getattr(pubsub.connection, "_parser", None), "set_pubsub_push_handler", None)
        if set_handler is not None:
            pubsub.push_handler_func = _push_as_is
            set_handler(_push_as_is)
        await pubsub.subscribe(self.channel(self.worker_id), control_channel(self.prefix))
        self._spawn(self._listen())
        self._spawn(self._keep_lease())
        self.joined.set()
        logger.info("tempestweb: worker %s joined the cluster at %s", self.worker_id, _safe_url(self.url))

    async def _shared_secret(self) -> str:
        """Return the token key every worker shares: the supervisor's, else Redis', else a new one.

        A supervisor reads the key once and gives it to every worker it starts, so its workers
        agree even when Redis lost the key before one of them started.
        """
        given = os.environ.get(SECRET_ENV)
        if given is not None and not _is_secret(given):
            given = None
        candidate = given or secrets.token_hex(32)
        reply = await self.redis.eval(SECRET_SCRIPT, 1, secret_key(self.prefix), candidate)
        stored = read_secret(reply, where=_safe_url(self.url))
        return stored if given is None else given

    async def drain(self) -> None:
        """Hand every session over before this worker stops (graceful restart).

        Final checkpoints are written, the lease is given up (other workers may take the
        sessions over at once), then every client connection is closed with 1013: clients
        reconnect and resume on another worker from the checkpoints.
        """
        if self.draining:
            return
        self.draining = True
        sessions = list(self.manager)
        if sessions:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*(s.checkpoint() for s in sessions), return_exceptions=True),
                    REDIS_TIMEOUT_S,
                )
        with contextlib.suppress(RedisError, OSError):
            await self.redis.delete(lease_key(self.prefix, self.worker_id))
            await self.redis.publish(control_channel(self.prefix), f"dead {self.worker_id}")
        for session in sessions:
            self.manager.forget(session)
            if isinstance(session.peer, Connection):
                session.peer.close(CLOSE_TRY_AGAIN_LATER, "worker_restart")
            await session.close()
        for link in list(self.links.values()):
            link.owner_gone()
        logger.info("tempestweb: worker %s handed over %d session(s)", self.worker_id, len(sessions))

    async def stop(self) -> None:
        """Leave: drain if not done, stop the background tasks, close the Redis connections."""
        await self.drain()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(RedisError, OSError):
            if self._pubsub is not None:
                await self._pubsub.aclose()
            await self.redis.aclose()

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _renew_lease(self) -> None:
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(lease_key(self.prefix, self.worker_id), b"1", px=int(LEASE_TTL_S * 1000))
        if self._secret is not None:  # back in Redis if it lost its data: a new worker finds it
            pipe.set(secret_key(self.prefix), self._secret, nx=True)
        await pipe.execute()

    async def _keep_lease(self) -> None:
        rounds = 0
        outage = self.outage
        while not self.draining:
            await asyncio.sleep(LEASE_RENEW_INTERVAL_S)
            rounds += 1
            try:
                await self._renew_lease()
                await self._check_peers()
                if rounds % self._refresh_every == 0:
                    await self._refresh_records()
            except (RedisError, OSError) as exc:
                outage.failed(exc)
            else:
                outage.ok()

    async def _check_peers(self) -> None:
        """Treat a worker this one relays to or for as dead once its lease is gone.

        Its supervisor announces a death at once; this catches the deaths nobody announced (a
        machine lost with its supervisor) within ``LEASE_TTL_S`` + ``LEASE_RENEW_INTERVAL_S``.
        """
        peers = sorted({link.owner for link in self.links.values()} | {h.pipe for h in self.hosted.values()})
        if not peers:
            return
        pipe = self.redis.pipeline(transaction=False)
        for worker_id in peers:
            pipe.exists(lease_key(self.prefix, worker_id))
        alive = await pipe.execute()
        for worker_id, exists in zip(peers, alive, strict=True):
            if not exists:
                self._on_control(f"dead {worker_id}".encode())

    async def _refresh_records(self) -> None:
        """Keep the records of this worker's sessions alive (a connected session may be idle)."""
        pipe = self.redis.pipeline(transaction=False)
        for session in self.manager:
            pipe.pexpire(self._session_key(session.id), self._record_ttl_ms)
        await pipe.execute()

    # -- messages --------------------------------------------------------------------------------
    async def publish(self, worker_id: str, message: RelayMessage, /) -> int:
        """Send ``message`` to a worker.

        Args:
            worker_id: The receiving worker.
            message: The message.

        Returns:
            How many subscribers got it: 0 when that worker is gone (or cut off from Redis).

        """
        try:
            receivers: int = await self.redis.publish(self.channel(worker_id), encode_message(message))
        except (RedisError, OSError) as exc:
            self.outage.failed(exc)  # one line per outage, not one per relayed frame
            return 0
        return receivers

    def new_link_id(self) -> str:
        """Return an id for a relayed connection, unique in the cluster."""
        self._links_made += 1
        return f"{self.worker_id}/{self._links_made}"

    async def _listen(self) -> None:
        control = control_channel(self.prefix).encode()
        while True:
            try:
                async for item in self._pubsub.listen():
                    if item.get("type") != "message":
                        continue
                    if item["channel"] == control:
                        self._on_control(bytes(item["data"]))
                    else:
                        self._on_message(decode_message(bytes(item["data"])))
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:  # Redis went away: the lease loop reports its end
                self.outage.failed(exc)
                await asyncio.sleep(LEASE_RENEW_INTERVAL_S)
            except Exception:  # a bug in handling a message: its traceback, then listen on
                logger.exception("tempestweb: worker %s: relay listener failed", self.worker_id)
                await asyncio.sleep(LEASE_RENEW_INTERVAL_S)

    def _on_control(self, data: bytes) -> None:
        verb, _, worker_id = data.decode("utf-8", "replace").partition(" ")
        if verb != "dead" or worker_id == self.worker_id:
            return
        for link in [link for link in self.links.values() if link.owner == worker_id]:
            link.owner_gone()
        for hosted in [hosted for hosted in self.hosted.values() if hosted.pipe == worker_id]:
            hosted.gone()
        self.uploads.peer_dead(worker_id)

    def _on_message(self, message: RelayMessage | None) -> None:
        if message is None:
            return
        kind = message.kind
        if kind.startswith("upload"):
            self.uploads.on_message(message)
        elif kind == "open":
            if message.link not in self.hosted:
                hosted = HostedLink(self, message.link, message.sender)
                self.hosted[message.link] = hosted
                hosted.start(message.data)
        elif kind == "post":
            if self.channels is not None:
                session, _, token = message.link.partition("\0")
                self._spawn(self.channels.feed((session, token), message.data, message.stream))
        elif message.link in self.links:
            self.links[message.link].on_message(message)
        elif message.link in self.hosted:
            self.hosted[message.link].on_message(message)

    # -- ownership and checkpoints ---------------------------------------------------------------
    async def store(self, session_id: str, checkpoint: bytes, /) -> bool:
        """Store a session's checkpoint if this worker owns the session (or nobody does).

        Args:
            session_id: The session.
            checkpoint: The encoded checkpoint.

        Returns:
            ``False`` when another worker owns the session, or Redis stayed unreachable for
            ``CHECKPOINT_WRITE_ATTEMPTS`` tries.

        """
        delay = CHECKPOINT_RETRY_DELAY_S
        for attempt in range(CHECKPOINT_WRITE_ATTEMPTS):
            try:
                stored = await self._store(
                    keys=[self._session_key(session_id)],
                    args=[self.worker_id, checkpoint, self._record_ttl_ms],
                )
                return bool(stored)
            except (RedisError, OSError) as exc:
                self.outage.failed(exc)  # the outage's one line; the session's end is logged once
                if attempt + 1 < CHECKPOINT_WRITE_ATTEMPTS:
                    await asyncio.sleep(delay)
                    delay *= 2
        return False

    async def drop(self, session_id: str, /) -> None:
        """Delete a session's record if this worker owns it (the session expired or closed)."""
        with contextlib.suppress(RedisError, OSError):
            await self._delete_if(keys=[self._session_key(session_id)], args=[self.worker_id])

    def evict(self, session: HostSession, /) -> None:
        """Stop serving ``session`` here: another worker owns it, or its checkpoint cannot be stored.

        Its client connection ends with ``error{internal, fatal}`` and 1011: the client
        reconnects and resumes from the last durable checkpoint wherever it lands.

        Args:
            session: The session.

        """
        self.manager.forget(session)
        peer = session.peer
        if isinstance(peer, Connection):
            peer.fail("internal", "this worker no longer serves the session; resuming", CLOSE_INTERNAL_ERROR)

    def _drop_stale(self, session: HostSession, /) -> None:
        """Drop a copy of a session that another worker took over since; its client resumes there."""
        logger.warning(
            "tempestweb: worker %s: session %s was taken over by another worker; dropping the copy here",
            self.worker_id,
            session.id[:8],
        )
        self.evict(session)
        self._spawn(session.close())

    async def locate(self, session_id: str, /) -> Route:
        """Find where a resuming client's session is served; take it over if its owner is gone.

        Args:
            session_id: The session id of a client's ``hello`` (its token already verified).

        Returns:
            The route. When this worker takes the session over, the session is restored from
            its checkpoint into the local table before this returns.

        Raises:
            RedisError: Redis is unreachable (and the session is not live here).
            SessionRefused: The session would be restored here, but the table is full.

        A session live here is served here only while Redis still names this worker its owner
        (or has no record of it): a copy whose session another worker took over (this worker's
        lease lapsed while Redis was paused or its loop was blocked) is stale. It is dropped,
        and the client reaches the session where it is served now.

        """
        local = self.manager.live(session_id)
        try:
            reply = await self._claim(
                keys=[self._session_key(session_id)],
                args=[self.worker_id, lease_key(self.prefix, ""), self._record_ttl_ms],
            )
        except (RedisError, OSError):
            if local is not None:  # Redis is out: this copy is all there is (its writes stay fenced)
                return Route(None)
            raise
        status = bytes(reply[0]).decode()
        current = self.manager.live(session_id)
        if current is not None and current is not local:  # restored meanwhile by another connection
            return Route(None)
        if current is not None:
            if status in ("mine", "none"):
                return Route(None)
            self._drop_stale(current)  # another worker serves it, or served it after this one
        if status == "none":
            return Route(None)
        if status == "alive":
            return Route(bytes(reply[1]).decode())
        checkpoint = bytes(reply[1]) if len(reply) > 1 and reply[1] else None
        if self._restore(session_id, checkpoint):
            return Route(None)
        self._spawn(self.drop(session_id))
        return Route(None, LOST_NOTICE)

    def _restore(self, session_id: str, checkpoint: bytes | None) -> bool:
        """Restore a session from its checkpoint into the table; ``False`` when it cannot be.

        A checkpoint that is corrupt, out of range or whose path this version refuses (one an
        older version accepted, during a rolling deploy) is not restorable: the client gets a
        new session with the lost notice, never a refusal it would retry for good.
        """
        record = None if checkpoint is None else read_record(checkpoint)
        if record is None:
            if checkpoint is not None:
                logger.warning(
                    "tempestweb: session %s has a corrupt checkpoint; a new one replaces it", session_id[:8]
                )
            return False
        try:
            session = self.manager.build(session_id, record.path)
        except SessionError as exc:  # a path this version refuses, or the app's state factory raised
            logger.warning(
                "tempestweb: session %s cannot be restored (%s); a new one replaces it", session_id[:8], exc
            )
            return False
        restored, state = decode_state(record, like=type(session.core.state))
        if restored:
            session.restore(state, last_event_id=record.last_event_id, seq=record.seq)
            try:
                session.mount()
            except Exception as exc:
                logger.error("restoring session %s: the view raised %s", session_id[:8], exc)
                restored = False
        if not restored:
            session.closed = True
            logger.warning("tempestweb: session %s cannot be restored; a new one replaces it", session_id[:8])
            return False
        self.manager.adopt(session)
        logger.info(
            "tempestweb: worker %s took session %s over (event %d, seq %d)",
            self.worker_id,
            session_id[:8],
            record.last_event_id,
            record.seq,
        )
        return True

    # -- SSE streams -----------------------------------------------------------------------------
    async def hold_stream(self, key: tuple[str, str], stream: str | None, /) -> None:
        """Record that this worker holds the SSE stream of ``(session, token)``, and its id.

        Args:
            key: ``(session, token)`` of the stream.
            stream: The id the stream's ``GET`` named (``None``: none): a worker a POST of
                another stream reaches refuses it as this one would (:meth:`stream_holder`).

        """
        await self._stream_turn(key, functools.partial(self._set_holder, stream=stream))

    def hold_stream_soon(self, key: tuple[str, str], stream: str | None, /) -> None:
        """As :meth:`hold_stream`, in a task; its turn among the key's writes is taken now."""
        self._spawn(self._stream_turn(key, functools.partial(self._set_holder, stream=stream)))

    def release_stream(self, key: tuple[str, str], /) -> None:
        """Forget, in a task, that this worker holds that stream (unless another worker took it).

        Its turn among the key's writes is taken now.
        """
        self._spawn(self._stream_turn(key, self._delete_holder))

    def _stream_turn(
        self, key: tuple[str, str], write: Callable[[str], Awaitable[object]], /
    ) -> Awaitable[None]:
        """Run ``write`` on the route key of ``key`` after the writes to it asked for before.

        A dropped stream's release and the next stream's hold of the same session and token,
        both on this worker, went to Redis on two connections of the pool in either order: a
        release landing after the hold deleted the new stream's route (it holds this worker's id
        too), and a POST reaching another worker then found no stream (404). The turn is taken
        when this is called, not when the returned awaitable first runs (a task may start later).
        """
        name = self._stream_key(key)
        previous = self._stream_turns.get(name)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._stream_turns[name] = done

        async def turn() -> None:
            try:
                if previous is not None:
                    await asyncio.shield(previous)
                with contextlib.suppress(RedisError, OSError):
                    await write(name)
            finally:
                done.set_result(None)
                if self._stream_turns.get(name) is done:
                    del self._stream_turns[name]

        return turn()

    async def _set_holder(self, name: str, *, stream: str | None) -> None:
        """Write the route and its stream record together (MULTI: a reader sees both or neither)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(name, self.worker_id, ex=SSE_ROUTE_TTL_S)
        pipe.set(_stream_record(name), f"{self.worker_id}\0{stream or ''}", ex=SSE_ROUTE_TTL_S)
        await pipe.execute()

    async def _delete_holder(self, name: str) -> None:
        await self._release_stream(
            keys=[name, _stream_record(name)], args=[self.worker_id, f"{self.worker_id}\0"]
        )

    async def stream_holder(self, key: tuple[str, str], /) -> StreamHolder | None:
        """Find the other worker holding the SSE stream of ``(session, token)``, and its stream id.

        The route and its stream record are read in one round trip (``MGET``). A record is
        taken only when the route's worker wrote it: an older worker writes the route alone
        (a rolling deploy), so a record left by a worker that held the stream before is not
        its stream's id.

        Args:
            key: ``(session, token)`` of the stream.

        Returns:
            ``None`` when no worker, or this one, holds it, or Redis is unreachable.

        """
        name = self._stream_key(key)
        try:
            holder, record = await self.redis.mget(name, _stream_record(name))
        except (RedisError, OSError):
            return None
        if holder is None or _text(holder) == self.worker_id:
            return None
        worker = _text(holder)
        if record is not None:
            writer, sep, stream = _text(record).rpartition("\0")
            if sep and writer == worker:
                return StreamHolder(worker, True, stream or None)
        return StreamHolder(worker, False, None)

    async def relay_post(self, holder: str, key: tuple[str, str], body: bytes, stream: str | None, /) -> bool:
        """Pass a POST body to the worker holding the stream of ``(session, token)``.

        Args:
            holder: That worker (:meth:`stream_holder`).
            key: ``(session, token)`` of the stream.
            body: The POST body.
            stream: The stream id the POST named (``None``: none); the holder feeds the body
                only to the stream of that id (``SseChannels.feed``).

        Returns:
            ``False`` when that worker is gone (nobody received it).

        """
        message = RelayMessage("post", f"{key[0]}\0{key[1]}", self.worker_id, body, stream=stream or "")
        return await self.publish(holder, message) > 0


async def _push_as_is(response: Any) -> Any:
    """Return a pub/sub message as it came.

    redis-py 8.1's default handler formats every message into a debug log line it then drops
    (redis-py #4230): a relayed 64 KiB upload chunk cost 1 ms of CPU. Set once the subscriber's
    connection is up, on RESP3 parsers only (`Cluster.start`); ``pubsub.connect()`` sets it
    again on each reconnect.
    """
    return response


def _stream_record(name: str, /) -> str:
    """Return the key of the stream record beside the SSE route key ``name``."""
    return f"{name}:stream"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


def _safe_url(url: str) -> str:
    """``url`` without a password."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.rpartition("@")[2]
    return scheme + sep + rest
