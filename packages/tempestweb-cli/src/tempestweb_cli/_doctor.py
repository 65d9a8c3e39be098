"""The checks of ``tempestweb doctor`` on installed distributions: every one is ours, all one version.

The package index holds unrelated distributions named ``tempest-core`` (0.1.0 among its
versions) and ``tempestweb``. Our packages require each other at exactly one version and install
from a clone (paths or a wheelhouse), so pip never picks those; when it happened anyway (say,
``pip install tempest-core`` by hand), imports fail far from the cause (``No module named
'tempest_core.errors'``). These checks name the culprit and the fix instead.

A distribution counts as ours when the files it installed (its ``RECORD``, or for an editable
install its source directory) hold the module only ours has (``MARKER_MODULES``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import Distribution, distributions
from pathlib import Path
from typing import Final, Literal
from urllib.parse import unquote, urlparse

__all__ = [
    "FOREIGN_DISTRIBUTIONS",
    "INSTALL_COMMAND",
    "MARKER_MODULES",
    "OUR_DISTRIBUTIONS",
    "DistributionReport",
    "Status",
    "check_distributions",
    "fix_lines",
    "installed_distributions",
]

OUR_DISTRIBUTIONS: Final = (
    "tempestweb-contract",
    "tempest-core",
    "tempestweb-server",
    "tempestweb-wasm",
    "tempestweb-cli",
    "tempestweb-native",
    "tempestweb-desktop",
)
"""Every distribution of the framework, all released at one version."""

FOREIGN_DISTRIBUTIONS: Final = ("tempestweb",)
"""Names of unrelated projects on the package index that are never ours."""

MARKER_MODULES: Final[Mapping[str, str]] = {
    "tempestweb-contract": "tempestweb_contract/codec.py",
    "tempest-core": "tempest_core/errors.py",
    "tempestweb-server": "tempestweb_server/_mode.py",
    "tempestweb-wasm": "tempestweb_wasm/_mode.py",
    "tempestweb-cli": "tempestweb_cli/main.py",
    "tempestweb-native": "tempestweb/native/plugins.py",
    "tempestweb-desktop": "tempestweb_desktop/_mode.py",
}
"""A file (path inside site-packages) that only our distribution of that name installs."""

INSTALL_COMMAND: Final = (
    "python3 -m pip install ./packages/tempestweb-contract ./packages/tempest-core"
    " ./packages/tempestweb-native ./packages/tempestweb-server ./packages/tempestweb-wasm"
    " ./packages/tempestweb-cli"
)
"""The README's command that installs the whole framework from a clone, siblings included."""

Status = Literal["ok", "foreign", "version_mismatch"]
"""What doctor found about one distribution."""


@dataclass(frozen=True, slots=True)
class DistributionReport:
    """What doctor found about one installed distribution.

    Attributes:
        name: Its canonical name, e.g. ``"tempest-core"``.
        version: Its installed version.
        status: ``"ok"``, ``"foreign"`` (an unrelated project of that name) or
            ``"version_mismatch"`` (ours, at another version than ``tempestweb-cli``).
        detail: One line saying why, empty when ``status`` is ``"ok"``.

    """

    name: str
    version: str
    status: Status
    detail: str = ""


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(dist: Distribution) -> str:
    return _canonical(dist.metadata["Name"] or "")


def installed_distributions() -> list[Distribution]:
    """Return the installed distributions named like ours or like a known foreign one.

    Returns:
        Them in ``sys.path`` order (a name installed twice appears twice).

    """
    wanted = {*OUR_DISTRIBUTIONS, *FOREIGN_DISTRIBUTIONS}
    return [dist for dist in distributions() if _name(dist) in wanted]


def _editable_source(dist: Distribution) -> Path | None:
    """Return the project directory of an editable install (PEP 610 ``direct_url.json``)."""
    text = dist.read_text("direct_url.json")
    if not text:
        return None
    try:
        info = json.loads(text)
    except ValueError:
        return None
    if not isinstance(info, dict) or not info.get("dir_info", {}).get("editable"):
        return None
    url = urlparse(str(info.get("url", "")))
    return Path(unquote(url.path)) if url.scheme == "file" else None


def _has_marker(dist: Distribution, marker: str) -> bool:
    """Return whether ``dist`` installed ``marker`` (its RECORD, or its editable source tree)."""
    if any(path.as_posix() == marker for path in dist.files or ()):
        return True
    source = _editable_source(dist)
    return source is not None and any((source / top / marker).is_file() for top in ("src", "."))


def _foreign_reason(dist: Distribution, name: str) -> str:
    """Return why ``dist`` is not ours, or ``""`` when it is."""
    summary = dist.metadata["Summary"] or "no summary"
    if name in FOREIGN_DISTRIBUTIONS:
        return f"an unrelated project ({summary!r}); its tempestweb command and package shadow ours"
    marker = MARKER_MODULES[name]
    if not _has_marker(dist, marker):
        return f"not tempestweb's: it has no {marker} ({summary!r})"
    return ""


def check_distributions(found: Iterable[Distribution], /) -> list[DistributionReport]:
    """Check that each distribution is ours and at the version of ``tempestweb-cli``.

    Args:
        found: Installed distributions, e.g. :func:`installed_distributions`; names other than
            ours and the known foreign ones are ignored.

    Returns:
        One report per distribution, sorted by name then version.

    """
    known = {*OUR_DISTRIBUTIONS, *FOREIGN_DISTRIBUTIONS}
    dists = [(name, dist) for dist in found if (name := _name(dist)) in known]
    reasons = {id(dist): _foreign_reason(dist, name) for name, dist in dists}
    reference = next(
        (dist.version for name, dist in dists if name == "tempestweb-cli" and not reasons[id(dist)]), None
    )
    reports = []
    for name, dist in dists:
        if reasons[id(dist)]:
            reports.append(DistributionReport(name, dist.version, "foreign", reasons[id(dist)]))
        elif reference is not None and dist.version != reference:
            detail = f"tempestweb-cli is {reference}; every tempestweb package must be at one version"
            reports.append(DistributionReport(name, dist.version, "version_mismatch", detail))
        else:
            reports.append(DistributionReport(name, dist.version, "ok"))
    return sorted(reports, key=lambda report: (report.name, report.version))


def fix_lines(reports: Iterable[DistributionReport], /) -> list[str]:
    """Return the commands that repair what ``reports`` found, one per line.

    Args:
        reports: The output of :func:`check_distributions`.

    Returns:
        ``pip uninstall`` for each installed foreign-only name (``tempestweb``), then the README's
        install command (from a clone), which also restores a ``tempestweb`` command the foreign
        one replaced; empty when all is ok.

    """
    problems = [report for report in reports if report.status != "ok"]
    lines = [
        f"python3 -m pip uninstall {name}"
        for name in sorted({report.name for report in problems if report.name in FOREIGN_DISTRIBUTIONS})
    ]
    if problems:
        lines.append(f"{INSTALL_COMMAND}   # from a clone of the tempestweb repository")
    return lines
