"""``tempestweb run/dev --max-sessions N ...`` (issue 13): Mode B limits as flags, typed errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cli_commands import RecordingMode, install_modes, project

from tempestweb_cli.main import cli

FLAGS = [
    "--max-sessions",
    "50",
    "--max-queue-bytes",
    "65536",
    "--ping-interval",
    "7.5",
    "--recovery-window",
    "30",
    "--max-loop-lag",
    "0.25",
    "--server",
    "uvicorn",
    "--ws-compression",
    "off",
    "--loop",
    "asyncio",
    "--send-timeout",
    "12",
    "--max-frame-bytes",
    "262144",
    "--max-inbox-bytes",
    "1048576",
    "--max-total-queue-bytes",
    "33554432",
]
EXPECTED = {
    "max_sessions": 50,
    "max_queue_bytes": 65536,
    "ping_interval_s": 7.5,
    "recovery_window_s": 30.0,
    "max_loop_lag_s": 0.25,
    "asgi_server": "uvicorn",
    "ws_compression": "off",
    "event_loop": "asyncio",
    "send_timeout_s": 12.0,
    "max_frame_bytes": 262144,
    "max_inbox_bytes": 1048576,
    "max_total_queue_bytes": 33554432,
}


@pytest.mark.parametrize("command", ["run", "dev"])
def test_issue_13_limit_flags_reach_the_mode_as_server_config_fields(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    path = project(tmp_path, "[server]\nmax_sessions = 7\nping_interval_s = 3\nmax_loop_lag_s = 0.5\n")
    runner = CliRunner()
    assert runner.invoke(cli, [command, str(path)]).exit_code == 0
    result = runner.invoke(cli, [command, str(path), *FLAGS])
    assert result.exit_code == 0, result.output
    only_one = runner.invoke(cli, [command, str(path), "--max-sessions", "9"])
    assert only_one.exit_code == 0, only_one.output
    (_, _, _, _, from_toml), (_, _, _, _, from_flags), (_, _, _, _, one) = mode.calls
    assert from_toml == {}  # the mode reads [server] itself: the flags win over it there
    assert from_flags == EXPECTED
    assert one == {"max_sessions": 9}  # a flag not given leaves tempestweb.toml's value


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--max-sessions", "0", "0 is not in the range x>=1"),
        ("--max-sessions", "many", "'many' is not a valid integer range"),
        ("--max-queue-bytes", "-5", "-5 is not in the range x>=1"),
        ("--ping-interval", "0", "0.0 is not in the range x>0"),
        ("--ping-interval", "nan", "expected a finite number of seconds, got nan"),
        ("--recovery-window", "inf", "expected a finite number of seconds, got inf"),
        ("--max-loop-lag", "-0.1", "-0.1 is not in the range x>0"),
        ("--server", "daphne", "'daphne' is not one of 'hypercorn', 'uvicorn', 'granian'"),
        ("--loop", "trio", "'trio' is not one of 'auto', 'uvloop', 'asyncio'"),
        ("--send-timeout", "0", "0.0 is not in the range x>0"),
        ("--send-timeout", "nan", "expected a finite number of seconds, got nan"),
        ("--max-frame-bytes", "1024", "1024 is not in the range 65536<=x<=16777216"),
        ("--max-frame-bytes", "16777217", "16777217 is not in the range 65536<=x<=16777216"),
        ("--max-inbox-bytes", "0", "0 is not in the range x>=1"),
        ("--max-total-queue-bytes", "-1", "-1 is not in the range x>=1"),
    ],
)
def test_issue_13_bad_limit_flags_are_typed_errors(
    flag: str, value: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = RecordingMode()
    install_modes(monkeypatch, server=mode)
    result = CliRunner().invoke(cli, ["run", str(project(tmp_path, "")), flag, value])
    assert result.exit_code == 2
    assert f"Invalid value for '{flag}'" in result.output and message in result.output
    assert mode.calls == []  # nothing started


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("max_loop_lag_s = -1.0", "[server] max_loop_lag_s: expected a positive number of seconds, got -1.0"),
        ("send_timeout_s = 0", "[server] send_timeout_s: expected a positive number of seconds, got 0"),
        (
            "max_frame_bytes = 16777217",
            "[server] max_frame_bytes: expected an int in 65536..16777216 (64 KiB to 16 MiB), got 16777217",
        ),
        ("max_inbox_bytes = 0", "[server] max_inbox_bytes: expected an int >= 1, got 0"),
        ("max_total_queue_bytes = 0", "[server] max_total_queue_bytes: expected an int >= 1, got 0"),
        (
            'asgi_server = "daphne"',
            "[server] asgi_server: expected one of 'hypercorn', 'uvicorn', 'granian', got 'daphne'",
        ),
        (
            'event_loop = "trio"',
            "[server] event_loop: expected one of 'auto', 'uvloop', 'asyncio', got 'trio'",
        ),
    ],
)
def test_issue_13_bad_setting_in_tempestweb_toml_is_a_typed_error(
    tmp_path: Path, toml: str, message: str
) -> None:
    path = project(tmp_path, f"[server]\n{toml}\n")
    result = CliRunner().invoke(cli, ["run", str(path)])
    assert result.exit_code == 2
    assert message in result.output


def test_issue_12_a_modes_setting_error_names_the_flag_and_key_not_serverconfig() -> None:
    # Found by probing as a new user: `--workers 2` without `--redis` printed
    # "ConfigError: ServerConfig.workers: ... need ServerConfig.redis": names the user never typed.
    from tempestweb_cli.main import _user_names

    message = "ServerConfig.workers: 2 workers need ServerConfig.redis (--redis URL)"
    assert _user_names(message) == (
        "--workers / [server] workers: 2 workers need --redis / [server] redis (--redis URL)"
    )
    compression = _user_names("ServerConfig.ws_compression: x")
    assert compression == "--ws-compression / [server] ws_compression: x"
    assert _user_names("ServerConfig.scripts: y") == "[wasm] scripts: y"
    assert _user_names("ServerConfig.secret: z") == "[server] secret: z"
