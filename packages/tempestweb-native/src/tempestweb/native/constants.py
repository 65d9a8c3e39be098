"""Every default timeout, bound and fixed name of the capabilities, with units in the names."""

from __future__ import annotations

from typing import Final

from tempestweb_contract import native as native_contract

__all__ = [
    "AUDIO_TIMEOUT_S",
    "BRIDGE_MARGIN_S",
    "CAMERA_TIMEOUT_S",
    "CLIPBOARD_TIMEOUT_S",
    "DEFAULT_AUDIO_CHANNEL",
    "FILE_SAVE_TIMEOUT_S",
    "GEOLOCATION_TIMEOUT_S",
    "HTTP_TIMEOUT_S",
    "IDEMPOTENCY_KEY_HEADER",
    "IDEMPOTENT_METHODS",
    "LARGE_CALL_BYTES",
    "MAX_CALL_ARGS_BYTES",
    "MAX_SAFE_INTEGER",
    "INSTALL_PROMPT_TIMEOUT_S",
    "MAX_RETRY_AFTER_S",
    "MAX_STORAGE_KEY_CHARS",
    "NOTIFICATION_TIMEOUT_S",
    "ONNX_LOAD_TIMEOUT_S",
    "ONNX_RUN_TIMEOUT_S",
    "RETRYABLE_STATUSES",
    "SHARE_TIMEOUT_S",
    "STORAGE_TIMEOUT_S",
    "UPLOAD_TIMEOUT_S",
    "WAIT_SLICE_S",
]

BRIDGE_MARGIN_S: Final = 5.0
"""Seconds added to a call's own browser-side timeout to form the bridge timeout, so that the
browser's typed timeout (e.g. geolocation's ``TIMEOUT``) arrives before the bridge gives up."""

HTTP_TIMEOUT_S: Final = 30.0
"""Default time one HTTP attempt may take in the page (``fetch`` + body), in seconds."""

UPLOAD_TIMEOUT_S: Final = 300.0
"""Default time a whole upload may take, in seconds."""

WAIT_SLICE_S: Final = 25.0
"""Longest one long-poll call (upload progress, position watch) waits in the page, in seconds."""

MAX_RETRY_AFTER_S: Final = 60.0
"""Default cap on a ``Retry-After`` delay the retry loop honours, in seconds; a longer one ends
the retries and returns the response."""

RETRYABLE_STATUSES: Final = frozenset({408, 425, 429, *range(500, 600)})
"""HTTP statuses a retry may follow: 408 Request Timeout, 425 Too Early, 429 Too Many Requests
and every 5xx (RFC 9110 section 15; RFC 8470; RFC 6585)."""

IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
"""Methods that may be retried without an idempotency key (RFC 9110 section 9.2.2)."""

IDEMPOTENCY_KEY_HEADER: Final = "Idempotency-Key"
"""Request header carrying the idempotency key (IETF draft-ietf-httpapi-idempotency-key-header)."""

GEOLOCATION_TIMEOUT_S: Final = 10.0
"""Default ``PositionOptions.timeout`` of a position request, in seconds."""

CAMERA_TIMEOUT_S: Final = 60.0
"""Default time a capture may take, including the user answering the permission prompt, in seconds."""

CLIPBOARD_TIMEOUT_S: Final = 30.0
"""Default time a clipboard read or write may take (a permission prompt may show), in seconds."""

STORAGE_TIMEOUT_S: Final = 15.0
"""Default time one IndexedDB operation may take, in seconds."""

MAX_STORAGE_KEY_CHARS: Final = 1024
"""Longest storage key, in characters."""

MAX_SAFE_INTEGER: Final = 2**53 - 1
"""Largest integer a JavaScript number holds exactly (``Number.MAX_SAFE_INTEGER``); an argument
integer beyond ``±MAX_SAFE_INTEGER`` is refused with ``InvalidArgumentError`` in every mode (the
page would round it: ``10**30`` came back as ``1e+30``)."""

MAX_CALL_ARGS_BYTES: Final = native_contract.MAX_CALL_ARGS_BYTES
"""Largest ``native_call`` frame of one call, in bytes of UTF-8 JSON: its arguments (bytes count as
their base64, 4/3 of their length: a ``storage.put`` or ``file.save`` of about 4.5 MiB) and an
envelope of about 100 bytes. Larger calls are refused with ``QuotaExceededError`` in every mode
and by the fake: the one rule is :func:`tempestweb_contract.native.call_frame`, which each host
applies to the frame it sends. The call travels as one frame, and a host ends a connection whose
unread frames pass 8 MiB (``MAX_OUTBOX_BYTES``, the desktop's ``MAX_UNREAD_BYTES``), which failed
the call with "connection was lost" instead."""

LARGE_CALL_BYTES: Final = native_contract.LARGE_CALL_BYTES
"""A ``native_call`` frame of at least this many bytes makes a *large* call: a session's host runs
one large call at a time (the others wait their turn, within their timeout), so that concurrent
ones never pile up past a transport's bound of unread bytes."""

SHARE_TIMEOUT_S: Final = 300.0
"""Default time the share sheet may stay open, in seconds."""

FILE_SAVE_TIMEOUT_S: Final = 300.0
"""Default time saving a file may take (a share sheet may stay open), in seconds."""

INSTALL_PROMPT_TIMEOUT_S: Final = 300.0
"""Default time the install prompt may stay open, in seconds."""

AUDIO_TIMEOUT_S: Final = 30.0
"""Default time starting or controlling playback may take (loading the source), in seconds."""

DEFAULT_AUDIO_CHANNEL: Final = "default"
"""Audio channel used when none is named (one sound plays per channel)."""

NOTIFICATION_TIMEOUT_S: Final = 60.0
"""Default time a notification call may take (the permission prompt may stay open), in seconds."""

ONNX_LOAD_TIMEOUT_S: Final = 120.0
"""Default time loading and compiling an ONNX model may take, in seconds."""

ONNX_RUN_TIMEOUT_S: Final = 60.0
"""Default time one inference may take, in seconds."""


def __dir__() -> list[str]:
    return list(__all__)
