"""MkDocs hook: one API reference page per package, generated from the source tree.

``mkdocs.yml`` lists it under ``hooks:``. For each package of :data:`PACKAGES` present in
``packages/`` it writes ``reference/<import name>.md`` (a virtual file, never on disk): the
package docstring, then one section per public module (no ``_`` in its dotted path, not
``__main__``), each rendered by mkdocstrings from the docstrings.

Every public object is rendered exactly once, at its *home*: the public module that defines it,
or, for an object defined in a private module, the most specific public module that exports it
in ``__all__`` (``Column`` is defined in ``tempest_core._widgets_layout`` and exported by
``tempest_core`` and ``tempest_core.widgets``: it is rendered under ``tempest_core.widgets``).
Re-exports elsewhere resolve to the home through mkdocstrings' aliases, so cross-references to
``tempest_core.Column`` still link. A module that appears or disappears changes the pages by
itself: nothing here names a module.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import griffe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    # (distribution folder, import name, one line for the page)
    ("tempestweb-contract", "tempestweb_contract", "wire contract v1: messages, ops, codes, project schema"),
    ("tempest-core", "tempest_core", "widgets, html, Style, components, hooks, reconciler, host, pilot"),
    ("tempestweb-native", "tempestweb.native", "the browser's capabilities as typed Python awaitables"),
    ("tempestweb-server", "tempestweb_server", "Mode B: the Starlette/Hypercorn host"),
    ("tempestweb-wasm", "tempestweb_wasm", "Mode A: the Pyodide runtime and the static builder"),
    ("tempestweb-cli", "tempestweb_cli", "the tempestweb command"),
    ("tempestweb-desktop", "tempestweb_desktop", "desktop: the PyTauri host"),
)
REFERENCE_DIR = "reference"
log = logging.getLogger("mkdocs.plugins.tempestweb.api_pages")


def present_packages() -> list[tuple[str, str, str]]:
    """Return the entries of :data:`PACKAGES` whose folder exists under ``packages/``."""
    return [entry for entry in PACKAGES if (ROOT / "packages" / entry[0] / "src").is_dir()]


def search_paths() -> list[str]:
    """Return every package's ``src`` folder (mkdocs.yml gives mkdocstrings the same list)."""
    return [str(ROOT / "packages" / folder / "src") for folder, _, _ in present_packages()]


def _public(path: str) -> bool:
    return not any(part.startswith("_") for part in path.split("."))


def _modules(module: griffe.Module) -> list[griffe.Module]:
    """Return ``module`` and its public submodules, depth first, in name order."""
    found = [module]
    for name in sorted(module.modules):
        sub = module.modules[name]
        if _public(name) and not sub.is_alias:
            found += _modules(sub)
    return found


def _exported(module: griffe.Module) -> list[str]:
    """Return the names ``module`` makes public: its ``__all__``, else its public members."""
    if module.exports is not None:
        return [str(name) for name in module.exports]
    members = module.members
    return [name for name in members if not name.startswith("_") and not members[name].is_module]


def _target(obj: griffe.Object | griffe.Alias) -> str | None:
    """Return the canonical path an exported member stands for (``None``: not ours or unknown)."""
    try:
        return obj.final_target.path if obj.is_alias else obj.path  # type: ignore[union-attr]
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def plan(
    loader: griffe.GriffeLoader, roots: list[str]
) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, str]]]]:
    """Return what each public module renders, and what it re-exports from elsewhere.

    Args:
        loader: A loader whose search paths hold every package.
        roots: Import names of the packages (``tempest_core``, ``tempestweb.native``).

    Returns:
        ``{module: [names rendered there]}`` (the names whose home it is, in ``__all__`` order)
        and ``{module: [(name, path where that object is rendered)]}`` for its other exports.

    """
    modules: list[griffe.Module] = []
    for root in roots:
        top = loader.load(root)
        assert isinstance(top, griffe.Module)
        modules += _modules(top)
    loader.resolve_aliases(implicit=False, external=False)
    ours = tuple(root.split(".")[0] for root in roots)
    homes: dict[str, str] = {}  # canonical object path -> the module it is rendered in
    exports: dict[str, list[tuple[str, str]]] = {}
    for module in modules:
        pairs = []
        for name in _exported(module):
            member = module.members.get(name)
            target = _target(member) if member is not None else None
            if target is None or not target.startswith(ours) or (member is not None and member.is_module):
                continue
            pairs.append((name, target))
            defining = target.rpartition(".")[0]
            if defining == module.path:
                homes[target] = module.path
        exports[module.path] = pairs
    for module in sorted(modules, key=lambda m: -m.path.count(".")):  # most specific first
        for _, target in exports[module.path]:
            homes.setdefault(target, module.path)
    rendered: dict[str, list[str]] = {module.path: [] for module in modules}
    reexported: dict[str, list[tuple[str, str]]] = {module.path: [] for module in modules}
    for module in modules:
        for name, target in exports[module.path]:
            if homes[target] == module.path:
                rendered[module.path].append(name)
    shown = {target: f"{home}.{name}" for home, names in rendered.items() for name, target in exports[home]
             if name in names}  # fmt: skip
    for module in modules:  # each re-export, with the path where its object is rendered
        for name, target in exports[module.path]:
            if homes[target] != module.path:
                reexported[module.path].append((name, shown[target]))
    return rendered, reexported


def _page(
    folder: str,
    import_name: str,
    summary: str,
    rendered: dict[str, list[str]],
    reexports: dict[str, list[tuple[str, str]]],
) -> str:
    lines = [
        f"# `{import_name}`",
        "",
        f"Distribution `{folder}`: {summary}. Generated from the docstrings of "
        f"`packages/{folder}/src/` (Google style); every public module, each object once, "
        "where it is defined or, for names defined in private modules, where it is exported.",
        "",
    ]
    for path, names in rendered.items():
        if path != import_name and not path.startswith(import_name + "."):
            continue
        lines += [f"::: {path}", "    options:", "      show_root_heading: true"]
        lines.append(f"      members: [{', '.join(names)}]" if names else "      members: false")
        lines.append("")
        if reexports[path]:
            # An anchor per re-exported name, so that a reference to `tempest_core.Column` (or a
            # docstring's :class:`~tempestweb.native.errors.NativeCallError`) resolves here.
            # (in a paragraph: autorefs registers Markdown anchors there, not inside list items).
            links = [f"[](){{#{path}.{name}}}[`{name}`][{shown}]" for name, shown in reexports[path]]
            lines += [f"**`{path}` also exports** (documented where linked): " + ", ".join(links), ""]
    return "\n".join(lines)


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    """Add ``reference/<package>.md`` for every package present (virtual files)."""
    packages = present_packages()
    loader = griffe.GriffeLoader(search_paths=search_paths(), docstring_parser=griffe.Parser.google)
    rendered, reexports = plan(loader, [import_name for _, import_name, _ in packages])
    for folder, import_name, summary in packages:
        uri = f"{REFERENCE_DIR}/{import_name}.md"
        content = _page(folder, import_name, summary, rendered, reexports)
        files.append(File.generated(config, uri, content=content))
    log.debug("API pages: %s", ", ".join(import_name for _, import_name, _ in packages))
    return files
