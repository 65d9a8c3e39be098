"""The public surface: nothing private leaks, everything listed exists, client assets ship."""

from __future__ import annotations

import importlib
import re

import pytest

import tempestweb_contract
from tempestweb_contract import client_dir

MODULES = [
    "tempestweb_contract",
    "tempestweb_contract.codec",
    "tempestweb_contract.constants",
    "tempestweb_contract.dev",
    "tempestweb_contract.errors",
    "tempestweb_contract.messages",
    "tempestweb_contract.names",
    "tempestweb_contract.ops",
    "tempestweb_contract.project",
    "tempestweb_contract.schema",
    "tempestweb_contract.shell",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_public_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert len(set(exported)) == len(exported)
    for item in exported:
        assert not item.startswith("_"), f"{name} exports private {item}"
        assert hasattr(module, item), f"{name}.__all__ lists missing {item}"
        value = getattr(module, item)
        origin = getattr(value, "__module__", None)
        assert origin is None or not any(part.startswith("_") for part in origin.split(".")[1:]), (
            f"{item} comes from private module {origin}"
        )


def test_dir_is_the_public_api() -> None:
    assert dir(tempestweb_contract) == sorted(tempestweb_contract.__all__)


def test_client_dir_holds_the_entry_module() -> None:
    directory = client_dir()
    for name in ("tempestweb.js", "boot.js", "constants.js", "dom.js", "events.js", "session.js"):
        assert (directory / name).is_file()


FORBIDDEN = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|\bFunction\s*\(|"
    r"set(?:Timeout|Interval)\(\s*[\"'`]|createContextualFragment|DOMParser"
)


def test_client_sources_use_no_unsafe_sink() -> None:
    offenders = []
    for path in sorted(client_dir().glob("*.js")):
        text = path.read_text("utf-8")
        assert text.startswith("// @ts-check"), f"{path.name} lacks // @ts-check"
        offenders += [f"{path.name}:{m.group(0)}" for m in FORBIDDEN.finditer(text)]
    assert offenders == []
