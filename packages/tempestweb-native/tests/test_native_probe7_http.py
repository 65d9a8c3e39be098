"""Seventh outside probe of ``tempestweb.native``: ``http`` retries, keys and cancellation.

A ``Retry-After`` in the asctime format of an HTTP-date (``Sun Nov  6 08:49:37 1994``, which
RFC 9110 section 5.6.7 makes every recipient accept) was read as no header at all: the request
waited its exponential backoff instead (6 s instead of 0 s in the browser probe, in every mode).
The fake awaited a slow async responder past the call's ``timeout_s`` (a page's call fails
with ``NativeTimeoutError`` then). The rest pins what held in Mode A, Mode B and the fake alike.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any

import pytest

from tempest_core.host._native import NativeCalls
from tempestweb.native import clipboard, http
from tempestweb.native._retry import retry_after_s
from tempestweb.native.errors import NativeTimeoutError
from tempestweb.native.http import RetryOptions
from tempestweb.native.testing import FakeNative
from tempestweb_contract import NativeCall, NativeResult
from tempestweb_contract.native import CURRENT_BRIDGE

NOW = 1_700_000_000.0  # Tue, 14 Nov 2023 22:13:20 GMT


def _formats(when: float) -> dict[str, str]:
    stamp = time.gmtime(when)
    return {
        "IMF-fixdate": email.utils.formatdate(when, usegmt=True),
        "rfc850": time.strftime("%A, %d-%b-%y %H:%M:%S GMT", stamp),
        "asctime": time.strftime("%a %b %e %H:%M:%S %Y", stamp),
    }


@pytest.mark.parametrize("fmt", ["IMF-fixdate", "rfc850", "asctime"])
def test_retry_after_is_read_in_each_http_date_format(fmt: str) -> None:
    assert retry_after_s({"retry-after": _formats(NOW + 7)[fmt]}, now=NOW) == pytest.approx(7.0)
    assert retry_after_s({"retry-after": _formats(NOW - 7)[fmt]}, now=NOW) == 0.0


@pytest.mark.parametrize("value", ["soon", "-5", "1.5", "Thu, 01 Jan 99999 00:00:00 GMT", "", "²"])
def test_a_garbage_retry_after_is_no_retry_after(value: str) -> None:
    assert retry_after_s({"retry-after": value}, now=NOW) is None


def _sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def record(delay: float, result: Any = None) -> Any:
        waits.append(delay)
        return await real_sleep(0, result)

    monkeypatch.setattr(asyncio, "sleep", record)  # the module http.py sleeps through
    return waits


@pytest.mark.parametrize("fmt", ["IMF-fixdate", "rfc850", "asctime"])
async def test_a_past_retry_after_date_retries_at_once_whatever_its_format(
    fake: FakeNative, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    waits = _sleeps(monkeypatch)
    past = _formats(time.time() - 3600)[fmt]
    first = http.fake_response(503, headers={"Retry-After": past})
    fake.set_result("http", "fetch", first, http.fake_response(200))
    response = await http.request("GET", "/api/x", retry=RetryOptions(attempts=2, backoff=6.0, jitter="none"))
    assert (response.status, response.attempts) == (200, 2)
    assert waits == [0.0]  # not the 6 s backoff


async def test_a_far_retry_after_date_returns_the_response(
    fake: FakeNative, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = _sleeps(monkeypatch)
    far = _formats(time.time() + 86400)["asctime"]
    first = http.fake_response(503, headers={"Retry-After": far})
    fake.set_result("http", "fetch", first, http.fake_response(200))
    response = await http.request("GET", "/api/x", retry=RetryOptions(attempts=3))
    assert (response.status, response.attempts, waits) == (503, 1, [])


async def test_every_attempt_carries_the_same_key_and_a_get_none_unless_asked(
    fake: FakeNative, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sleeps(monkeypatch)
    busy = http.fake_response(429, headers={"Retry-After": "0"})
    fake.set_result("http", "fetch", busy, http.fake_response(503), http.fake_response(201))
    key = http.generate_idempotency_key()
    response = await http.request("POST", "/o", json={}, idempotency_key=key, retry=RetryOptions(attempts=3))
    assert (response.status, response.attempts) == (201, 3)
    sent = [dict(call.args["headers"]) for call in fake.calls_to("http", "fetch")]
    assert [h.get("Idempotency-Key") for h in sent] == [key, key, key]

    fake.calls.clear()
    fake.set_result("http", "fetch", http.fake_response(503), http.fake_response(200))
    await http.request("GET", "/g", retry=RetryOptions(attempts=3, backoff=0))
    assert all("Idempotency-Key" not in dict(c.args["headers"]) for c in fake.calls_to("http", "fetch"))

    fake.calls.clear()
    fake.set_result("http", "fetch", http.fake_response(503))
    response = await http.request("POST", "/o", json={}, retry=RetryOptions(attempts=3, backoff=0))
    assert (response.status, response.attempts, len(fake.calls)) == (503, 1, 1)  # no key: never re-sent


async def test_a_cancelled_request_leaves_no_pending_call_and_the_next_one_works() -> None:
    sent: list[NativeCall] = []

    def send(message: NativeCall, frame: bytes) -> int:
        sent.append(message)
        return 1  # the connection's epoch

    table = NativeCalls(send)
    token = CURRENT_BRIDGE.set(table)
    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(http.request("GET", "/api/hang"), 0.05)
        assert len(table) == 0
        follow = asyncio.ensure_future(http.request("GET", "/api/ok"))
        while len(sent) < 2:
            await asyncio.sleep(0)
        assert table.resolve(NativeResult(id=sent[1].id, ok=True, value=http.fake_response(200))) is None
        assert (await follow).status == 200
        late = table.resolve(NativeResult(id=sent[0].id, ok=True, value=http.fake_response(200)))
        assert late is None  # expected (the page finishes what it started): dropped, never raised
        assert len(table) == 0
    finally:
        CURRENT_BRIDGE.reset(token)


async def test_the_fake_times_out_a_slow_async_responder_as_a_page_does(fake: FakeNative) -> None:
    # A page's call past its timeout_s is NativeTimeoutError in Mode A, Mode B and desktop; the
    # fake awaited a slow responder for ever (an http.request(timeout_s=0.3) came back "ok").
    async def slow(args: dict[str, Any]) -> str:
        await asyncio.sleep(5)
        return "late"

    fake.set_result("clipboard", "read", slow, "quick")
    started = time.monotonic()
    with pytest.raises(NativeTimeoutError, match=r"no result after 0\.2 s"):
        await clipboard.read(timeout_s=0.2)
    assert time.monotonic() - started < 2
    assert await clipboard.read(timeout_s=0.2) == "quick"
