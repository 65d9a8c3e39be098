"""Loading apps from files and directories, with errors that name the file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tempest_core import App
from tempestweb_server import AppLoader, AppLoadError, load_app

APP = """
from tempest_core import App, Text
from helper import GREETING

app = App(view=lambda state: Text(GREETING), state=None, title="Loaded")
"""


@pytest.fixture(autouse=True)
def isolated_imports() -> Iterator[None]:
    """Each test's app directory has its own ``helper`` module: forget it between tests."""
    path = list(sys.path)
    yield
    sys.path[:] = path
    sys.modules.pop("helper", None)


def write_app(directory: Path, greeting: str = "hi") -> None:
    (directory / "app.py").write_text(APP)
    (directory / "helper.py").write_text(f"GREETING = {greeting!r}\n")


def test_load_from_directory_and_file(tmp_path: Path) -> None:
    write_app(tmp_path)
    from_dir = load_app(tmp_path)
    from_file = load_app(tmp_path / "app.py")
    assert isinstance(from_dir, App) and isinstance(from_file, App)
    assert from_dir.title == "Loaded"


def test_reload_picks_up_changed_sibling_modules(tmp_path: Path) -> None:
    from tempest_core import render_to_html

    write_app(tmp_path, "first")
    loader = AppLoader(tmp_path)
    assert "first" in render_to_html(loader.load())
    (tmp_path / "helper.py").write_text("GREETING = 'second'\n")
    assert "second" in render_to_html(loader.load())


@pytest.mark.parametrize(
    ("files", "target", "message"),
    [
        ({}, ".", "app.py: not found; an app folder must hold its app module"),
        ({}, "missing.py", "missing.py: no such file or folder"),
        ({"notes.txt": ""}, "notes.txt", "notes.txt: expected an app folder or a .py file"),
        ({"app.py": "x = 1\n"}, "app.py", "app.py: no module-level `app`"),
        ({"app.py": "app = 42\n"}, "app.py", "app.py: `app` is of type int, expected a tempest_core.App"),
        (
            {"app.py": "x = 1\nimport nonexistent_module_xyz\n"},
            "app.py",
            "app.py:2: importing the app failed: ModuleNotFoundError",
        ),
        ({"app.py": "def broken(:\n"}, "app.py", "app.py:1: importing the app failed: SyntaxError"),
    ],
)
def test_errors_name_the_file(tmp_path: Path, files: dict[str, str], target: str, message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(AppLoadError) as error:
        load_app(tmp_path / target)
    assert str(tmp_path) in str(error.value)
    assert message in str(error.value)
