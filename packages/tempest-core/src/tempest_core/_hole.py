"""The placeholder a ``@template`` parameter holds while its markup is captured (see templates.py).

Private; lives apart from templates.py so the ``html`` argument checks can recognise it.
"""

from __future__ import annotations

import sys
from typing import Final

from tempest_core.errors import TemplateError

__all__ = ["MARK", "Hole", "hole_index", "holds_hole"]

MARK: Final = "\x00tw-hole:"
"""Prefix of a hole's text: NUL does not occur in markup written on purpose."""


def _caller_is_user() -> bool:
    # frame 0: this function, 1: the Hole method, 2: the code that used the hole
    name = sys._getframe(2).f_globals.get("__name__", "")
    return not (name == "tempest_core" or name.startswith("tempest_core."))


class Hole(str):
    """The placeholder of one template parameter.

    A ``str`` (so every ``html`` check for text and attribute values accepts it) and callable (so
    ``on_<event>=`` accepts it). Used as a condition, compared or formatted into another string
    by the template's own code, it raises :class:`TemplateError`.
    """

    slot: int
    param: str
    owner: str

    def __new__(cls, index: int, param: str, owner: str) -> Hole:
        self = super().__new__(cls, f"{MARK}{index}\x00")
        self.slot = index
        self.param = param
        self.owner = owner
        return self

    def refuse(self, what: str) -> TemplateError:
        """Build the error for a use of this parameter that would make the structure depend on it."""
        return TemplateError(
            f"template {self.owner}: parameter {self.param!r} is {what}; a template's structure is "
            'fixed when it is captured, so pass the final value (e.g. row_class="danger" if '
            "selected else None) and use a component for conditional markup"
        )

    def __bool__(self) -> bool:
        if _caller_is_user():
            raise self.refuse("used as a condition")
        return True

    def __eq__(self, other: object) -> bool:
        if _caller_is_user():
            raise self.refuse("compared with a value")
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        if _caller_is_user():
            raise self.refuse("compared with a value")
        return str.__ne__(self, other)

    __hash__ = str.__hash__

    def __format__(self, spec: str) -> str:
        if _caller_is_user():
            raise self.refuse("formatted into a string")
        return str.__format__(self, spec)

    def __call__(self, *args: object) -> None:
        raise self.refuse("called while the template was captured")


def hole_index(value: object) -> int | None:
    """Return the parameter index of a value that is exactly one hole's text, else ``None``."""
    if isinstance(value, str) and value.startswith(MARK) and value.endswith("\x00"):
        body = value[len(MARK) : -1]
        if body.isdigit():
            return int(body)
    return None


def holds_hole(value: object) -> bool:
    """Whether ``value`` is a string with a hole's text somewhere inside."""
    return isinstance(value, str) and MARK in value
