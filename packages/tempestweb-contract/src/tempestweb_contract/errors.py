"""Stable error codes and the one exception type of the contract."""

from __future__ import annotations

from typing import Final, Literal

__all__ = [
    "ERROR_CODES",
    "NATIVE_ERROR_CODES",
    "RESUMABLE_ERROR_CODES",
    "ContractError",
    "ErrorCode",
    "NativeErrorCode",
]

ErrorCode = Literal[
    "malformed_frame",
    "frame_too_large",
    "too_many_ops",
    "too_deep",
    "version_mismatch",
    "unknown_message",
    "unknown_handler",
    "invalid_event_data",
    "handler_error",
    "session_expired",
    "origin_rejected",
    "queue_overflow",
    "server_busy",
    "handshake_timeout",
    "request_timeout",
    "not_found",
    "internal",
]
"""Protocol-level error codes carried by :class:`tempestweb_contract.Error` frames."""

NativeErrorCode = Literal[
    "permission_denied",
    "not_supported",
    "insecure_context",
    "timeout",
    "aborted",
    "invalid_argument",
    "network",
    "not_found",
    "quota_exceeded",
    "malformed_result",
    "session_closed",
    "no_session",
    "unknown",
]
"""Error codes of a failed ``native_result`` (a Web API capability call)."""

ERROR_CODES: Final[tuple[ErrorCode, ...]] = ErrorCode.__args__  # type: ignore[attr-defined]
RESUMABLE_ERROR_CODES: Final[tuple[ErrorCode, ...]] = (
    "queue_overflow",
    "server_busy",
    "handshake_timeout",
    "request_timeout",
    "session_expired",
    "internal",
)
"""Codes of fatal errors after which a client reconnects (with backoff) and resumes or starts a
new session; after any other fatal error it stops (the page must be reloaded or fixed). After
``server_busy`` (a host at capacity refused a new session, close ``CLOSE_TRY_AGAIN_LATER``) the
client waits at least ``BUSY_RETRY_MS`` before it tries again."""

NATIVE_ERROR_CODES: Final[tuple[NativeErrorCode, ...]] = NativeErrorCode.__args__  # type: ignore[attr-defined]


class ContractError(ValueError):
    """A frame that is malformed, oversized or otherwise violates the contract.

    Attributes:
        code: One of :data:`ERROR_CODES`; stable across releases, safe to match on.
        message: Human-readable detail (never contains the raw frame).

    """

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code: ErrorCode = code
        self.message = message
