from __future__ import annotations

import email.utils

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tempestweb.native._retry import backoff_delay, may_retry, retry_after_s
from tempestweb.native.http import RetryOptions


def test_defaults() -> None:
    options = RetryOptions()
    assert options.attempts == 3
    assert {408, 425, 429, 500, 503, 599} <= options.statuses
    assert not {400, 401, 404, 409, 422} & options.statuses


def test_attempts_counts_the_first_try_and_is_bounded() -> None:
    with pytest.raises(ValidationError):
        RetryOptions(attempts=0)
    with pytest.raises(ValidationError):
        RetryOptions(backoff=-1)
    with pytest.raises(ValidationError):
        RetryOptions(jitter="sometimes")  # type: ignore[arg-type]


def test_exponential_without_jitter_and_capped() -> None:
    options = RetryOptions(backoff=0.5, max_backoff=3.0, jitter="none")
    assert [backoff_delay(options, n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


@given(st.integers(1, 20), st.floats(0, 1, exclude_max=True))
def test_full_jitter_stays_within_the_exponential_bound(attempt: int, r: float) -> None:
    options = RetryOptions(backoff=0.5, max_backoff=30.0, jitter="full")
    bound = min(30.0, 0.5 * 2 ** (attempt - 1))
    assert 0 <= backoff_delay(options, attempt, rand=lambda: r) <= bound


def test_equal_jitter_keeps_half() -> None:
    options = RetryOptions(backoff=1.0, jitter="equal")
    assert backoff_delay(options, 2, rand=lambda: 0.0) == 1.0
    assert backoff_delay(options, 2, rand=lambda: 0.999) == pytest.approx(1.999)


@pytest.mark.parametrize(
    ("method", "key", "expected"),
    [
        ("GET", None, True),
        ("PUT", None, True),
        ("DELETE", None, True),
        ("POST", None, False),
        ("PATCH", None, False),
        ("POST", "k", True),
        ("POST", "", False),
    ],
)
def test_may_retry(method: str, key: str | None, expected: bool) -> None:
    assert may_retry(method, key) is expected


def test_retry_after_seconds_and_dates() -> None:
    assert retry_after_s({"retry-after": "2"}) == 2.0
    assert retry_after_s({}) is None
    assert retry_after_s({"retry-after": "soon"}) is None
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 5, usegmt=True)
    assert retry_after_s({"retry-after": date}, now=now) == pytest.approx(5.0)
    past = email.utils.formatdate(now - 5, usegmt=True)
    assert retry_after_s({"retry-after": past}, now=now) == 0.0
