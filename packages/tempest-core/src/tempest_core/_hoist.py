"""Hoisting of pure widgets' vnodes: one shared Element per distinct call (private).

A pure widget (``Text``, ``Button``, ``Column``...) builds its element from its arguments alone:
no hook, no context, no controlled property. When every argument is a plain value (see
:func:`hoist_key`), the element built for one call is kept and returned again for an equal
call, in any render of any session of the process. The reconciler then meets the very node it
patched in last time (``m.vnode is v``) and skips the whole subtree without a diff, as Vue 3's
compiler hoists static vnodes and Svelte/Solid never re-create static markup. A container whose
children are all hoisted nodes is hoisted too, so the static part of a view costs one lookup per
widget call.

Vnodes are never mutated once built, so sharing them between renders and sessions is safe. What
is kept is bounded: at most :data:`HOIST_MAX_ENTRIES` elements (the table is cleared when full,
so a churning value such as a clock's text cannot grow it), and only strings of at most
:data:`HOIST_MAX_TEXT` characters and integers of at most 32 bits count as plain values (the
bytes one entry holds are bounded; a container's children are entries themselves).
"""

from __future__ import annotations

from types import FunctionType
from typing import Final

from tempest_core.nodes import Element
from tempest_core.style import Style

__all__ = ["HOIST_MAX_ENTRIES", "HOIST_MAX_TEXT", "hoist_clear", "hoist_get", "hoist_key", "hoist_put"]

HOIST_MAX_ENTRIES: Final = 4096
"""Elements kept at most; the table is emptied when it is full."""
HOIST_MAX_TEXT: Final = 256
"""Longest string argument (characters) of a call that is hoisted."""
_INT_BOUND: Final = 1 << 31

_table: dict[tuple[object, ...], Element] = {}
_nodes: set[Element] = set()
"""The hoisted elements (compared by identity): a container's children must be among them."""
_seen: set[tuple[object, ...]] = set()
"""Keys of calls made once: a call is hoisted when it repeats (a count's text is not)."""


def hoist_key(where: str, args: tuple[object, ...], kwargs: dict[str, object]) -> tuple[object, ...] | None:
    """Return the hoisting key of a widget call, or ``None`` if an argument is not a plain value.

    Plain values: ``None``, ``bool``, ``int`` within 32 bits, ``str`` of at most
    :data:`HOIST_MAX_TEXT` characters, :class:`~tempest_core.style.Style`, hoisted elements, and
    functions without closure or defaults (a closure or defaults may capture state objects, which
    the table must not keep alive). Floats are not (``1.0 == 1`` would share a key with ``1``
    while serializing differently), nor are lists, dicts, bound methods or other objects. A call
    with a ``bool`` gets the positions of its bools in its key, as ``True == 1`` and
    ``False == 0`` would otherwise share keys.

    Args:
        where: The widget's name.
        args: Positional arguments of the call.
        kwargs: Keyword arguments of the call (their order is part of the key).

    Returns:
        A hashable tuple, equal for two calls that build equal elements.

    """
    values = kwargs.values()
    bools = False
    for value in (*args, *values) if args else values:
        t = type(value)
        if t is str:
            if len(value) > HOIST_MAX_TEXT:  # type: ignore[arg-type]
                return None
        elif t is int:
            if not -_INT_BOUND < value < _INT_BOUND:  # type: ignore[operator]
                return None
        elif value is None or t is Style:
            pass
        elif t is bool:
            bools = True
        elif t is Element:
            if value not in _nodes:
                return None
        elif t is FunctionType:
            fn: FunctionType = value  # type: ignore[assignment]
            if fn.__closure__ is not None or fn.__defaults__ is not None or fn.__kwdefaults__ is not None:
                return None
        else:
            return None
    key = (where, args, tuple(kwargs.items()))
    if bools:
        return (*key, tuple(type(v) is bool for v in (*args, *values)))
    return key


def hoist_get(key: tuple[object, ...]) -> Element | None:
    """Return the element hoisted for ``key``, if any."""
    return _table.get(key)


def hoist_put(key: tuple[object, ...], node: object) -> None:
    """Keep ``node`` for ``key`` if the call was made before (and ``node`` is an Element).

    The first call of a key only records the key: a value that changes on every render (a
    count's text, and the containers above it) is never kept. Either table is emptied when full.
    """
    if type(node) is not Element:
        return
    if key not in _seen:
        if len(_seen) >= HOIST_MAX_ENTRIES:
            _seen.clear()
        _seen.add(key)
        return
    if len(_table) >= HOIST_MAX_ENTRIES:
        hoist_clear()
    _table[key] = node
    _nodes.add(node)


def hoist_clear() -> None:
    """Forget every hoisted element (tests; a full table)."""
    _table.clear()
    _nodes.clear()
    _seen.clear()
