"""Capability module discovery (tempestweb_contract.plugins), with plugin packages made on the fly."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from tempestweb_contract import plugins
from tempestweb_contract.plugins import (
    CAPABILITY_ATTR,
    CAPABILITY_GROUP,
    PluginError,
    capability_links,
    capability_modules,
    js_files,
)


@pytest.fixture
def plugin_dir(tmp_path: Path) -> Iterator[Path]:
    package = tmp_path / "twplug_example"
    (package / "js" / "lib").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "js" / "wake_lock.js").write_text("export function request() { return null; }\n")
    (package / "js" / "lib" / "util.js").write_text("export const x = 1;\n")
    (package / "js" / "node_modules").mkdir()
    (package / "js" / "node_modules" / "dep.js").write_text("")
    (package / "js" / "README.txt").write_text("not shipped")
    sys.path.insert(0, str(tmp_path))
    try:
        yield package
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("twplug_example", None)


def point(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=CAPABILITY_GROUP)


def test_discovery_resolves_the_root_and_module(plugin_dir: Path) -> None:
    found = capability_modules([point("wake_lock", "twplug_example.js:wake_lock")])
    module = found["wake_lock"]
    assert module.root == (plugin_dir / "js").resolve()
    assert module.relative == "wake_lock.js" and module.path.is_file()
    assert module.url() == "/_tw/native/twplug_example.js/wake_lock.js"
    assert module.url("./native") == "./native/twplug_example.js/wake_lock.js"
    files = js_files(found)
    assert sorted(files) == ["twplug_example.js/lib/util.js", "twplug_example.js/wake_lock.js"]
    links = capability_links(found)
    assert links == (
        '<link rel="modulepreload" href="/_tw/native/twplug_example.js/wake_lock.js" '
        f'{CAPABILITY_ATTR}="wake_lock">'
    )


def test_nested_module_path(plugin_dir: Path) -> None:
    found = capability_modules([point("util", "twplug_example.js:lib.util")])
    assert found["util"].relative == "lib/util.js"


@pytest.mark.parametrize(
    ("name", "value", "match"),
    [
        ("Bad", "twplug_example.js:wake_lock", "must match"),
        ("ok", "twplug_example.js", "expected"),
        ("ok", "twplug_example.js:../x", "expected"),
        ("ok", "no_such_pkg_abc:x", "not installed"),
        ("ok", "twplug_example.js:missing", "does not exist"),
    ],
)
def test_bad_entry_points(plugin_dir: Path, name: str, value: str, match: str) -> None:
    with pytest.raises(PluginError, match=match) as info:
        capability_modules([point(name, value)])
    assert info.value.name == name


def test_two_distributions_cannot_claim_one_name(plugin_dir: Path) -> None:
    with pytest.raises(PluginError, match="declared by both"):
        capability_modules(
            [point("x", "twplug_example.js:wake_lock"), point("x", "twplug_example.js:lib.util")]
        )


def test_links_escape() -> None:
    module = plugins.CapabilityModule(
        name="a", distribution="d", root_key='k"', root=Path("/r"), relative="a.js"
    )
    assert "&quot;" in capability_links({"a": module})


def test_public_api() -> None:
    assert sorted(dir(plugins)) == sorted(plugins.__all__)


def test_the_client_spells_the_link_attribute_as_the_contract() -> None:
    from tempestweb_contract import client_dir

    # capabilities.js spells it, or imports it from the generated constants.js
    text = "".join((client_dir() / name).read_text("utf-8") for name in ("capabilities.js", "constants.js"))
    assert f'"{CAPABILITY_ATTR}"' in text
