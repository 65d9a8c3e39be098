"""Hot reload: carry an app's state across a change of its state class.

A dev reload re-imports the app module, so the state class is a new class object even when its
source did not change, and a person may have added, removed or renamed fields. The running
sessions hold instances of the old class. :func:`carry_state` builds the new class's state from
the old one, field by field:

- a field both classes have keeps its value;
- a field only the new class has takes its value in the new app's initial state (its default);
- a field only the old class has is dropped (a rename is a drop plus an add).

Records are dataclasses (https://docs.python.org/3/library/dataclasses.html), Pydantic models
(``model_fields``, https://docs.pydantic.dev/latest/concepts/models/) and msgspec Structs
(``__struct_fields__``, https://jcristharif.com/msgspec/structs.html). Any other state is kept
when the new initial state has the same type, else replaced by the new initial state. Whenever
values are lost the result carries a one-line notice for the log and the page.

Records nested in the kept values (a ``tuple[Todo, ...]`` field; inside tuples, lists, sets,
frozensets and dict values, to :data:`MAX_NESTING` levels) are carried the same way, to the class
of the same module and qualified name after the reload (``sys.modules`` holds the re-imported
module): a field the new class adds takes the field's default; when it has none, or
the new class rejects the values, the state cannot be carried and the session starts from the
initial state with a notice. Records of modules the reload did not re-import, or whose class is
no longer found, are kept as they are.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Final

import msgspec

from tempest_core._internal.mounted import MComponent, MElement, Mounted
from tempest_core.errors import SessionError
from tempest_core.hooks import Setter

__all__ = ["MAX_NESTING", "CarriedState", "ComponentStates", "Reloaded", "carry_state"]

MAX_NESTING: Final = 32
"""Deepest level of containers and records :func:`carry_state` walks into a kept value."""

ClassResolver = Callable[[type], "type | None"]
"""Maps a record class from before the reload to its class after it (``None``: it is gone)."""


class _NotCarried(Exception):
    """A nested record cannot be carried (its class is gone, or an added field has no default)."""


@dataclass(frozen=True, slots=True)
class CarriedState:
    """The state a reloaded session starts from.

    Attributes:
        state: The new state (the old one itself when its type did not change).
        kept: Field names whose values were carried over.
        added: Field names the new class adds (they start from the initial state).
        removed: Field names the new class no longer has (their values are gone).
        notice: One line saying what changed, or ``None`` when nothing was lost or added.

    """

    state: Any
    kept: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    notice: str | None = None

    def explain(self) -> str:
        """Return the notice as a few lines for the page: what was kept, added and dropped."""
        lines = [f"{self.notice or 'The state was carried over.'}", ""]
        if self.kept:
            lines.append(f"Kept with their values: {_names(self.kept)}.")
        if self.added:
            lines.append(f"Added, starting from the app's initial state: {_names(self.added)}.")
        if self.removed:
            lines.append(f"Removed, their values are gone: {_names(self.removed)}.")
        if not self.kept and not self.added and not self.removed:
            lines.append("The page starts from the app's initial state.")
        lines.append("Save again or reload the page to start over.")
        return "\n".join(lines)


def _fields(value: object) -> tuple[str, ...] | None:
    """Names of the constructor fields of a record, or ``None`` for any other value."""
    return None if isinstance(value, type) else _record_fields(type(value))


def _record_fields(cls: type) -> tuple[str, ...] | None:
    """Names of the constructor fields of a record class, or ``None`` for any other class."""
    if dataclasses.is_dataclass(cls):
        return tuple(field.name for field in dataclasses.fields(cls) if field.init)
    if issubclass(cls, msgspec.Struct):
        return tuple(cls.__struct_fields__)
    model_fields = getattr(cls, "model_fields", None)
    if isinstance(model_fields, dict) and callable(getattr(cls, "model_copy", None)):
        return tuple(str(name) for name in model_fields)
    return None


def _replace(initial: object, values: dict[str, Any]) -> object:
    if isinstance(initial, msgspec.Struct):
        return msgspec.structs.replace(initial, **values)
    if dataclasses.is_dataclass(initial) and not isinstance(initial, type):
        return dataclasses.replace(initial, **values)
    model: Any = initial  # a Pydantic model (checked by _fields)
    return model.model_copy(update=values)


def _reloaded_class(cls: type) -> type | None:
    """Find the class named like ``cls`` in the module ``sys.modules`` holds now (``None``: none)."""
    module = sys.modules.get(cls.__module__)
    if module is None or "<locals>" in cls.__qualname__:
        return cls
    found: Any = module
    for part in cls.__qualname__.split("."):
        found = getattr(found, part, None)
    return found if isinstance(found, type) else None


def _default(cls: type, name: str) -> Any:
    """Return the default of field ``name`` of ``cls``; raise :class:`_NotCarried` if it has none."""
    if dataclasses.is_dataclass(cls):
        for field in dataclasses.fields(cls):
            if field.name == name:
                if field.default is not dataclasses.MISSING:
                    return field.default
                if field.default_factory is not dataclasses.MISSING:
                    return field.default_factory()
    elif issubclass(cls, msgspec.Struct):
        for info in msgspec.structs.fields(cls):
            if info.name == name:
                if info.default is not msgspec.NODEFAULT:
                    return info.default
                if info.default_factory is not msgspec.NODEFAULT:
                    return info.default_factory()
    else:
        model_field = getattr(cls, "model_fields", {}).get(name)
        if model_field is not None and not model_field.is_required():
            return model_field.get_default(call_default_factory=True)
    raise _NotCarried(f"{cls.__qualname__}.{name} was added without a default")


class _Carrier:
    """Carries the records nested in a value to their reloaded classes (see the module docstring)."""

    def __init__(self, resolve: ClassResolver) -> None:
        self.resolve = resolve
        self.memo: dict[int, Any] = {}

    def value(self, value: Any, depth: int = 0) -> Any:
        kind = type(value)
        if kind in (str, int, float, bool, bytes, type(None)) or depth > MAX_NESTING:
            return value
        key = id(value)
        if key in self.memo:
            return self.memo[key]
        if kind in (tuple, list, set, frozenset):
            items = [self.value(item, depth + 1) for item in value]
            same = all(a is b for a, b in zip(items, value, strict=True))
            result = value if same else kind(items)
        elif kind is dict:
            values = {k: self.value(v, depth + 1) for k, v in value.items()}
            result = value if all(values[k] is value[k] for k in value) else values
        else:
            result = self.record(value, depth)
        self.memo[key] = result
        return result

    def record(self, value: Any, depth: int) -> Any:
        old_cls = type(value)
        old_fields = _fields(value)
        if old_fields is None:
            return value
        new_cls = self.resolve(old_cls)
        new_fields = None if new_cls is None else _record_fields(new_cls)
        if new_cls is None or new_fields is None:  # gone or not a record: kept as it was
            return value
        values = {name: self.value(getattr(value, name), depth + 1) for name in old_fields}
        if new_cls is old_cls and all(values[name] is getattr(value, name) for name in old_fields):
            return value
        kwargs = {name: values[name] if name in values else _default(new_cls, name) for name in new_fields}
        try:
            return new_cls(**kwargs)
        except Exception as exc:  # the new class rejects an old value (a type or validator change)
            raise _NotCarried(
                f"{new_cls.__qualname__} rejects the previous values ({type(exc).__name__}: {exc})"
            ) from exc


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(repr(name) for name in names)


def carry_state(old: object, initial: object, *, resolve: ClassResolver = _reloaded_class) -> CarriedState:
    """Build the reloaded app's state from a session's state before the reload.

    Args:
        old: The session's state (an instance of the state class before the reload).
        initial: The reloaded app's initial state (``App.initial_state()`` of the new app).
        resolve: Finds the class after the reload of a nested record's class (default: the
            class of the same module and qualified name in ``sys.modules``).

    Returns:
        The state to continue with and what was kept, added and removed. ``notice`` is set
        when fields were added or removed, or when the state could not be carried at all (a
        different type, or the new class rejected the old values) and the session starts from
        ``initial``.

    """
    old_type, new_type = type(old), type(initial)
    if old_type is new_type:
        return CarriedState(old)
    name = new_type.__qualname__
    old_fields, new_fields = _fields(old), _fields(initial)
    if old_fields is None or new_fields is None:
        if old_type.__qualname__ == name and old_type.__module__ == new_type.__module__:
            return CarriedState(old)  # the same class, redefined by the reload
        changed = f"the state changed from {old_type.__qualname__} to {name}"
        return CarriedState(initial, notice=f"{changed}: starting from the initial state")
    kept = tuple(field for field in new_fields if field in old_fields)
    added = tuple(field for field in new_fields if field not in old_fields)
    removed = tuple(field for field in old_fields if field not in new_fields)
    carrier = _Carrier(resolve)
    try:
        values = {field: carrier.value(getattr(old, field)) for field in kept}
    except _NotCarried as exc:
        notice = f"the state class {name} holds records that cannot be carried ({exc}): starting over"
        return CarriedState(initial, added=added, removed=removed, notice=notice)
    try:
        state = _replace(initial, values)
    except Exception as exc:  # the new class rejects an old value (a type or validator change)
        return CarriedState(
            initial,
            added=added,
            removed=removed,
            notice=(
                f"the state class {name} changed and rejects the previous values "
                f"({type(exc).__name__}: {exc}): starting from the initial state"
            ),
        )
    if not added and not removed:
        return CarriedState(state, kept=kept)
    parts = [f"{name} changed:"]
    if added:
        parts.append(f"added {_names(added)} (initial value);")
    if removed:
        parts.append(f"removed {_names(removed)} (value dropped);")
    parts.append(f"kept {_names(kept)}" if kept else "no field kept")
    return CarriedState(state, kept=kept, added=added, removed=removed, notice=" ".join(parts))


@dataclass(frozen=True, slots=True)
class Reloaded:
    """What a hot reload did to one session (:meth:`HostSession.replace_app`).

    Attributes:
        carried: The state it continues with and its notice (when the reload failed: the
            state it would have carried; the session keeps its previous one).
        failure: The ``handler_error`` when the new view failed (the session keeps the
            previous version), else ``None``.

    """

    carried: CarriedState
    failure: SessionError | None


Signature = tuple[str, str, Hashable | None]
"""What pairs a component across a reload: its function's module and qualified name, its key."""


def _signature(c: MComponent) -> Signature:
    fn = c.fn
    return (getattr(fn, "__module__", ""), getattr(fn, "__qualname__", ""), c.key)


class ComponentStates:
    """The ``use_state`` values of a tree's components, for the same components after a reload.

    As React's Fast Refresh and LiveView's code reload do, a component keeps its state across a
    save: the components of the previous tree are listed in mount order (depth first, children
    in order) with their ``use_state`` values by hook index, per signature (their function's
    module and qualified name, and their key); each component the new app mounts is paired with
    the first unpaired one of its signature, so a component added or removed elsewhere leaves
    the others paired (keyed siblings by key, unkeyed ones by order). A paired component's
    ``use_state`` slot starts from the value that slot had, carried by :func:`carry_state` (a
    record follows its reloaded class; a value whose type no longer matches the slot's initial
    value gives way to it). Other hooks (effects, memos, refs) start over, as on a first mount.
    Pairing costs one dict lookup per component.
    """

    __slots__ = ("_listed", "_paired")

    def __init__(self, roots: Iterable[MComponent], /) -> None:
        """List the components under ``roots`` (a session's root and its overlay roots)."""
        self._listed: dict[Signature, deque[dict[int, Any]]] = {}
        stack: list[Mounted] = list(reversed(list(roots)))
        while stack:
            m = stack.pop()
            t = type(m)
            if t is MComponent:
                c: MComponent = m  # type: ignore[assignment]
                values = {i: h.value for i, h in enumerate(c.hooks) if type(h) is Setter}
                self._listed.setdefault(_signature(c), deque()).append(values)
                if c.child is not None:
                    stack.append(c.child)
            elif t is MElement:
                stack.extend(reversed(m.children))  # type: ignore[union-attr]
        self._paired: dict[int, dict[int, Any]] = {}

    def attach(self, c: MComponent, /) -> None:
        """Pair ``c`` (being mounted) with the first unpaired listed component of its signature."""
        listed = self._listed.get(_signature(c))
        if listed:
            values = listed.popleft()
            if values:
                self._paired[id(c)] = values

    def initial(self, c: MComponent, index: int, value: Any, /) -> Any:
        """Return the first value of ``c``'s ``use_state`` slot ``index``: the carried one, or ``value``."""
        values = self._paired.get(id(c))
        if values is None or index not in values:
            return value
        return carry_state(values[index], value).state
