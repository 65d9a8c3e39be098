"""tempestweb_contract.testing: which Chromium browser tests launch, and with which flags."""

from __future__ import annotations

import os.path
import shutil

import pytest

from tempestweb_contract import testing


def test_system_chromium_first_then_path_then_playwrights_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os.path, "exists", lambda path: path == testing.SYSTEM_CHROMIUM)
    assert testing.chromium_executable() == "/usr/bin/chromium"
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    monkeypatch.setattr(shutil, "which", lambda name: "/opt/bin/chromium" if name == "chromium" else None)
    assert testing.chromium_executable() == "/opt/bin/chromium"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert testing.chromium_executable() is None  # Playwright launches its own browser


def test_flags_keep_a_headless_run_offline_safe() -> None:
    assert {"--no-sandbox", "--disable-background-networking", "--disable-component-update"} <= set(
        testing.CHROMIUM_ARGS
    )
