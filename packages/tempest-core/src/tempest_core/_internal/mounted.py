"""Mounted nodes: the reconciler's record of what the client currently shows.

A mounted element or text node owns one stable integer id (the client's ``Map`` key). A mounted
component owns no DOM node of its own: its DOM node is the one its rendered child resolves to,
so every mounted node maps to exactly one DOM node (:func:`dom_id`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, Union

from tempest_core.nodes import Element, EventBinding, Node

if TYPE_CHECKING:
    from tempest_core._internal.reconciler import Reconciler

__all__ = ["Cleanup", "MComponent", "MElement", "MText", "Mounted", "dom_id"]

Cleanup = Callable[[], Any]

_NONE: tuple[()] = ()
"""Shared empty hook/effect list of components that use no hooks (most memoized rows)."""


class MText:
    """A mounted text node."""

    __slots__ = ("id", "text")

    key: None = None

    def __init__(self, id: int, text: str) -> None:
        self.id = id
        self.text = text


class MElement:
    """A mounted element.

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

    __slots__ = ("attrs", "children", "dyn", "id", "key", "ns", "tag", "vnode")

    def __init__(
        self, id: int, vnode: Element, attrs: dict[str, str], children: list[Mounted], dyn: bool
    ) -> None:
        self.id = id
        self.tag = vnode.tag
        self.ns = vnode.ns
        self.key = vnode.key
        self.vnode = vnode
        self.attrs = attrs
        self.children = children
        self.dyn = dyn

    @property
    def events(self) -> dict[str, EventBinding]:
        """Current event bindings of this element."""
        return self.vnode.events


class MComponent:
    """A mounted component instance: its props, hook state and rendered child.

    Attributes:
        fn: Render function (``Callable[..., Node]``); for the root, a closure over the app.
        props: Props of the last render; compared with ``==`` for memoization.
        key: Identity among keyed siblings.
        child: The mounted node its last render produced.
        parent_id: DOM id of the element its DOM node lives in.
        depth: Nesting depth among components (root = 0), so parents re-render first.
        hooks: Hook slots, in call order.
        effects: Effects scheduled by the last render, run after the render commits.
        dirty: Its own state changed since it last rendered.
        alive: ``False`` once unmounted (setters become no-ops).
        owner: The reconciler that mounted it.
    """

    __slots__ = (
        "alive",
        "child",
        "depth",
        "dirty",
        "effects",
        "fn",
        "hook_index",
        "hooks",
        "key",
        "owner",
        "parent_id",
        "props",
        "subscribed",
        "tasks",
    )

    def __init__(  # noqa: PLR0917 - positional on the hot path (one per mounted component)
        self,
        fn: Callable[..., Node],
        props: Mapping[str, Any],
        key: Hashable | None,
        parent_id: int,
        depth: int,
        owner: Reconciler,
    ) -> None:
        self.fn = fn
        self.props = props
        self.key = key
        self.parent_id = parent_id
        self.depth = depth
        self.owner = owner
        self.child: Mounted | None = None
        self.hooks: list[Any] | tuple[()] = _NONE  # a list once a hook is used
        self.hook_index = 0
        self.effects: list[Any] | tuple[()] = _NONE  # a list once an effect is due
        self.dirty = False
        self.alive = True
        self.subscribed = False
        self.tasks: set[asyncio.Task[Any]] | None = None


Mounted = Union[MElement, MText, MComponent]


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
