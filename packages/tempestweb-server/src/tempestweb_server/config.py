"""Typed configuration of the Mode B host."""

from __future__ import annotations

import math
from typing import Literal

import msgspec

from tempestweb_contract.constants import MAX_FRAME_BYTES, PING_INTERVAL_S, SESSION_RECOVERY_WINDOW_S
from tempestweb_server.constants import (
    DEFAULT_HOST,
    DEFAULT_MAX_QUEUE_FRAMES,
    DEFAULT_MAX_SESSIONS,
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
        max_queue: Most outgoing frames queued per connection before it is closed with
            ``queue_overflow``.
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

    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    allowed_origins: tuple[str, ...] = ()
    recovery_window_s: float = SESSION_RECOVERY_WINDOW_S
    max_frame_bytes: int = MAX_FRAME_BYTES
    max_queue: int = DEFAULT_MAX_QUEUE_FRAMES
    max_sessions: int = DEFAULT_MAX_SESSIONS
    ping_interval_s: float = PING_INTERVAL_S
    title: str | None = None
    head_extra: str = ""
    client_dir: str | None = None
    transport: Literal["auto", "ws", "sse"] = "auto"
    debug: bool = False

    def __post_init__(self) -> None:
        """Validate value ranges.

        Raises:
            ConfigError: A port outside 0..65535, a non-positive or non-finite duration, a
                frame limit outside 1..``MAX_FRAME_BYTES``, or a queue or session bound below 1.

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
        if self.max_queue < 1:
            raise ConfigError(f"ServerConfig.max_queue: expected >= 1, got {self.max_queue}")
        if self.max_sessions < 1:
            raise ConfigError(f"ServerConfig.max_sessions: expected >= 1, got {self.max_sessions}")

    @classmethod
    def from_options(cls, options: dict[str, object], /) -> ServerConfig:
        """Build a config from loosely typed options (CLI flags, ``tempestweb.toml`` values).

        Args:
            options: Field name -> value; lists are accepted for ``allowed_origins``.

        Returns:
            The validated config.

        Raises:
            ConfigError: An unknown option or a value of the wrong type or range.

        """
        try:
            return msgspec.convert(options, cls, strict=False)
        except msgspec.ValidationError as exc:
            text = str(exc)
            raise ConfigError(text if text.startswith("ServerConfig.") else f"ServerConfig: {text}") from None
