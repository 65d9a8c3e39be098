"""``[desktop]`` in ``tempestweb.toml``: typed values, errors naming the file and the key."""

from __future__ import annotations

import pytest

from tempestweb_contract.project import DesktopSection, ProjectConfigError, parse_project


def test_desktop_section_defaults_and_values() -> None:
    assert parse_project("").desktop == DesktopSection()
    config = parse_project(
        '[desktop]\ntitle = "Todos"\nwidth = 900\nheight = 700\nresizable = false\n'
        'plugins = ["dialog", "clipboard-manager"]\npermissions = ["dialog:default"]\n'
        'identifier = "org.example.todos"\ndevtools = true\nclose_with_main = false\n'
    )
    assert config.desktop == DesktopSection(
        title="Todos",
        width=900,
        height=700,
        resizable=False,
        plugins=("dialog", "clipboard-manager"),
        permissions=("dialog:default",),
        identifier="org.example.todos",
        devtools=True,
        close_with_main=False,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[desktop]\nwidth = 0",
            r"tempestweb\.toml: \[desktop\] width: expected an int in 1\.\.16384, got 0",
        ),
        ("[desktop]\nheight = 1.5", r"\[desktop\] height: expected int, got float 1\.5"),
        (
            '[desktop]\npermissions = ["default"]',
            r"\[desktop\] permissions\[0\]: 'default' is not '<plugin>:<perm",
        ),
        ('[desktop]\nplugins = [""]', r"\[desktop\] plugins\[0\]: empty plugin name"),
        ('[desktop]\nidentifer = "x"', r"\[desktop\] identifer: unknown key \(did you mean 'identifier'\?\)"),
    ],
)
def test_desktop_section_errors_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ProjectConfigError, match=message) as caught:
        parse_project(text)
    assert caught.value.key is not None and caught.value.key.startswith("desktop")
