"""The vendored Lucide icon set used by :func:`tempest_core.widgets.Icon`.

Lucide (https://lucide.dev, ISC licence) is vendored from the npm package ``lucide-static`` by
``tools/vendor_lucide.py`` into package data; the version is pinned there and recorded in the
data file. Only the icons an app renders are sent to the page, as inline ``<svg>`` markup.

Example:
    >>> "check" in icon_names() and lucide_version().count(".") == 2
    True

"""

from __future__ import annotations

from tempest_core._icon_data import icon_names, lucide_version

__all__ = ["icon_names", "lucide_version"]


def __dir__() -> list[str]:
    return list(__all__)
