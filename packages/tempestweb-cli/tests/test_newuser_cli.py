"""A new user's bad inputs to ``tempestweb``: each one a clear line naming where it came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cli_commands import BuildingMode, RecordingMode, install_modes

from tempestweb_cli.main import cli


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    runner = CliRunner()
    result = runner.invoke(cli, ["new", "myapp", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    return tmp_path / "myapp"


@pytest.mark.parametrize("command", ["run", "dev"])
def test_newuser_a_typo_in_app_mode_names_the_file_and_key(app_dir: Path, command: str) -> None:
    (app_dir / "tempestweb.toml").write_text('[app]\nmode = "wsam"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, [command, str(app_dir)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert lines == [
        f"Error: {app_dir / 'tempestweb.toml'}: [app] mode: unknown mode 'wsam'; did you mean 'wasm'?"
    ], result.output
    assert "Traceback" not in result.output


class _WritingMode(BuildingMode):
    """A mode whose build creates its output folder, as the wasm mode does first."""

    def build(self, target: str, *, out: Path, options: dict[str, object]) -> Path:
        out.mkdir(parents=True)
        return super().build(target, out=out, options=options)


def test_newuser_build_into_an_unwritable_place_is_one_plain_line(
    app_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_modes(monkeypatch, server=RecordingMode(), wasm=_WritingMode())  # no tempestweb-wasm needed
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "site"  # a folder under a file: cannot be created, as under a read-only one
    result = CliRunner().invoke(cli, ["build", str(app_dir), "--out", str(out)])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: cannot write the build into {out}: "), lines
    assert "Error]" not in lines[0] and "Errno" not in lines[0]
