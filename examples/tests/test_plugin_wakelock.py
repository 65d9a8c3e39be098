"""examples/plugin-wakelock installs as a wheel next to tempestweb-native and passes its own tests.

A venv layered on this one (a ``.pth`` adds this environment's site-packages after its own, so
tempestweb-native, the contract and the test tools come from here) gets the plugin's wheel, built
by pip from the example folder; the plugin's suite (fake backend, entry point, its JS in
Chromium) then runs in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest
from servers import REPO

pytestmark = pytest.mark.browser

PLUGIN = REPO / "examples" / "plugin-wakelock"
INSTALL_TIMEOUT_S = 300
TEST_TIMEOUT_S = 300


def test_the_wakelock_plugin_wheel_installs_and_passes_its_tests(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    child_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    parent_sites = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    lines = "".join(f"import site; site.addsitedir({path!r})\n" for path in sorted(parent_sites))
    (Path(child_site) / "_tempestweb_parent_env.pth").write_text(lines)
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [str(python), "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(PLUGIN)],
        capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("tempestweb_wakelock-*.whl")
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
        capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    ran = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=PLUGIN, env=env, capture_output=True, text=True, timeout=TEST_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert " passed" in ran.stdout and "skipped" not in ran.stdout, ran.stdout
    location = subprocess.run(
        [str(python), "-c", "import tempestweb_wakelock; print(tempestweb_wakelock.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert str(env_dir) in location.stdout  # the wheel's copy, not the source folder
