"""A small CSS selector subset over :class:`DomModel` elements.

Supported (Selectors Level 4, https://www.w3.org/TR/selectors-4/): type ``tr``, ``*``, id
``#main``, class ``.row``, attribute presence ``[disabled]`` and equality ``[type=checkbox]`` /
``[type="checkbox"]``, descendant (whitespace) and child (``>``) combinators, and selector lists
(``a, b``). Anything else raises :class:`SelectorError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from tempest_core.errors import TempestError
from tempest_core.testing._dom import DomElement

__all__ = ["SelectorError", "select"]


class SelectorError(TempestError, ValueError):
    """A selector outside the supported subset or malformed."""


@dataclass
class _Compound:
    tag: str | None = None
    ids: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    attrs: list[tuple[str, str | None]] = field(default_factory=list)

    def matches(self, el: DomElement) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if any(el.attrs.get("id") != i for i in self.ids):
            return False
        if self.classes:
            have = el.classes
            if any(c not in have for c in self.classes):
                return False
        for name, value in self.attrs:
            got = el.attrs.get(name)
            if got is None and name in el.props and el.props[name] not in (None, False):
                got = "" if el.props[name] is True else str(el.props[name])
            if got is None or (value is not None and got != value):
                return False
        return True


_NAME: Final = r"-?[_a-zA-Z][-_a-zA-Z0-9]*"
_TOKEN: Final = re.compile(
    rf"\s*(?:(?P<comb>>)|(?P<tag>{_NAME}|\*)|#(?P<id>{_NAME})|\.(?P<cls>{_NAME})"
    rf"|\[\s*(?P<attr>{_NAME})\s*(?:=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\]\s]+))\s*)?\])"
)


def _parse(selector: str) -> list[tuple[str, _Compound]]:
    """Parse one complex selector into ``[(combinator, compound), ...]`` (first combinator '')."""
    steps: list[tuple[str, _Compound]] = []
    pos = 0
    comb = ""
    current: _Compound | None = None
    text = selector.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise SelectorError(f"unsupported selector {selector!r} at {text[pos:]!r}")
        gap = m.start() != pos or (m.group(0)[:1].isspace())
        pos = m.end()
        if m.group("comb"):
            if current is None and not steps:
                raise SelectorError(f"selector {selector!r} starts with a combinator")
            if current is not None:
                steps.append((comb, current))
                current = None
            comb = ">"
            continue
        if gap and current is not None:
            steps.append((comb, current))
            current = None
            comb = " "
        if current is None:
            current = _Compound()
            if not steps and comb not in ("", " ", ">"):
                comb = ""
        if m.group("tag"):
            if current.tag is not None or current.ids or current.classes or current.attrs:
                raise SelectorError(f"type selector must come first in {selector!r}")
            current.tag = None if m.group("tag") == "*" else m.group("tag").lower()
        elif m.group("id"):
            current.ids.append(m.group("id"))
        elif m.group("cls"):
            current.classes.append(m.group("cls"))
        else:
            value = m.group("dq") if m.group("dq") is not None else m.group("sq")
            if value is None:
                value = m.group("bare")
            current.attrs.append((m.group("attr"), value))
    if current is None:
        raise SelectorError(f"selector {selector!r} is empty or ends with a combinator")
    steps.append((comb, current))
    if steps[0][0] != "":
        steps[0] = ("", steps[0][1])
    return steps


def _match(el: DomElement, steps: list[tuple[str, _Compound]], i: int) -> bool:
    comb, compound = steps[i]
    if not compound.matches(el):
        return False
    if i == 0:
        return True
    parent = el.parent
    if comb == ">":
        return parent is not None and parent.tag != "#root" and _match(parent, steps, i - 1)
    while parent is not None and parent.tag != "#root":
        if _match(parent, steps, i - 1):
            return True
        parent = parent.parent
    return False


def select(root: DomElement, selector: str) -> list[DomElement]:
    """Return the elements under ``root`` matching ``selector``, in document order.

    Args:
        root: The element to search under (not matched itself).
        selector: A selector of the supported subset.

    Returns:
        Matching elements, each once.

    Raises:
        SelectorError: The selector is malformed or outside the subset.

    """
    if not isinstance(selector, str) or not selector.strip():
        raise SelectorError(f"expected a non-empty selector string, got {selector!r}")
    groups = [_parse(part) for part in selector.split(",")]
    return [el for el in root.iter_descendants() if any(_match(el, g, len(g) - 1) for g in groups)]
