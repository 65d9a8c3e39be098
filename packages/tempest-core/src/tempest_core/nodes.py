"""The virtual node types every widget builds and the reconciler diffs.

These are :class:`msgspec.Struct` classes with identity equality (no validation, no copying):
their constructors run in C, widgets and the ``html`` namespace validate their inputs once, and
the reconciler reads these fields on the hot path. Treat instances as immutable once built.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Union

import msgspec

from tempestweb_contract import Scalar

if TYPE_CHECKING:
    from tempest_core.style import Style

__all__ = [
    "Component",
    "Element",
    "EventBinding",
    "Handler",
    "KeyedChildren",
    "Node",
    "TemplateInstance",
    "Text",
]

Handler = Callable[..., Any]
"""An event handler: called with the validated event model (or no argument when it takes
none); may return an awaitable, which the session awaits."""


class EventBinding(msgspec.Struct, eq=False):
    """A handler bound to one DOM event name on one element.

    A :class:`msgspec.Struct` (built in C: two of them per jsfb row); compared by identity.

    Attributes:
        handler: The user's callable.
        flags: Listener flag bits (``EVENT_PREVENT_DEFAULT`` | ``EVENT_STOP_PROPAGATION``).
        keys: For ``keydown``/``keyup``: the ``KeyboardEvent.key`` values the event is delivered
            for (``None``: every key). The ``html`` element builders write them to the element's
            ``data-tw-keys`` attribute (``tempestweb_contract.names.ATTR_KEYS``), which the
            client reads.

    """

    handler: Handler
    flags: int = 0
    keys: Union[tuple[str, ...], None] = None

    def __repr__(self) -> str:
        name = getattr(self.handler, "__qualname__", self.handler)
        keys = "" if self.keys is None else f", keys={self.keys!r}"
        return f"EventBinding({name!r}, flags={self.flags}{keys})"


class Element(msgspec.Struct, eq=False):
    """An element: tag, key, attributes, properties, event bindings, style and children.

    A :class:`msgspec.Struct` (its constructor runs in C: vnode construction is the hot path of
    every render); compared and hashed by identity. Pass dicts, not ``None``, for ``attrs``,
    ``props`` and ``events`` (an omitted one defaults to a new empty dict).

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

    tag: str
    attrs: dict[str, str] = {}
    props: dict[str, Scalar] = {}
    events: dict[str, EventBinding] = {}
    children: tuple[Node, ...] = ()
    key: Hashable | None = None
    ns: str | None = None
    style: Style | None = None

    def __repr__(self) -> str:
        return f"Element({self.tag!r}, key={self.key!r}, attrs={self.attrs!r}, children={len(self.children)})"


class Text(msgspec.Struct, eq=False):
    """A text node (a :class:`msgspec.Struct`, compared by identity)."""

    text: str

    key: ClassVar[None] = None
    """Text nodes are never keyed (a class attribute, so ``node.key`` works on every node kind)."""

    def __repr__(self) -> str:
        return f"Text({self.text!r})"


class Component(msgspec.Struct, eq=False):
    """A call of a ``@component`` function, rendered lazily by the reconciler.

    Attributes:
        fn: The component's render function.
        props: Keyword arguments it is called with; compared with ``==`` for memoization.
        key: Identity among keyed siblings.

    """

    fn: Callable[..., Node]
    props: Mapping[str, Any]
    key: Hashable | None = None

    def __repr__(self) -> str:
        return f"Component({getattr(self.fn, '__qualname__', self.fn)!r}, key={self.key!r})"


class TemplateInstance(msgspec.Struct, eq=False):
    """A call of a ``@template`` function: the captured template and this call's values.

    Attributes:
        template: The :class:`~tempest_core.templates.Template` (its static markup).
        values: One value per template parameter, in parameter order.
        key: Identity among keyed siblings.

    """

    template: Any
    values: tuple[Any, ...]
    key: Hashable | None = None

    def __repr__(self) -> str:
        return f"TemplateInstance({getattr(self.template, 'name', self.template)!r}, key={self.key!r})"


Node = Union[Element, Text, Component, TemplateInstance]
"""Anything the reconciler can mount."""


class KeyedChildren(tuple[Node, ...]):
    """Keyed child nodes built by :func:`tempest_core.use_keyed_children`, and what changed since.

    A ``tuple`` of nodes (every consumer of ``Element.children`` reads it as one). Passed as an
    element's only children (``html.tbody(rows)``), it tells the reconciler which positions
    changed, so a re-render patches those and never visits the others.

    Attributes:
        prev: The children built by the previous render of the same hook, or ``None``.
        changed: Ascending positions whose node is not the one of ``prev`` at the same position,
            when every position holds the same key as in ``prev`` (same length, same order);
            ``None`` when the keys moved, came or went (the reconciler then diffs by key).

    """

    prev: KeyedChildren | None
    changed: tuple[int, ...] | None

    def __new__(
        cls, nodes: Any, prev: KeyedChildren | None = None, changed: tuple[int, ...] | None = None
    ) -> KeyedChildren:
        """Build from an iterable of keyed nodes (``prev``/``changed``: see the class attributes)."""
        self = super().__new__(cls, nodes)
        self.prev = prev
        self.changed = changed
        return self
