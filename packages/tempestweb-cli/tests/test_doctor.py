"""``tempestweb doctor`` on foreign and mismatched siblings (issue 9), with fake distributions."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from importlib.metadata import Distribution
from pathlib import Path

import pytest
from click.testing import CliRunner

from tempestweb_cli import _doctor
from tempestweb_cli._doctor import (
    INSTALL_COMMAND,
    MARKER_MODULES,
    DistributionReport,
    check_distributions,
    fix_lines,
    installed_distributions,
)
from tempestweb_cli.main import cli

VERSION = "0.1.0"
FOREIGN_CORE_SUMMARY = "Renderer-agnostic UI core shared by tempestroid and tempestweb."


class FakeDistribution(Distribution):
    """A distribution made of in-memory metadata files (``METADATA``, ``RECORD``...)."""

    def __init__(self, files: dict[str, str]) -> None:
        self._files = files

    def read_text(self, filename: str) -> str | None:
        return self._files.get(filename)

    def locate_file(self, path: str | os.PathLike[str]) -> Path:
        return Path("/nonexistent/site-packages") / path


def fake(
    name: str,
    version: str = VERSION,
    *,
    files: Iterable[str] | None = None,
    requires: Iterable[str] = (),
    summary: str = "tempestweb package",
    direct_url: dict[str, object] | None = None,
) -> FakeDistribution:
    """Build a distribution; by default ours (its marker module listed in RECORD)."""
    headers = ["Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}", f"Summary: {summary}"]
    headers += [f"Requires-Dist: {requirement}" for requirement in requires]
    if files is None:
        marker = MARKER_MODULES.get(name)
        files = [marker] if marker else [f"{name.replace('-', '_')}/__init__.py"]
    record = "".join(f"{path},,\n" for path in files)
    contents = {"METADATA": "\n".join(headers) + "\n\n", "RECORD": record}
    if direct_url is not None:
        contents["direct_url.json"] = json.dumps(direct_url)
    return FakeDistribution(contents)


def ours(version: str = VERSION) -> list[FakeDistribution]:
    """Every distribution of ours that exists today, all at ``version``."""
    contract = f"tempestweb-contract=={version}"
    return [
        fake("tempestweb-contract", version, requires=["msgspec>=0.18.6,<0.24"]),
        fake("tempest-core", version, requires=[contract, "pydantic>=2.7,<2.15"]),
        fake("tempestweb-server", version, requires=[contract, f"tempest-core=={version}"]),
        fake("tempestweb-cli", version, requires=[contract, "click>=8.1,<8.6"]),
    ]


def foreign_core(version: str = VERSION) -> FakeDistribution:
    """The unrelated ``tempest-core`` on the package index (0.1.0 is one of its versions)."""
    files = ["tempest_core/__init__.py", "tempest_core/core/reconciler.py", "tempest_core/py.typed"]
    requires = ["pydantic>=2.0"]
    return fake("tempest-core", version, files=files, requires=requires, summary=FOREIGN_CORE_SUMMARY)


def by_name(reports: list[DistributionReport]) -> dict[str, DistributionReport]:
    return {report.name: report for report in reports}


def test_all_ours_at_one_version_is_ok() -> None:
    reports = check_distributions(ours())
    assert [report.status for report in reports] == ["ok"] * 4
    assert fix_lines(reports) == []


def test_issue_9_foreign_tempest_core_at_our_version_is_foreign() -> None:
    dists = [dist for dist in ours() if dist.metadata["Name"] != "tempest-core"] + [foreign_core()]
    reports = by_name(check_distributions(dists))
    assert reports["tempest-core"].status == "foreign"
    assert "tempest_core/errors.py" in reports["tempest-core"].detail
    assert "tempestroid" in reports["tempest-core"].detail  # its own summary, to recognise it
    assert reports["tempestweb-server"].status == "ok"
    assert fix_lines(reports.values()) == [f"{INSTALL_COMMAND}   # from a clone of the tempestweb repository"]


def test_issue_9_foreign_tempest_core_newer_is_foreign_not_mismatched() -> None:
    dists = [dist for dist in ours() if dist.metadata["Name"] != "tempest-core"] + [foreign_core("0.23.0")]
    assert by_name(check_distributions(dists))["tempest-core"].status == "foreign"


def test_sibling_at_another_version_is_mismatched() -> None:
    dists = [*ours(), fake("tempestweb-wasm", "0.2.0", requires=["tempestweb-contract==0.2.0"])]
    reports = by_name(check_distributions(dists))
    assert reports["tempestweb-wasm"].status == "version_mismatch"
    assert "tempestweb-cli is 0.1.0" in reports["tempestweb-wasm"].detail
    assert reports["tempestweb-contract"].status == "ok"
    assert INSTALL_COMMAND in fix_lines(reports.values())[0]


def test_distribution_named_tempestweb_is_foreign_and_uninstalled() -> None:
    dists = [*ours(), fake("tempestweb", "0.141.1", summary="Something else entirely")]
    reports = check_distributions(dists)
    assert by_name(reports)["tempestweb"].status == "foreign"
    assert "shadow ours" in by_name(reports)["tempestweb"].detail
    # Uninstalling it removes the `tempestweb` script it had put over ours: reinstall ours too.
    uninstall, install = fix_lines(reports)
    assert uninstall == "python3 -m pip uninstall tempestweb" and install.startswith(INSTALL_COMMAND)


def test_native_and_desktop_are_checked_by_their_marker_module() -> None:
    native = fake("tempestweb-native", requires=[f"tempestweb-contract=={VERSION}"])
    impostor = fake("tempestweb-desktop", files=["tempestweb_desktop/__init__.py"], summary="someone else's")
    reports = by_name(check_distributions([*ours(), native, impostor]))
    assert reports["tempestweb-native"].status == "ok"
    assert reports["tempestweb-desktop"].status == "foreign"
    assert "tempestweb_desktop/_mode.py" in reports["tempestweb-desktop"].detail


def test_every_distribution_of_ours_has_a_marker_module() -> None:
    assert set(MARKER_MODULES) == {*_doctor.OUR_DISTRIBUTIONS}


def test_editable_install_is_recognised_from_its_source_tree(tmp_path: Path) -> None:
    (tmp_path / "src" / "tempest_core").mkdir(parents=True)
    (tmp_path / "src" / "tempest_core" / "errors.py").write_text("")
    editable: dict[str, object] = {"url": tmp_path.as_uri(), "dir_info": {"editable": True}}
    core = fake("tempest-core", files=["__editable__.tempest_core-0.1.0.pth"], direct_url=editable)
    other = [dist for dist in ours() if dist.metadata["Name"] != "tempest-core"]
    assert by_name(check_distributions([*other, core]))["tempest-core"].status == "ok"
    (tmp_path / "src" / "tempest_core" / "errors.py").unlink()
    assert by_name(check_distributions([*other, core]))["tempest-core"].status == "foreign"


def test_without_our_cli_versions_are_not_compared() -> None:
    dists = [fake("tempestweb-contract", "0.1.0"), fake("tempest-core", "0.3.0")]
    assert [report.status for report in check_distributions(dists)] == ["ok", "ok"]


def test_unrelated_names_are_ignored() -> None:
    assert check_distributions([fake("tempestweb-extras"), fake("pydantic", "2.14.4")]) == []


def test_installed_distributions_keeps_only_known_names(monkeypatch: pytest.MonkeyPatch) -> None:
    found = [*ours(), fake("pydantic", "2.14.4"), fake("Tempestweb", "0.141.1")]
    monkeypatch.setattr(_doctor, "distributions", lambda: iter(found))
    names = [dist.metadata["Name"] for dist in installed_distributions()]
    assert names == [*(dist.metadata["Name"] for dist in ours()), "Tempestweb"]


def test_doctor_command_reports_foreign_sibling_and_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    dists = [dist for dist in ours() if dist.metadata["Name"] != "tempest-core"] + [foreign_core()]
    monkeypatch.setattr(_doctor, "distributions", lambda: iter(dists))
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1, result.output
    line = "  tempest-core 0.1.0  FOREIGN: not tempestweb's: it has no tempest_core/errors.py"
    assert line in result.output
    assert "  tempestweb-server 0.1.0\n" in result.output
    assert f"Fix:\n  {INSTALL_COMMAND}" in result.output
    assert "Error: foreign or mismatched tempestweb packages are installed" in result.output


def test_doctor_command_is_quiet_when_all_is_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_doctor, "distributions", lambda: iter(ours()))
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "Fix:" not in result.output and "FOREIGN" not in result.output


def test_doctor_on_this_environment_finds_nothing_wrong() -> None:
    """The venv under test holds our wheels only (nox installs them from dist/)."""
    reports = check_distributions(installed_distributions())
    assert [report for report in reports if report.status != "ok"] == []


def test_install_command_is_the_readme_one() -> None:
    readme = Path(__file__).resolve().parents[3] / "README.md"
    if not readme.is_file():
        pytest.skip(f"no repository README.md at {readme} (tests run outside a clone)")
    text = re.sub(r"\\\n\s*", "", readme.read_text("utf-8"))
    assert INSTALL_COMMAND in re.sub(r"[ \t]+", " ", text)
