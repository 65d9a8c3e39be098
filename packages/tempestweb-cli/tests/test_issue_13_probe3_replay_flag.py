"""Issue 13, third probe: ``--max-total-replay-bytes`` / ``[server] max_total_replay_bytes``, typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cli_commands import RecordingMode, install_modes, project

from tempestweb_cli.main import cli


def test_issue_13_probe3_replay_budget_flag_reaches_the_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    path = project(tmp_path, "[server]\nmax_total_replay_bytes = 1048576\n")
    result = CliRunner().invoke(cli, ["run", str(path), "--max-total-replay-bytes", "65536"])
    assert result.exit_code == 0, result.output
    (*_, options) = mode.calls[0]
    assert options == {"max_total_replay_bytes": 65536}


@pytest.mark.parametrize(
    ("value", "message"),
    [("0", "0 is not in the range x>=1"), ("8MiB", "'8MiB' is not a valid integer range")],
)
def test_issue_13_probe3_bad_replay_budget_flag_is_a_typed_error(
    value: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    result = CliRunner().invoke(cli, ["run", str(project(tmp_path, "")), "--max-total-replay-bytes", value])
    assert result.exit_code == 2
    assert "Invalid value for '--max-total-replay-bytes'" in result.output and message in result.output
    assert mode.calls == []


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("max_total_replay_bytes = 0", "[server] max_total_replay_bytes: expected"),
        ('max_total_replay_bytes = "big"', "[server] max_total_replay_bytes: expected"),
    ],
)
def test_issue_13_probe3_bad_replay_budget_in_toml_is_a_typed_error(
    tmp_path: Path, toml: str, message: str
) -> None:
    result = CliRunner().invoke(cli, ["run", str(project(tmp_path, f"[server]\n{toml}\n"))])
    assert result.exit_code == 2
    assert message in result.output
