"""``tempest_core._internal.report``: the "Your code" part of a failure's traceback.

A failure tempestweb reports for the app (the import of a hot reload, a first start) is raised by
tempestweb's own code from the app's exception (``raise ... from exc``): the app's frames are in
that cause, and a ``SyntaxError`` has none at all, only its ``filename`` and ``lineno``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tempest_core.errors import SessionError
from tempestweb_contract.project import ProjectError, load_app

YOUR_CODE = "Your code (most recent call last):\n"


def _your_code(detail: str | None) -> str:
    assert detail is not None and YOUR_CODE in detail, detail
    return detail.split(YOUR_CODE, 1)[1].split("\n\n", 1)[0]


def _load_failure(app_file: Path) -> str:
    with pytest.raises(ProjectError) as caught:
        load_app(app_file, expect=object)
    detail = SessionError.app_failure(caught.value, "reloading the app").detail
    return _your_code(detail)


def test_a_syntax_error_in_the_app_names_its_file_and_line(tmp_path: Path) -> None:
    app_file = tmp_path / "app.py"
    app_file.write_text("from dataclasses import dataclass\n\ndef view(n: int)\n    return n\n")
    mine = _load_failure(app_file)
    assert mine.endswith(f"  {app_file}:3\n    def view(n: int)")  # the innermost place
    assert "tempestweb_contract" not in mine and "importlib" not in mine


def test_an_import_error_in_the_app_names_the_app_frames(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import helpers_of_report_test\n\napp = 1\n")
    (tmp_path / "helpers_of_report_test.py").write_text("X = 1\nimport no_such_module_anywhere\n")
    mine = _load_failure(tmp_path / "app.py")
    lines = [line for line in mine.splitlines() if not line.startswith("    ")]
    assert lines[-2:] == [
        f"  {tmp_path / 'app.py'}:1 in <module>",
        f"  {tmp_path / 'helpers_of_report_test.py'}:2 in <module>",
    ]
    assert "tempestweb_contract" not in mine


def test_a_syntax_error_of_a_module_the_app_imports_comes_after_the_import(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import broken_of_report_test\n")
    (tmp_path / "broken_of_report_test.py").write_text(textwrap.dedent("""\
        X = 1
        Y = (
    """))
    mine = _load_failure(tmp_path / "app.py")
    importing = f"  {tmp_path / 'app.py'}:1 in <module>\n    import broken_of_report_test\n"
    broken = f"  {tmp_path / 'broken_of_report_test.py'}:2\n"
    assert importing in mine and broken in mine and mine.index(importing) < mine.index(broken)


def test_an_error_the_app_chains_itself_shows_its_own_frames_only() -> None:
    def lookup() -> None:
        raise KeyError("missing")

    def handler() -> None:
        try:
            lookup()
        except KeyError as exc:
            raise ValueError("bad input") from exc

    with pytest.raises(ValueError) as caught:
        handler()
    mine = _your_code(SessionError.app_failure(caught.value, "the handler").detail)
    assert " in handler\n" in mine and " in lookup\n" not in mine
