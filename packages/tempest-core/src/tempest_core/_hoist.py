"""Hoisting of pure widgets' vnodes: one shared Element per distinct call (private).

A pure widget (``Text``, ``Button``, ``Column``...) builds its element from its arguments alone:
no hook, no context, no controlled property. When every argument is a plain value (see
:func:`hoist_key`), the element built for one call is kept and returned again for an equal
call, in any render of any session of the process. The reconciler then meets the very node it
patched in last time (``m.vnode is v``) and skips the whole subtree without a diff, as Vue 3's
compiler hoists static vnodes and Svelte/Solid never re-create static markup. A container whose
children are all hoisted nodes is hoisted too, so the static part of a view costs one lookup per
widget call.

In front of the table, each widget keeps the last hoisted call of each call site (the caller's
code and instruction offset, :func:`hoisting`): a call whose arguments are the very objects of
that site's last call, or equal plain values of the same types, gets its element back without
building a key (no type checks, no hashing of styles). A site whose calls keep missing the
table (a count's text, a container of it) is called straight through for a while and probed
again now and then, so it pays neither the key nor the lookup. A site's entry only decides how
fast an element is found, never which: it is taken only when every argument is identical
(``is``) to one of a call the table answered, or equal to it and of the same type, and a
widget's element depends on its arguments alone.

Vnodes are never mutated once built, so sharing them between renders and sessions is safe. What
is kept is bounded: at most :data:`HOIST_MAX_ENTRIES` elements (the table is cleared when full,
so a churning value such as a clock's text cannot grow it), and only strings of at most
:data:`HOIST_MAX_TEXT` characters and integers of at most 32 bits count as plain values (the
bytes one entry holds are bounded; a container's children are entries themselves). A call site
keeps at most one hoisted call and one container element (its last build, until its next call
or the table is emptied), and a widget at most :data:`MAX_SITES` sites.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from operator import is_
from types import FunctionType
from typing import Final

from msgspec.structs import replace

from tempest_core._html_build import normalize_children
from tempest_core.errors import WidgetError
from tempest_core.nodes import Element
from tempest_core.nodes import Text as TextNode
from tempest_core.style import Style

__all__ = [
    "HOIST_MAX_ENTRIES",
    "HOIST_MAX_TEXT",
    "hoist_clear",
    "hoist_key",
    "hoist_put",
    "hoisting",
]

HOIST_MAX_ENTRIES: Final = 4096
"""Elements kept at most; the table is emptied when it is full."""
HOIST_MAX_TEXT: Final = 256
"""Longest string argument (characters) of a call that is hoisted."""
_INT_BOUND: Final = 1 << 31
COLD_AFTER: Final = 3
"""Consecutive misses of the table after which a call site is called straight through."""
COLD_CALLS: Final = 32
"""Calls a cold site makes straight through before it is probed against the table again (for
:data:`COLD_AFTER` calls)."""
MAX_SITES: Final = 4096
"""Call sites one widget keeps at most; its sites are forgotten when it has this many."""

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


def hoist_put(key: tuple[object, ...], node: object) -> bool:
    """Keep ``node`` for ``key`` if the call was made before (and ``node`` is an Element).

    The first call of a key only records the key: a value that changes on every render (a
    count's text, and the containers above it) is never kept. Either table is emptied when full.

    Returns:
        Whether ``node`` is kept.

    """
    if type(node) is not Element:
        return False
    if key not in _seen:
        if len(_seen) >= HOIST_MAX_ENTRIES:
            _seen.clear()
        _seen.add(key)
        return False
    if len(_table) >= HOIST_MAX_ENTRIES:
        hoist_clear()
    _table[key] = node
    _nodes.add(node)
    return True


def hoist_clear() -> None:
    """Forget every hoisted element and every call site's last call (tests; a full table)."""
    _table.clear()
    _nodes.clear()
    _seen.clear()
    for sites in _all_sites:
        sites.clear()


class _Site:
    """One call site: its last hoisted call, its run of misses, its last build.

    ``hit`` and ``last`` are each one tuple, replaced whole and read once per call, so a call
    never pairs one call's arguments with another's element.
    """

    __slots__ = ("hit", "last", "misses", "skip")

    def __init__(self) -> None:
        self.hit: tuple[tuple[object, ...], tuple[type, ...], Element] | None = None
        """The last call the table answered: (its arguments as :func:`_kept` keeps them, their
        types, its element)."""
        self.last: tuple[dict[str, object], Element] | None = None
        """A container's last build whose keyword arguments are plain: (them, its element)."""
        self.misses = 0
        self.skip = 0


_all_sites: list[dict[int, dict[int, _Site]]] = []
"""Every widget's call sites, by code object id then instruction offset (emptied with the table)."""
_getframe = sys._getframe
_SEPARATOR: Final = object()
"""Between a call's positional arguments and its keyword names in a site's kept call."""


def _kept(
    args: tuple[object, ...], kwargs: dict[str, object], node: Element
) -> tuple[tuple[object, ...], tuple[type, ...], Element]:
    """Return one call as a site keeps it, with its element (``hoisting``'s hit check builds the same).

    The call is the positional arguments, a separator no caller can pass (so the count of
    positional arguments is compared too), the keyword names in order, their values; kept with
    the type of each, which a call must match exactly before its values are compared.
    """
    call = (*args, _SEPARATOR, *kwargs, *kwargs.values())
    return call, tuple(map(type, call)), node


def _same(a: dict[str, object], b: dict[str, object]) -> bool:
    """Whether two calls' keyword arguments are the same names, in order, bound to the same objects."""
    return len(a) == len(b) and all(map(is_, a, b)) and all(map(is_, a.values(), b.values()))


def hoisting(
    where: str,
    build: Callable[[tuple[object, ...], dict[str, object]], object],
    *,
    children: bool = False,
    text: bool = False,
) -> Callable[..., object]:
    """Return a pure widget's hoisting wrapper: per call site first, then the shared table.

    Each call site (the caller's code object and instruction offset) keeps the last call the
    table answered; a call whose arguments are those very objects, or equal plain values of the
    same types (a count's text built again), gets its element back without a key being built.

    With ``children=True`` (a container whose element's children are its positional arguments,
    normalised, and whose element depends on nothing else of them: ``Column``, ``Row``...) a
    call at a site whose last build had the very same keyword arguments (plain values, as
    :func:`hoist_key` admits) gets that element with the new children (``msgspec.structs.replace``)
    instead of running the widget: the same attributes, style and listeners, the very same dicts,
    so the reconciler compares them by identity.

    With ``text=True`` (a widget whose element's only child is its one ``str`` positional
    argument as a text node, and whose element depends on nothing else of it: ``Text``) a call
    with one ``str`` at a site whose last build had the very same keyword arguments gets that
    element with the new text node, the same way (a count's text, rebuilt on every click).

    Args:
        where: The widget's name (part of its calls' keys in the table).
        build: Runs the widget: ``build(args, kwargs)``; what it raises, the wrapper raises.
        children: The widget is such a container (see above).
        text: The widget is such a text run (see above); not with ``children``.

    Returns:
        ``wrapper(*args, **kwargs)``: what the widget returns (a kept element when an equal
        call built one; an element is only kept for a call that succeeded).

    """
    sites: dict[int, dict[int, _Site]] = {}
    _all_sites.append(sites)

    def make(site: _Site, args: tuple[object, ...], kwargs: dict[str, object]) -> object:
        """Run the widget, or for a container re-use its site's last element with new children."""
        if not (children or text):
            return build(args, kwargs)
        last = site.last
        if last is not None and _same(kwargs, last[0]):
            if text:
                if len(args) == 1 and type(args[0]) is str:  # anything else: the widget checks it
                    element = replace(last[1], children=(TextNode(args[0]),))
                    site.last = (last[0], element)
                    return element
            else:
                try:
                    kids = normalize_children(where, args)
                except WidgetError:
                    pass  # the widget itself raises the error, in its own words
                else:
                    element = replace(last[1], children=kids)
                    site.last = (last[0], element)
                    return element
        built = build(args, kwargs)
        plain = type(built) is Element and hoist_key(where, (), kwargs) is not None
        site.last = (kwargs, built) if plain else None  # type: ignore[assignment]
        return built

    def hoisted(*args: object, **kwargs: object) -> object:
        frame = _getframe(1)  # the widget's caller
        code_sites = sites.get(id(frame.f_code))  # then the call's instruction in that code
        if code_sites is None:
            if len(sites) >= MAX_SITES:
                sites.clear()
            code_sites = sites[id(frame.f_code)] = {}
        offset = frame.f_lasti
        site = code_sites.get(offset)
        if site is None:
            site = code_sites[offset] = _Site()
        else:
            hit = site.hit
            if hit is not None:
                call = (*args, _SEPARATOR, *kwargs, *kwargs.values())  # as _kept builds it: every hit
                hit_call, hit_types, node = hit
                # The types first, exactly (``True == 1``; no foreign ``__eq__`` runs): then the
                # values are the kept call's plain types, compared by identity, else by value.
                if tuple(map(type, call)) == hit_types and call == hit_call:
                    return node
            if site.skip:
                site.skip -= 1
                return make(site, args, kwargs)
        key = hoist_key(where, args, kwargs)
        if key is None:
            built = make(site, args, kwargs)
        else:
            found = _table.get(key)
            if found is not None:
                site.hit = _kept(args, kwargs, found)
                site.misses = 0
                return found
            built = make(site, args, kwargs)
            if hoist_put(key, built):  # the call repeated: kept from now on
                site.hit = _kept(args, kwargs, built)  # type: ignore[arg-type]
                site.misses = 0
                return built
        site.hit = None
        site.misses += 1
        if site.misses >= COLD_AFTER:
            site.misses = 0  # then probed for COLD_AFTER calls: one records a key, the next keeps it
            site.skip = COLD_CALLS
        return built

    return hoisted
