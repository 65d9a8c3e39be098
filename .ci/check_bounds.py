"""Check dependency bounds against the pins: ``check_bounds.py [--write-docs] CONSTRAINTS PACKAGE...``.

Run by ``nox -s lint`` with ``packaging`` installed (``nox -s lock`` runs it with ``--write-docs``).
For the named packages (``packages/<name>``):

- they all have one version, and every requirement of one on another (runtime or extra) is
  ``==`` that version, so pip can never pair them with a same-named distribution from the index;
- every third-party runtime requirement has a lower bound (``>=``, tested by ``nox -s bounds``)
  and an upper bound (``<``);
- ``CONSTRAINTS`` (``constraints/dev.txt``) pins none of our distributions and pins every
  third-party runtime requirement inside its bounds, and each upper bound excludes the next
  minor release after the pinned one: a version newer than what was tested is never allowed;
- the pinned versions CONTRIBUTING.md lists (between ``<!-- pins:start -->`` and
  ``<!-- pins:end -->``) are those of ``CONSTRAINTS``; ``--write-docs`` rewrites that block.

Prints one line per problem; exits 1 if any.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "CONTRIBUTING.md"
DOCS_START, DOCS_END = "<!-- pins:start -->", "<!-- pins:end -->"
TOOLCHAIN = (
    "nox", "mypy", "ruff", "pytest", "pytest-asyncio", "hypothesis", "playwright", "httpx",
    "websockets", "jsonschema", "import-linter", "build", "hatchling",
)  # fmt: skip
"""The tools CONTRIBUTING.md lists with their pinned versions (every pin is in the file)."""


def read_pins(path: Path) -> dict[str, Version]:
    """Return ``{canonical name: pinned version}`` from a ``name==version`` constraints file."""
    pins = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = Version(version.strip())
    return pins


def next_minor(version: Version) -> Version:
    """Return the first release after ``version``'s minor series (``0.23.0`` -> ``0.24``)."""
    return Version(f"{version.major}.{version.minor + 1}")


def check_third_party(owner: str, req: Requirement, pins: dict[str, Version]) -> list[str]:
    """Check one third-party runtime requirement's bounds against its pin.

    Args:
        owner: The package that declares it.
        req: The requirement, e.g. ``msgspec>=0.18,<0.24``.
        pins: The constraints file's pins.

    Returns:
        One message per problem.

    """
    problems = []
    lowers = [spec for spec in req.specifier if spec.operator == ">="]
    uppers = [Version(spec.version) for spec in req.specifier if spec.operator == "<"]
    if not lowers:
        problems.append(f"{owner}: {req} has no lower bound (>=)")
    if not uppers:
        problems.append(f"{owner}: {req} has no upper bound (<)")
    pin = pins.get(canonicalize_name(req.name))
    if pin is None:
        return [*problems, f"{owner}: {req.name} is not pinned in the constraints file"]
    if not req.specifier.contains(pin, prereleases=True):
        problems.append(f"{owner}: {req} excludes the pinned {req.name}=={pin}")
    if uppers and min(uppers) > next_minor(pin):
        problems.append(
            f"{owner}: {req} allows untested releases; tested {pin}, so the bound is <{next_minor(pin)}"
        )
    return problems


def pins_block(pins: dict[str, Version], runtime: dict[str, dict[str, list[str]]]) -> str:
    """Render CONTRIBUTING.md's block of pinned versions.

    Args:
        pins: The constraints file's pins.
        runtime: ``{dependency: {specifier: [packages declaring it]}}`` over the third-party
            runtime requirements.

    Returns:
        Markdown: a toolchain table, then a table of runtime dependency ranges and pins.

    """
    lines = [
        DOCS_START,
        "<!-- written by `nox -s lock` from constraints/dev.txt; checked by `nox -s lint` -->",
        "",
        "| tool | pinned |",
        "|---|---|",
        *(f"| {name} | {pins[name]} |" for name in TOOLCHAIN if name in pins),
        "",
        "| runtime dependency | declared by | range (lower bound tested by `nox -s bounds`) | pinned |",
        "|---|---|---|---|",
    ]
    for name in sorted(runtime):
        for specifier, owners in sorted(runtime[name].items()):
            pinned = pins.get(name, "not pinned")
            lines.append(f"| {name} | {', '.join(owners)} | `{specifier}` | {pinned} |")
    return "\n".join([*lines, DOCS_END])


def check_docs(block: str, *, write: bool) -> list[str]:
    """Compare (or with ``write``, replace) the pins block of CONTRIBUTING.md.

    Args:
        block: The block as :func:`pins_block` renders it.
        write: Rewrite the file's block instead of comparing.

    Returns:
        One message per problem.

    """
    if not DOCS.is_file():
        return [f"{DOCS.name} is missing"]
    text = DOCS.read_text("utf-8")
    start, end = text.find(DOCS_START), text.find(DOCS_END)
    if start < 0 or end < start:
        return [f"{DOCS.name} has no {DOCS_START} ... {DOCS_END} block"]
    current = text[start : end + len(DOCS_END)]
    if write:
        DOCS.write_text(text.replace(current, block), "utf-8")
        return []
    if current != block:
        return [f"{DOCS.name}'s pinned versions differ from the constraints file: run nox -s lock"]
    return []


def main(argv: list[str]) -> int:
    """Run every check; return the exit status (0 ok, 1 a problem, 2 a usage error).

    Args:
        argv: ``[--write-docs] CONSTRAINTS PACKAGE...``.

    Returns:
        The exit status.

    """
    write = "--write-docs" in argv
    argv = [arg for arg in argv if arg != "--write-docs"]
    if len(argv) < 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    pins = read_pins(Path(argv[0]))
    projects = {
        name: tomllib.loads((ROOT / "packages" / name / "pyproject.toml").read_text("utf-8"))["project"]
        for name in argv[1:]
    }
    ours = {canonicalize_name(project["name"]) for project in projects.values()}
    versions = {project["version"] for project in projects.values()}
    problems = [f"{argv[0]} pins our own {name}" for name in sorted(ours & set(pins))]
    if len(versions) != 1:
        problems.append(f"our packages have different versions: {sorted(versions)}")
    version = max(versions)
    runtime: dict[str, dict[str, list[str]]] = {}
    for name, project in projects.items():
        extras = project.get("optional-dependencies", {})
        declared = [*project.get("dependencies", []), *(line for lines in extras.values() for line in lines)]
        for line in declared:
            req = Requirement(line)
            if canonicalize_name(req.name) in ours and str(req.specifier) != f"=={version}":
                problems.append(f"{name}: {line!r} must require exactly =={version}")
        for line in project.get("dependencies", []):
            req = Requirement(line)
            if canonicalize_name(req.name) not in ours:
                problems += check_third_party(name, req, pins)
                specifiers = runtime.setdefault(canonicalize_name(req.name), {})
                lower_first = ",".join(sorted(map(str, req.specifier), key=lambda spec: spec[0] != ">"))
                specifiers.setdefault(lower_first, []).append(name)
    problems += check_docs(pins_block(pins, runtime), write=write)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"ok  {len(projects)} packages at {version}; bounds agree with {len(pins)} pins in {argv[0]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
