from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from tempestweb_cli.sync import (
    SyncError,
    import_names,
    needed_in_browser,
    requirement_name,
    sync,
    sync_command,
)


def _dist(site: Path, name: str, *, files: dict[str, str], requires: tuple[str, ...] = (),
          purelib: bool = True, top_level: str | None = None) -> None:  # fmt: skip
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    (info / "METADATA").write_text(meta)
    (info / "WHEEL").write_text(
        f"Wheel-Version: 1.0\nRoot-Is-Purelib: {'true' if purelib else 'false'}\nTag: x\n"
    )
    if top_level is not None:
        (info / "top_level.txt").write_text(top_level)
    record = []
    for rel, content in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(content)
        record.append(f"{rel},,")
    record += [f"{info.name}/METADATA,,", f"{info.name}/WHEEL,,", f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(record) + "\n")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    _dist(
        site,
        "purelib-a",
        files={"purea/__init__.py": "", "purea/x.py": ""},
        requires=("helper-b>=1", "extra-c; extra == 'fast'"),
    )
    _dist(site, "helper-b", files={"helperb.py": "", "../../bin/tool": ""})
    _dist(site, "extra-c", files={"extrac.py": ""})
    _dist(
        site,
        "nativepkg",
        files={"nativepkg/__init__.py": "", "nativepkg/_speed.cpython-311-x86_64-linux-gnu.so": ""},
    )
    _dist(site, "platlib-d", files={"platd/__init__.py": ""}, purelib=False)
    _dist(site, "toplevel-e", files={"e_one/__init__.py": "", "e_two.py": ""}, top_level="e_one\ne_two\n")
    monkeypatch.syspath_prepend(str(site))
    return site


PYPROJECT = """\
[project]
name = "myapp"
version = "0.1.0"
dependencies = [
  "purelib-a>=1",
  "NativePkg",
  "platlib_d",
  "toplevel-e ; python_version >= '3.8'",
  "tempestweb-server",
  "pydantic>=2",
  "not-installed-xyz",
]
"""

CONFIG = """\
# tempestweb project file
[server]
port = 8000  # keep me

[wasm]
# vendored helpers
modules = ["mine", "purea"]
assets = []
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "pyproject.toml").write_text(PYPROJECT)
    (folder / "tempestweb.toml").write_text(CONFIG)
    return folder


def test_requirement_name() -> None:
    assert requirement_name("Foo_Bar[x]>=1; python_version<'4'") == "foo-bar"
    with pytest.raises(SyncError):
        requirement_name(">=1")


def test_markers_are_evaluated_for_pyodide_not_for_this_interpreter() -> None:
    # Mode A runs CPython 3.14 on Emscripten, whatever runs the command.
    assert needed_in_browser("attrs>=23")
    assert not needed_in_browser("tomli>=1; python_version < '3.11'")
    assert needed_in_browser("backport; python_version >= '3.13'")
    assert not needed_in_browser("colorama; sys_platform == 'win32'")
    assert not needed_in_browser("uvloop; sys_platform != 'emscripten' and platform_machine != 'wasm32'")
    assert needed_in_browser("pyodide-only; sys_platform == 'emscripten'")
    assert not needed_in_browser("fast-c; extra == 'fast'")
    assert needed_in_browser("fast-c; extra == 'fast'", extras=frozenset({"fast"}))
    with pytest.raises(SyncError, match="invalid requirement"):
        needed_in_browser("bad; python_version <")


def test_markers_of_direct_and_transitive_requirements(site: Path, tmp_path: Path) -> None:
    # Installed here, but not needed under Pyodide: neither shipped nor reported missing.
    _dist(site, "winonly-f", files={"winonly/__init__.py": ""})
    _dist(site, "oldpy-g", files={"oldpy.py": ""})
    _dist(
        site,
        "parent-h",
        files={"parent/__init__.py": ""},
        requires=("oldpy-g; python_version < '3.11'", "helper-b", "extra-c; extra == 'speed'"),
    )
    folder = tmp_path / "markers"
    folder.mkdir()
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "m"\nversion = "1"\ndependencies = [\n'
        '  "parent-h",\n'
        '  "parent-h[speed]",\n'
        "  \"winonly-f; sys_platform == 'win32'\",\n"
        "  \"absent-on-web; platform_system == 'Windows'\",\n"
        "]\n"
    )
    result = sync(folder)
    assert result.modules == ("parent", "helperb", "extrac")  # the extra asked for is followed
    assert result.missing == ()  # a direct dependency for another platform is not missing


def test_sync_adds_pure_modules_keeps_order_and_comments(site: Path, project: Path) -> None:
    result = sync(project, dry_run=False)
    assert result.written
    assert result.added == ("e_one", "e_two", "helperb")  # direct dependencies first, then transitive
    assert result.modules == ("mine", "purea", "e_one", "e_two", "helperb")
    assert set(result.native) == {"nativepkg", "platlib-d"}
    assert set(result.framework) == {"tempestweb-server", "pydantic"}
    assert result.missing == ("not-installed-xyz",)
    text = (project / "tempestweb.toml").read_text()
    assert (
        "# tempestweb project file" in text
        and "port = 8000  # keep me" in text
        and "# vendored helpers" in text
    )
    assert "extrac" not in text  # only needed for an extra
    import tomllib

    assert tomllib.loads(text)["wasm"]["modules"] == ["mine", "purea", "e_one", "e_two", "helperb"]


def test_second_run_is_up_to_date_and_byte_identical(site: Path, project: Path) -> None:
    sync(project)
    before = (project / "tempestweb.toml").read_bytes()
    mtime = (project / "tempestweb.toml").stat().st_mtime_ns
    again = sync(project)
    assert again.up_to_date and not again.written
    assert (project / "tempestweb.toml").read_bytes() == before
    assert (project / "tempestweb.toml").stat().st_mtime_ns == mtime


def test_dry_run_writes_nothing(site: Path, project: Path) -> None:
    result = sync(project, dry_run=True)
    assert result.added and not result.written
    assert (project / "tempestweb.toml").read_text() == CONFIG


def test_creates_config_when_missing(site: Path, project: Path) -> None:
    (project / "tempestweb.toml").unlink()
    result = sync(project)
    import tomllib

    assert tomllib.loads((project / "tempestweb.toml").read_text())["wasm"]["modules"] == list(result.modules)


def test_import_names_from_record(site: Path) -> None:
    import importlib.metadata

    assert import_names(importlib.metadata.distribution("helper-b")) == ["helperb"]
    assert import_names(importlib.metadata.distribution("purelib-a")) == ["purea"]


def test_errors(tmp_path: Path, site: Path) -> None:
    with pytest.raises(SyncError, match=r"neither pyproject\.toml nor tempestweb\.toml"):
        sync(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\ndependencies = 'x'\n")
    with pytest.raises(SyncError, match="list of requirement strings"):
        sync(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\ndependencies = ["purelib-a"]\n')
    (tmp_path / "tempestweb.toml").write_text("wasm = 1\n")
    with pytest.raises(SyncError, match="must be a table"):
        sync(tmp_path)
    (tmp_path / "tempestweb.toml").write_text("[wasm]\nmodules = 'x'\n")
    with pytest.raises(SyncError, match="list of module names"):
        sync(tmp_path)


def test_click_command(site: Path, project: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(sync_command, [str(project), "--dry-run"])
    assert first.exit_code == 1, first.output  # not-installed-xyz is missing (issue 12)
    assert "would add to [wasm].modules: e_one, e_two, helperb" in first.output
    assert "Pyodide provides those via [wasm].packages" in first.output
    assert (
        "Error: not installed (in [project].dependencies): not-installed-xyz; "
        "install them (pip install ...), then run tempestweb sync again"
    ) in first.output
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('  "not-installed-xyz",\n', ""))
    runner.invoke(sync_command, [str(project)])
    second = runner.invoke(sync_command, [str(project)])
    assert second.exit_code == 0, second.output
    assert "up to date" in second.output
    bad = runner.invoke(sync_command, [str(project / "..")])
    assert bad.exit_code == 1 and "neither pyproject.toml nor tempestweb.toml" in bad.output


def test_real_environment_pure_and_native(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent('[project]\ndependencies = ["tomlkit", "watchfiles"]\n')
    )
    result = sync(tmp_path, dry_run=True)
    assert "tomlkit" in result.added
    assert "watchfiles" in result.native
