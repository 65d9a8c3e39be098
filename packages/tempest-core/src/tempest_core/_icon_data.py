"""The vendored Lucide icon set (private): loaded lazily from package data, once per process.

The data file ``_icons/lucide.json`` is written by ``tools/vendor_lucide.py`` from the npm
package ``lucide-static`` (ISC licence, ``_icons/LICENSE.lucide``): icon name -> the SVG child
nodes of a 24x24 ``viewBox`` as ``[tag, [attr, value, attr, value, ...]]``. It is read through
:mod:`importlib.resources`, so it works from a wheel, a source checkout and under Pyodide.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources
from typing import Final

from tempest_core.errors import WidgetError
from tempest_core.html import svg
from tempest_core.nodes import Element

__all__ = ["icon_children", "icon_names", "lucide_version"]

_DATA_FILE: Final = "_icons/lucide.json"


@lru_cache(maxsize=1)
def _data() -> tuple[str, dict[str, list[list[object]]]]:
    text = resources.files("tempest_core").joinpath(_DATA_FILE).read_text(encoding="ascii")
    raw = json.loads(text)
    return str(raw["version"]), raw["icons"]


def lucide_version() -> str:
    """Return the vendored ``lucide-static`` version (e.g. ``"1.62.0"``)."""
    return _data()[0]


def icon_names() -> tuple[str, ...]:
    """Return every icon name, sorted (``"a-arrow-down"``, ..., ``"zoom-out"``)."""
    return tuple(_data()[1])


@lru_cache(maxsize=512)
def icon_children(name: str) -> tuple[Element, ...]:
    """Return the SVG child elements of icon ``name`` (built once per name and process).

    Raises:
        WidgetError: ``Icon(name=...)`` naming an unknown icon, with the closest names.

    """
    icons = _data()[1]
    nodes = icons.get(name)
    if nodes is None:
        hints = difflib.get_close_matches(name, icons, n=3)
        suggestion = f"; did you mean {', '.join(map(repr, hints))}?" if hints else ""
        raise WidgetError(f"Icon(name=...): unknown Lucide icon {name!r}{suggestion}")
    children: list[Element] = []
    for tag, flat in nodes:
        assert isinstance(tag, str) and isinstance(flat, list)
        attrs = {str(flat[i]): str(flat[i + 1]) for i in range(0, len(flat), 2)}
        children.append(getattr(svg, tag)(attrs=attrs))
    return tuple(children)
