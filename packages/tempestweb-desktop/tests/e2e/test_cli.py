"""The CLI with the desktop mode installed: doctor's checks, and one-line errors without a display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tempestweb_desktop.testing import VirtualDisplay

pytestmark = pytest.mark.window

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tempestweb_cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _without_display() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}


def test_doctor_lists_the_desktop_checks(display: VirtualDisplay) -> None:
    ok = _cli("doctor", env={**_without_display(), "DISPLAY": display.name})
    assert ok.returncode == 0, ok.stderr
    lines = ok.stdout.splitlines()
    start = lines.index("  desktop: tempestweb_desktop._mode:MODE")
    checks = [line.strip().split(":")[:2] for line in lines[start + 1 : start + 5]]
    assert checks == [["python", " ok"], ["webview", " ok"], ["display", " ok"], ["tray", " ok"]]

    missing = _cli("doctor", env=_without_display())
    assert "    display: MISSING: no display: DISPLAY and WAYLAND_DISPLAY are unset" in missing.stdout


def test_run_without_a_display_is_one_line_and_a_non_zero_exit() -> None:
    result = _cli("run", str(EXAMPLES / "counter"), "--mode", "desktop", env=_without_display())
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors == [
        "Error: NoDisplayError: no display: DISPLAY and WAYLAND_DISPLAY are unset (run under a desktop "
        "session, or Xvfb for tests: xvfb-run tempestweb run app.py --mode desktop)"
    ]


def test_run_with_an_unreachable_display_is_one_line_and_a_non_zero_exit() -> None:
    result = _cli(
        "run", str(EXAMPLES / "counter"), "--mode", "desktop", env={**_without_display(), "DISPLAY": ":93"}
    )
    assert result.returncode != 0
    assert result.stderr.strip() == "Error: NoDisplayError: no display: cannot connect to X display ':93'"
