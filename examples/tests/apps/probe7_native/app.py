"""An app for the seventh outside probe of ``tempestweb.native``: one button per scenario.

Each button ``#<name>`` runs the scenario of that name from :data:`SCENARIOS` and renders its
outcome in ``#<name>-out``: ``ok <value>`` or ``<ErrorClass> <code> <message>``. The browser
suite (``examples/tests/test_native_probe7_modes.py``) serves it with the ``/api/...`` endpoints
of the HTTP scenarios, clicks every button in Mode A and Mode B (permissions denied, then the
Web APIs deleted) and compares the outcomes with each other and with the fake backend's.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tempest_core import App, html
from tempestweb.native import (
    NativeCallError,
    camera,
    clipboard,
    geolocation,
    http,
    install,
    onnx,
    share,
    storage,
)
from tempestweb.native.http import RetryOptions
from tempestweb.native.onnx import Tensor

if TYPE_CHECKING:
    from tempest_core import Node

SLOW_BACKOFF = RetryOptions(attempts=2, backoff=6.0, jitter="none")
"""A retry whose backoff (6 s) is told apart from an honoured ``Retry-After`` of the past (0 s)."""


async def _timed_get(path: str, retry: RetryOptions) -> object:
    started = time.monotonic()
    response = await http.request("GET", path, retry=retry)
    waited = time.monotonic() - started
    return response.status, response.attempts, "fast" if waited < 2.5 else "slow"


async def _ra_past() -> object:
    return await _timed_get("/api/ra-past", SLOW_BACKOFF)


async def _ra_asctime() -> object:
    return await _timed_get("/api/ra-asctime", SLOW_BACKOFF)


async def _ra_rfc850() -> object:
    return await _timed_get("/api/ra-rfc850", SLOW_BACKOFF)


async def _ra_future() -> object:
    started = time.monotonic()
    response = await http.request("GET", "/api/ra-future", retry=RetryOptions(attempts=2, backoff=0.0))
    waited = time.monotonic() - started
    return response.status, response.attempts, "waited" if waited >= 1.0 else "early"


async def _ra_far() -> object:
    response = await http.request("GET", "/api/ra-far", retry=RetryOptions(attempts=3))
    return response.status, response.attempts


async def _ra_garbage() -> object:
    response = await http.request("GET", "/api/ra-garbage", retry=RetryOptions(attempts=2, backoff=0.1))
    return response.status, response.attempts


async def _idem_503() -> object:
    key = http.generate_idempotency_key()
    response = await http.request(
        "POST",
        "/api/orders",
        json={"qty": 1},
        idempotency_key=key,
        retry=RetryOptions(attempts=3, backoff=0.1),
    )
    return response.status, response.attempts


async def _idem_429() -> object:
    key = http.generate_idempotency_key()
    response = await http.request(
        "POST", "/api/idem429", body=b"x", idempotency_key=key, retry=RetryOptions(attempts=3, backoff=0.1)
    )
    return response.status, response.attempts


async def _get_retry() -> object:
    response = await http.request("GET", "/api/get503", retry=RetryOptions(attempts=3, backoff=0.1))
    return response.status, response.attempts


async def _get_retry_key() -> object:
    response = await http.request(
        "GET", "/api/get503-key", idempotency_key="k-1", retry=RetryOptions(attempts=3, backoff=0.1)
    )
    return response.status, response.attempts


async def _post_no_key() -> object:
    response = await http.request("POST", "/api/orders", json={}, retry=RetryOptions(attempts=3, backoff=0.1))
    return response.status, response.attempts


async def _midstream() -> object:
    response = await http.request("GET", "/api/broken")
    return response.status, len(response.content)


async def _redirect_cors() -> object:
    response = await http.request("GET", "/api/cross")
    return response.status, response.redirected


async def _redirect_loop() -> object:
    response = await http.request("GET", "/api/loop")
    return response.status, response.redirected


async def _latin1_header() -> object:
    response = await http.request("GET", "/api/latin1")
    return response.status, response.headers.get("x-name")


async def _fold_header() -> object:
    response = await http.request("GET", "/api/fold")
    return response.status, response.headers.get("x-fold"), response.headers.get("x-after")


async def _latin1_text() -> object:
    await storage.put("latin1", "caf\u00e9")
    await storage.put("wide", "caf\u00e9 \u65e5")
    return await storage.get("latin1"), await storage.get("wide")


async def _cancel() -> object:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(http.request("GET", "/api/hang"), 0.3)
    response = await http.request("GET", "/api/ok")
    return "cancelled", response.status


async def _small_timeout() -> object:
    try:
        await http.request("GET", "/api/hang", timeout_s=0.3)
    except NativeCallError as exc:
        first = f"{type(exc).__name__} {exc.code}"
    else:
        first = "no error"
    response = await http.request("GET", "/api/ok")
    return first, response.status


async def _clip_write() -> object:
    await clipboard.write("probe7")
    return "written"


async def _clip_read() -> object:
    return await clipboard.read(timeout_s=10)


async def _geo() -> object:
    position = await geolocation.get(timeout_s=5)
    return position.lat, position.lon


async def _geo_watch() -> object:
    async for position in geolocation.watch(timeout_s=5):
        return position.lat
    return "ended"


async def _camera() -> object:
    photo = await camera.capture(timeout_s=15)
    return photo.mime_type


async def _share() -> object:
    return (await share(text="probe7", timeout_s=10)).outcome


async def _install() -> object:
    return await install.prompt(timeout_s=10)


async def _install_state() -> object:
    return await install.state()


AFFINE = "./models/affine.onnx"
X = Tensor.from_values([1.0, 2.0, 3.0, 4.0], dims=[1, 4])


async def _onnx_ok() -> object:
    model = await onnx.load(AFFINE, session_id="ok")
    outputs = await onnx.run(model.session_id, {model.input_name: X})
    return outputs["y"].values()


async def _onnx_corrupt() -> object:
    await onnx.load("./models/corrupt.onnx", session_id="corrupt")
    return "loaded"


async def _onnx_missing() -> object:
    await onnx.load("./models/missing.onnx", session_id="missing")
    return "loaded"


async def _onnx_no_session() -> object:
    await onnx.run("never-loaded", {"x": X})
    return "ran"


async def _onnx_bad_name() -> object:
    model = await onnx.load(AFFINE, session_id="name")
    await onnx.run(model.session_id, {"z": X})
    return "ran"


async def _onnx_bad_shape() -> object:
    model = await onnx.load(AFFINE, session_id="shape")
    await onnx.run(model.session_id, {"x": Tensor.from_values([1.0, 2.0, 3.0], dims=[1, 3])})
    return "ran"


async def _onnx_bad_dtype() -> object:
    model = await onnx.load(AFFINE, session_id="dtype")
    await onnx.run(model.session_id, {"x": Tensor.from_values([1, 2, 3, 4], dims=[1, 4], dtype="int32")})
    return "ran"


async def _onnx_extra_feed() -> object:
    model = await onnx.load(AFFINE, session_id="extra")
    await onnx.run(model.session_id, {"x": X, "extra": X})
    return "ran"


HTTP_SCENARIOS: dict[str, Callable[[], Awaitable[object]]] = {
    "ra-past": _ra_past,
    "ra-asctime": _ra_asctime,
    "ra-rfc850": _ra_rfc850,
    "ra-future": _ra_future,
    "ra-far": _ra_far,
    "ra-garbage": _ra_garbage,
    "idem-503": _idem_503,
    "idem-429": _idem_429,
    "get-retry": _get_retry,
    "get-retry-key": _get_retry_key,
    "post-no-key": _post_no_key,
    "midstream": _midstream,
    "redirect-cors": _redirect_cors,
    "redirect-loop": _redirect_loop,
    "latin1-header": _latin1_header,
    "fold-header": _fold_header,
    "latin1-text": _latin1_text,
    "cancel": _cancel,
    "small-timeout": _small_timeout,
}
"""The HTTP scenarios (they need the test's ``/api/...`` endpoints)."""

DEVICE_SCENARIOS: dict[str, Callable[[], Awaitable[object]]] = {
    "clip-write": _clip_write,
    "clip-read": _clip_read,
    "geo": _geo,
    "geo-watch": _geo_watch,
    "camera": _camera,
    "share": _share,
    "install": _install,
    "install-state": _install_state,
}
"""The scenarios of the permission-gated and optional Web APIs."""

ONNX_SCENARIOS: dict[str, Callable[[], Awaitable[object]]] = {
    "onnx-ok": _onnx_ok,
    "onnx-corrupt": _onnx_corrupt,
    "onnx-missing": _onnx_missing,
    "onnx-no-session": _onnx_no_session,
    "onnx-bad-name": _onnx_bad_name,
    "onnx-bad-shape": _onnx_bad_shape,
    "onnx-bad-dtype": _onnx_bad_dtype,
    "onnx-extra-feed": _onnx_extra_feed,
}
"""The onnxruntime-web scenarios (they need ``vendor/ort`` and ``models/``)."""

SCENARIOS = {**HTTP_SCENARIOS, **DEVICE_SCENARIOS, **ONNX_SCENARIOS}
"""Every scenario, by button id."""


async def outcome(name: str) -> str:
    """Run scenario ``name`` and describe what it did: ``ok <value>`` or ``<Class> <code> <message>``."""
    try:
        return f"ok {await SCENARIOS[name]()!r}"
    except NativeCallError as exc:
        return f"{type(exc).__name__} {exc.code} {exc.message}"


@dataclass
class State:
    """Each scenario's outcome, by name."""

    results: dict[str, str] = field(default_factory=dict)


def _runner(name: str) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        app.set_state(lambda s: s.results.__setitem__(name, "…"))
        text = await outcome(name)
        app.set_state(lambda s: s.results.__setitem__(name, text))

    return run


def view(state: State) -> Node:
    rows = [
        html.div(
            html.button(name, id=name, on_click=_runner(name)),
            html.pre(state.results.get(name, ""), id=f"{name}-out"),
        )
        for name in SCENARIOS
    ]
    return html.div(*rows)


app = App(view=view, state=State, title="Probe7 native")
