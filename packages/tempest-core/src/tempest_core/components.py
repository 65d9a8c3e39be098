"""``@component``: a function of keyword props that renders a memoized subtree with its own state."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from tempest_core.nodes import Component, Node

__all__ = ["ComponentFactory", "component"]


class ComponentFactory(Protocol):
    """What ``@component`` returns: call it with keyword props (and ``key=``) to get a vnode."""

    def __call__(self, *, key: Hashable | None = None, **props: Any) -> Component:
        """Return a :class:`Component` vnode for these props (nothing renders yet)."""
        ...


def component(fn: Callable[..., Node], /) -> ComponentFactory:
    """Turn a render function into a component factory.

    Calling the result does not render: it returns a :class:`Component` vnode that the
    reconciler renders when it is mounted, and re-renders only when its props differ (``==``)
    from the previous render's or its own hook state changed (memoization). Pass ``key=`` to
    give it an identity among keyed siblings; every other argument must be a keyword.

    Args:
        fn: ``def row(*, item: Item, selected: bool) -> Node`` (keyword-only props).

    Returns:
        A function taking the same keyword arguments plus ``key`` and returning a vnode.

    Raises:
        TypeError: At call time, when a positional argument is given.

    Example:
        >>> from tempest_core.nodes import Text
        >>> @component
        ... def hello(*, name: str) -> Text:
        ...     return Text(f"hello {name}")
        >>> hello(name="ada", key=1).key
        1

    """

    @functools.wraps(fn)
    def make(*args: Any, key: Hashable | None = None, **props: Any) -> Component:
        if args:
            raise TypeError(
                f"component {fn.__qualname__}() takes keyword arguments only, got {len(args)} positional"
            )
        return Component(fn, props, key)

    make.__tempest_component__ = fn  # type: ignore[attr-defined]
    return make
