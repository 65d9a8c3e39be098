"""Issue 13: the Mode B limits come from the CLI flags over ``tempestweb.toml`` over the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from tempestweb_contract.constants import PING_INTERVAL_S
from tempestweb_server._mode import _prepare
from tempestweb_server.constants import DEFAULT_MAX_LOOP_LAG_S, DEFAULT_MAX_SESSIONS
from tempestweb_server.errors import ConfigError


def app_folder(tmp_path: Path, toml: str | None) -> str:
    (tmp_path / "app.py").write_text("app = None\n")  # _prepare reads the project, not the app
    if toml is not None:
        (tmp_path / "tempestweb.toml").write_text(toml)
    return str(tmp_path)


def test_issue_13_defaults_then_toml_then_flags(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    _, defaults = _prepare(app_folder(tmp_path / "a", None), {})
    assert (defaults.max_sessions, defaults.ping_interval_s, defaults.max_loop_lag_s) == (
        DEFAULT_MAX_SESSIONS,
        PING_INTERVAL_S,
        DEFAULT_MAX_LOOP_LAG_S,
    )
    (tmp_path / "b").mkdir()
    target = app_folder(
        tmp_path / "b", "[server]\nmax_sessions = 7\nping_interval_s = 3\nmax_loop_lag_s = 0.5\n"
    )
    _, from_toml = _prepare(target, {})
    assert (from_toml.max_sessions, from_toml.ping_interval_s, from_toml.max_loop_lag_s) == (7, 3.0, 0.5)
    # What the CLI passes for `--max-sessions 9 --max-queue-bytes 4096`: only the flags given.
    _, from_flags = _prepare(target, {"max_sessions": 9, "max_queue_bytes": 4096})
    assert (from_flags.max_sessions, from_flags.max_queue_bytes) == (9, 4096)
    assert (from_flags.ping_interval_s, from_flags.max_loop_lag_s) == (3.0, 0.5)  # toml still applies


def test_issue_13_a_bad_limit_from_a_caller_is_a_config_error(tmp_path: Path) -> None:
    target = app_folder(tmp_path, None)
    with pytest.raises(ConfigError, match=r"ServerConfig.max_loop_lag_s: expected a positive number"):
        _prepare(target, {"max_loop_lag_s": 0.0})
    with pytest.raises(ConfigError, match=r"ServerConfig.max_sessions: expected >= 1, got 0"):
        _prepare(target, {"max_sessions": 0})


def test_issue_13_asgi_server_and_compression_from_toml_then_flags(tmp_path: Path) -> None:
    target = app_folder(tmp_path, '[server]\nasgi_server = "uvicorn"\nws_compression = "off"\n')
    _, from_toml = _prepare(target, {})
    assert (from_toml.asgi_server, from_toml.ws_compression) == ("uvicorn", "off")
    _, from_flags = _prepare(target, {"asgi_server": "granian"})
    assert (from_flags.asgi_server, from_flags.ws_compression) == ("granian", "off")
