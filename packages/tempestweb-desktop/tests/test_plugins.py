"""Plugins from [desktop] with permissions: what is granted runs, everything else is a typed denial."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import APPS

from tempestweb_desktop.testing import VirtualDisplay, WebDriverServer

pytestmark = pytest.mark.window


def test_granted_command_runs_and_denied_ones_raise_permission_denied(driver: WebDriverServer) -> None:
    with driver.launch(sys.executable, [str(APPS / "plugins.py")]) as page:
        page.wait_for("return document.getElementById('go')", timeout_s=20, what="first view")
        page.find("#go").click()
        out = page.wait_for("return document.getElementById('out').textContent", timeout_s=15)
        assert isinstance(out, str)
        write, read, notify = out.split(" || ")
        assert write == "ok None"
        assert read == (
            "PermissionDeniedError plugin:clipboard-manager|read_text: "
            "Command plugin:clipboard-manager|read_text not allowed by ACL"
        )
        assert notify.startswith("PermissionDeniedError plugin:notification|is_permission_granted: ")


def test_native_capabilities_use_the_enabled_plugins_and_their_permissions(driver: WebDriverServer) -> None:
    """tempestweb.native's clipboard and file.save take the plugin path; a denial is typed."""
    with driver.launch(sys.executable, [str(APPS / "native_plugins.py")]) as page:
        page.wait_for("return document.getElementById('go')", timeout_s=20, what="first view")
        page.find("#go").click()
        out = page.wait_for("return document.getElementById('out').textContent", timeout_s=15)
        assert isinstance(out, str)
        roundtrip, os_clipboard, save = out.split(" || ")
        assert roundtrip == "ok 'native from tempestweb'"
        assert os_clipboard == "ok 'native from tempestweb'"  # what the plugin's own command reads
        assert save.startswith("PermissionDeniedError permission_denied ")
        assert "plugin:dialog|save not allowed by ACL" in save  # the OS dialog path, refused


def test_file_save_goes_through_the_os_save_dialog(
    driver: WebDriverServer, display: VirtualDisplay, tmp_path: Path
) -> None:
    """With dialog + fs granted, file.save opens the OS dialog; the chosen file gets the bytes."""
    target = tmp_path / "saved notes.txt"
    args = [str(APPS / "native_plugins.py"), "--grant-save"]
    with driver.launch(sys.executable, args) as page:
        page.wait_for(
            "return document.getElementById('tw-root')?.dataset.twStatus === 'open'",
            timeout_s=20,
            what="the live first view",
        )
        page.find("#save").click()
        display.wait_for_window("Save File")  # GTK's file chooser, a real OS dialog
        display.press("Save File", "ctrl+a")
        display.type_text("Save File", str(target))
        display.press("Save File", "Return")
        out = page.wait_for("return document.getElementById('out').textContent", timeout_s=15)
        assert out == "ok SaveResult(method='dialog', completed=True)"
    assert target.read_bytes() == b"hello"
