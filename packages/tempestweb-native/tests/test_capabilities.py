"""Every capability module against the fake backend: arguments sent, results validated, errors typed."""

from __future__ import annotations

import base64
import contextlib

import pytest
from pydantic import ValidationError

from tempestweb.native import audio, camera, clipboard, file, geolocation, install, onnx, share, storage
from tempestweb.native.errors import (
    InvalidArgumentError,
    MalformedResultError,
    NativeNotFoundError,
    NotSupportedError,
    PermissionDeniedError,
    QuotaExceededError,
)
from tempestweb.native.onnx import Tensor
from tempestweb.native.testing import FakeNative

PARIS = {"lat": 48.8566, "lon": 2.3522, "accuracy_m": 10.0, "altitude_m": None, "timestamp_ms": 1.0}


async def test_geolocation_get(fake: FakeNative) -> None:
    fake.set_result("geolocation", "get", PARIS)
    pos = await geolocation.get(high_accuracy=False, timeout_s=3, maximum_age_s=1)
    assert (pos.lat, pos.lon, pos.altitude_m) == (48.8566, 2.3522, None)
    assert fake.calls[0].args == {"high_accuracy": False, "timeout_ms": 3000, "maximum_age_ms": 1000}
    assert fake.calls[0].timeout_s > 3  # the browser's own timeout answers first


async def test_geolocation_denied_is_typed(fake: FakeNative) -> None:
    fake.deny("geolocation")
    with pytest.raises(PermissionDeniedError) as info:
        await geolocation.get()
    assert info.value.code == "permission_denied"


@pytest.mark.parametrize("value", [{"lat": 91, "lon": 0}, {"lat": "1", "lon": 0}, {"lon": 0}])
async def test_geolocation_malformed(fake: FakeNative, value: object) -> None:
    fake.set_result("geolocation", "get", value)
    with pytest.raises(MalformedResultError):
        await geolocation.get()


async def test_geolocation_bad_options(fake: FakeNative) -> None:
    with pytest.raises(InvalidArgumentError):
        await geolocation.get(timeout_s=-1)
    with pytest.raises(InvalidArgumentError):
        await geolocation.get(maximum_age_s=float("nan"))


async def test_geolocation_watch_clears_on_exit(fake: FakeNative) -> None:
    fake.set_result(
        "geolocation",
        "watch_next",
        {"position": None},
        {"position": PARIS},
        {"position": {**PARIS, "lat": 1.0}},
    )
    seen = []
    async with contextlib.aclosing(geolocation.watch()) as positions:
        async for pos in positions:
            seen.append(pos.lat)
            if len(seen) == 2:
                break
    assert seen == [48.8566, 1.0]
    assert len(fake.calls_to("geolocation", "watch_start")) == 1
    (stop,) = fake.calls_to("geolocation", "watch_stop")
    assert stop.args["id"].startswith("fake-")


async def test_geolocation_watch_clears_on_error(fake: FakeNative) -> None:
    fake.set_result("geolocation", "watch_next", PermissionDeniedError("revoked"))
    with pytest.raises(PermissionDeniedError):
        async for _ in geolocation.watch():
            pass
    assert len(fake.calls_to("geolocation", "watch_stop")) == 1


async def test_clipboard_roundtrip_and_denial(fake: FakeNative) -> None:
    await clipboard.write("copied")
    assert await clipboard.read() == "copied"
    fake.deny("clipboard", "read")
    with pytest.raises(PermissionDeniedError):
        await clipboard.read()
    with pytest.raises(InvalidArgumentError):
        await clipboard.write(3)  # type: ignore[arg-type]


async def test_storage_json_bytes_list_delete(fake: FakeNative) -> None:
    await storage.put("greeting", "hello")
    await storage.put("blob", b"\x00\xff")
    await storage.put("doc", {"a": [1, 2.5, None, True]})
    assert await storage.get("greeting") == "hello"
    assert await storage.get("blob") == b"\x00\xff"
    assert await storage.get("doc") == {"a": [1, 2.5, None, True]}
    assert await storage.get("missing", "dflt") == "dflt"
    assert await storage.list() == ["blob", "doc", "greeting"]
    assert await storage.list(prefix="g") == ["greeting"]
    await storage.delete("blob")
    assert await storage.get("blob") is None
    assert fake.calls_to("storage", "put")[1].args == {"key": "blob", "kind": "bytes", "value": "AP8="}


@pytest.mark.parametrize("value", [{1, 2}, float("nan"), object(), {"k": {1: 2}}])
async def test_storage_rejects_non_json(fake: FakeNative, value: object) -> None:
    with pytest.raises(InvalidArgumentError):
        await storage.put("k", value)  # type: ignore[arg-type]
    assert fake.calls == []


async def test_storage_key_and_quota(fake: FakeNative) -> None:
    with pytest.raises(InvalidArgumentError):
        await storage.put("", 1)
    fake.fail("storage", "put", code="quota_exceeded")
    with pytest.raises(QuotaExceededError):
        await storage.put("k", "v" * 10)


async def test_camera_capture(fake: FakeNative) -> None:
    fake.set_result("camera", "capture", camera.fake_photo(b"\xff\xd8\xff", width=320, height=240))
    photo = await camera.capture(facing="environment", max_width=320, quality=0.5, mime_type="image/webp")
    assert photo.data == b"\xff\xd8\xff" and (photo.width, photo.height) == (320, 240)
    assert fake.calls[0].args == {
        "facing": "environment",
        "max_width": 320,
        "max_height": 1280,
        "mime_type": "image/webp",
        "quality": 0.5,
    }
    with pytest.raises(InvalidArgumentError):
        await camera.capture(quality=2)
    fake.fail("camera", "capture", code="not_found")
    with pytest.raises(NativeNotFoundError):
        await camera.capture()


async def test_share_outcomes(fake: FakeNative) -> None:
    assert (await share(title="t", url="/")).outcome == "unsupported"
    fake.set_result("share", "share", {"outcome": "shared"})
    assert (await share(text="x")).shared
    with pytest.raises(InvalidArgumentError):
        await share()


async def test_file_save(fake: FakeNative) -> None:
    result = await file.save("history.zip", b"PK\x03\x04", mime_type="application/zip")
    assert result.method == "download" and result.completed
    args = fake.calls[0].args
    assert base64.b64decode(args["data"]) == b"PK\x03\x04" and args["mime_type"] == "application/zip"
    with pytest.raises(InvalidArgumentError):
        await file.save("../etc/passwd", b"")


async def test_install(fake: FakeNative) -> None:
    assert await install.prompt() == "unavailable"
    state = await install.state()
    assert (state.can_install, state.installed) == (False, False)
    fake.set_result("install", "prompt", {"outcome": "accepted"})
    assert await install.prompt() == "accepted"
    fake.set_result("install", "prompt", {"outcome": "maybe"})
    with pytest.raises(MalformedResultError):
        await install.prompt()


async def test_audio(fake: FakeNative) -> None:
    assert (await audio.play("./sounds/ding.wav", volume=0.5, loop=True)).outcome == "playing"
    await audio.pause()
    await audio.set_volume(0.1)
    await audio.stop()
    await audio.play(b"RIFF", mime_type="audio/wav", channel="fx")
    calls = fake.calls_to("audio")
    assert calls[0].args == {"volume": 0.5, "loop": True, "channel": "default", "src": "./sounds/ding.wav"}
    assert calls[-1].args["data"] == "UklGRg==" and calls[-1].args["channel"] == "fx"
    fake.set_result("audio", "play", {"outcome": "blocked"})
    assert (await audio.play("./x.wav")).outcome == "blocked"
    with pytest.raises(InvalidArgumentError):
        await audio.play("./x.wav", volume=1.5)


def test_tensor_roundtrip_and_checks() -> None:
    for dtype, values in [
        ("float32", [1.5, -2.0]),
        ("int64", [2**40, -1]),
        ("int32", [7, 8]),
        ("uint8", [0, 255]),
        ("bool", [True, False]),
    ]:
        tensor = Tensor.from_values(values, dims=[2], dtype=dtype)  # type: ignore[arg-type]
        assert tensor.values() == values
    with pytest.raises(ValidationError):
        Tensor(data_base64=base64.b64encode(b"\x00" * 7).decode(), dims=[2], dtype="float32")
    with pytest.raises(ValidationError):
        Tensor(data_base64="!!", dims=[0])


async def test_onnx_load_and_run(fake: FakeNative) -> None:
    fake.set_result("onnx", "load", {"session_id": "m", "input_names": ["images"], "output_names": ["out"]})
    out = Tensor.from_values([0.25] * 4, dims=[1, 4])
    fake.set_result("onnx", "run", {"outputs": {"out": out.model_dump()}})
    model = await onnx.load("./models/detect.onnx")
    assert model.input_name == "images"
    outputs = await onnx.run(model.session_id, {model.input_name: Tensor.from_values([1, 2], dims=[2])})
    assert outputs["out"].values() == [0.25] * 4
    assert fake.calls_to("onnx", "run")[0].args["feeds"]["images"]["dims"] == [2]
    fake.set_result(
        "onnx", "run", {"outputs": {"out": {"data_base64": "AAAA", "dims": [5], "dtype": "float32"}}}
    )
    with pytest.raises(MalformedResultError):
        await onnx.run("m", {})


async def test_onnx_not_loaded(fake: FakeNative) -> None:
    fake.fail("onnx", "load", code="not_supported", message="onnxruntime-web is not loaded")
    with pytest.raises(NotSupportedError):
        await onnx.load("./m.onnx")
