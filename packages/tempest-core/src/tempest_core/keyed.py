"""``use_keyed_children``: a long keyed list whose re-render costs what changed, not its length.

A view that builds one node per item (``[row(item=r, key=r.id) for r in rows]``) calls the row
factory for every item on every render, and the reconciler then compares every row, even when one
row's selected flag is all that changed. This hook keeps, per item, the node it built last time:
an item whose object is the same (``is``) and whose selected flag did not change keeps its node,
and the :class:`~tempest_core.nodes.KeyedChildren` it returns tells the reconciler which positions
changed, so the patch of a one-row change visits one row. It is SolidJS's ``mapArray`` (items
cached by reference) with ``createSelector`` (a selection change touches the rows it flips).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from collections.abc import Set as AbstractSet
from itertools import compress, count
from operator import is_not
from typing import Any, TypeVar, overload

from tempest_core._internal.frame import HookError
from tempest_core._internal.report import describe_function
from tempest_core.errors import WidgetError
from tempest_core.hooks import _slot
from tempest_core.nodes import Component, Element, KeyedChildren, Node, TemplateInstance

__all__ = ["use_keyed_children"]

T = TypeVar("T")

_UNSET: Any = object()
_NOTHING: frozenset[Hashable] = frozenset()
_KEYABLE = frozenset((Component, Element, TemplateInstance))


class _KeyedSlot:
    """What one ``use_keyed_children`` call site keeps between renders."""

    __slots__ = ("deps", "index", "items", "keys", "nodes", "selected", "with_selection")

    def __init__(self) -> None:
        self.items: tuple[Any, ...] = ()
        self.keys: list[Hashable] = []
        self.index: dict[Hashable, int] = {}
        self.nodes: KeyedChildren | None = None
        self.selected: frozenset[Hashable] = _NOTHING
        self.with_selection = False
        self.deps: tuple[Any, ...] = ()


@overload
def use_keyed_children(
    items: Sequence[T],
    *,
    key: Callable[[T], Hashable],
    render: Callable[[T], Node],
    deps: Sequence[Any] = (),
) -> KeyedChildren: ...
@overload
def use_keyed_children(
    items: Sequence[T],
    *,
    key: Callable[[T], Hashable],
    render: Callable[[T, bool], Node],
    selected: Hashable | AbstractSet[Hashable] | None,
    deps: Sequence[Any] = (),
) -> KeyedChildren: ...
def use_keyed_children(
    items: Sequence[Any],
    *,
    key: Callable[[Any], Hashable],
    render: Callable[..., Node],
    selected: Any = _UNSET,
    deps: Sequence[Any] = (),
) -> KeyedChildren:
    """Build one keyed node per item, rebuilding only the items that changed since the last render.

    Pass the result as an element's only children (``html.tbody(rows, id="tbody")``). An item
    keeps the node built for it last time while its object is the same (``is``: state is
    replaced, not mutated, so an edited item is a new object) and its selected flag is unchanged;
    ``render`` is called for the others only. When every position holds the key it held before
    (a selection change, an edit, items replaced in place), the reconciler patches the changed
    positions and visits no other; otherwise (items added, removed or reordered) it diffs the
    children by key, and unchanged items still cost no ``render`` call.

    ``render`` must build the item's node from the item (and its selected flag) and ``deps``
    only: it is not called again for an unchanged item, so anything else it reads would go stale
    (list such values in ``deps``; a change of ``deps`` rebuilds every item). It must not call
    hooks: give an item state by returning a ``@component``.

    Args:
        items: The items, in display order (any sequence; it is copied into a tuple).
        key: Returns an item's identity among its siblings: hashable, unique, and the same for
            the same item object (it is not called again for an item object already seen at
            that position).
        render: ``render(item)``, or ``render(item, is_selected)`` when ``selected`` is given;
            returns an element, a ``@component`` call or a ``@template`` instance (not text),
            to which the item's key is applied.
        selected: The selected key, a set of selected keys, or ``None`` (nothing selected).
            A change of selection rebuilds only the items it selects or deselects.
        deps: Other values ``render`` reads, compared with ``!=``.

    Returns:
        The nodes, one per item, as :class:`~tempest_core.nodes.KeyedChildren`.

    Raises:
        HookError: Called outside a render, in another hook order, or ``render`` called a hook.
        WidgetError: A key is unhashable or repeated, or ``render`` returned text or a
            non-node.

    Example:
        >>> from tempest_core import App, html, render_to_html
        >>> def view(rows: tuple[str, ...]) -> html.Element:
        ...     return html.ul(use_keyed_children(rows, key=str, render=lambda r: html.li(r)))
        >>> "<li" in render_to_html(App(view=view, state=("a", "b")))
        True

    """
    frame, i, new = _slot("use_keyed_children")
    if new:
        slot = _KeyedSlot()
        frame.hooks.append(slot)
    else:
        slot = frame.hooks[i]
        if not isinstance(slot, _KeyedSlot):
            raise HookError(
                f"hook order changed between renders: use_keyed_children() found {type(slot).__name__}"
            )
    with_selection = selected is not _UNSET
    if not with_selection or selected is None:
        sel = _NOTHING
    elif isinstance(selected, AbstractSet):
        sel = frozenset(selected)
    else:
        try:
            sel = frozenset((selected,))
        except TypeError:
            raise WidgetError(
                f"use_keyed_children(selected=...): expected a hashable key or a set of keys, got "
                f"{type(selected).__name__}"
            ) from None
    seq = items if type(items) is tuple else tuple(items)
    d = tuple(deps)
    prev = slot.nodes
    build = _Builder(frame, render, with_selection, sel)
    reuse = prev is not None and d == slot.deps and with_selection == slot.with_selection
    if reuse:
        result = _update_in_place(slot, seq, key, sel, build)
        if result is not None:
            return result
    return _rebuild(
        slot, seq, key=key, sel=sel, deps=d, with_selection=with_selection, build=build, reuse=reuse
    )


class _Builder:
    """Calls ``render`` for one item and applies its key, checking the result."""

    __slots__ = ("frame", "render", "sel", "with_selection")

    def __init__(
        self, frame: Any, render: Callable[..., Node], with_selection: bool, sel: frozenset[Hashable]
    ) -> None:
        self.frame = frame
        self.render = render
        self.with_selection = with_selection
        self.sel = sel

    def __call__(self, item: Any, k: Hashable) -> Node:
        """Render one item with key ``k`` (the caller checks the hook order once per batch)."""
        node = self.render(item, k in self.sel) if self.with_selection else self.render(item)
        return self.keyed(node, k)

    def hook_called(self) -> HookError:
        return HookError(
            f"use_keyed_children(render={describe_function(self.render)}) called a hook: hooks "
            "in a row belong in a @component it returns"
        )

    def keyed(self, node: object, k: Hashable) -> Node:
        """``node`` with key ``k`` (itself when it has it already)."""
        t = type(node)
        if t is Component:
            c: Component = node  # type: ignore[assignment]
            return c if c.key == k else Component(c.fn, c.props, k)
        if t is TemplateInstance:
            ti: TemplateInstance = node  # type: ignore[assignment]
            return ti if ti.key == k else TemplateInstance(ti.template, ti.values, k)
        if t is Element:
            e: Element = node  # type: ignore[assignment]
            return (
                e if e.key == k else Element(e.tag, e.attrs, e.props, e.events, e.children, k, e.ns, e.style)
            )
        raise WidgetError(
            f"use_keyed_children(render={describe_function(self.render)}) must return an element, a "
            f"@component or a @template instance (something that takes a key), got {t.__name__}"
        )


def _update_in_place(
    slot: _KeyedSlot,
    seq: tuple[Any, ...],
    key: Callable[[Any], Hashable],
    sel: frozenset[Hashable],
    build: _Builder,
) -> KeyedChildren | None:
    """Rebuild the changed positions when every position keeps its key; ``None`` when one does not."""
    old_items = slot.items
    if seq is old_items:
        moved: list[int] = []
    elif len(seq) == len(old_items):
        moved = list(compress(count(), map(is_not, seq, old_items)))  # in C: no Python per item
    else:
        return None
    old_keys = slot.keys
    for j in moved:
        if key(seq[j]) != old_keys[j]:
            return None
    flips = sel ^ slot.selected
    if flips:
        index = slot.index
        positions = sorted({*moved, *(index[k] for k in flips if k in index)})
    else:
        positions = moved
    prev = slot.nodes
    assert prev is not None
    if not positions:
        slot.items = seq
        return prev  # the very children of the last render: the reconciler skips them
    nodes = list(prev)
    before = build.frame.hook_index
    for j in positions:
        nodes[j] = build(seq[j], old_keys[j])  # may raise: the slot still describes ``prev``
    if build.frame.hook_index != before:
        raise build.hook_called()
    prev.prev = None  # keep one render back, not the chain of every earlier one
    result = KeyedChildren(nodes, prev, tuple(positions))
    slot.items, slot.selected, slot.nodes = seq, sel, result
    return result


def _rebuild(
    slot: _KeyedSlot,
    seq: tuple[Any, ...],
    *,
    key: Callable[[Any], Hashable],
    sel: frozenset[Hashable],
    deps: tuple[Any, ...],
    with_selection: bool,
    build: _Builder,
    reuse: bool,
) -> KeyedChildren:
    """Build every position, keeping the node of an unchanged item found by its key."""
    old_items, old_index, old_sel = slot.items, slot.index, slot.selected
    old_nodes: Sequence[Node] = slot.nodes if reuse and slot.nodes is not None else ()
    keys: list[Hashable] = []
    index: dict[Hashable, int] = {}
    nodes: list[Node] = []
    # One tight loop (a create of 1,000 rows runs it 1,000 times): ``build`` inlined, with locals.
    render, with_sel, keyed, frame = build.render, build.with_selection, build.keyed, build.frame
    before = frame.hook_index
    first_of, add_key, add = index.setdefault, keys.append, nodes.append
    reusing = bool(old_nodes)
    for j, item in enumerate(seq):
        k = key(item)
        try:
            first = first_of(k, j)
        except TypeError:
            raise WidgetError(
                f"use_keyed_children(key=...): expected hashable keys, got {type(k).__name__} for the item "
                f"at index {j}"
            ) from None
        if first != j:
            raise WidgetError(
                f"use_keyed_children(key=...): duplicate key {k!r} for the items at index {first} and {j}"
            )
        add_key(k)
        if reusing:
            oi = old_index.get(k)
            if oi is not None and old_items[oi] is item and (k in sel) == (k in old_sel):
                add(old_nodes[oi])
                continue
        node = render(item, k in sel) if with_sel else render(item)
        add(node if type(node) in _KEYABLE and node.key == k else keyed(node, k))
    if frame.hook_index != before:
        raise build.hook_called()
    result = KeyedChildren(nodes)
    slot.items, slot.keys, slot.index, slot.nodes = seq, keys, index, result
    slot.selected, slot.with_selection, slot.deps = sel, with_selection, deps
    return result
