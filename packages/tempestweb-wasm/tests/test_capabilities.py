"""A Mode A build ships capability plugins: JS under native/ (linked, precached), Python as a wheel."""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from tempestweb_contract.plugins import CAPABILITY_GROUP, PluginError, capability_modules
from tempestweb_wasm import ConfigError, build


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``twns.beep`` inside the PEP 420 namespace ``twns``, with its JS in ``twns/beep/js/``."""
    site = tmp_path / "site"
    package = site / "twns" / "beep"
    (package / "js" / "lib").mkdir(parents=True)
    (package / "__init__.py").write_text("CAPABILITY = 'beep'\n")
    (package / "js" / "beep.js").write_text('import "./lib/util.js";\nexport function ring() { return 1; }\n')
    (package / "js" / "lib" / "util.js").write_text("export const x = 1;\n")
    monkeypatch.syspath_prepend(str(site))
    found = capability_modules([EntryPoint(name="beep", value="twns.beep.js:beep", group=CAPABILITY_GROUP)])
    monkeypatch.setattr("tempestweb_wasm.builder.capability_modules", lambda: found)
    yield package
    for name in [m for m in sys.modules if m == "twns" or m.startswith("twns.")]:
        del sys.modules[name]


def test_a_build_ships_the_plugin(counter_app: Path, tmp_path: Path, plugin: Path) -> None:
    result = build(counter_app, out=tmp_path / "out")
    files = set(result.files)
    assert {"native/twns.beep.js/beep.js", "native/twns.beep.js/lib/util.js"} <= files
    assert {"./native/twns.beep.js/beep.js", "./native/twns.beep.js/lib/util.js"} <= set(result.precache)
    index = result.index.read_text()
    link = '<link rel="modulepreload" href="./native/twns.beep.js/beep.js" data-tw-capability="beep">'
    assert link in index and index.index(link) < index.index("</head>")
    wheel = next(result.out / "wheels" / name for name in result.wheels if name.startswith("twns-"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "twns/beep/__init__.py" in names and "twns/__init__.py" not in names  # namespace kept
    assert any(name.endswith(".dist-info/top_level.txt") for name in names)


def test_a_broken_plugin_fails_the_build_naming_it(
    counter_app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> dict[str, object]:
        raise PluginError("beep", "capability 'beep' is declared by both a and b")

    monkeypatch.setattr("tempestweb_wasm.builder.capability_modules", broken)
    with pytest.raises(ConfigError, match="declared by both"):
        build(counter_app, out=tmp_path / "out")
