"""Mounted nodes: the reconciler's record of what the client currently shows.

A mounted element or text node owns one stable integer id (the client's ``Map`` key). A mounted
component owns no DOM node of its own: its DOM node is the one its rendered child resolves to,
so every mounted node maps to exactly one DOM node (:func:`dom_id`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Union

import msgspec

from tempest_core.nodes import Element, EventBinding, Node

if TYPE_CHECKING:
    from tempest_core._internal.reconciler import Reconciler

__all__ = ["Cleanup", "MComponent", "MElement", "MTemplate", "MText", "Mounted", "dom_id"]

Cleanup = Callable[[], Any]

_NONE: tuple[()] = ()
"""Shared empty hook/effect list of components that use no hooks (most memoized rows)."""


class MText(msgspec.Struct, eq=False):
    """A mounted text node (a C-built :class:`msgspec.Struct`, compared by identity).

    Attributes:
        id: Stable node id.
        text: The text the client shows.
    """

    id: int
    text: str

    key: ClassVar[None] = None


class MElement(msgspec.Struct, eq=False):
    """A mounted element (a C-built :class:`msgspec.Struct`, compared by identity).

    Attributes:
        id: Stable node id.
        tag / ns / key: Identity of the element (a different tag or ns replaces the node).
        vnode: The last :class:`Element` this node was patched with (its ``events`` hold the
            current handler bindings looked up at dispatch time).
        attrs: Effective attributes sent to the client (user ``class`` + generated style class).
        children: Mounted children in document order.
        dyn: ``True`` when the subtree may hold listeners or components (unmount must walk it);
            sticky: never reset to ``False``.
    """

    id: int
    tag: str
    ns: str | None
    key: Hashable | None
    vnode: Element
    attrs: dict[str, str]
    children: list[Mounted]
    dyn: bool

    @property
    def events(self) -> dict[str, EventBinding]:
        """Current event bindings of this element."""
        return self.vnode.events


class MComponent(msgspec.Struct, eq=False):
    """A mounted component instance: its props, hook state and rendered child.

    A C-built :class:`msgspec.Struct` (one per mounted row of a table), hashed by identity.

    Attributes:
        fn: Render function (``Callable[..., Node]``); for the root, a closure over the app.
        props: Props of the last render; compared with ``==`` for memoization.
        key: Identity among keyed siblings.
        parent_id: DOM id of the element its DOM node lives in.
        depth: Nesting depth among components (root = 0), so parents re-render first.
        owner: The reconciler that mounted it.
        child: The mounted node its last render produced.
        hooks: Hook slots, in call order.
        hook_index: Index of the next hook slot during a render.
        effects: Effects scheduled by the last render, run after the render commits.
        dirty: Its own state changed since it last rendered.
        alive: ``False`` once unmounted (setters become no-ops).
        subscribed: It subscribed to the location (router hooks).
        tasks: Background tasks it started, cancelled on unmount.
    """

    fn: Callable[..., Node]
    props: Mapping[str, Any]
    key: Hashable | None
    parent_id: int
    depth: int
    owner: Reconciler
    child: Mounted | None = None
    hooks: list[Any] | tuple[()] = _NONE  # a list once a hook is used
    hook_index: int = 0
    effects: list[Any] | tuple[()] = _NONE  # a list once an effect is due
    dirty: bool = False
    alive: bool = True
    subscribed: bool = False
    tasks: set[asyncio.Task[Any]] | None = None


class MTemplate(msgspec.Struct, eq=False):
    """A mounted template instance: ``template.size`` DOM nodes with ids ``id`` ... ``id + size - 1``.

    Attributes:
        id: Id of the instance's root element (its other nodes follow in document order).
        template: The :class:`~tempest_core.templates.Template`.
        values: The values of the last render, one per parameter.
        key: Identity among keyed siblings.
        statics: The session's static attributes and style classes of the template's nodes.
        slots: What the client shows at each slot of ``template.slot_spec`` (``template.slots``
            of ``values``): what the next render's slots are compared with.

    """

    id: int
    template: Any
    values: tuple[Any, ...]
    key: Hashable | None
    statics: Any
    slots: tuple[Any, ...]


Mounted = Union[MElement, MText, MComponent, MTemplate]


def dom_id(m: Mounted) -> int:
    """Return the id of the DOM node a mounted node resolves to.

    Args:
        m: Any mounted node.

    Returns:
        The stable id of the element or text node (a component resolves through its child).
    """
    while type(m) is MComponent:
        child = m.child
        assert child is not None
        m = child
    return m.id  # type: ignore[union-attr]
