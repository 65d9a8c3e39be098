"""The click commands through CliRunner: new, run/dev option handling, missing modes, doctor."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tempestweb_cli import main as main_module
from tempestweb_cli import modes as modes_module
from tempestweb_cli.main import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("template", ["counter", "todo", "blank"])
def test_new_creates_a_runnable_app(runner: CliRunner, tmp_path: Path, template: str) -> None:
    result = runner.invoke(cli, ["new", "my_app", "--template", template, "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    project = tmp_path / "my_app"
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "app.py", "tempestweb.toml"]
    assert 'name = "my_app"' in (project / "tempestweb.toml").read_text()
    assert "# My App" in (project / "README.md").read_text()
    namespace = runpy.run_path(str(project / "app.py"))
    from tempest_core import App, render_to_html

    app = namespace["app"]
    assert isinstance(app, App) and app.title == "My App"
    html = render_to_html(app)
    assert "My App" in html


def test_new_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    result = runner.invoke(cli, ["new", "taken", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists and is not empty" in result.output
    assert (tmp_path / "taken" / "keep.txt").read_text() == "mine"
    assert not (tmp_path / "taken" / "app.py").exists()


def test_new_accepts_an_empty_existing_directory(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert runner.invoke(cli, ["new", "empty", "--dir", str(tmp_path)]).exit_code == 0


@pytest.mark.parametrize("below", ["sub", "sub/deeper"])
def test_new_refuses_a_dir_below_a_file(runner: CliRunner, tmp_path: Path, below: str) -> None:
    """``--dir afile/sub`` is a usage error like ``--dir afile``, not a NotADirectoryError traceback."""
    (tmp_path / "afile").write_text("x\n")
    result = runner.invoke(cli, ["new", "x", "--dir", str(tmp_path / "afile" / below)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    error = [line for line in result.output.splitlines() if line.startswith("Error:")]
    afile = str(tmp_path / "afile")
    assert error == [f"Error: Invalid value for '--dir': {afile!r} is a file, not a directory."]
    assert "Traceback" not in result.output
    assert (tmp_path / "afile").read_text() == "x\n"


def test_new_says_the_target_is_a_file(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "filey").write_text("")
    result = runner.invoke(cli, ["new", "filey", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    said = f"Error: {tmp_path / 'filey'} already exists and is a file; choose another name or --dir\n"
    assert result.output == said
    assert (tmp_path / "filey").read_text() == ""


@pytest.mark.parametrize("name", ["1abc", "has space", "../evil", "a/b", "", "x" * 65, "é"])
def test_new_validates_the_name(runner: CliRunner, tmp_path: Path, name: str) -> None:
    result = runner.invoke(cli, ["new", name, "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "invalid project name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_new_rejects_unknown_template(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["new", "x", "--template", "nope", "--dir", str(tmp_path)])
    assert result.exit_code == 2 and "nope" in result.output


def test_top_level_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("new", "run", "dev", "sync", "doctor"):
        assert f"  {command} " in result.output


def test_run_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["run", "--help"])
    assert result.exit_code == 0
    for option in ("--mode", "--host", "--port", "--allowed-origin", "--debug"):
        assert option in result.output


class RecordingMode:
    name = "server"
    description = "records calls"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str, int, dict[str, object]]] = []

    def run(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
        self.calls.append(("run", target, host, port, options))

    def dev(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
        self.calls.append(("dev", target, host, port, options))


class FakeEntryPoint:
    def __init__(self, name: str, obj: object) -> None:
        self.name = name
        self.value = f"fake:{name}"
        self._obj = obj

    def load(self) -> object:
        if isinstance(self._obj, Exception):
            raise self._obj
        return self._obj


def install_modes(monkeypatch: pytest.MonkeyPatch, **modes: object) -> None:
    def fake_available() -> dict[str, Any]:
        return {name: FakeEntryPoint(name, obj) for name, obj in modes.items()}

    monkeypatch.setattr(modes_module, "available_modes", fake_available)
    monkeypatch.setattr(main_module, "available_modes", fake_available)


def project(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "app.py").write_text("app = None\n")
    (tmp_path / "tempestweb.toml").write_text(toml)
    return tmp_path


def test_run_passes_toml_and_cli_overrides_to_the_mode(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    path = project(
        tmp_path, '[app]\ntitle = "T"\n[server]\nhost = "0.0.0.0"\nport = 9000\nrecovery_window_s = 5\n'
    )
    assert runner.invoke(cli, ["run", str(path)]).exit_code == 0
    assert (
        runner.invoke(
            cli,
            ["dev", str(path), "--port", "9100", "--host", "::1", "--allowed-origin", "https://o.example"],
        ).exit_code
        == 0
    )
    (kind, target, host, port, options), (kind2, _, host2, port2, options2) = mode.calls
    assert (kind, target, host, port) == ("run", str(path / "app.py"), "0.0.0.0", 9000)
    assert options == {}  # the mode reads the rest of tempestweb.toml itself (the project schema)
    assert (kind2, host2, port2) == ("dev", "::1", 9100)
    assert options2 == {"allowed_origins": ["https://o.example"]}


def test_run_a_py_file_without_toml(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    (tmp_path / "hello.py").write_text("app = None\n")
    result = runner.invoke(cli, ["run", str(tmp_path / "hello.py")])
    assert result.exit_code == 0, result.output
    assert mode.calls == [("run", str(tmp_path / "hello.py"), "127.0.0.1", 8000, {})]


def test_config_error_is_one_line_exit_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_modes(monkeypatch, server=RecordingMode())
    path = project(tmp_path, '[server]\nport = "80a"\n')
    result = runner.invoke(cli, ["run", str(path)])
    assert result.exit_code == 2
    assert result.output == f'Error: {path / "tempestweb.toml"}: [server] port: expected int, got str "80a"\n'


def test_unknown_key_error(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_modes(monkeypatch, server=RecordingMode())
    path = project(tmp_path, "[app]\nmodul = 'x'\n")
    result = runner.invoke(cli, ["run", str(path)])
    assert result.exit_code == 2
    assert "[app] modul: unknown key (did you mean 'module'?)" in result.output
    assert "Traceback" not in result.output


def test_missing_mode_message(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_modes(monkeypatch, server=RecordingMode())
    path = project(tmp_path, '[app]\nmode = "wasm"\n')
    result = runner.invoke(cli, ["run", str(path)])
    assert result.exit_code == 2
    assert (
        result.output == "Error: mode 'wasm' is not installed. Install it with: pip install tempestweb-wasm\n"
    )


def test_broken_mode_and_failing_app_are_clean_errors(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing(RecordingMode):
        def run(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
            raise ValueError(f"{target}: no module-level `app`")

    install_modes(monkeypatch, server=Failing(), broken=ImportError("missing dep"), odd=object())
    path = project(tmp_path, "")
    failing = runner.invoke(cli, ["run", str(path)])
    assert (
        failing.exit_code == 1
        and "no module-level `app`" in failing.output
        and "Traceback" not in failing.output
    )
    broken = runner.invoke(cli, ["run", str(path), "--mode", "broken"])
    assert broken.exit_code == 1 and "failed to load: ImportError: missing dep" in broken.output
    odd = runner.invoke(cli, ["run", str(path), "--mode", "odd"])
    assert odd.exit_code == 1 and "does not provide" in odd.output


def test_issue_9_run_a_target_with_an_attribute(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    (tmp_path / "guide.py").write_text("todo_app = None\n")
    (tmp_path / "tempestweb.toml").write_text("[server]\nport = 8123\n")
    result = runner.invoke(cli, ["run", f"{tmp_path}/guide.py:todo_app"])
    assert result.exit_code == 0, result.output
    assert mode.calls == [("run", f"{tmp_path / 'guide.py'}:todo_app", "127.0.0.1", 8123, {})]
    missing = runner.invoke(cli, ["run", f"{tmp_path}/nope.py:todo_app"])
    assert missing.exit_code == 1 and "nope.py: no such file or folder" in missing.output


def test_missing_app_module(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_modes(monkeypatch, server=RecordingMode())
    (tmp_path / "tempestweb.toml").write_text('[app]\nmodule = "main.py"\n')
    result = runner.invoke(cli, ["run", str(tmp_path)])
    assert (
        result.exit_code == 1
        and "main.py: not found; an app folder must hold its app module" in result.output
    )


def test_doctor_lists_modes(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    install_modes(monkeypatch, server=RecordingMode())
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 0
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}" in result.output
    assert "server: fake:server" in result.output and "Chromium:" in result.output


class BuildingMode(RecordingMode):
    name = "wasm"

    def build(self, target: str, *, out: Path, options: dict[str, object]) -> Path:
        self.calls.append(("build", target, str(out), 0, options))
        if options.get("csp") and "broken" in target:
            raise ValueError("module 'nope' is neither vendored nor installed")
        return out


def test_build_calls_the_wasm_mode(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = BuildingMode()
    install_modes(monkeypatch, server=RecordingMode(), wasm=mode)
    path = project(tmp_path, '[app]\nname = "x"\n')
    result = runner.invoke(cli, ["build", str(path), "--out", str(tmp_path / "site"), "--csp"])
    assert result.exit_code == 0, result.output
    assert mode.calls == [("build", str(path / "app.py"), str(tmp_path / "site"), 0, {"csp": True})]
    assert f"into {tmp_path / 'site'}" in result.output
    result = runner.invoke(cli, ["build", str(path)])  # default output folder: next to the app
    assert mode.calls[-1][2] == str(path / "dist")


def test_build_errors_are_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_modes(monkeypatch, server=RecordingMode(), wasm=BuildingMode())
    broken = tmp_path / "broken"
    broken.mkdir()
    path = project(broken, "")
    result = runner.invoke(cli, ["build", str(path), "--csp"])
    assert result.exit_code == 1
    assert "ValueError: module 'nope' is neither vendored nor installed" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["build", str(path), "--mode", "server"])
    assert result.exit_code == 1
    assert "mode 'server' does not build static folders" in result.output
    result = runner.invoke(cli, ["build", str(path), "--mode", "desktop"])
    assert "pip install tempestweb-desktop" in result.output


def test_issue_12_mode_typo_suggests_the_mode(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_modes(monkeypatch, server=RecordingMode())
    path = project(tmp_path, "")
    typo = runner.invoke(cli, ["run", str(path), "--mode", "sever"])
    assert typo.exit_code == 2
    assert typo.output == "Error: unknown mode 'sever'; did you mean 'server'?\n"
    assert "pip install" not in runner.invoke(cli, ["dev", str(path), "--mode", "wsam"]).output
    assert "did you mean 'wasm'?" in runner.invoke(cli, ["build", str(path), "--mode", "wsam"]).output
    unrelated = runner.invoke(cli, ["run", str(path), "--mode", "xyz"])
    assert unrelated.exit_code == 2
    assert unrelated.output == "Error: unknown mode 'xyz'; installed modes: server\n"


@pytest.mark.parametrize("columns", ["60", "80", "200"])
def test_issue_12_help_lists_every_command_in_full(runner: CliRunner, columns: str) -> None:
    result = runner.invoke(cli, ["--help"], env={"COLUMNS": columns})
    assert result.exit_code == 0
    listing = " ".join(result.output.split("Commands:", 1)[1].split())
    assert "..." not in listing
    for name, command in cli.commands.items():
        assert command.short_help, f"{name} has no short_help: click would truncate its docstring"
        assert f"{name} {command.short_help}" in listing
        full = runner.invoke(cli, [name, "--help"], env={"COLUMNS": columns})
        assert full.exit_code == 0 and "..." not in full.output.split("Options:", 1)[0]
