"""Shared validation and helpers of the semantic widgets (private)."""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Final, Literal, TypeVar, cast

from tempest_core._html_build import describe
from tempest_core.errors import WidgetError
from tempest_core.events import ChangeEvent, InputEvent
from tempest_core.html import html
from tempest_core.nodes import Element, EventBinding
from tempest_core.style import Style

__all__ = [
    "Callback",
    "call_with_event",
    "check_callback",
    "check_common",
    "check_keywords",
    "check_type",
    "label_for",
    "merge_styles",
    "require",
    "text_handler",
    "wrap_label",
]

Callback = Callable[..., object]
"""A user callback: sync, or returning an awaitable that the session awaits."""

T = TypeVar("T")
W = TypeVar("W", bound=Callable[..., object])
_MERGE_CACHE_SIZE: Final = 1024


def check_type(where: str, arg: str, value: object, types: type | tuple[type, ...], expected: str) -> None:
    """Raise a WidgetError unless ``value`` is an instance of ``types`` (``bool`` never counts as a number).

    Args:
        where: Widget name, e.g. ``"Button"``.
        arg: Argument name.
        value: The value given.
        types: Accepted types.
        expected: Human-readable expectation, e.g. ``"str"``.

    Raises:
        WidgetError: ``Button(label=...): expected str, got int (42)``.

    """
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
        raise WidgetError(f"{where}({arg}=...): expected {expected}, got {describe(value)}")


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def require(where: str, arg: str, value: T | None, hint: str = "") -> T:
    """Return ``value`` or raise a WidgetError saying the argument is required.

    Raises:
        WidgetError: If ``value`` is None.

    """
    if value is None:
        raise WidgetError(f"{where}({arg}=...): required argument is missing{hint}")
    return value


def check_callback(where: str, arg: str, value: object) -> None:
    """Raise a WidgetError unless ``value`` is None, a callable or an EventBinding.

    Raises:
        WidgetError: On any other value.

    """
    if value is not None and not callable(value) and not isinstance(value, EventBinding):
        raise WidgetError(f"{where}({arg}=...): expected a callable, got {describe(value)}")


def check_common(where: str, key: object, style: object, class_: object, id: object) -> None:
    """Validate the arguments every widget accepts.

    Raises:
        WidgetError: On an unhashable ``key``, a non-Style ``style`` or a non-str ``class_``/``id``.

    """
    if key is not None and not isinstance(key, Hashable):
        raise WidgetError(f"{where}(key=...): expected a hashable value, got {describe(key)}")
    if style is not None and not isinstance(style, Style):
        raise WidgetError(f"{where}(style=...): expected Style, got {describe(style)}")
    if class_ is not None and not isinstance(class_, str):
        raise WidgetError(f"{where}(class_=...): expected str, got {describe(class_)}")
    if id is not None and not isinstance(id, str):
        raise WidgetError(f"{where}(id=...): expected str, got {describe(id)}")


def check_keywords(widget: W, /) -> W:
    """Make a widget reject an unknown keyword with a WidgetError suggesting the closest one.

    The one place widgets check their keywords (every public widget is decorated): a call with
    only known keywords runs the widget unchanged; Python's own ``TypeError`` for an unknown
    keyword becomes ``Button(onclick=...): unknown keyword argument; did you mean 'on_click'?``,
    as :class:`~tempest_core.style.Style` does for its properties.

    Args:
        widget: A widget function without ``**kwargs``.

    Returns:
        The widget, wrapped (same name, docstring and signature).

    Example:
        >>> from tempest_core.widgets import Button
        >>> try:
        ...     Button("Save", onclick=print)
        ... except WidgetError as exc:
        ...     print(exc)
        Button(onclick=...): unknown keyword argument; did you mean 'on_click'?

    """
    where = widget.__name__
    parameters = inspect.signature(widget).parameters.values()
    names = [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    known = frozenset(names)

    @functools.wraps(widget)
    def checked(*args: object, **kwargs: object) -> object:
        try:
            return widget(*args, **kwargs)
        except TypeError:
            # Python rejects an unknown keyword before the body runs, so a TypeError with one
            # among the keywords given is that rejection, not an error raised inside the widget.
            unknown = next((name for name in kwargs if name not in known), None)
            if unknown is None:
                raise
        hint = difflib.get_close_matches(unknown, names, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; expected one of {', '.join(names)}"
        raise WidgetError(f"{where}({unknown}=...): unknown keyword argument{suggestion}")

    return cast(W, checked)


@lru_cache(maxsize=_MERGE_CACHE_SIZE)
def _merge(base: Style, user: Style) -> Style:
    return base | user


def merge_styles(base: Style, user: Style | None) -> Style:
    """Lay the user's style over a widget's base style (cached; user values win)."""
    return base if user is None else _merge(base, user)


def _wants_event(fn: Callable[..., object]) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in params)


def call_with_event(fn: Callable[..., object], event: object) -> object:
    """Call ``fn(event)``, or ``fn()`` when it takes no positional argument.

    Returns:
        Whatever ``fn`` returns (maybe an awaitable).

    """
    return fn(event) if _wants_event(fn) else fn()


def label_for(where: str, label: object) -> str | None:
    """Validate an optional visible label.

    Raises:
        WidgetError: If ``label`` is neither None nor str.

    """
    if label is not None:
        check_type(where, "label", label, str, "str")
    return label  # type: ignore[return-value]


def text_handler(
    fn: Callable[[str], object] | None, source: Literal["input", "change"]
) -> Callable[..., object] | None:
    """Adapt a ``(text) -> object`` callback to an ``input`` or ``change`` event handler."""
    if fn is None:
        return None
    if source == "input":

        def on_input(event: InputEvent) -> object:
            return fn(event.value)

        return on_input

    def on_change(event: ChangeEvent) -> object:
        return fn(event.value or "")

    return on_change


def wrap_label(
    control: Element,
    label: str | None,
    key: Hashable | None,
    style: Style | None,
    class_: str | None,
    *,
    after: bool = False,
) -> Element:
    """Return ``control``, or a ``<label>`` wrapping it with the label text (tying the name to the input)."""
    if label is None:
        return control
    text = html.span(label)
    parts = (control, text) if after else (text, control)
    return html.label(*parts, key=key, style=style, class_=class_)
