"""DesktopConfig: [desktop] options, typed errors naming the key."""

from __future__ import annotations

import pytest

from tempestweb_contract.project import ProjectConfigError, parse_project
from tempestweb_desktop import ConfigError, DesktopConfig
from tempestweb_desktop._tauri_config import tauri_config


def test_from_options_ignores_other_modes_keys() -> None:
    config = DesktopConfig.from_options(
        {
            "title": "T",
            "width": 640,
            "plugins": ["dialog"],
            "permissions": ["dialog:default"],
            "host": "0.0.0.0",
            "port": 1,
            "allowed_origins": ["x"],
            "debug": True,
        }
    )
    assert config == DesktopConfig(
        title="T", width=640, plugins=("dialog",), permissions=("dialog:default",), debug=True
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"colour": "red"}, "unknown option 'colour'"),
        ({"width": 0}, "width must be an integer"),
        ({"height": "tall"}, "height must be an integer"),
        ({"plugins": "dialog"}, "plugins must be a list of strings"),
        ({"plugins": ["nope"]}, "unknown \\['nope'\\]"),
        ({"permissions": ["dialog:default"]}, "for a plugin listed in \\[desktop\\] plugins"),
        ({"plugins": ["dialog"], "permissions": ["default"]}, "'<plugin>:<permission>'"),
        ({"devtools": "yes"}, "devtools must be true or false"),
        ({"title": 3}, "title must be a string"),
    ],
)
def test_bad_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        DesktopConfig.from_options(options)


def test_capability_grants_core_ipc_and_listed_permissions_only(tmp_path: object) -> None:
    config = DesktopConfig(plugins=("notification",), permissions=("notification:allow-notify",))
    conf = tauri_config(config, product="P", frontend_dir=tmp_path)  # type: ignore[arg-type]
    app = conf["app"]
    assert isinstance(app, dict)
    (capability,) = app["security"]["capabilities"]
    assert capability["windows"] == ["*"]
    assert capability["permissions"] == ["core:default", "pytauri:default", "notification:allow-notify"]
    assert app["windows"] == [] and app["withGlobalTauri"] is True


def test_from_project_reads_desktop_and_app_title() -> None:
    project = parse_project(
        '[app]\ntitle = "From app"\n'
        '[desktop]\nwidth = 800\nplugins = ["dialog"]\npermissions = ["dialog:default"]\n'
    )
    config = DesktopConfig.from_project(project, {"debug": True})
    assert config == DesktopConfig(
        title="From app", width=800, plugins=("dialog",), permissions=("dialog:default",), debug=True
    )
    titled = parse_project('[app]\ntitle = "A"\n[desktop]\ntitle = "D"\n')
    assert DesktopConfig.from_project(titled).title == "D"
    with pytest.raises(ConfigError, match=r"unknown \['dialg'\]") as unknown:
        DesktopConfig.from_project(parse_project('[desktop]\nplugins = ["dialg"]\n'))
    # the project schema's config error, as every mode's: the CLI exits 2 on it (tempestweb_cli.main._start)
    assert isinstance(unknown.value, ProjectConfigError) and unknown.value.code == "config"
