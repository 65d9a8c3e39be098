"""Griffe extension: Sphinx cross-reference roles in our docstrings become mkdocstrings links.

The sources write ``:class:`~tempest_core.Session```, ``:func:`create_app```, ``:data:`MAX_DEPTH```
(readable in ``help()`` and editors). mkdocstrings renders Markdown, where such a role would show
as raw text, so before rendering each role becomes an autorefs link ``[`Session`][path]``:

- ``~`` keeps only the last name as the title, as in Sphinx;
- a dotted name starting with one of our packages is taken as is (a broken one is reported by
  ``mkdocs build --strict``, so it gets fixed in the docstring); a re-export such as
  ``tempestweb.native.errors.NativeCallError`` links to where the object is shown
  (``tempestweb_contract.native.NativeCallError``, as ``_api_pages.plan`` decides);
- a relative name is looked up from the object outwards (its class, its module), following an
  imported name to the object it stands for;
- a name outside our packages (``msgspec.Struct``, ``pathlib.Path.glob``), a private object
  (``_PilotPort``) and a relative name that resolves nowhere stay inline code.

``mkdocs.yml`` loads it with the Python handler's ``extensions: [docs/_griffe_roles.py]``.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path
from typing import Any

import griffe

OURS = ("tempest_core", "tempestweb_contract", "tempestweb_server", "tempestweb_wasm", "tempestweb_cli",
        "tempestweb_desktop", "tempestweb")  # fmt: skip
ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const|type):`(?P<target>[^`]+)`")


def _lookup(scope: griffe.Object, dotted: str) -> str | None:
    """Return the path of ``dotted`` looked up inside ``scope`` (an import: where it came from)."""
    head, _, rest = dotted.partition(".")
    member = scope.members.get(head)
    if member is None:
        return None
    path = member.target_path if member.is_alias else member.path
    return f"{path}.{rest}" if rest else path


@functools.cache
def reexports() -> dict[str, str]:
    """Return ``{re-exported path: path where the object is rendered}`` (``_api_pages.plan``)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _api_pages

    loader = griffe.GriffeLoader(search_paths=_api_pages.search_paths())
    _, reexported = _api_pages.plan(loader, [name for _, name, _ in _api_pages.present_packages()])
    return {f"{module}.{name}": shown for module, pairs in reexported.items() for name, shown in pairs}


def _private(path: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in path.split("."))


def resolve(obj: griffe.Object, target: str) -> str | None:
    """Return the path a role's target names, seen from ``obj``; ``None`` when not ours.

    Args:
        obj: The object whose docstring holds the role.
        target: The role's target without ``~``, e.g. ``Session.dispatch`` or ``.constants``.

    Returns:
        A dotted path inside our packages, or ``None``.

    """
    target = target.lstrip(".")
    if target.split(".")[0] in OURS:
        if target.split(".")[0] == "tempestweb" and not target.startswith("tempestweb.native"):
            return None
        return reexports().get(target, target)  # a re-export links to where its object is shown
    scope: griffe.Object | None = obj
    while scope is not None:
        found = _lookup(scope, target)
        if found is not None:
            return reexports().get(found, found) if found.split(".")[0] in OURS else None
        scope = scope.parent
    return None


def convert(text: str, obj: griffe.Object) -> str:
    """Rewrite every Sphinx role of ``text`` (a docstring of ``obj``) as Markdown."""

    def replace(match: re.Match[str]) -> str:
        raw = match.group("target").strip()
        title_match = re.fullmatch(r"(?P<title>.+?)\s*<(?P<target>[^>]+)>", raw)
        if title_match:  # :class:`title <path>`
            title, raw = title_match.group("title"), title_match.group("target")
        else:
            title = raw.lstrip("~.")
            if raw.startswith("~"):
                title = title.rsplit(".", 1)[-1]
        path = resolve(obj, raw.lstrip("~"))
        if path is None or _private(path):
            return f"`{title}`"
        return f"[`{title}`][{path}]"

    return ROLE.sub(replace, text)


class SphinxRoles(griffe.Extension):
    """Convert the roles of every docstring of a package once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Walk the package and rewrite each docstring in place."""
        stack: list[griffe.Object] = [pkg]
        while stack:
            obj = stack.pop()
            if obj.docstring is not None and ":" in obj.docstring.value:
                obj.docstring.value = convert(obj.docstring.value, obj)
            stack.extend(member for member in obj.members.values() if not member.is_alias)
