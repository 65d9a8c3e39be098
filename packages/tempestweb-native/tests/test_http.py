from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from tempestweb.native import http
from tempestweb.native.errors import (
    InvalidArgumentError,
    MalformedResultError,
    NativeNetworkError,
    NativeTimeoutError,
    NoSessionError,
)
from tempestweb.native.http import RetryOptions
from tempestweb.native.testing import FakeNative

FAST = RetryOptions(attempts=3, backoff=0.001, jitter="none")


async def test_request_sends_json_and_decodes_the_response(fake: FakeNative) -> None:
    fake.set_result("http", "fetch", http.fake_response(201, json={"id": 7}, headers={"X-A": "1"}))
    response = await http.request("post", "/api/orders", json={"qty": 2})
    assert response.status == 201 and response.ok
    assert response.json() == {"id": 7}
    assert response.headers["x-a"] == "1"
    (call,) = fake.calls_to("http", "fetch")
    assert call.args["method"] == "POST"
    assert json.loads(base64.b64decode(call.args["body"])) == {"qty": 2}
    assert ["Content-Type", "application/json"] in call.args["headers"]


async def test_binary_bodies_both_ways(fake: FakeNative) -> None:
    payload = bytes(range(256))
    fake.set_result("http", "fetch", http.fake_response(200, body=payload[::-1]))
    response = await http.request("PUT", "/blob", body=payload)
    assert response.content == payload[::-1]
    assert base64.b64decode(fake.calls[0].args["body"]) == payload


async def test_text_uses_the_charset(fake: FakeNative) -> None:
    fake.set_result(
        "http",
        "fetch",
        http.fake_response(
            200, body="é".encode("latin-1"), headers={"Content-Type": "text/plain; charset=latin-1"}
        ),
    )
    assert (await http.request("GET", "/t")).text() == "é"


async def test_retries_5xx_with_the_same_idempotency_key(fake: FakeNative) -> None:
    fake.set_result(
        "http", "fetch", http.fake_response(503), http.fake_response(503), http.fake_response(200, json=1)
    )
    key = http.generate_idempotency_key()
    response = await http.request("POST", "/api/orders", json={}, retry=FAST, idempotency_key=key)
    assert response.status == 200 and response.attempts == 3
    keys = [dict(map(tuple, c.args["headers"]))["Idempotency-Key"] for c in fake.calls_to("http", "fetch")]
    assert keys == [key, key, key]


async def test_post_without_key_is_never_retried(fake: FakeNative) -> None:
    fake.set_result("http", "fetch", http.fake_response(503), http.fake_response(200))
    response = await http.request("POST", "/api/orders", json={}, retry=FAST)
    assert response.status == 503 and response.attempts == 1
    assert len(fake.calls) == 1


async def test_non_retryable_status_returns_at_once(fake: FakeNative) -> None:
    fake.set_result("http", "fetch", http.fake_response(404), http.fake_response(200))
    assert (await http.request("GET", "/x", retry=FAST)).status == 404
    assert len(fake.calls) == 1


async def test_last_retryable_response_is_returned(fake: FakeNative) -> None:
    fake.set_result("http", "fetch", http.fake_response(503))
    response = await http.request("GET", "/x", retry=FAST)
    assert response.status == 503 and response.attempts == 3


async def test_network_errors_are_retried_then_raised(fake: FakeNative) -> None:
    fake.fail("http", "fetch", code="network", message="offline")
    with pytest.raises(NativeNetworkError):
        await http.request("GET", "/x", retry=FAST)
    assert len(fake.calls) == 3


async def test_network_error_then_success(fake: FakeNative) -> None:
    error = NativeNetworkError("offline")
    fake.set_result("http", "fetch", error, http.fake_response(200))
    assert (await http.request("GET", "/x", retry=FAST)).attempts == 2


async def test_timeouts_are_not_retried(fake: FakeNative) -> None:
    fake.fail("http", "fetch", code="timeout")
    with pytest.raises(NativeTimeoutError):
        await http.request("GET", "/x", retry=FAST)
    assert len(fake.calls) == 1


async def test_retry_after_is_honoured(fake: FakeNative) -> None:
    fake.set_result(
        "http", "fetch", http.fake_response(429, headers={"Retry-After": "1"}), http.fake_response(200)
    )
    started = time.monotonic()
    response = await http.request("GET", "/x", retry=RetryOptions(attempts=2, backoff=0))
    assert response.status == 200 and time.monotonic() - started >= 0.95


async def test_retry_after_above_the_cap_stops(fake: FakeNative) -> None:
    fake.set_result(
        "http", "fetch", http.fake_response(503, headers={"Retry-After": "3600"}), http.fake_response(200)
    )
    response = await http.request("GET", "/x", retry=RetryOptions(attempts=3, max_retry_after=5))
    assert response.status == 503 and len(fake.calls) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": 1, "body": b"x"},
        {"headers": {"bad name": "v"}},
        {"timeout_s": 0},
        {"headers": {"Idempotency-Key": "a"}, "idempotency_key": "b"},
    ],
)
async def test_invalid_arguments(fake: FakeNative, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgumentError):
        await http.request("GET", "/x", **kwargs)
    assert fake.calls == []


async def test_bad_method(fake: FakeNative) -> None:
    with pytest.raises(InvalidArgumentError):
        await http.request("GE T", "/x")


@pytest.mark.parametrize(
    "value",
    [
        None,
        {"status": "200"},
        {"status": 200, "body": "not base64!"},
        {"status": 200, "headers": [["a"]]},
        [1, 2],
    ],
)
async def test_malformed_results_are_typed(fake: FakeNative, value: object) -> None:
    fake.set_result("http", "fetch", value)
    with pytest.raises(MalformedResultError) as info:
        await http.request("GET", "/x")
    assert info.value.capability == "http" and info.value.method == "fetch"


async def test_outside_a_session() -> None:
    with pytest.raises(NoSessionError):
        await http.request("GET", "/x")


async def test_poll_until_predicate(fake: FakeNative) -> None:
    fake.set_result(
        "http",
        "fetch",
        http.fake_response(200, json={"done": False}),
        http.fake_response(200, json={"done": True}),
    )
    response = await http.poll("/job", until=lambda r: bool(r.json()["done"]), interval_s=0)
    assert response.json() == {"done": True} and len(fake.calls) == 2


async def test_poll_bound(fake: FakeNative) -> None:
    fake.set_result("http", "fetch", http.fake_response(200, json={"done": False}))
    with pytest.raises(NativeTimeoutError):
        await http.poll("/job", until=lambda r: False, interval_s=0, max_polls=3)
    assert len(fake.calls) == 3
    with pytest.raises(InvalidArgumentError):
        await http.poll("/job", until=lambda r: True, method="POST")


async def test_upload_reports_progress(fake: FakeNative) -> None:
    final = http.fake_response(200, json={"stored": 4})
    fake.set_result(
        "http",
        "upload_wait",
        {"loaded": 2, "total": 4},
        {"loaded": 4, "total": 4},
        {"loaded": 4, "total": 4, "done": True, "response": final},
    )
    seen: list[float | None] = []
    response = await http.upload(
        "/up", b"data", filename="a.bin", on_progress=lambda p: seen.append(p.fraction)
    )
    assert response.json() == {"stored": 4}
    assert seen == [0.5, 1.0, 1.0]
    start = fake.calls_to("http", "upload_start")[0].args
    assert base64.b64decode(start["data"]) == b"data" and start["filename"] == "a.bin"


async def test_upload_async_progress_callback(fake: FakeNative) -> None:
    fake.set_result(
        "http", "upload_wait", {"loaded": 1, "total": 1, "done": True, "response": http.fake_response(204)}
    )
    seen: list[int] = []

    async def progress(p: http.UploadProgress) -> None:
        seen.append(p.loaded)

    assert (await http.upload("/up", b"x", on_progress=progress)).status == 204
    assert seen == [1]
