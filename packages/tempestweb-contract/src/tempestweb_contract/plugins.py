"""Capability modules: how every mode finds the JS of ``tempestweb.native`` and its plugins.

A distribution that adds browser capabilities declares one entry point per capability in the
group :data:`CAPABILITY_GROUP`. Its value names a Python package directory holding the JS files
(the *root*, shipped as package data) and, after the colon, the capability's module inside it
as a dotted path without the ``.js`` suffix::

    [project.entry-points."tempestweb.capabilities"]
    http = "tempestweb.native._client:native.http"       # <root>/native/http.js
    wake_lock = "tempestweb_wakelock:wake_lock"          # <root>/wake_lock.js

Every ``*.js`` file under a root ships, with its relative layout, so a module may import its
neighbours (``../pwa/install-prompt.js``). Mode B serves a root at
``/_tw/native/<root key>/<file>``; the Mode A builder copies it to ``native/<root key>/<file>``
and the service worker precaches it. Both pages name the modules with
``<link rel="modulepreload" data-tw-capability="NAME">`` (:func:`capability_links`); the JS
client imports each and registers its exported functions under that name, so the same file
answers ``native_call`` frames in every mode.

Discovery reads installed metadata only; nothing of the plugin is imported.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path, PurePosixPath
from typing import Final

from tempestweb_contract.names import ATTR_CAPABILITY, ENDPOINT_PREFIX, NATIVE_PATH

__all__ = [
    "CAPABILITY_ATTR",
    "CAPABILITY_GROUP",
    "NATIVE_DIR_NAME",
    "NATIVE_URL_PREFIX",
    "CapabilityModule",
    "PluginError",
    "capability_links",
    "capability_modules",
    "js_files",
]

CAPABILITY_GROUP: Final = "tempestweb.capabilities"
"""Entry-point group of capability modules (name -> ``package.dir:dotted.module``)."""

NATIVE_URL_PREFIX: Final = f"{ENDPOINT_PREFIX}{NATIVE_PATH}"
"""URL prefix under which Mode B serves capability roots (``/_tw/native/<root key>/<file>``)."""

NATIVE_DIR_NAME: Final = "native"
"""Folder of a Mode A build holding capability roots (``native/<root key>/<file>``)."""

CAPABILITY_ATTR: Final = ATTR_CAPABILITY
"""Attribute of the ``<link rel="modulepreload">`` naming the capability a module provides."""

_NAME_RE: Final = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SKIPPED_DIRS: Final = frozenset({"__pycache__", "node_modules"})
_DOTTED_RE: Final = re.compile(r"^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$")


class PluginError(ValueError):
    """A capability entry point is malformed, points at a missing file, or clashes with another.

    Attributes:
        name: The capability name concerned.
        message: What is wrong, naming the distribution and the entry point.

    """

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


@dataclass(frozen=True, slots=True)
class CapabilityModule:
    """One capability's JS module, as an installed distribution declares it.

    Attributes:
        name: Capability name the client registers it under, e.g. ``"http"``.
        distribution: Distribution declaring it, e.g. ``"tempestweb-native"`` (for an entry
            point without one, made by hand, its top-level package name).
        root_key: The entry point's package (``"tempestweb.native._client"``): the URL segment
            of its root.
        root: Directory whose ``*.js`` files ship with the module.
        relative: POSIX path of the module under ``root``, e.g. ``"native/http.js"``.

    """

    name: str
    distribution: str
    root_key: str
    root: Path
    relative: str

    @property
    def path(self) -> Path:
        """The JS module file."""
        return self.root / self.relative

    def url(self, base: str = NATIVE_URL_PREFIX) -> str:
        """Return the module's URL under ``base``.

        Args:
            base: ``/_tw/native`` (Mode B) or ``./native`` (Mode A, build-relative).

        Returns:
            ``<base>/<root key>/<relative>``.

        """
        return f"{base.rstrip('/')}/{self.root_key}/{self.relative}"


def _root_of(point: EntryPoint, module: str) -> Path | None:
    """Find the directory of ``module`` without importing it (data folders have no ``__init__``)."""
    dist = point.dist
    if dist is not None:
        located = Path(str(dist.locate_file(module.replace(".", "/"))))
        if located.is_dir():
            return located.resolve()
    top, *rest = module.split(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or ()) if spec is not None else ():
        candidate = Path(location).joinpath(*rest)
        if candidate.is_dir():
            return candidate.resolve()
    return None


def _module_of(point: EntryPoint) -> CapabilityModule:
    name = point.name
    module, sep, dotted = point.value.partition(":")
    module, dotted = module.strip(), dotted.strip()
    # An entry point made by hand (tests) has no distribution: name it after its top package.
    dist = point.dist.name if point.dist is not None else module.partition(".")[0]
    where = f"entry point {CAPABILITY_GROUP}:{name} of {dist} ({point.value!r})"
    if not _NAME_RE.match(name):
        raise PluginError(name, f"{where}: the name must match {_NAME_RE.pattern}")
    if not sep or not _DOTTED_RE.match(module) or not _DOTTED_RE.match(dotted):
        raise PluginError(name, f"{where}: expected 'package.dir:dotted.module'")
    root = _root_of(point, module)
    if root is None:
        raise PluginError(name, f"{where}: package directory {module!r} is not installed")
    relative = PurePosixPath(*dotted.split(".")).as_posix() + ".js"
    if not (root / relative).is_file():
        raise PluginError(name, f"{where}: {root / relative} does not exist")
    return CapabilityModule(name=name, distribution=dist, root_key=module, root=root, relative=relative)


def capability_modules(points: Iterable[EntryPoint] | None = None) -> dict[str, CapabilityModule]:
    """Return every installed capability module, by capability name.

    Args:
        points: Entry points to read (tests); ``None`` reads the group :data:`CAPABILITY_GROUP`
            of the installed distributions.

    Returns:
        Capability name -> module, sorted by name.

    Raises:
        PluginError: An entry point is malformed or names a missing file, or two
            distributions declare the same capability name.

    """
    found: dict[str, CapabilityModule] = {}
    seen: set[tuple[str, str]] = set()
    for point in entry_points(group=CAPABILITY_GROUP) if points is None else points:
        module = _module_of(point)
        key = (module.distribution, point.value)
        if key in seen:  # the same distribution seen twice on sys.path
            continue
        seen.add(key)
        other = found.get(module.name)
        if other is not None:
            raise PluginError(
                module.name,
                f"capability {module.name!r} is declared by both {other.distribution} and "
                f"{module.distribution}; uninstall one or rename its entry point",
            )
        found[module.name] = module
    return dict(sorted(found.items()))


def js_files(modules: Mapping[str, CapabilityModule], /) -> dict[str, Path]:
    """Return every JS file that ships with ``modules``, by its path under the native prefix.

    Args:
        modules: From :func:`capability_modules`.

    Returns:
        ``"<root key>/<relative>"`` -> file, for every ``*.js`` under each root (sorted).

    """
    files: dict[str, Path] = {}
    for module in modules.values():
        for folder, dirs, names in os.walk(module.root, followlinks=True):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS]
            for name in names:
                if name.endswith(".js"):
                    path = Path(folder) / name
                    files[f"{module.root_key}/{path.relative_to(module.root).as_posix()}"] = path
    return dict(sorted(files.items()))


def capability_links(modules: Mapping[str, CapabilityModule], /, *, base: str = NATIVE_URL_PREFIX) -> str:
    """Return the ``<link rel="modulepreload">`` elements naming each capability module.

    The JS client (``client/src/capabilities.js``) imports each linked module and registers its
    exported functions under the ``data-tw-capability`` name.

    Args:
        modules: From :func:`capability_modules`.
        base: URL prefix of the roots (see :meth:`CapabilityModule.url`).

    Returns:
        HTML, one element per capability (empty for none).

    """
    return "".join(
        f'<link rel="modulepreload" href="{escape(module.url(base))}" {CAPABILITY_ATTR}="{escape(name)}">'
        for name, module in modules.items()
    )


def __dir__() -> list[str]:
    return list(__all__)
