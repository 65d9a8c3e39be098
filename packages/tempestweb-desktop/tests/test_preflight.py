"""Preflight checks: one typed, one-line error per missing piece, found before the native library loads."""

from __future__ import annotations

import pytest

from tempestweb_desktop import (
    NoDisplayError,
    TrayUnavailableError,
    UnsupportedPlatformError,
    WebViewMissingError,
    diagnose,
)
from tempestweb_desktop._preflight import check_display, check_python, check_tray, check_webview


def _missing(name: str) -> object:
    raise OSError(f"{name}: cannot open shared object file")


def test_python_and_platform() -> None:
    check_python((3, 11), "linux")
    check_python((3, 13), "win32")
    with pytest.raises(UnsupportedPlatformError, match=r"CPython 3\.11 to 3\.13.*3\.14"):
        check_python((3, 14), "linux")
    with pytest.raises(UnsupportedPlatformError, match=r"3\.10"):
        check_python((3, 10), "darwin")
    with pytest.raises(UnsupportedPlatformError, match="'emscripten'"):
        check_python((3, 12), "emscripten")


def test_display() -> None:
    check_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux", opens=lambda _: False)
    check_display({"DISPLAY": ":1"}, "linux", opens=lambda _: True)
    check_display({}, "darwin")
    with pytest.raises(NoDisplayError, match="DISPLAY and WAYLAND_DISPLAY are unset") as unset:
        check_display({}, "linux")
    assert "\n" not in str(unset.value) and unset.value.code == "no_display"
    with pytest.raises(NoDisplayError, match="cannot connect to X display ':9'"):
        check_display({"DISPLAY": ":9"}, "linux", opens=lambda _: False)


def test_webview_library() -> None:
    with pytest.raises(
        WebViewMissingError, match=r"libwebkit2gtk-4\.1\.so\.0.*apt-get install libwebkit2gtk-4\.1-0"
    ):
        check_webview("linux", load=_missing)
    check_webview("darwin", load=_missing)  # the system webview; pytauri-wheel is installed here


def test_tray_library() -> None:
    loaded: list[str] = []

    def second_only(name: str) -> object:
        if name.startswith("libayatana"):
            raise OSError(name)
        loaded.append(name)
        return object()

    check_tray("linux", load=second_only)
    assert loaded == ["libappindicator3.so.1"]
    check_tray("win32", load=_missing)
    with pytest.raises(TrayUnavailableError, match="apt-get install libayatana-appindicator3-1"):
        check_tray("linux", load=_missing)


def test_diagnose_reports_every_check_without_raising(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    report = {d.name: d for d in diagnose()}
    assert list(report) == ["python", "webview", "display", "tray"]
    assert not report["display"].ok and report["display"].required
    assert not report["tray"].required
