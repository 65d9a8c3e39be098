"""Typed configuration of the Mode B host."""

from __future__ import annotations

import math
from pathlib import PurePath
from typing import Literal

import msgspec

from tempest_core.host import MAX_PENDING_UPLOAD_BYTES
from tempestweb_contract.constants import (
    MAX_FRAME_BYTES,
    MAX_INBOX_BYTES,
    MAX_OUTBOX_BYTES,
    MIN_FRAME_BYTES,
    PING_INTERVAL_S,
    SESSION_RECOVERY_WINDOW_S,
)
from tempestweb_contract.project import ProjectConfig
from tempestweb_server._origin import host_name
from tempestweb_server.constants import (
    DEFAULT_BODY_MIN_RATE,
    DEFAULT_BODY_TIMEOUT_S,
    DEFAULT_HANDSHAKE_TIMEOUT_S,
    DEFAULT_HOST,
    DEFAULT_MAX_HANDSHAKES,
    DEFAULT_MAX_LOOP_LAG_S,
    DEFAULT_MAX_SESSIONS,
    DEFAULT_MAX_TOTAL_QUEUE_BYTES,
    DEFAULT_MAX_TOTAL_REPLAY_BYTES,
    DEFAULT_PORT,
    DEFAULT_SEND_TIMEOUT_S,
    DEFAULT_WORKER_TIMEOUT_S,
)
from tempestweb_server.errors import ConfigError

__all__ = ["ServerConfig"]

REDIS_URL_SCHEMES = ("redis://", "rediss://", "unix://")
"""URL schemes of ``ServerConfig.redis`` (redis-py's ``from_url``)."""

MIN_SECRET_CHARS = 32
"""Shortest accepted ``ServerConfig.secret``, in characters."""

MAX_WORKERS = 256
"""Most worker processes of one supervisor (``ServerConfig.workers``): a typo such as
``--workers 4000`` is refused instead of forking thousands of processes of about 50 MiB each."""

_MAX_PORT = 65535


class ServerConfig(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Options of :func:`~tempestweb_server.create_app` and :func:`~tempestweb_server.serve`.

    Attributes:
        host: Interface to bind, e.g. ``"127.0.0.1"`` or ``"0.0.0.0"``.
        port: TCP port, 0..65535 (0 lets the OS pick one).
        allowed_origins: Extra ``Origin`` values (``scheme://host[:port]``) accepted for
            WebSocket, SSE and POST besides the request's own host; ``"*"`` disables the check.
        allowed_hosts: Names a browser may use to reach a server on a loopback address (the
            default host, or a proxy on the same machine), besides IP addresses and
            ``localhost``: ``app.example.com``, or
            ``.example.com`` for a domain and its subdomains; ``"*"`` allows any. Other names
            get ``400`` (a WebSocket handshake ``403``): the DNS rebinding guard
            (:func:`~tempestweb_server._origin.host_allowed`). Behind a reverse proxy that
            passes the public ``Host`` (``proxy_set_header Host $host``), list that name.
        recovery_window_s: How long a disconnected session is kept for a resume, in seconds.
        max_frame_bytes: Largest inbound frame, in bytes: ``MIN_FRAME_BYTES`` (64 KiB: a
            ``hello`` with the longest location fits) to ``MAX_FRAME_BYTES`` (16 MiB). The
            client learns it from ``init`` and does not send a larger frame.
        max_queue_bytes: Most bytes of outgoing frames queued for one connection (a client that
            does not read) before it ends with ``error{queue_overflow, fatal}`` and close 1013.
        max_total_queue_bytes: Most bytes of outgoing frames queued by all connections of the
            process together; past it the connection whose frame does not fit ends as above.
        max_total_replay_bytes: Most bytes of unacknowledged patch batches that all sessions of
            the process keep together for a resume (each keeps at most ``MAX_REPLAY_BYTES``,
            8 MiB), >= 1; default 256 MiB. Past it, the sessions keeping the most lose their
            whole replay, the largest first, until an eighth of it is free: their
            clients lose no event, a resume gets ``init{reset: true}`` (a full resync) instead
            of the missed batches (docs/protocol.md, "Resume").
        max_inbox_bytes: Most bytes of received frames a session holds before its handlers take
            them; past it the connection ends as above (the client resumes and re-sends).
        max_sessions: Most live sessions (connected or in their recovery window); a new page
            past it closes the oldest disconnected session, or gets 503 when all are connected
            (a ``hello`` gets ``error{server_busy, fatal}`` and close 1013).
        max_loop_lag_s: Admission control: while the event loop runs this late on average
            (seconds, smoothed over about one second), or while more than half of
            ``max_total_queue_bytes`` waits for slow clients, new sessions are refused as past
            ``max_sessions``; existing sessions keep being served and resume freely.
            ``math.inf`` turns the lag signal off.
        ping_interval_s: Interval between server keep-alive pings, in seconds.
        handshake_timeout_s: Seconds a new WebSocket or SSE stream may wait for its ``hello``;
            past it the host sends ``error{handshake_timeout, fatal}`` and closes (1008; the
            client reconnects).
        send_timeout_s: Seconds a write may wait for the client to take data (Hypercorn, the
            default server, and Uvicorn): a connection whose client stops reading (its
            socket buffers full) is aborted after it, freeing its socket and kernel buffers, and its session
            waits for a resume as after any dropped connection (Cowboy's ``send_timeout``);
            > 0, default 30.
        max_handshakes: Most connections waiting for their ``hello`` at once (>= 1); past it a
            new WebSocket gets ``error{server_busy, fatal}`` and close 1013, a new SSE stream 503.
        body_timeout_s: Seconds every POST body (an SSE ``/_tw/send``, an ``/_tw/upload``) has,
            plus a second per ``body_min_rate`` bytes that arrived; past it the POST is answered
            ``408`` (``request_timeout``; an upload ``upload_failed``) and its connection freed.
            Apache ``mod_reqtimeout``'s rule and defaults.
        body_min_rate: Bytes per second of a POST body that extend its time by a second (>= 1).
        max_upload_bytes: Most bytes the uploaded files waiting for their FileUpload handler hold
            together in the process, memory and disk (>= 1); past it an upload gets ``429``
            ``too_many_uploads``. At most 64 MiB of them stay in memory, the rest is on disk.
        asgi_server: The ASGI server: ``"hypercorn"`` (default, ``wsproto``), ``"uvicorn"``
            (``websockets``; extra ``tempestweb-server[uvicorn]``) or ``"granian"`` (Rust; extra
            ``tempestweb-server[granian]``; no permessage-deflate, so ``ws_compression="off"``;
            one worker). docs/benchmarks.md compares them.
        event_loop: The asyncio event loop the server runs on: ``"auto"`` (default: uvloop,
            libuv's loop for asyncio, where it is installed, as it is with tempestweb-server on
            CPython outside Windows; asyncio's own loop under Granian or where uvloop is
            missing), ``"uvloop"`` (required: a ``ConfigError`` at start where it is missing) or
            ``"asyncio"``. Uvicorn's ``--loop`` rule; docs/benchmarks.md measures both.
        ws_compression: WebSocket permessage-deflate (RFC 7692) when the browser offers it:
            ``"no_context_takeover"`` (default: each message compressed on its own, so an idle
            connection holds no zlib state; a message under 128 bytes goes uncompressed and a
            larger one gets a compressor window sized to it, RFC 7692 §6 and §7.1.2; Hypercorn
            only), ``"context_takeover"`` (better ratio, about 100 KiB
            of zlib state per connection for its lifetime) or ``"off"``.
        title: Page title of the HTML shell; ``None`` uses the app's ``title``.
        head_extra: Trusted HTML appended to ``<head>`` (e.g. stylesheet ``<link>`` tags).
        client_dir: Directory of the JS client modules; ``None`` uses
            ``tempestweb_contract.client_dir()``.
        transport: Client transport written into the shell's ``data-tw-transport``: ``"auto"``
            (WebSocket, falling back to SSE + POST), ``"ws"`` or ``"sse"``.
        debug: Log every frame, and show error details in the page as ``errors="traceback"`` does.
        errors: What the page shows when app code fails (a handler, the view, a hot reload):
            ``"generic"`` a generic message with the error id of the server log's traceback;
            ``"traceback"`` the exception and its traceback, the app's frames first, in the
            client's error overlay (and on the page of a failed first render).
            ``tempestweb dev`` uses ``"traceback"``.
        assets: Globs of the app's static files, relative to ``app_dir`` (``pathlib`` syntax,
            ``**`` recurses; the same as ``[wasm].assets``), e.g. ``("static/*",)``. Each matched
            file is served at ``/<its path relative to app_dir>`` (``GET``/``HEAD``, ``ETag``,
            ``Cache-Control: no-cache``), ahead of the app's pages for exactly those paths. The
            globs are resolved once, by :func:`~tempestweb_server.create_app`.
        scripts: Paths of classic scripts, relative to ``app_dir``, every page loads with
            ``<script src="/<path>">`` before the client, in order (``[wasm].scripts``: a
            capability's JS library); each is served like an asset. Same-origin, so the shell's
            ``script-src 'self'`` allows them.
        app_dir: The app folder ``assets`` are relative to. The ``server`` mode of the CLI
            (``tempestweb run``/``dev``) sets it to the app file's folder; programmatic
            :func:`~tempestweb_server.create_app`/:func:`~tempestweb_server.serve` callers with
            ``assets`` must set it. A ``pathlib.Path`` is accepted by :meth:`from_options`.
        workers: Worker processes serving the app on one port (``tempestweb run --workers``),
            1..``MAX_WORKERS`` (256); more than one needs ``redis``. A supervisor restarts a
            worker that dies and rolls the workers over on SIGHUP (docs/deployment.md).
        redis: Redis URL (``redis://host:6379/0``, ``rediss://``, ``unix:///path``) the workers
            share: session ownership, checkpoints, relayed frames and the token key, so that a
            client reaches its session from any worker and a session outlives its worker.
            ``None``: one process, sessions in memory.
        worker_timeout_s: With several workers, a worker whose event loop sent its supervisor
            no heartbeat for this long (a handler blocking the loop, a process stopped or
            swapped out) is killed and restarted, and its sessions are taken over by the
            others, as gunicorn's ``--timeout`` does; > 0 seconds, default 30.
        secret: Key of the session-bound tokens (at least 32 characters; pass it from the
            environment, never from a committed file). ``None``: shared through ``redis``
            when set, else random per process.

    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    allowed_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    recovery_window_s: float = SESSION_RECOVERY_WINDOW_S
    max_frame_bytes: int = MAX_FRAME_BYTES
    max_queue_bytes: int = MAX_OUTBOX_BYTES
    max_total_queue_bytes: int = DEFAULT_MAX_TOTAL_QUEUE_BYTES
    max_total_replay_bytes: int = DEFAULT_MAX_TOTAL_REPLAY_BYTES
    max_inbox_bytes: int = MAX_INBOX_BYTES
    max_sessions: int = DEFAULT_MAX_SESSIONS
    max_loop_lag_s: float = DEFAULT_MAX_LOOP_LAG_S
    ping_interval_s: float = PING_INTERVAL_S
    handshake_timeout_s: float = DEFAULT_HANDSHAKE_TIMEOUT_S
    send_timeout_s: float = DEFAULT_SEND_TIMEOUT_S
    max_handshakes: int = DEFAULT_MAX_HANDSHAKES
    body_timeout_s: float = DEFAULT_BODY_TIMEOUT_S
    body_min_rate: int = DEFAULT_BODY_MIN_RATE
    max_upload_bytes: int = MAX_PENDING_UPLOAD_BYTES
    asgi_server: Literal["hypercorn", "uvicorn", "granian"] = "hypercorn"
    event_loop: Literal["auto", "uvloop", "asyncio"] = "auto"
    ws_compression: Literal["no_context_takeover", "context_takeover", "off"] = "no_context_takeover"
    title: str | None = None
    head_extra: str = ""
    client_dir: str | None = None
    transport: Literal["auto", "ws", "sse"] = "auto"
    debug: bool = False
    errors: Literal["generic", "traceback"] = "generic"
    assets: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    app_dir: str | None = None
    workers: int = 1
    redis: str | None = None
    worker_timeout_s: float = DEFAULT_WORKER_TIMEOUT_S
    secret: str | None = None

    def __post_init__(self) -> None:
        """Validate value ranges.

        Raises:
            ConfigError: A port outside 0..65535, a non-positive or non-finite duration, a
                frame limit outside 1..``MAX_FRAME_BYTES``, a queue or session bound below 1,
                ``assets``/``scripts`` without ``app_dir``, ``workers`` outside
                1..``MAX_WORKERS``, or above 1 without ``redis`` or with another ``asgi_server``
                than Hypercorn, a ``redis`` URL of another scheme, or a ``secret`` shorter than
                32 characters.

        """
        if not 0 <= self.port <= _MAX_PORT:
            raise ConfigError(f"ServerConfig.port: expected 0..{_MAX_PORT}, got {self.port}")
        for name in (
            "recovery_window_s",
            "ping_interval_s",
            "handshake_timeout_s",
            "send_timeout_s",
            "body_timeout_s",
            "worker_timeout_s",
        ):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ConfigError(f"ServerConfig.{name}: expected a positive number of seconds, got {value}")
        if not self.max_loop_lag_s > 0:  # also NaN; inf is allowed (no lag signal)
            lag = self.max_loop_lag_s
            raise ConfigError(
                f"ServerConfig.max_loop_lag_s: expected a positive number of seconds, got {lag}"
            )
        if not MIN_FRAME_BYTES <= self.max_frame_bytes <= MAX_FRAME_BYTES:
            raise ConfigError(
                f"ServerConfig.max_frame_bytes: expected {MIN_FRAME_BYTES}..{MAX_FRAME_BYTES} "
                f"(64 KiB to 16 MiB), got {self.max_frame_bytes}"
            )
        for name in (
            "max_queue_bytes",
            "max_total_queue_bytes",
            "max_total_replay_bytes",
            "max_inbox_bytes",
            "max_upload_bytes",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"ServerConfig.{name}: expected >= 1 byte, got {getattr(self, name)}")
        for name in ("max_sessions", "max_handshakes", "body_min_rate"):
            if getattr(self, name) < 1:
                raise ConfigError(f"ServerConfig.{name}: expected >= 1, got {getattr(self, name)}")
        for allowed in self.allowed_hosts:
            name = allowed.lower().removeprefix(".").rstrip(".")
            if allowed != "*" and (":" in allowed or host_name(name) != name):
                raise ConfigError(
                    f"ServerConfig.allowed_hosts: {allowed[:100]!r} is not a host name "
                    "(app.example.com, .example.com for a domain and its subdomains, or *)"
                )
        for name in ("assets", "scripts"):
            if getattr(self, name) and self.app_dir is None:
                raise ConfigError(
                    f"ServerConfig.{name}: needs ServerConfig.app_dir, the folder they are relative to"
                )
        self._check_cluster()

    def _check_cluster(self) -> None:
        if not 1 <= self.workers <= MAX_WORKERS:
            raise ConfigError(f"ServerConfig.workers: expected 1..{MAX_WORKERS}, got {self.workers}")
        if self.workers > 1 and self.redis is None:
            raise ConfigError(
                f"ServerConfig.workers: {self.workers} workers need ServerConfig.redis (--redis URL), "
                "where they share their sessions"
            )
        if self.workers > 1 and self.asgi_server != "hypercorn":
            raise ConfigError(
                f"ServerConfig.workers: {self.workers} workers share one listening socket under "
                f"Hypercorn only; got asgi_server {self.asgi_server!r}"
            )
        if self.redis is not None and not self.redis.startswith(REDIS_URL_SCHEMES):
            raise ConfigError(
                f"ServerConfig.redis: expected a URL starting with {', '.join(REDIS_URL_SCHEMES)}, "
                f"got {self.redis.partition(':')[0]!r}"
            )
        if self.secret is not None and len(self.secret) < MIN_SECRET_CHARS:
            raise ConfigError(
                f"ServerConfig.secret: expected at least {MIN_SECRET_CHARS} characters, "
                f"got {len(self.secret)}"
            )

    @classmethod
    def from_project(cls, project: ProjectConfig, /, **overrides: object) -> ServerConfig:
        """Build the config of a project: its ``tempestweb.toml``, then ``overrides`` (CLI flags).

        ``[server]`` keys that are set become fields; ``[wasm].assets`` and ``[wasm].scripts``
        apply too (:attr:`ProjectConfig.server_assets <tempestweb_contract.project.ProjectConfig>`),
        ``[app] title`` is the page title and the app folder is ``app_dir``.

        Args:
            project: The parsed project (``tempestweb_contract.project.load_project``).
            **overrides: Field name -> value, winning over the project's values.

        Returns:
            The validated config.

        Raises:
            ConfigError: An unknown override or a value of the wrong type or range.

        """
        options: dict[str, object] = {
            key: value for key, value in msgspec.structs.asdict(project.server).items() if value is not None
        }
        options.update(assets=project.server_assets, scripts=project.wasm.scripts)
        if project.app.title is not None:
            options["title"] = project.app.title
        if project.directory is not None:
            options["app_dir"] = project.directory.absolute()
        return cls.from_options({**options, **overrides})

    @classmethod
    def from_options(cls, options: dict[str, object], /) -> ServerConfig:
        """Build a config from loosely typed options (CLI flags, ``tempestweb.toml`` values).

        Args:
            options: Field name -> value; lists are accepted for ``allowed_origins``,
                ``allowed_hosts``, ``assets`` and ``scripts``, a ``pathlib.Path`` for
                ``app_dir`` and ``client_dir``.

        Returns:
            The validated config.

        Raises:
            ConfigError: An unknown option or a value of the wrong type or range.

        """
        options = {key: str(val) if isinstance(val, PurePath) else val for key, val in options.items()}
        try:
            return msgspec.convert(options, cls, strict=False)
        except msgspec.ValidationError as exc:
            text = str(exc)
            raise ConfigError(text if text.startswith("ServerConfig.") else f"ServerConfig: {text}") from None
