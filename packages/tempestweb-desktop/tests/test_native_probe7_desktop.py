"""Seventh outside probe of ``tempestweb.native`` in a desktop window (WebKitGTK under Xvfb): the
device scenarios of ``examples/tests/apps/probe7_native`` fail with the typed error (or answer the
soft outcome) that the browser modes and the fake give, with the permissions the window's
WebKitGTK refuses and with the Web APIs removed from the page.

Before the fix a page whose ``navigator.geolocation`` read ``undefined`` (or had no
``getCurrentPosition``), or whose clipboard had no ``readText``, failed with
``InvalidArgumentError`` (a ``TypeError``) instead of ``NotSupportedError``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tempestweb_desktop.testing import VirtualDisplay, WebDriverServer

APP = Path(__file__).parents[3] / "examples" / "tests" / "apps" / "probe7_native" / "app.py"


def _probe_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("native_probe7_desktop_app", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


PROBE = _probe_app()
DEVICES = ["clip-write", "clip-read", "geo", "geo-watch", "camera"]
SOFT = {
    "share": "ok 'unsupported'",
    "install": "ok 'unavailable'",
    "install-state": "ok InstallState(can_install=False, installed=False)",
}
DENIED = {
    "clip-read": "PermissionDeniedError permission_denied",
    "geo": "PermissionDeniedError permission_denied",
    "geo-watch": "PermissionDeniedError permission_denied",
    "camera": "NativeNotFoundError not_found",  # no camera under Xvfb
    **SOFT,
}
ABSENT = {**dict.fromkeys(DEVICES, "NotSupportedError not_supported"), **SOFT}
REMOVALS = {
    "deleted": """
for (const name of ["clipboard", "geolocation", "mediaDevices", "share", "canShare"]) {
  delete Navigator.prototype[name];
}""",
    "undefined": """
for (const name of ["clipboard", "geolocation", "mediaDevices", "share", "canShare"]) {
  Object.defineProperty(Navigator.prototype, name, { get: () => undefined, configurable: true });
}""",
    "partial": """
for (const [proto, names] of [
  [globalThis.Clipboard?.prototype, ["readText", "writeText"]],
  [globalThis.Geolocation?.prototype, ["getCurrentPosition", "watchPosition"]],
  [globalThis.MediaDevices?.prototype, ["getUserMedia"]],
]) if (proto) for (const name of names) delete proto[name];""",
}
"""Scripts removing the Web APIs from the live page (the modules read ``navigator`` per call)."""


def _kind(text: object) -> str:
    value = str(text)
    return value if value.startswith("ok ") else " ".join(value.split(" ")[:2])


@pytest.mark.window
def test_denied_or_absent_web_apis_fail_with_the_typed_error_of_the_browser_modes(
    display: VirtualDisplay,
) -> None:
    driver = WebDriverServer(display=display.name).start()
    with driver:
        page = driver.launch(sys.executable, ["-m", "tempestweb_desktop", str(APP)])
        with page:

            def opened() -> None:
                page.wait_for(
                    "return document.getElementById('tw-root')?.dataset.twStatus === 'open'"
                    " && !document.querySelector('pre')?.textContent",
                    timeout_s=30,
                    what="the live first view",
                )

            opened()

            def run() -> dict[str, str]:
                seen: dict[str, str] = {}
                for name in PROBE.DEVICE_SCENARIOS:
                    page.execute("document.getElementById(arguments[0]).click()", name)
                    seen[name] = _kind(
                        page.wait_for(
                            "const t = document.getElementById(arguments[0] + '-out').textContent;"
                            "return t && t !== '…' ? t : null;",
                            name,
                            timeout_s=30,
                            what=f"the outcome of {name}",
                        )
                    )
                return seen

            denied = run()
            # WebKitGTK lets a script's click write the clipboard when the window has the focus
            # (Xvfb gives it or not), else NotAllowedError: either way no other error.
            assert denied.pop("clip-write") in ("ok 'written'", "PermissionDeniedError permission_denied")
            assert denied == DENIED
            for label, script in REMOVALS.items():
                page.execute("location.reload()")  # a fresh page: every outcome empty again
                opened()
                page.execute(script)
                assert (label, run()) == (label, ABSENT)
            assert page.execute("return document.getElementById('tw-root').dataset.twStatus") == "open"
