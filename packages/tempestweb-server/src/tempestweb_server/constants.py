"""Every limit, timing and fixed header value of the Mode B host, with units in the names.

Wire-level limits (``MAX_FRAME_BYTES``, ``MAX_UNACKED_BATCHES``, ``PING_INTERVAL_S``,
``SESSION_RECOVERY_WINDOW_S``) live in :mod:`tempestweb_contract.constants` and are the defaults
of :class:`~tempestweb_server.config.ServerConfig`; endpoint paths and page names live in
:mod:`tempestweb_contract.names`.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "BODY_DRAIN_MAX_BYTES",
    "BODY_DRAIN_TIMEOUT_S",
    "ADMISSION_QUEUE_SHARE",
    "CLOSE_DRAIN_TIMEOUT_S",
    "DEFAULT_BODY_MIN_RATE",
    "DEFAULT_BODY_TIMEOUT_S",
    "DEFAULT_HANDSHAKE_TIMEOUT_S",
    "DEFAULT_MAX_HANDSHAKES",
    "DEFAULT_MAX_LOOP_LAG_S",
    "GC_FREEZE_INTERVAL_S",
    "GC_FULL_COLLECTION_INTERVAL_S",
    "GC_THRESHOLDS",
    "LOAD_LAG_SMOOTHING",
    "LOAD_SAMPLE_INTERVAL_S",
    "CLIENT_IMMUTABLE_MAX_AGE_S",
    "CONTENT_SECURITY_POLICY",
    "DEFAULT_HOST",
    "DEFAULT_MAX_TOTAL_QUEUE_BYTES",
    "DEFAULT_MAX_TOTAL_REPLAY_BYTES",
    "DEFAULT_MAX_SESSIONS",
    "DEFAULT_PORT",
    "DEFAULT_SEND_TIMEOUT_S",
    "DEFAULT_WORKER_TIMEOUT_S",
    "JANITOR_INTERVAL_S",
    "KEEPALIVE_MISSED_PINGS",
    "REFERRER_POLICY",
    "SHUTDOWN_TIMEOUT_S",
    "SSE_HEARTBEAT_INTERVAL_S",
    "CHECKPOINT_RETRY_DELAY_S",
    "CHECKPOINT_WRITE_ATTEMPTS",
    "LEASE_RENEW_INTERVAL_S",
    "LEASE_TTL_S",
    "REDIS_KEY_PREFIX",
    "REDIS_MAX_CONNECTIONS",
    "REDIS_TIMEOUT_S",
    "ROUTE_RETRY_INTERVAL_S",
    "ROUTE_TIMEOUT_S",
    "SSE_ROUTE_TTL_S",
    "UPLOAD_RELAY_CHUNK_BYTES",
    "UPLOAD_RELAY_HEARTBEAT_S",
    "UPLOAD_RELAY_MAX_CHUNKS_IN_FLIGHT",
    "UPLOAD_RELAY_TIMEOUT_S",
    "UPLOAD_RELAY_WINDOW_CHUNKS",
    "WORKER_HEARTBEAT_INTERVAL_S",
    "WORKER_READY_TIMEOUT_S",
    "WORKER_RESTART_DELAY_S",
    "WORKER_RESTART_MAX_DELAY_S",
    "WORKER_STABLE_S",
    "WORKER_STOP_TIMEOUT_S",
    "WS_CHEAP_FRAMES_PER_S",
    "WS_CHEAP_FRAME_BURST",
    "WS_SMALL_FRAGMENT_BYTES",
]

DEFAULT_HOST: Final = "127.0.0.1"
"""Interface the server binds to by default (loopback only)."""

DEFAULT_PORT: Final = 8000
"""TCP port the server listens on by default."""

DEFAULT_MAX_TOTAL_QUEUE_BYTES: Final = 256 * 1024 * 1024
"""Default bound of the bytes all connections of one process may have queued, in bytes."""

DEFAULT_MAX_TOTAL_REPLAY_BYTES: Final = 256 * 1024 * 1024
"""Default bound of the bytes the replay buffers (unacknowledged patch batches kept for a resume)
of every session of one process may hold together, in bytes; past it the sessions keeping the
most lose their replay and resume with a full resync (``tempest_core.host.ReplayBudget``)."""

DEFAULT_MAX_SESSIONS: Final = 10_000
"""Most live sessions of one process; past it the oldest disconnected one is closed to make room,
and when every session is connected a new page gets ``503 Service Unavailable``."""

DEFAULT_HANDSHAKE_TIMEOUT_S: Final = 10.0
"""Seconds a new WebSocket or SSE stream may wait for its first frame (``hello``); past it the
host sends ``error{handshake_timeout, fatal}`` and closes (1008). The client sends ``hello`` as
soon as its connection opens, so only a stalled or hostile client gets there."""

DEFAULT_MAX_HANDSHAKES: Final = 1024
"""Most connections of one process waiting for their ``hello`` at once (about 42 KiB each
under Hypercorn); past it a new WebSocket gets ``error{server_busy, fatal}`` and close 1013, and
a new SSE stream ``503``. Bounds what idle connections opened by one client can hold."""

DEFAULT_BODY_TIMEOUT_S: Final = 20.0
"""Seconds every POST body (``/_tw/send``, ``/_tw/upload``) has, plus a second per
``DEFAULT_BODY_MIN_RATE`` bytes that arrived; past it the POST is answered ``408``. Apache
``mod_reqtimeout``'s default (``body=20``)."""

DEFAULT_BODY_MIN_RATE: Final = 500
"""Bytes per second of a POST body that extend its time by a second (``mod_reqtimeout``'s
``MinRate=500``): a body slower than this on average runs out of time."""

DEFAULT_MAX_LOOP_LAG_S: Final = 0.25
"""Smoothed event-loop lag past which a process refuses new sessions (``server_busy``), in
seconds: at 250 ms every existing session already waits that long for each event. (At 100 ms a
burst of 1,000 page loads on a busy 2-core machine was refused in part: bench/load.py.)"""

LOAD_SAMPLE_INTERVAL_S: Final = 0.1
"""Interval between two event-loop lag samples of the admission probe, in seconds."""

LOAD_LAG_SMOOTHING: Final = 0.2
"""Weight of the newest lag sample in the smoothed lag (an exponentially weighted mean over
about ten samples, one second)."""

ADMISSION_QUEUE_SHARE: Final = 0.5
"""Share of ``max_total_queue_bytes`` queued for slow clients past which new sessions are
refused (``server_busy``), so existing ones keep room before their own ``queue_overflow``."""
"""Outgoing frames one connection may have queued before it is closed with ``queue_overflow``."""

CLOSE_DRAIN_TIMEOUT_S: Final = 10.0
"""Longest time a closed WebSocket keeps reading (and discarding) what its client still sends,
until the client's disconnect, in seconds: Hypercorn's reader would otherwise block on the app
queue of a finished connection and keep it open until the server stops."""

JANITOR_INTERVAL_S: Final = 5.0
"""Longest interval between two sweeps for expired disconnected sessions, in seconds."""

SSE_HEARTBEAT_INTERVAL_S: Final = 15.0
"""Interval between SSE comment heartbeats keeping proxies from closing the stream, in seconds."""

SHUTDOWN_TIMEOUT_S: Final = 5.0
"""Grace period for open connections on SIGINT/SIGTERM before Hypercorn stops, in seconds."""

CLIENT_IMMUTABLE_MAX_AGE_S: Final = 365 * 24 * 3600
"""``max-age`` of client files requested with a ``?v=`` version query, in seconds."""

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; "
    "img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; "
    "require-trusted-types-for 'script'; trusted-types 'none'"
)
"""``Content-Security-Policy`` of the HTML shell (W3C CSP Level 3, Trusted Types).

Scripts come only from the server (no inline script, no eval; WebAssembly may compile, for
libraries an app declares in ``[wasm].scripts`` such as onnxruntime-web; Trusted Types with no
policy, so no string can become markup or code); images, media and fonts may also be ``data:``/``blob:``
URLs (generated charts, captured photos, embedded icons); plugins and ``<base>`` are refused."""

REFERRER_POLICY: Final = "same-origin"
"""``Referrer-Policy`` of every response (W3C Referrer Policy)."""


GC_FREEZE_INTERVAL_S: Final = 0.1
"""Seconds between two ``gc.freeze()`` of a serving process: automatic collections see only the
objects of the last interval (``tempestweb_server._collector``)."""

GC_FULL_COLLECTION_INTERVAL_S: Final = 120.0
"""Seconds between two full collections (frozen objects included) of a serving process: how long
garbage in reference cycles may wait. Each one traverses the whole heap (about 280 ms at 1,000
counter sessions, 600 ms at 2,000): rare enough that it delays under 0.5 % of the clicks."""

GC_THRESHOLDS: Final = (10_000, 20, 20)
"""``gc.set_threshold`` of a serving process: generation 0 collected every 10,000 net allocations
(CPython's default is 700), then as CPython does; see ``tempestweb_server.runner``."""

# -- WebSocket frames that reach no app (tempestweb_server._frame_guard) ------------------------------

WS_CHEAP_FRAME_BURST: Final = 256
"""Control frames and small continuation frames a WebSocket client may send at once before the
rate below applies (Hypercorn parses them without the app's pacing: each costs the event loop
tens of microseconds); one more fails the connection (``tempestweb_server._frame_guard``)."""

WS_CHEAP_FRAMES_PER_S: Final = 64.0
"""Rate at which a WebSocket client's budget of such frames refills, per second."""

WS_SMALL_FRAGMENT_BYTES: Final = 4096
"""Continuation frames with at least this many payload bytes cost nothing from that budget (their
parsing is paid for by their bytes); shorter ones cost one."""

# -- several workers on Redis (tempestweb_server._cluster, _relay, _supervisor) -------------------

REDIS_KEY_PREFIX: Final = "tempestweb:"
"""Prefix of every Redis key and channel of the cluster (one app per Redis database)."""

LEASE_TTL_S: Final = 5.0
"""Lifetime of a worker's lease in Redis, in seconds: a worker that stops renewing it (frozen, cut
off) loses its sessions to other workers this long after its last renewal. A supervisor deletes
the lease of a worker it sees die at once."""

LEASE_RENEW_INTERVAL_S: Final = 1.0
"""Interval between two renewals of a worker's lease, in seconds."""

ROUTE_RETRY_INTERVAL_S: Final = 0.1
"""Pause before routing a resuming client again when the worker owning its session did not
answer (it is stopping, and its lease is about to go), in seconds."""

ROUTE_TIMEOUT_S: Final = 8.0
"""Longest time a connection waits for its session to be routed before it is closed with 1013
(the client retries), in seconds; above ``LEASE_TTL_S``."""

REDIS_TIMEOUT_S: Final = 5.0
"""Socket timeout of every Redis command, and longest wait for a free pooled connection, in seconds."""

REDIS_MAX_CONNECTIONS: Final = 64
"""Connections a worker opens to Redis at most (checkpoints, relays, the subscriber); commands
beyond wait for a free one."""

CHECKPOINT_WRITE_ATTEMPTS: Final = 3
"""Tries to store one checkpoint when Redis is unreachable before the session is handed back."""

CHECKPOINT_RETRY_DELAY_S: Final = 0.1
"""Pause before the first retry of a checkpoint write, in seconds (doubled for each retry)."""

SSE_ROUTE_TTL_S: Final = 24 * 3600
"""Lifetime of the Redis record naming the worker that holds an SSE stream, in seconds."""

BODY_DRAIN_TIMEOUT_S: Final = 2.0
"""Longest time a POST refused before its body ended (an upload, an SSE ``/_tw/send``) keeps
reading (and discarding) the rest, so the client reads the answer rather than a connection reset,
in seconds (``tempestweb_server._body.discard_body``)."""

BODY_DRAIN_MAX_BYTES: Final = 64 * 1024 * 1024
"""Most bytes of a refused POST body read and discarded before the answer, in bytes."""

UPLOAD_RELAY_CHUNK_BYTES: Final = 64 * 1024
"""Largest piece of a FileUpload body in one Redis message when an upload is relayed to the
worker serving its session (``tempestweb_server._upload_relay``), in bytes."""

UPLOAD_RELAY_WINDOW_CHUNKS: Final = 4
"""Chunks of one relayed upload published ahead of the owner's acknowledgement (256 KiB)."""

UPLOAD_RELAY_MAX_CHUNKS_IN_FLIGHT: Final = 32
"""Chunks one worker has published and not yet seen acknowledged, over all the uploads it relays
(2 MiB): far below Redis's default ``client-output-buffer-limit pubsub 32mb 8mb 60``, at which
a slow subscriber is disconnected."""

UPLOAD_RELAY_TIMEOUT_S: Final = 5.0
"""Longest wait for the other worker of a relayed upload (the owner's answer or acknowledgement,
the relaying worker's next chunk or heartbeat) before it is given up as gone, in seconds."""

UPLOAD_RELAY_HEARTBEAT_S: Final = 1.0
"""Interval of the relaying worker's heartbeats while the client sends nothing, in seconds."""

WORKER_HEARTBEAT_INTERVAL_S: Final = 1.0
"""Interval of a worker's heartbeats to its supervisor, written by a task of its event loop (so a
loop that is blocked, or a process that is stopped, sends none), in seconds."""

KEEPALIVE_MISSED_PINGS: Final = 2
"""Keep-alive pings a connection may leave unanswered (no frame from its client for an interval
after each); at the next due time it is closed with 1011 ``ping_timeout``. With the default
``ping_interval_s`` of 20 s: after 60 s of silence, Phoenix's idle timeout for a socket whose
heartbeats stopped."""

DEFAULT_SEND_TIMEOUT_S: Final = 30.0
"""``ServerConfig.send_timeout_s``: a write that waits this long for the client to take the data
buffered before it (a ``drain()`` past the transport's high-water mark, or a close with data
unsent) aborts the connection, in seconds (Cowboy's and Ranch's ``send_timeout`` default)."""

DEFAULT_WORKER_TIMEOUT_S: Final = 30.0
"""``ServerConfig.worker_timeout_s``: a worker silent this long is killed and restarted, in
seconds (gunicorn's ``--timeout`` default)."""

WORKER_READY_TIMEOUT_S: Final = 60.0
"""Longest wait for a new worker to load the app and join the cluster, in seconds."""

WORKER_STOP_TIMEOUT_S: Final = 15.0
"""Longest wait for a worker to stop after SIGTERM before it is killed, in seconds."""

WORKER_RESTART_DELAY_S: Final = 0.5
"""Pause before a worker that died is started again, in seconds (doubled, up to
``WORKER_RESTART_MAX_DELAY_S``, while workers keep dying within ``WORKER_STABLE_S`` of start)."""

WORKER_RESTART_MAX_DELAY_S: Final = 10.0
"""Longest pause before restarting a crashing worker, in seconds."""

WORKER_STABLE_S: Final = 10.0
"""A worker alive this long after its start is stable: the restart delay starts over, in seconds."""
