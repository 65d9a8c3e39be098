"""Shared validation and helpers of the semantic widgets (private)."""

from __future__ import annotations

import difflib
import functools
import inspect
import math
import re
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Final, Literal, TypeVar, cast

from tempest_core._hoist import hoisting
from tempest_core._html_build import describe
from tempest_core._style_values import ser_length, ser_length_sides
from tempest_core._theme_rules import CHECK, FIELD, FIELD_LABEL
from tempest_core.errors import StyleError, WidgetError
from tempest_core.events import ChangeEvent, InputEvent
from tempest_core.html import html
from tempest_core.nodes import Element, EventBinding
from tempest_core.style import Style

__all__ = [
    "FOCUS_RING",
    "Callback",
    "call_with_event",
    "check_callback",
    "check_common",
    "check_keywords",
    "check_length",
    "check_type",
    "label_for",
    "merge_styles",
    "require",
    "text_handler",
    "with_class",
    "wrap_label",
]

Callback = Callable[..., object]
"""A user callback: sync, or returning an awaitable that the session awaits."""

T = TypeVar("T")
W = TypeVar("W", bound=Callable[..., object])
_MERGE_CACHE_SIZE: Final = 1024
FOCUS_RING: Final = Style(outline="2px solid transparent", box_shadow="var(--tw-focus-ring)")
"""The keyboard focus indicator of the components (for ``focus_visible=``): the theme's
``--tw-focus-ring`` box shadow in place of the browser outline (WCAG 2.2 SC 2.4.7 Focus Visible).
The outline stays, transparent: forced colors mode (Windows High Contrast) drops box shadows and
paints the outline in a system colour, so focus still shows there (``outline: none`` hid it)."""
_CSS_WIDE_KEYWORDS: Final = frozenset({"inherit", "initial", "unset", "revert", "revert-layer"})
_WORD_RE: Final = re.compile(r"-?[A-Za-z][A-Za-z0-9-]*")


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


def check_length(
    where: str, arg: str, value: object, *, sides: bool = False, words: frozenset[str] = frozenset()
) -> None:
    """Validate a layout widget's length argument (``gap``, ``padding``, ``max_width``, ``size``).

    Style's length rules apply (:func:`~tempest_core._style_values.ser_length`: numbers are px
    and not negative, strings need a known unit, and ``calc(...)``/``var(...)`` pass), plus one
    Style leaves to the property: a bare word is accepted only if the widget's CSS property
    takes it (``words``) or it is a CSS-wide keyword, so ``Column(gap="big")`` fails here rather
    than emitting ``gap:big``.

    Args:
        where: Widget name, e.g. ``"Column"``.
        arg: Argument name.
        value: ``None``, a number of px, CSS length text, or with ``sides`` a tuple/list of 1-4.
        sides: Accept a box shorthand of 1-4 lengths (``padding``).
        words: Keywords the property takes, e.g. ``{"normal"}`` for ``gap``.

    Raises:
        WidgetError: ``Column(gap=...): expected a length such as 8 (px), '0.5rem', '50%' or
            'var(--gap)', got str ('big')``, or Style's reason (negative, unknown unit...).

    """
    if value is None or (
        isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < math.inf
    ):
        return
    items = value if sides and isinstance(value, tuple | list) else (value,)
    for item in items:
        word = item.strip().lower() if isinstance(item, str) else ""
        if _WORD_RE.fullmatch(word) and word not in words and word not in _CSS_WIDE_KEYWORDS:
            expected = "a length such as 8 (px), '0.5rem', '50%' or 'var(--gap)'"
            allowed = "".join(f", or {w!r}" for w in sorted(words))
            raise WidgetError(f"{where}({arg}=...): expected {expected}{allowed}, got {describe(item)}")
    try:
        (ser_length_sides if sides else ser_length)(arg, value)
    except StyleError as exc:
        reason = str(exc).removeprefix(f"Style({arg}=...): ")
        raise WidgetError(f"{where}({arg}=...): {reason}") from None


def check_keywords(widget: W, /, *, hoist: bool = False, children: bool = False, text: bool = False) -> W:
    """Make a widget reject an unknown keyword with a WidgetError suggesting the closest one.

    The one place widgets check their keywords (every public widget is decorated): a call with
    only known keywords runs the widget unchanged; Python's own ``TypeError`` for an unknown
    keyword becomes ``Button(onclick=...): unknown keyword argument; did you mean 'on_click'?``,
    as :class:`~tempest_core.style.Style` does for its properties.

    With ``hoist=True`` (a pure widget: its element depends on its arguments alone, and has no
    controlled property) a call whose arguments are all plain values returns the element an
    equal call built before (:mod:`tempest_core._hoist`), without running the widget again; the
    reconciler skips such an element without a diff.

    With ``children=True`` as well (a container: its element's children are its positional
    arguments, normalised as ``html.*`` does, and nothing else of the element depends on them), a
    call whose keyword arguments are those of the last call at the same place in the caller's
    code gets that call's element with the new children, without running the widget
    (:func:`tempest_core._hoist.hoisting`). With ``text=True`` instead (a run of text: its
    element's only child is its one ``str`` positional argument, as a text node), such a call
    with a new string gets that element with the new text the same way.

    Args:
        widget: A widget function without ``**kwargs``.
        hoist: Share the element of equal calls (see above).
        children: The widget is such a container (only with ``hoist``).
        text: The widget is such a run of text (only with ``hoist``, not with ``children``).

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

    def unknown_keyword(kwargs: dict[str, object]) -> WidgetError | None:
        # Python rejects an unknown keyword before the body runs, so a TypeError with one
        # among the keywords given is that rejection, not an error raised inside the widget.
        unknown = next((name for name in kwargs if name not in known), None)
        if unknown is None:
            return None
        hint = difflib.get_close_matches(unknown, names, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; expected one of {', '.join(names)}"
        return WidgetError(f"{where}({unknown}=...): unknown keyword argument{suggestion}")

    if hoist:

        def build(args: tuple[object, ...], kwargs: dict[str, object]) -> object:
            try:
                return widget(*args, **kwargs)
            except TypeError:
                error = unknown_keyword(kwargs)
                if error is None:
                    raise
            raise error from None

        hoisted = functools.wraps(widget)(hoisting(where, build, children=children, text=text))
        return cast(W, hoisted)

    @functools.wraps(widget)
    def checked(*args: object, **kwargs: object) -> object:
        try:
            return widget(*args, **kwargs)
        except TypeError:
            error = unknown_keyword(kwargs)
            if error is None:
                raise
        raise error from None

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


def with_class(theme_class: str, class_: str | None) -> str:
    """Join a widget's theme class (``tw-button``...) and the app's ``class_`` (theme class first)."""
    return f"{theme_class} {class_}" if class_ else theme_class


def wrap_label(
    control: Element,
    label: str | None,
    key: Hashable | None,
    style: Style | None,
    class_: str | None,
    *,
    after: bool = False,
) -> Element:
    """Return ``control``, or a ``<label>`` wrapping it with the label text (tying the name to the input).

    The label carries the theme class ``tw-field`` (label text above the control, spaced by
    ``--tw-space-1``; the text is ``tw-field-label``) or, with ``after=True`` (checkbox, switch),
    ``tw-check`` (control then text on one line).
    """
    if label is None:
        return control
    if after:
        return html.label(control, html.span(label), key=key, style=style, class_=with_class(CHECK, class_))
    text = html.span(label, class_=FIELD_LABEL)
    return html.label(text, control, key=key, style=style, class_=with_class(FIELD, class_))
