"""The virtual node types every widget builds and the reconciler diffs.

These are deliberately plain ``__slots__`` classes (no validation, no copying): widgets and the
``html`` namespace validate their inputs once, and the reconciler reads these fields on the hot
path. Treat instances as immutable once built.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, Union

from tempestweb_contract import Scalar

if TYPE_CHECKING:
    from tempest_core.style import Style

__all__ = ["Component", "Element", "EventBinding", "Handler", "Node", "Text"]

Handler = Callable[..., Any]
"""An event handler: called with the validated event model (or no argument when it takes
none); may return an awaitable, which the session awaits."""


class EventBinding:
    """A handler bound to one DOM event name on one element.

    Attributes:
        handler: The user's callable.
        flags: Listener flag bits (``EVENT_PREVENT_DEFAULT`` | ``EVENT_STOP_PROPAGATION``).

    """

    __slots__ = ("flags", "handler")

    def __init__(self, handler: Handler, flags: int = 0) -> None:
        self.handler = handler
        self.flags = flags

    def __repr__(self) -> str:
        return f"EventBinding({getattr(self.handler, '__qualname__', self.handler)!r}, flags={self.flags})"


class Element:
    """An element: tag, key, attributes, properties, event bindings, style and children.

    Attributes:
        tag: Lower-case tag name.
        key: Identity among keyed siblings (``None``: diffed by position).
        attrs: Attributes; ``attrs["class"]`` holds the user's class names (space separated).
        props: DOM properties (``value``, ``checked``, ``selected``, ...).
        events: DOM event name -> binding.
        children: Child nodes, already normalized (no ``None``, no nested lists, no ``str``).
        ns: Namespace URI for SVG/MathML, ``None`` for HTML.
        style: Optional :class:`~tempest_core.style.Style`; the reconciler turns it into one
            generated class name appended to ``class``.

    """

    __slots__ = ("attrs", "children", "events", "key", "ns", "props", "style", "tag")

    def __init__(  # noqa: PLR0917 - positional construction is the hot path of html.*
        self,
        tag: str,
        attrs: dict[str, str] | None = None,
        props: dict[str, Scalar] | None = None,
        events: dict[str, EventBinding] | None = None,
        children: tuple[Node, ...] = (),
        key: Hashable | None = None,
        ns: str | None = None,
        style: Style | None = None,
    ) -> None:
        self.tag = tag
        self.attrs = attrs if attrs is not None else {}
        self.props = props if props is not None else {}
        self.events = events if events is not None else {}
        self.children = children
        self.key = key
        self.ns = ns
        self.style = style

    def __repr__(self) -> str:
        return f"Element({self.tag!r}, key={self.key!r}, attrs={self.attrs!r}, children={len(self.children)})"


class Text:
    """A text node."""

    __slots__ = ("text",)

    key: None = None
    """Text nodes are never keyed (a class attribute, so ``node.key`` works on every node kind)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Text({self.text!r})"


class Component:
    """A call of a ``@component`` function, rendered lazily by the reconciler.

    Attributes:
        fn: The component's render function.
        props: Keyword arguments it is called with; compared with ``==`` for memoization.
        key: Identity among keyed siblings.

    """

    __slots__ = ("fn", "key", "props")

    def __init__(
        self, fn: Callable[..., Node], props: Mapping[str, Any], key: Hashable | None = None
    ) -> None:
        self.fn = fn
        self.props = props
        self.key = key

    def __repr__(self) -> str:
        return f"Component({getattr(self.fn, '__qualname__', self.fn)!r}, key={self.key!r})"


Node = Union[Element, Text, Component]
"""Anything the reconciler can mount."""
