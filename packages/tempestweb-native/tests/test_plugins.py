from __future__ import annotations

import importlib
import re
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from tempestweb.native.errors import InvalidArgumentError, MalformedResultError
from tempestweb.native.plugins import Capability, PluginError, capability_modules, get, register, registered
from tempestweb.native.testing import FakeNative
from tempestweb_contract.errors import NATIVE_ERROR_CODES
from tempestweb_contract.plugins import CAPABILITY_GROUP, capability_links, js_files

BUILTIN = [
    "audio",
    "camera",
    "clipboard",
    "file",
    "geolocation",
    "http",
    "install",
    "notification",
    "onnx",
    "share",
    "storage",
]
# Methods each Python module calls, which its JS module must export.
CALLED = {
    "audio": {"play", "pause", "resume", "stop", "set_volume"},
    "camera": {"capture"},
    "clipboard": {"read", "write"},
    "file": {"save"},
    "geolocation": {"get", "watch_start", "watch_next", "watch_stop"},
    "http": {"fetch", "upload_start", "upload_wait", "upload_abort"},
    "install": {"prompt", "state"},
    "notification": {"permission", "request_permission", "show", "next_event", "close"},
    "onnx": {"load", "run", "unload"},
    "share": {"share"},
    "storage": {"put", "get", "list", "delete"},
}
_EXPORT_FN = re.compile(r"^export (?:async )?function (\w+)", re.MULTILINE)
_EXPORT_AS = re.compile(r"^export \{ *\w+ as (\w+) *\}", re.MULTILINE)


def exports(path: Path) -> set[str]:
    text = path.read_text("utf-8")
    return set(_EXPORT_FN.findall(text)) | set(_EXPORT_AS.findall(text))


def test_every_builtin_is_registered_and_discoverable() -> None:
    assert set(BUILTIN) <= set(registered())
    modules = capability_modules()
    assert set(BUILTIN) <= set(modules)
    for name in BUILTIN:
        assert modules[name].distribution == "tempestweb-native"
        assert modules[name].path.is_file()


@pytest.mark.parametrize("name", BUILTIN)
def test_js_module_exports_every_called_method(name: str) -> None:
    assert CALLED[name] <= exports(capability_modules()[name].path)


def test_js_error_codes_equal_the_contract() -> None:
    errors_js = capability_modules()["http"].path.parent / "_errors.js"
    codes = re.findall(r'^  [A-Z_]+: "(\w+)",$', errors_js.read_text("utf-8"), re.MULTILINE)
    assert tuple(codes) == NATIVE_ERROR_CODES


def test_shipped_js_includes_the_pwa_helper() -> None:
    files = js_files(capability_modules())
    assert "tempestweb.native._client/pwa/install-prompt.js" in files
    assert "tempestweb.native._client/native/_errors.js" in files
    links = capability_links(capability_modules(), base="./native")
    assert 'href="./native/tempestweb.native._client/native/http.js" data-tw-capability="http"' in links


def test_entry_point_errors() -> None:
    def point(name: str, value: str) -> EntryPoint:
        return EntryPoint(name=name, value=value, group=CAPABILITY_GROUP)

    with pytest.raises(PluginError, match="must match"):
        capability_modules([point("Bad-Name", "tempestweb.native._client:native.http")])
    with pytest.raises(PluginError, match="expected"):
        capability_modules([point("ok", "tempestweb.native._client")])
    with pytest.raises(PluginError, match="not installed"):
        capability_modules([point("ok", "no_such_package_xyz:mod")])
    with pytest.raises(PluginError, match="does not exist"):
        capability_modules([point("ok", "tempestweb.native._client:native.nope")])
    same = point("dup", "tempestweb.native._client:native.http")
    assert set(capability_modules([same, same])) == {"dup"}


def test_register_is_by_name() -> None:
    first = register(Capability("plugin_test"))
    assert register(Capability("plugin_test")) is first
    assert get("plugin_test") is first
    with pytest.raises(KeyError):
        get("never_registered")
    with pytest.raises(PluginError):
        Capability("Not A Name")


async def test_call_validates_results_and_timeouts(fake: FakeNative) -> None:
    cap = Capability("plugin_call_test")
    fake.set_result("plugin_call_test", "m", {"n": "x"})
    with pytest.raises(MalformedResultError, match="plugin_call_test"):
        await cap.call("m", result=dict[str, int])
    with pytest.raises(InvalidArgumentError):
        await cap.call("m", result=dict[str, int], timeout_s=float("inf"))


def test_namespace_layout() -> None:
    namespace = importlib.import_module("tempestweb")
    native = importlib.import_module("tempestweb.native")
    assert getattr(namespace, "__file__", None) is None  # PEP 420: no tempestweb/__init__.py
    assert Path(native.__file__ or "").name == "__init__.py"
