from __future__ import annotations

from pathlib import Path

import pytest

from tempestweb_wasm import ConfigError, WasmConfig, load_config, parse_config


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == WasmConfig()


def test_full_table(tmp_path: Path) -> None:
    (tmp_path / "tempestweb.toml").write_text(
        '[wasm]\npackages = ["attrs==24.2.0"]\nmodules = ["helpers", "pkg.sub"]\n'
        'assets = ["static/**/*.png"]\nscripts = ["js/a.js"]\n[server]\nport = 1\n'
    )
    config = load_config(tmp_path)
    assert config.packages == ("attrs==24.2.0",)
    assert config.modules == ("helpers", "pkg.sub")
    assert config.assets == ("static/**/*.png",)
    assert config.scripts == ("js/a.js",)


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ({"modules": "helpers"}, "modules"),
        ({"modules": [1]}, "modules"),
        ({"bogus": []}, "bogus"),
        ({"modules": ["not-a-module"]}, "not-a-module"),
        ({"packages": [" "]}, "empty requirement"),
        ({"assets": ["/etc/passwd"]}, "absolute"),
        ({"assets": ["../secret/*"]}, "leaves the app folder"),
        ({"scripts": ["https://example.invalid/x.js"]}, "URL"),
        ({"scripts": [""]}, "empty path"),
    ],
)
def test_invalid_values_raise_config_error(table: dict[str, object], needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"wasm": table})
    assert needle in str(info.value)


def test_wasm_must_be_a_table() -> None:
    with pytest.raises(ConfigError, match="must be a table"):
        parse_config({"wasm": ["x"]})


def test_invalid_toml(tmp_path: Path) -> None:
    (tmp_path / "tempestweb.toml").write_text("[wasm\nmodules = 1")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(tmp_path)
