"""A new user's probe of ``tempestweb`` and ``tempestweb.toml``: each bad input one clear line.

Found by trying the CLI as a person would: a ``new`` that fails half-way, blank ``--host`` or
``--mode``, an ``--allowed-origin`` no browser sends, a ``tempestweb.toml`` saved with a byte
order mark or in another encoding, a ``PATH:ATTR`` with no attribute name, a command guessed
from another tool, and ``sync`` over files it cannot read or write. Before the fixes these left
a half-written project, were dropped unseen, printed a traceback or a message that did not say
what to do.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cli_commands import RecordingMode, install_modes, project

from tempestweb_cli import main as main_module
from tempestweb_cli.main import cli
from tempestweb_cli.modes import available_modes
from tempestweb_cli.sync import SyncError, sync, sync_command
from tempestweb_contract.project import ProjectConfigError

BOM = "\ufeff"


# --- tempestweb new -------------------------------------------------------------------------


def test_new_that_fails_half_way_leaves_no_project_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = Path.write_text

    def full_disk(self: Path, data: str, *args: object, **kwargs: object) -> int:
        if self.name == "tempestweb.toml":  # the second of the three files
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", full_disk)
    result = CliRunner().invoke(cli, ["new", "myapp", "--dir", str(tmp_path / "a" / "b")])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: cannot write ") and "No space left on device" in result.output
    assert list(tmp_path.iterdir()) == []  # no myapp/app.py that blocks the next try, no a/b
    monkeypatch.undo()
    retry = CliRunner().invoke(cli, ["new", "myapp", "--dir", str(tmp_path / "a" / "b")])
    assert retry.exit_code == 0, retry.output


def test_new_that_fails_keeps_an_empty_folder_the_user_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "myapp").mkdir()

    def read_only(self: Path, data: str, *args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", read_only)
    result = CliRunner().invoke(cli, ["new", "myapp", "--dir", str(tmp_path)])
    assert result.exit_code == 1 and "Permission denied" in result.output, result.output
    assert [path.name for path in tmp_path.iterdir()] == ["myapp"]
    assert list((tmp_path / "myapp").iterdir()) == []


@pytest.mark.parametrize(
    ("name", "hint"), [("/srv/web/shop", "shop --dir /srv/web"), ("my apps/x", "x --dir 'my apps'")]
)
def test_new_with_a_path_as_name_says_to_use_dir(tmp_path: Path, name: str, hint: str) -> None:
    result = CliRunner().invoke(cli, ["new", name, "--dir", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert f"to create it in another folder: tempestweb new {hint}" in result.output
    assert list(tmp_path.iterdir()) == []


def test_new_with_a_bad_plain_name_gets_no_dir_hint(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["new", "my app", "--dir", str(tmp_path)])
    assert result.exit_code == 1 and "invalid project name 'my app'" in result.output
    assert "--dir" not in result.output


# --- run / dev flags ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "dev"])
@pytest.mark.parametrize("option", ["--host", "--mode"])
@pytest.mark.parametrize("value", ["", "  "])
def test_blank_host_or_mode_is_refused_not_replaced_by_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, option: str, value: str
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    path = project(tmp_path, "")
    result = CliRunner().invoke(cli, [command, str(path), option, value])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': expected a non-empty value" in result.output
    assert mode.calls == []


@pytest.mark.parametrize(
    "origin", ["app.example.com", "", "https://app.example.com/path", "https://", "https://a.example:99999"]
)
def test_an_allowed_origin_no_browser_sends_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, origin: str
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    path = project(tmp_path, "")
    result = CliRunner().invoke(cli, ["run", str(path), "--allowed-origin", origin])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--allowed-origin':" in result.output
    assert "is not an origin: expected scheme://host[:port]" in result.output
    assert mode.calls == []


def test_real_origins_still_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    path = project(tmp_path, "")
    origins = ["https://app.example.com", "http://localhost:5173/", "*", "tauri://localhost", "null"]
    result = CliRunner().invoke(cli, ["run", str(path), *(f"--allowed-origin={o}" for o in origins)])
    assert result.exit_code == 0, result.output
    assert mode.calls[0][4] == {"allowed_origins": origins}


@pytest.mark.parametrize(
    ("target", "attr"), [("{app}:1app", "'1app'"), ("{app}:", "''"), ("{file}:x-y", "'x-y'")]
)
def test_a_target_with_no_attribute_name_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, attr: str
) -> None:
    install_modes(monkeypatch, server=RecordingMode())
    path = project(tmp_path, "")
    text = target.format(app=path, file=path / "app.py")
    result = CliRunner().invoke(cli, ["run", text])
    assert result.exit_code == 1, result.output
    assert f"{attr} after ':' is not an attribute name" in result.output
    assert "no such file or folder" not in result.output


@pytest.mark.parametrize(
    ("typed", "meant"), [("RUN", "run"), ("Doctor", "doctor"), ("serve", "run"), ("init", "new")]
)
def test_an_unknown_command_suggests_the_one_meant(typed: str, meant: str) -> None:
    result = CliRunner().invoke(cli, [typed])
    assert result.exit_code == 2, result.output
    assert f"Error: No such command '{typed}'. Did you mean '{meant}'?" in result.output


def test_a_misspelt_command_is_suggested_and_a_plain_miss_is_not() -> None:
    """With every click the package allows: 8.1 suggests nothing itself, 8.2 and later do."""
    for typed, meant in (("runn", "run"), ("bulid", "build"), ("docter", "doctor")):
        output = CliRunner().invoke(cli, [typed]).output
        assert f"Did you mean '{meant}'?" in output, output
    miss = CliRunner().invoke(cli, ["frobnicate"])
    assert miss.exit_code == 2 and "No such command 'frobnicate'.\n" in miss.output


# --- tempestweb.toml --------------------------------------------------------------------------


def test_a_toml_saved_with_a_byte_order_mark_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    path = project(tmp_path, "")
    (path / "tempestweb.toml").write_bytes((BOM + "[server]\nport = 9123\n").encode())
    result = CliRunner().invoke(cli, ["run", str(path)])
    assert result.exit_code == 0, result.output
    assert mode.calls[0][3] == 9123


def test_a_toml_in_another_encoding_says_to_save_it_as_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_modes(monkeypatch, server=RecordingMode())
    path = project(tmp_path, "")
    (path / "tempestweb.toml").write_bytes("[app]\ntitle = 'Café'\n".encode("latin-1"))
    result = CliRunner().invoke(cli, ["run", str(path)])
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"Error: {path / 'tempestweb.toml'}: cannot be read: not UTF-8 text (byte 18); save it as UTF-8\n"
    )


def test_a_folder_named_tempestweb_toml_is_not_read_as_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    (tmp_path / "app.py").write_text("app = None\n")
    (tmp_path / "tempestweb.toml").mkdir()
    result = CliRunner().invoke(cli, ["run", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'tempestweb.toml'}: is a folder, not a file" in result.output
    assert mode.calls == []


def test_a_bad_allowed_origin_in_the_toml_names_the_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_modes(monkeypatch, server=RecordingMode())
    path = project(tmp_path, '[server]\nallowed_origins = ["https://ok.example", "app.example.com"]\n')
    result = CliRunner().invoke(cli, ["run", str(path)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(
        f'Error: {path / "tempestweb.toml"}: [server] allowed_origins[1]: "app.example.com" is not an origin'
    )


# --- tempestweb sync --------------------------------------------------------------------------


def _imports_project(tmp_path: Path, toml: bytes) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "app.py").write_text("import tomlkit\n")  # pure and installed: sync adds it
    (folder / "tempestweb.toml").write_bytes(toml)
    return folder


def test_sync_of_a_toml_in_another_encoding_is_one_line(tmp_path: Path) -> None:
    folder = _imports_project(tmp_path, "[app]\ntitle = 'Café'\n".encode("latin-1"))
    result = CliRunner().invoke(sync_command, [str(folder)])
    assert result.exit_code == 1, result.output
    config = folder / "tempestweb.toml"
    assert result.output == f"Error: {config}: not UTF-8 text (byte 18); save it as UTF-8\n"


def test_sync_of_a_pyproject_in_another_encoding_is_one_line(tmp_path: Path) -> None:
    folder = _imports_project(tmp_path, b"")
    (folder / "pyproject.toml").write_bytes(b"\xff[project]\n")
    with pytest.raises(SyncError, match=r"pyproject\.toml: not UTF-8 text \(byte 0\)"):
        sync(folder)


def test_sync_keeps_a_byte_order_mark_and_reads_past_it(tmp_path: Path) -> None:
    folder = _imports_project(tmp_path, (BOM + "[server]\nport = 8001\n").encode())
    result = sync(folder)
    assert result.added == ("tomlkit",) and result.written
    text = (folder / "tempestweb.toml").read_text("utf-8")
    assert text.startswith(BOM + "[server]\nport = 8001\n") and text.count(BOM) == 1
    assert 'modules = ["tomlkit"]' in text


def test_sync_reads_a_pyproject_with_a_byte_order_mark(tmp_path: Path) -> None:
    folder = _imports_project(tmp_path, b"")
    (folder / "pyproject.toml").write_text(BOM + '[project]\ndependencies = ["tomlkit"]\n', "utf-8")
    assert sync(folder, dry_run=True).added == ("tomlkit",)


def test_sync_into_a_read_only_toml_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _imports_project(tmp_path, b"[server]\nport = 8001\n")

    def read_only(self: Path, data: str, *args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EPERM, "Operation not permitted", str(self))

    monkeypatch.setattr(Path, "write_text", read_only)
    result = CliRunner().invoke(sync_command, [str(folder)])
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: cannot write {folder / 'tempestweb.toml'}: Operation not permitted\n"


def test_sync_skips_py_names_that_are_not_files(tmp_path: Path) -> None:
    folder = _imports_project(tmp_path, b"")
    (folder / "gone.py").symlink_to(tmp_path / "nowhere.py")  # a broken symlink
    (folder / "notes.py").mkdir()  # a folder named like a module
    result = CliRunner().invoke(sync_command, [str(folder)])
    assert result.exit_code == 0, result.output
    assert "added to [wasm].modules: tomlkit" in result.output


# --- tempestweb run: exit statuses ------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "flags", "message"),
    [
        ("server", ["--workers", "2"], "--workers / [server] workers: 2 workers need --redis"),
        ("server", ["--redis", "foo://x"], "--redis / [server] redis: expected a URL starting with redis://"),
    ],
)
def test_a_modes_config_error_exits_with_the_config_status(
    tmp_path: Path, mode: str, flags: list[str], message: str
) -> None:
    """A setting a mode refuses is a configuration error like a bad ``tempestweb.toml``: status 2
    (it was 1, the status of an app that fails to load)."""
    if mode not in available_modes():
        pytest.skip(f"the {mode} mode's entry point is not installed")
    path = project(tmp_path, "")
    result = CliRunner().invoke(cli, ["run", str(path), "--mode", mode, "--port", "0", *flags])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ConfigError: ") and message in result.output, result.output
    assert "Traceback" not in result.output


def test_any_modes_config_error_exits_with_the_config_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule needs no mode installed: any ``ProjectConfigError`` subclass a mode raises (the wasm
    and desktop modes' ``ConfigError`` are ones: their own tests check it) exits 2, one line."""

    class ModeConfigError(ProjectConfigError):
        pass

    class Refusing(RecordingMode):
        def run(self, target: str, *, host: str, port: int, options: dict[str, object]) -> None:
            raise ModeConfigError("wasm mode: unknown option(s) ['workers']")

    install_modes(monkeypatch, server=Refusing())
    result = CliRunner().invoke(cli, ["run", str(project(tmp_path, "")), "--port", "0"])
    assert result.exit_code == 2, result.output
    assert result.output == "Error: ModeConfigError: wasm mode: unknown option(s) ['workers']\n"


def test_ctrl_c_while_the_mode_loads_stops_quietly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+C before the server runs (its import, the port check) printed click's "Aborted!" with
    status 1; while it runs, the same key stops it quietly with 0. Now both are the latter."""

    def interrupted(launch: object) -> object:
        raise KeyboardInterrupt

    install_modes(monkeypatch, server=RecordingMode())
    monkeypatch.setattr(main_module, "_load_mode", interrupted)
    result = CliRunner().invoke(cli, ["run", str(project(tmp_path, ""))])
    assert result.exit_code == 0, result.output
    assert "Aborted" not in result.output and result.output == "", result.output
