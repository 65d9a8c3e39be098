"""Hooks: per-component state, effects, memoized values and refs.

Hooks work while an app view or a ``@component`` function renders, and must be called in the
same order on every render of that component (the React rules of hooks:
https://react.dev/reference/rules/rules-of-hooks). Location hooks live in
:mod:`tempest_core.router`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar, Union, cast, overload

from tempest_core._internal.frame import HookError, current_frame

__all__ = ["EffectFn", "HookError", "Ref", "Setter", "use_effect", "use_memo", "use_ref", "use_state"]

T = TypeVar("T")

HookError.__module__ = __name__  # defined next to the hook frame; public here

EffectFn = Callable[[], Union[Callable[[], Any], Awaitable[Any], None]]
"""An effect: returns nothing, a cleanup callable, or (async) an awaitable run as a task."""


class Setter(Generic[T]):
    """The setter returned by :func:`use_state`; stable across renders (safe as a prop)."""

    __slots__ = ("_frame", "value")

    def __init__(self, frame: Any, value: T) -> None:
        self._frame = frame
        self.value = value

    def __call__(self, value: T | Callable[[T], T], /) -> None:
        """Set the state and schedule a re-render of the component.

        Args:
            value: The new value, or a function of the old value returning the new one.
                Setting the very same object (``is``) does not re-render.

        """
        new = value(self.value) if callable(value) else value
        if new is self.value:
            return
        self.value = new
        frame = self._frame
        if frame.alive:
            frame.owner.mark_dirty(frame)

    def __repr__(self) -> str:
        return f"Setter(value={self.value!r})"


class _EffectSlot:
    __slots__ = ("cleanup", "deps", "task")

    def __init__(self) -> None:
        self.deps: tuple[Any, ...] | None = None
        self.cleanup: Callable[[], Any] | None = None
        self.task: Any = None


class _MemoSlot:
    __slots__ = ("deps", "value")

    def __init__(self, value: Any, deps: tuple[Any, ...]) -> None:
        self.value = value
        self.deps = deps


class Ref(Generic[T]):
    """A mutable box that survives re-renders (``ref.current``) and never triggers one."""

    __slots__ = ("current",)

    def __init__(self, current: T) -> None:
        self.current = current

    def __repr__(self) -> str:
        return f"Ref({self.current!r})"


def _slot(hook: str) -> tuple[Any, int, bool]:
    frame = current_frame(hook)
    i = frame.hook_index
    frame.hook_index = i + 1
    if not i and type(frame.hooks) is tuple:
        frame.hooks = []
    return frame, i, i == len(frame.hooks)


@overload
def use_state(initial: Callable[[], T]) -> tuple[T, Setter[T]]: ...
@overload
def use_state(initial: T) -> tuple[T, Setter[T]]: ...
def use_state(initial: Any) -> tuple[Any, Setter[Any]]:
    """Return the component's state value and its setter.

    Args:
        initial: The first value, or a zero-argument function computing it (called once).

    Returns:
        ``(value, setter)``; ``setter(new)`` or ``setter(lambda old: new)`` schedules one
        re-render of this component (coalesced with every other update of the same tick).

    Raises:
        HookError: Called outside a render.

    Example:
        >>> from tempest_core import component, html
        >>> @component
        ... def counter():
        ...     n, set_n = use_state(0)
        ...     return html.button(str(n), on_click=lambda: set_n(lambda v: v + 1))

    """
    frame, i, new = _slot("use_state")
    if new:
        value = initial() if callable(initial) else initial
        carry = frame.owner.carry
        if carry is not None:  # a hot reload mounting the new app: the value this slot had
            value = carry.initial(frame, i, value)
        frame.hooks.append(Setter(frame, value))
    setter: Setter[Any] = frame.hooks[i]
    if not isinstance(setter, Setter):
        raise HookError(f"hook order changed between renders: use_state() found {type(setter).__name__}")
    return setter.value, setter


def use_effect(fn: EffectFn, deps: Sequence[Any] | None = None) -> None:
    """Run ``fn`` after the render commits, again whenever ``deps`` change.

    Args:
        fn: Sync: may return a cleanup callable, run before the next run and on unmount.
            Async (a coroutine function): runs as an :class:`asyncio.Task` (timers, streams),
            cancelled before the next run and on unmount.
        deps: ``None``: run after every render; ``()``: only after mount; otherwise run when any
            item differs (``!=``) from the previous render.

    Raises:
        HookError: Called outside a render.

    """
    frame, i, new = _slot("use_effect")
    if new:
        frame.hooks.append(_EffectSlot())
    slot = frame.hooks[i]
    if not isinstance(slot, _EffectSlot):
        raise HookError(f"hook order changed between renders: use_effect() found {type(slot).__name__}")
    d = None if deps is None else tuple(deps)
    if new or d is None or d != slot.deps:
        slot.deps = d
        if type(frame.effects) is tuple:
            frame.effects = []
        frame.effects.append((slot, fn))


def use_memo(fn: Callable[[], T], deps: Sequence[Any]) -> T:
    """Return ``fn()``, recomputed only when ``deps`` change.

    Args:
        fn: Zero-argument function computing the value.
        deps: Values the result depends on, compared with ``!=``.

    Returns:
        The cached or freshly computed value.

    Raises:
        HookError: Called outside a render.

    """
    frame, i, new = _slot("use_memo")
    d = tuple(deps)
    if new:
        frame.hooks.append(_MemoSlot(fn(), d))
        return cast(T, frame.hooks[i].value)
    slot = frame.hooks[i]
    if not isinstance(slot, _MemoSlot):
        raise HookError(f"hook order changed between renders: use_memo() found {type(slot).__name__}")
    if slot.deps != d:
        slot.value = fn()
        slot.deps = d
    return cast(T, slot.value)


def use_ref(initial: T) -> Ref[T]:
    """Return a :class:`Ref` that persists for the component's lifetime.

    Args:
        initial: Value of ``ref.current`` on the first render.

    Returns:
        The same :class:`Ref` on every render.

    Raises:
        HookError: Called outside a render.

    """
    frame, i, new = _slot("use_ref")
    if new:
        frame.hooks.append(Ref(initial))
    ref = frame.hooks[i]
    if not isinstance(ref, Ref):
        raise HookError(f"hook order changed between renders: use_ref() found {type(ref).__name__}")
    return ref
