"""Typed configuration of the Mode B host."""

from __future__ import annotations

import math
from pathlib import PurePath
from typing import Literal

import msgspec

from tempestweb_contract.constants import (
    MAX_FRAME_BYTES,
    MAX_INBOX_BYTES,
    MAX_OUTBOX_BYTES,
    PING_INTERVAL_S,
    SESSION_RECOVERY_WINDOW_S,
)
from tempestweb_contract.project import ProjectConfig
from tempestweb_server.constants import (
    DEFAULT_HOST,
    DEFAULT_MAX_SESSIONS,
    DEFAULT_MAX_TOTAL_QUEUE_BYTES,
    DEFAULT_PORT,
)
from tempestweb_server.errors import ConfigError

__all__ = ["ServerConfig"]

_MAX_PORT = 65535


class ServerConfig(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Options of :func:`~tempestweb_server.create_app` and :func:`~tempestweb_server.serve`.

    Attributes:
        host: Interface to bind, e.g. ``"127.0.0.1"`` or ``"0.0.0.0"``.
        port: TCP port, 0..65535 (0 lets the OS pick one).
        allowed_origins: Extra ``Origin`` values (``scheme://host[:port]``) accepted for
            WebSocket, SSE and POST besides the request's own host; ``"*"`` disables the check.
        recovery_window_s: How long a disconnected session is kept for a resume, in seconds.
        max_frame_bytes: Largest inbound frame, in bytes; at most ``MAX_FRAME_BYTES``.
        max_queue_bytes: Most bytes of outgoing frames queued for one connection (a client that
            does not read) before it ends with ``error{queue_overflow, fatal}`` and close 1013.
        max_total_queue_bytes: Most bytes of outgoing frames queued by all connections of the
            process together; past it the connection whose frame does not fit ends as above.
        max_inbox_bytes: Most bytes of received frames a session holds before its handlers take
            them; past it the connection ends as above (the client resumes and re-sends).
        max_sessions: Most live sessions (connected or in their recovery window); a new page
            past it closes the oldest disconnected session, or gets 503 when all are connected.
        ping_interval_s: Interval between server keep-alive pings, in seconds.
        title: Page title of the HTML shell; ``None`` uses the app's ``title``.
        head_extra: Trusted HTML appended to ``<head>`` (e.g. stylesheet ``<link>`` tags).
        client_dir: Directory of the JS client modules; ``None`` uses
            ``tempestweb_contract.client_dir()``.
        transport: Client transport written into the shell's ``data-tw-transport``: ``"auto"``
            (WebSocket, falling back to SSE + POST), ``"ws"`` or ``"sse"``.
        debug: Log every frame and include exception text in ``internal`` error frames.
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

    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    allowed_origins: tuple[str, ...] = ()
    recovery_window_s: float = SESSION_RECOVERY_WINDOW_S
    max_frame_bytes: int = MAX_FRAME_BYTES
    max_queue_bytes: int = MAX_OUTBOX_BYTES
    max_total_queue_bytes: int = DEFAULT_MAX_TOTAL_QUEUE_BYTES
    max_inbox_bytes: int = MAX_INBOX_BYTES
    max_sessions: int = DEFAULT_MAX_SESSIONS
    ping_interval_s: float = PING_INTERVAL_S
    title: str | None = None
    head_extra: str = ""
    client_dir: str | None = None
    transport: Literal["auto", "ws", "sse"] = "auto"
    debug: bool = False
    assets: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    app_dir: str | None = None

    def __post_init__(self) -> None:
        """Validate value ranges.

        Raises:
            ConfigError: A port outside 0..65535, a non-positive or non-finite duration, a
                frame limit outside 1..``MAX_FRAME_BYTES``, a queue or session bound below 1,
                or ``assets``/``scripts`` without ``app_dir``.

        """
        if not 0 <= self.port <= _MAX_PORT:
            raise ConfigError(f"ServerConfig.port: expected 0..{_MAX_PORT}, got {self.port}")
        for name in ("recovery_window_s", "ping_interval_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ConfigError(f"ServerConfig.{name}: expected a positive number of seconds, got {value}")
        if not 1 <= self.max_frame_bytes <= MAX_FRAME_BYTES:
            raise ConfigError(
                f"ServerConfig.max_frame_bytes: expected 1..{MAX_FRAME_BYTES}, got {self.max_frame_bytes}"
            )
        for name in ("max_queue_bytes", "max_total_queue_bytes", "max_inbox_bytes"):
            if getattr(self, name) < 1:
                raise ConfigError(f"ServerConfig.{name}: expected >= 1 byte, got {getattr(self, name)}")
        if self.max_sessions < 1:
            raise ConfigError(f"ServerConfig.max_sessions: expected >= 1, got {self.max_sessions}")
        for name in ("assets", "scripts"):
            if getattr(self, name) and self.app_dir is None:
                raise ConfigError(
                    f"ServerConfig.{name}: needs ServerConfig.app_dir, the folder they are relative to"
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
            options: Field name -> value; lists are accepted for ``allowed_origins``, ``assets``
                and ``scripts``, a ``pathlib.Path`` for ``app_dir`` and ``client_dir``.

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
