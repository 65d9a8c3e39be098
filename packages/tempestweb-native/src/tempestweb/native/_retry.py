"""Retry policy of :func:`tempestweb.native.http.request`: options, delays, ``Retry-After``."""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import time
from collections.abc import Callable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tempestweb.native.constants import IDEMPOTENT_METHODS, MAX_RETRY_AFTER_S, RETRYABLE_STATUSES

__all__ = ["RetryOptions", "backoff_delay", "may_retry", "retry_after_s"]


class RetryOptions(BaseModel):
    """How :func:`~tempestweb.native.http.request` retries a failed attempt.

    Only network errors and the statuses in ``statuses`` are retried, and a non-idempotent
    method (POST, PATCH) only when the request carries an idempotency key.

    Attributes:
        attempts: Total attempts, counting the first one (1 = no retry), 1..20.
        backoff: Base delay in seconds: the wait after attempt ``n`` is
            ``min(max_backoff, backoff * 2 ** (n - 1))`` before jitter.
        max_backoff: Cap of one computed wait, in seconds.
        jitter: ``"full"``: uniform in ``[0, wait]`` (AWS Architecture Blog, "Exponential
            Backoff And Jitter"); ``"equal"``: ``wait / 2`` plus uniform in ``[0, wait / 2]``;
            ``"none"``: exactly ``wait``.
        statuses: HTTP statuses that are retried (default 408, 425, 429, 5xx).
        max_retry_after: Longest ``Retry-After`` honoured, in seconds; a longer one stops the
            retries and the response is returned.

    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    attempts: int = Field(default=3, ge=1, le=20)
    backoff: float = Field(default=0.5, ge=0, allow_inf_nan=False)
    max_backoff: float = Field(default=30.0, ge=0, allow_inf_nan=False)
    jitter: Literal["full", "equal", "none"] = "full"
    statuses: frozenset[int] = RETRYABLE_STATUSES
    max_retry_after: float = Field(default=MAX_RETRY_AFTER_S, ge=0, allow_inf_nan=False)


def may_retry(method: str, idempotency_key: str | None, /) -> bool:
    """Return whether a request may be sent more than once.

    Args:
        method: Upper-case HTTP method.
        idempotency_key: The request's key, if any.

    Returns:
        True for idempotent methods (RFC 9110 section 9.2.2) and for any method with a key.

    """
    return method in IDEMPOTENT_METHODS or bool(idempotency_key)


def backoff_delay(
    options: RetryOptions, attempt: int, /, *, rand: Callable[[], float] = random.random
) -> float:
    """Return the wait after failed attempt ``attempt`` (1-based), in seconds.

    Args:
        options: The retry policy.
        attempt: The attempt that just failed, >= 1.
        rand: Uniform ``[0, 1)`` source (tests pass a fixed one).

    Returns:
        The jittered exponential delay.

    """
    wait: float = min(options.max_backoff, options.backoff * 2.0 ** (attempt - 1))
    if options.jitter == "full":
        return wait * rand()
    if options.jitter == "equal":
        return wait / 2 + (wait / 2) * rand()
    return wait


def retry_after_s(headers: Mapping[str, str], /, *, now: float | None = None) -> float | None:
    """Parse a ``Retry-After`` header (RFC 9110 section 10.2.3).

    Args:
        headers: Response headers with lower-case names.
        now: Current POSIX time for HTTP dates (default: the clock).

    Returns:
        Seconds to wait (>= 0), or ``None`` when the header is absent or unparseable.

    """
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # delay-seconds is 1*DIGIT, ASCII only ("²" is no delay)
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # asctime() dates ("Sun Nov  6 08:49:37 1994") carry no zone: every HTTP-date is UTC
        # (RFC 9110 section 5.6.7, which recipients must accept in all three formats).
        when = when.replace(tzinfo=datetime.UTC)
    delta = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, delta) if math.isfinite(delta) else None
