"""Every tempestweb.native capability in one page: each button calls one, its result is rendered.

Run ``python examples/native/vendor_ort.py`` once (it vendors onnxruntime-web), then
``tempestweb run examples/native`` (Mode B) or ``tempestweb build examples/native`` (Mode A).
The browser suite (``examples/tests/test_native.py``) clicks every button in Chromium, with
permissions granted and denied, in both modes. The HTTP buttons talk to ``/api/...``
endpoints the test servers provide (503, 503, 201 for one idempotency key; ``Retry-After``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tempest_core import App, html
from tempestweb.native import (
    NativeCallError,
    audio,
    camera,
    clipboard,
    file,
    geolocation,
    http,
    install,
    notification,
    onnx,
    share,
    storage,
)
from tempestweb.native.http import RetryOptions
from tempestweb.native.onnx import Tensor
from tempestweb.native.plugins import Capability

if TYPE_CHECKING:
    from tempest_core import Node

__all__ = ["DOWNLOAD_BYTES", "UPLOAD_BYTES", "NativeState", "app", "view"]

DOWNLOAD_BYTES = b"tempestweb download\x00\x01\x02\xff" * 4
"""What the save button downloads (the suite compares the downloaded file with it)."""

UPLOAD_BYTES = bytes(range(256)) * 1024
"""What the upload button sends (256 KiB; the test endpoint checks it arrived intact)."""

FAST_RETRY = RetryOptions(attempts=3, backoff=0.2, jitter="none")


@dataclass
class NativeState:
    """Result text of each capability, by name (``error:<code>`` when it failed)."""

    results: dict[str, str] = field(default_factory=dict)
    photo: str = ""
    clicks: int = 0


def show(name: str, text: str) -> None:
    """Render ``text`` as the result of ``name`` (mutates the state in place)."""
    app.set_state(lambda s: s.results.__setitem__(name, text))


def action(name: str, run: Callable[[], Awaitable[str]]) -> Callable[[], Awaitable[None]]:
    """A click handler running ``run`` and rendering its text, or the typed error's code."""

    async def handler() -> None:
        show(name, "…")
        try:
            text = await run()
        except NativeCallError as exc:
            text = f"error:{exc.code}"
        show(name, text)

    return handler


async def geo_get() -> str:
    pos = await geolocation.get(timeout_s=5)
    return f"{pos.lat:.4f},{pos.lon:.4f}"


async def clip_roundtrip() -> str:
    await clipboard.write("tempestweb clipboard")
    return await clipboard.read()


async def store_put() -> str:
    await storage.put("greeting", "hello")
    await storage.put("blob", b"\x00\x01\x02")
    await storage.put("doc", {"n": 1, "items": [1, 2, 3]})
    return "stored"


async def store_get() -> str:
    greeting = await storage.get("greeting")
    blob = await storage.get("blob")
    doc = await storage.get("doc")
    size = len(blob) if isinstance(blob, bytes) else "none"
    return f"{greeting}|{size} bytes|{doc}|keys={','.join(await storage.list())}"


async def store_clear() -> str:
    for key in await storage.list():
        await storage.delete(key)
    return f"keys={','.join(await storage.list())}"


async def capture() -> str:
    photo = await camera.capture(max_width=320, max_height=240, mime_type="image/jpeg", quality=0.7)
    ok = photo.data[:2] == b"\xff\xd8"
    return f"{photo.mime_type} {photo.width}x{photo.height} jpeg={ok}"


async def play() -> str:
    result = await audio.play("./sounds/ding.wav", volume=0.5, loop=True)
    return result.outcome


async def stop() -> str:
    await audio.stop()
    return "stopped"


async def do_share() -> str:
    return (await share(title="tempestweb", url="/")).outcome


async def save() -> str:
    result = await file.save(
        "native.bin", DOWNLOAD_BYTES, mime_type="application/octet-stream", prefer="download"
    )
    return f"{result.method} completed={result.completed}"


async def install_state() -> str:
    state = await install.state()
    return f"can_install={state.can_install} installed={state.installed}"


async def install_prompt() -> str:
    return await install.prompt()


async def notify_permission() -> str:
    return await notification.permission()


async def notify_request() -> str:
    return await notification.request_permission()


async def notify() -> str:
    handle = await notification.show("tempestweb", body="a notification", tag="native-example")
    if handle is None:  # shown through the service worker or a desktop plugin
        return "shown"
    first = await handle.next_event(wait_s=10)
    await handle.close()
    return f"{first},{await handle.next_event(wait_s=10)}"


async def order_with_key() -> str:
    key = http.generate_idempotency_key()
    response = await http.request(
        "POST", "/api/orders", json={"item": "tea"}, retry=FAST_RETRY, idempotency_key=key
    )
    return f"{response.status} attempts={response.attempts} body={response.json()}"


async def order_without_key() -> str:
    response = await http.request("POST", "/api/orders", json={"item": "tea"}, retry=FAST_RETRY)
    return f"{response.status} attempts={response.attempts}"


async def slow() -> str:
    response = await http.request("GET", "/api/slow", retry=RetryOptions(attempts=2, backoff=0))
    return f"{response.status} attempts={response.attempts} {response.text()}"


async def upload() -> str:
    seen: list[float] = []
    response = await http.upload(
        "/api/upload",
        UPLOAD_BYTES,
        filename="blob.bin",
        on_progress=lambda p: seen.append(p.fraction or 0.0),
    )
    return f"{response.status} {response.json()} progress={len(seen) > 0} last={seen[-1] if seen else None}"


async def watch() -> str:
    seen: list[str] = []
    async with contextlib.aclosing(geolocation.watch(timeout_s=5)) as positions:
        async for pos in positions:
            seen.append(f"{pos.lat:.4f},{pos.lon:.4f}")
            break
    live = await Capability("geolocation").call("active_watches", result=int)
    return f"{seen[0]} watches_left={live}"


async def infer() -> str:
    model = await onnx.load("./models/affine.onnx")  # y = 2x + 1, compiled once and cached in the page
    feeds = {model.input_name: Tensor.from_values([1.0, 2.0, 3.0, 4.0], dims=[1, 4])}
    outputs = await onnx.run(model.session_id, feeds)
    y = outputs[model.output_names[0]]
    return f"{y.dtype} {y.dims} {','.join(f'{v:g}' for v in y.values())}"


BUTTONS: tuple[tuple[str, str, Callable[[], Awaitable[str]]], ...] = (
    ("geo", "Where am I?", geo_get),
    ("clip", "Copy and paste", clip_roundtrip),
    ("store-put", "Store", store_put),
    ("store-get", "Read storage", store_get),
    ("store-clear", "Clear storage", store_clear),
    ("camera", "Take a photo", capture),
    ("play", "Play a sound", play),
    ("stop", "Stop the sound", stop),
    ("share", "Share", do_share),
    ("save", "Download a file", save),
    ("install-state", "Install state", install_state),
    ("install-prompt", "Install", install_prompt),
    ("notify-permission", "Notification permission", notify_permission),
    ("notify-request", "Allow notifications", notify_request),
    ("notify", "Notify", notify),
    ("http-key", "Order (idempotency key)", order_with_key),
    ("http-nokey", "Order (no key)", order_without_key),
    ("http-slow", "Slow endpoint", slow),
    ("http-upload", "Upload", upload),
    ("geo-watch", "Watch position", watch),
    ("onnx", "Run the model", infer),
)


def count() -> None:
    """A plain handler: the app keeps working after a denial."""
    app.set_state(lambda s: setattr(s, "clicks", s.clicks + 1))


def view(state: NativeState) -> Node:
    """One row per capability: a button and its result."""
    rows = [
        html.li(
            html.button(label, id=name, type="button", on_click=action(name, run)),
            html.output(state.results.get(name, ""), id=f"{name}-result"),
            key=name,
        )
        for name, label, run in BUTTONS
    ]
    return html.main(
        html.h1("tempestweb.native"),
        html.ul(*rows),
        html.button(f"clicked {state.clicks}", id="count", type="button", on_click=count),
    )


app = App(view=view, state=NativeState, title="tempestweb.native")
