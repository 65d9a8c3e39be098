"""Check that ours came from the wheelhouse: ``python .ci/check_wheelhouse.py SIBLINGS PACKAGE [DEP...]``.

``SIBLINGS`` is ``dist/siblings.txt`` as the noxfile writes it: one ``name @ file:///.../<wheel>``
line per wheel of ours in ``dist/``. Its names are our distributions; its URLs the only files
they may be installed from. Run with the interpreter of the venv under test; checks that

- ``PACKAGE`` and every ``DEP`` (the local packages it requires) are installed;
- every one of ours that is installed has the version of ``PACKAGE``'s wheel and was installed
  from its wheel in ``dist/``: its ``direct_url.json`` ([PEP 610]) names that file, and the
  SHA-256 it records equals the file's (so a same-named distribution from the package index, which
  holds an unrelated ``tempest-core`` 0.1.0, fails here);
- no distribution named ``tempestweb`` (an unrelated project on the index) is installed.

Prints one line per passed check; exits 1 with one line per problem.

[PEP 610]: https://peps.python.org/pep-0610/
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from urllib.parse import unquote, urlparse

FOREIGN = ("tempestweb",)
"""Distribution names on the package index that are not ours and must never come along."""


def canonical(name: str) -> str:
    """Return a distribution name in its canonical form ([PEP 503] normalisation)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_siblings(path: Path) -> dict[str, Path]:
    """Return ``{canonical name: wheel path}`` from a ``name @ file:///...`` constraints file.

    Args:
        path: ``dist/siblings.txt``.

    Returns:
        Each of our distributions with the wheel it must be installed from.

    """
    wheels: dict[str, Path] = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, url = (part.strip() for part in line.partition("@"))
            wheels[canonical(name)] = Path(unquote(urlparse(url).path))
    return wheels


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(name: str, wheel: Path, version: str) -> list[str]:
    """Check one installed distribution of ours against its wheel in ``dist/``.

    Args:
        name: Its canonical name.
        wheel: The wheel it must have been installed from.
        version: The version every one of ours must have.

    Returns:
        One message per problem; empty when it is ours and from ``wheel``.

    """
    dist = distribution(name)
    problems = []
    if dist.version != version:
        problems.append(f"{name} {dist.version} installed, expected {version}")
    text = dist.read_text("direct_url.json")
    if text is None:
        summary = dist.metadata["Summary"]
        where = "an index or --find-links, not through dist/siblings.txt"
        return [*problems, f"{name} {dist.version} ({summary!r}) came from {where} (no direct_url.json)"]
    info = json.loads(text)
    source = Path(unquote(urlparse(info.get("url", "")).path))
    if source != wheel:
        problems.append(f"{name} installed from {info.get('url')}, not from {wheel.as_uri()}")
    recorded = info.get("archive_info", {}).get("hashes", {}).get("sha256")
    recorded = recorded or info.get("archive_info", {}).get("hash", "").removeprefix("sha256=")
    if wheel.is_file() and recorded != sha256(wheel):
        problems.append(f"{name}: installed archive sha256 {recorded} differs from {wheel.name}'s")
    if not problems:
        print(f"ok  {name} {dist.version} from {wheel.relative_to(wheel.parent.parent)}")
    return problems


def main(argv: list[str]) -> int:
    """Run the checks; return the exit status (0 ok, 1 a problem, 2 a usage error).

    Args:
        argv: ``[SIBLINGS, PACKAGE, DEP...]``.

    Returns:
        The exit status.

    """
    if len(argv) < 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    wheels = read_siblings(Path(argv[0]))
    package, required = canonical(argv[1]), [canonical(name) for name in argv[1:]]
    if package not in wheels:
        print(f"FAIL {package}: no wheel of it in {argv[0]}", file=sys.stderr)
        return 1
    version = wheels[package].name.split("-")[1]
    problems: list[str] = []
    for name, wheel in wheels.items():
        try:
            problems += check(name, wheel, version)
        except PackageNotFoundError:
            if name in required:
                problems.append(f"{name} is required by {package} but not installed")
    for name in FOREIGN:
        try:
            foreign = distribution(name)
        except PackageNotFoundError:
            continue
        problems.append(f"{name} {foreign.version} is installed: an unrelated project of that name")
    for problem in problems:
        print(f"FAIL {package}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
