"""``tempestweb.toml`` parsing: the typed model and exact error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tempestweb_cli import ConfigError, ProjectConfig, load_config, parse_config

FULL = """
[app]
name = "todo"
module = "main.py"
title = "Todo"
mode = "server"

[server]
host = "0.0.0.0"
port = 8080
allowed_origins = ["https://a.example"]
recovery_window_s = 30

[wasm]
packages = ["attrs"]
modules = ["helpers"]
assets = ["static"]
scripts = ["extra.js"]
"""


def test_full_config_is_typed() -> None:
    config = parse_config(FULL, directory=Path("/p"))
    assert config.app.name == "todo" and config.app.mode == "server" and config.app.title == "Todo"
    assert config.server.port == 8080 and config.server.recovery_window_s == 30.0
    assert config.server.allowed_origins == ("https://a.example",)
    assert config.wasm.packages == ("attrs",) and config.wasm.scripts == ("extra.js",)
    assert config.app_file(Path("/p")) == Path("/p/main.py")
    assert config.mode_options("server") == {
        "host": "0.0.0.0",
        "port": 8080,
        "allowed_origins": ["https://a.example"],
        "recovery_window_s": 30.0,
    }
    assert config.mode_options("desktop") == {}


def test_empty_config_uses_defaults() -> None:
    config = parse_config("")
    assert config == ProjectConfig()
    assert config.app_file(Path("/p")) == Path("/p/app.py")
    assert config.mode_options("server") == {}


def test_dotted_module_resolves_to_a_file() -> None:
    config = parse_config('[app]\nmodule = "pkg.main"\n')
    assert config.app_file(Path("/p")) == Path("/p/pkg/main.py")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[server]\nport = "80a"\n',
            'examples/todo/tempestweb.toml: [server].port: expected int, got str "80a"',
        ),
        (
            "[server]\nprot = 80\n",
            "examples/todo/tempestweb.toml: [server].prot: unknown key "
            "(expected one of: allowed_origins, assets, host, port, recovery_window_s)",
        ),
        (
            "[serve]\nport = 80\n",
            "examples/todo/tempestweb.toml: [serve]: unknown section (expected one of: app, server, wasm)",
        ),
        (
            "[server]\nport = true\n",
            "examples/todo/tempestweb.toml: [server].port: expected int, got bool true",
        ),
        (
            "[server]\nport = 70000\n",
            "examples/todo/tempestweb.toml: [server].port: expected an int in 0..65535, got 70000",
        ),
        (
            "[server]\nport = 8.5\n",
            "examples/todo/tempestweb.toml: [server].port: expected int, got float 8.5",
        ),
        (
            '[server]\nallowed_origins = "x"\n',
            'examples/todo/tempestweb.toml: [server].allowed_origins: expected list of str, got str "x"',
        ),
        (
            '[wasm]\npackages = ["a", 3]\n',
            "examples/todo/tempestweb.toml: [wasm].packages[1]: expected str, got int 3",
        ),
        ("[app]\ntitle = 5\n", "examples/todo/tempestweb.toml: [app].title: expected str, got int 5"),
        ("[app]\nmode = []\n", "examples/todo/tempestweb.toml: [app].mode: expected str, got array"),
        ("app = 3\n", "examples/todo/tempestweb.toml: [app]: expected a table, got int 3"),
        (
            "[server]\nrecovery_window_s = -1\n",
            "examples/todo/tempestweb.toml: [server].recovery_window_s: expected a positive number, got -1.0",
        ),
    ],
)
def test_errors_name_file_key_and_expectation(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(text, source="examples/todo/tempestweb.toml")
    assert error.value.message == message
    assert error.value.exit_code == 2


def test_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "tempestweb.toml"
    path.write_text("[server\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert error.value.message.startswith(f"{path}: invalid TOML: ")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path / "missing.toml")
    assert "cannot be read" in error.value.message


@given(
    st.dictionaries(
        st.sampled_from(["app", "server", "wasm", "x"]),
        st.dictionaries(
            st.text(max_size=8), st.one_of(st.integers(), st.text(max_size=5), st.booleans()), max_size=3
        ),
        max_size=3,
    )
)
def test_any_table_either_parses_or_raises_config_error(data: dict[str, dict[str, object]]) -> None:
    import json

    lines = []
    for section, table in data.items():
        lines.append(f"[{section}]")
        lines.extend(f"{json.dumps(key)} = {json.dumps(value)}" for key, value in table.items())
    try:
        config = parse_config("\n".join(lines))
    except ConfigError as error:
        assert error.message.startswith("tempestweb.toml: ")
    else:
        assert isinstance(config, ProjectConfig)
