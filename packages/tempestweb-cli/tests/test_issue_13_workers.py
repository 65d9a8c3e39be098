"""``tempestweb run --workers N --redis URL`` (issue 13): the flags reach the mode, typed errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cli_commands import RecordingMode, install_modes, project

from tempestweb_cli.main import cli


def test_issue_13_workers_and_redis_flags_reach_the_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    path = project(tmp_path, '[server]\nworkers = 3\nredis = "redis://127.0.0.1:6379/0"\n')
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(path)]).exit_code == 0
    flags = ["run", str(path), "--workers", "2", "--redis", "redis://10.0.0.5:6379/1"]
    assert runner.invoke(cli, flags).exit_code == 0
    (_, _, _, _, from_toml), (_, _, _, _, from_flags) = mode.calls
    assert from_toml == {}  # the mode reads [server] workers/redis itself
    assert from_flags == {"workers": 2, "redis": "redis://10.0.0.5:6379/1"}


def test_issue_13_bad_workers_and_redis_are_typed_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "app.py").write_text("app = None\n")
    result = runner.invoke(cli, ["run", str(tmp_path), "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output
    (tmp_path / "tempestweb.toml").write_text('[server]\nredis = "http://x"\n')
    result = runner.invoke(cli, ["run", str(tmp_path)])
    assert result.exit_code == 2 and "[server] redis: expected a URL starting with redis://" in result.output
