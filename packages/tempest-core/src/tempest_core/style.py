"""Typed styles translated once into CSS class rules.

A :class:`Style` is a frozen, hashable, keyword-only value. Units: a number given where CSS
needs a length (``width``, ``margin``, ``gap``, ``font_size``, ``border_radius``...) means
pixels; ``font_weight`` (1-1000), ``opacity`` (0-1), ``line_height``, ``flex``/``grow``/
``shrink`` and ``aspect_ratio`` stay unitless; ``z_index`` and ``order`` are integers. A string
is CSS value text (``"1.5rem"``, ``"50%"``, ``"calc(100% - 8px)"``), checked so that it cannot
leave its declaration.

A :class:`StyleSheet` (one per session) gives each distinct style one content-hashed class
name (``tw-`` + 10 hex digits of BLAKE2b over the canonical CSS), identical in every process,
mode and session, so prerendered HTML and live sessions agree.

Example:
    >>> card = Style(display="flex", gap=8, hover=Style(opacity=0.8))
    >>> card.to_css(".card")
    ('.card{display:flex;gap:8px}', '.card:hover{opacity:0.8}')

"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Final, Literal

from tempest_core._style_props import PROPERTIES, STATE_SELECTORS
from tempest_core._style_values import check_text
from tempest_core.errors import StyleError

__all__ = [
    "BREAKPOINTS_PX",
    "BREAKPOINT_LG_PX",
    "BREAKPOINT_MD_PX",
    "BREAKPOINT_SM_PX",
    "BREAKPOINT_XL_PX",
    "Breakpoint",
    "Length",
    "Sides",
    "Style",
    "StyleSheet",
]

BREAKPOINT_SM_PX: Final = 640
"""Viewport width, in CSS pixels, from which ``breakpoints["sm"]`` applies."""
BREAKPOINT_MD_PX: Final = 768
"""Viewport width, in CSS pixels, from which ``breakpoints["md"]`` applies."""
BREAKPOINT_LG_PX: Final = 1024
"""Viewport width, in CSS pixels, from which ``breakpoints["lg"]`` applies."""
BREAKPOINT_XL_PX: Final = 1280
"""Viewport width, in CSS pixels, from which ``breakpoints["xl"]`` applies."""

Breakpoint = Literal["sm", "md", "lg", "xl"]
"""A named responsive breakpoint (mobile first: a ``min-width`` media query)."""

BREAKPOINTS_PX: Final[Mapping[str, int]] = MappingProxyType(
    {"sm": BREAKPOINT_SM_PX, "md": BREAKPOINT_MD_PX, "lg": BREAKPOINT_LG_PX, "xl": BREAKPOINT_XL_PX}
)
"""Breakpoint name -> minimum viewport width in CSS pixels, in ascending order."""

Length = int | float | str
"""A CSS length: a number of pixels, or CSS text such as ``"2rem"``, ``"50%"``, ``"auto"``."""
Sides = Length | tuple[Length, ...]
"""One length, or 1-4 lengths in CSS shorthand order (top, right, bottom, left)."""

_CLASS_PREFIX: Final = "tw-"
_CLASS_HASH_BYTES: Final = 5


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Style:
    """A set of CSS declarations plus state, structural, placeholder and responsive variants.

    Every argument is keyword-only and optional; ``None`` means "not set". Two styles are equal
    (and hash equal) exactly when they produce the same CSS. Variant fields hold a nested
    :class:`Style`: ``first_child``/``last_child``/``odd``/``even`` (``:first-child``,
    ``:last-child``, ``:nth-child(odd|even)``, Selectors Level 4), ``hover``, ``focus``,
    ``focus_within``, ``focus_visible``, ``active``, ``checked`` (user-action and input
    pseudo-classes), ``disabled`` (``:disabled``, and ``[aria-disabled=true]``: a control that
    stays focusable while it cannot act looks the same), ``placeholder`` (the ``::placeholder``
    pseudo-element; no states inside) and ``breakpoints`` (``min-width`` media queries).

    Raises:
        StyleError: On an unknown property (with a suggestion), a positional argument, a value
            of the wrong type, a negative value where CSS forbids one, or unsafe value text.

    """

    # layout / flexbox / grid
    display: (
        Literal[
            "block",
            "inline",
            "inline-block",
            "flex",
            "inline-flex",
            "grid",
            "inline-grid",
            "none",
            "contents",
            "flow-root",
        ]
        | None
    ) = None
    flex_direction: Literal["row", "row-reverse", "column", "column-reverse"] | None = None
    flex_wrap: Literal["nowrap", "wrap", "wrap-reverse"] | None = None
    justify_content: (
        Literal[
            "flex-start",
            "flex-end",
            "center",
            "space-between",
            "space-around",
            "space-evenly",
            "start",
            "end",
            "stretch",
            "normal",
        ]
        | None
    ) = None
    align_items: (
        Literal[
            "flex-start",
            "flex-end",
            "center",
            "baseline",
            "stretch",
            "start",
            "end",
            "self-start",
            "self-end",
            "normal",
        ]
        | None
    ) = None
    align_content: str | None = None
    align_self: str | None = None
    gap: Sides | None = None
    row_gap: Length | None = None
    column_gap: Length | None = None
    flex: int | float | str | None = None
    grow: int | float | None = None
    shrink: int | float | None = None
    basis: Length | None = None
    order: int | None = None
    grid_template_columns: str | None = None
    grid_template_rows: str | None = None
    grid_column: str | None = None
    grid_row: str | None = None
    # box model
    box_sizing: Literal["border-box", "content-box"] | None = None
    margin: Sides | None = None
    margin_top: Length | None = None
    margin_right: Length | None = None
    margin_bottom: Length | None = None
    margin_left: Length | None = None
    padding: Sides | None = None
    padding_top: Length | None = None
    padding_right: Length | None = None
    padding_bottom: Length | None = None
    padding_left: Length | None = None
    # sizing
    width: Length | None = None
    height: Length | None = None
    min_width: Length | None = None
    min_height: Length | None = None
    max_width: Length | None = None
    max_height: Length | None = None
    object_fit: Literal["fill", "contain", "cover", "none", "scale-down"] | None = None
    aspect_ratio: int | float | str | None = None
    # typography
    font_family: str | tuple[str, ...] | None = None
    font_size: Length | None = None
    font_weight: int | Literal["normal", "bold", "bolder", "lighter"] | None = None
    font_style: Literal["normal", "italic", "oblique"] | None = None
    line_height: int | float | str | None = None
    text_align: Literal["left", "right", "center", "justify", "start", "end"] | None = None
    text_decoration: str | None = None
    text_transform: Literal["none", "capitalize", "uppercase", "lowercase"] | None = None
    text_overflow: Literal["clip", "ellipsis"] | None = None
    letter_spacing: Length | None = None
    white_space: Literal["normal", "nowrap", "pre", "pre-wrap", "pre-line", "break-spaces"] | None = None
    word_break: Literal["normal", "break-all", "keep-all", "break-word"] | None = None
    overflow_wrap: Literal["normal", "break-word", "anywhere"] | None = None
    vertical_align: str | None = None
    text_shadow: str | None = None
    list_style: str | None = None
    # colour / background
    color: str | None = None
    background: str | None = None
    background_color: str | None = None
    background_image: str | None = None
    accent_color: str | None = None
    caret_color: str | None = None
    color_scheme: Literal["normal", "light", "dark", "light dark", "only light", "only dark"] | None = None
    # border / radius / shadow / outline
    border: str | None = None
    border_top: str | None = None
    border_right: str | None = None
    border_bottom: str | None = None
    border_left: str | None = None
    border_width: Sides | None = None
    border_style: str | None = None
    border_color: str | None = None
    border_radius: Sides | None = None
    box_shadow: str | None = None
    outline: str | None = None
    outline_offset: Length | None = None
    # position
    position: Literal["static", "relative", "absolute", "fixed", "sticky"] | None = None
    inset: Sides | None = None
    top: Length | None = None
    right: Length | None = None
    bottom: Length | None = None
    left: Length | None = None
    z_index: int | None = None
    # overflow / visibility / interaction
    overflow: Literal["visible", "hidden", "scroll", "auto", "clip"] | None = None
    overflow_x: Literal["visible", "hidden", "scroll", "auto", "clip"] | None = None
    overflow_y: Literal["visible", "hidden", "scroll", "auto", "clip"] | None = None
    overflow_anchor: Literal["auto", "none"] | None = None
    scroll_margin_top: Length | None = None
    visibility: Literal["visible", "hidden", "collapse"] | None = None
    opacity: int | float | None = None
    cursor: str | None = None
    pointer_events: Literal["auto", "none"] | None = None
    user_select: Literal["auto", "none", "text", "all", "contain"] | None = None
    appearance: Literal["none", "auto"] | None = None
    resize: Literal["none", "both", "horizontal", "vertical", "block", "inline"] | None = None
    # motion
    transform: str | None = None
    transition: str | None = None
    animation: str | None = None
    filter: str | None = None
    # states, structural pseudo-classes, ::placeholder and responsive variants
    first_child: Style | None = None
    last_child: Style | None = None
    odd: Style | None = None
    even: Style | None = None
    hover: Style | None = None
    focus: Style | None = None
    focus_within: Style | None = None
    focus_visible: Style | None = None
    active: Style | None = None
    checked: Style | None = None
    disabled: Style | None = None
    placeholder: Style | None = None
    breakpoints: Mapping[Breakpoint, Style] | None = None
    # derived, private
    _decls: tuple[str, ...] = field(default=(), init=False)
    _key: str = field(default="", init=False)
    _class: str = field(default="", init=False)

    def __new__(cls, *args: object, **kwargs: object) -> Style:
        """Reject positional and unknown arguments with a StyleError before ``__init__`` runs."""
        if args:
            raise StyleError(f"Style takes keyword arguments only, got {len(args)} positional")
        for name in kwargs:
            if name not in _FIELD_SET:
                hint = difflib.get_close_matches(name, _FIELD_NAMES, n=1)
                suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
                raise StyleError(f"Style({name}=...): unknown property{suggestion}")
        return object.__new__(cls)

    def __post_init__(self) -> None:
        """Validate every value and compute the canonical CSS key."""
        decls: list[str] = []
        for name, prop, serialize in PROPERTIES:
            value = getattr(self, name)
            if value is not None:
                if isinstance(value, list):
                    value = tuple(value)
                    object.__setattr__(self, name, value)
                decls.append(f"{prop}:{serialize(name, value)}")
        parts = [";".join(decls)]
        for state, pseudo in STATE_SELECTORS:
            sub = getattr(self, state)
            if sub is None:
                continue
            if not isinstance(sub, Style):
                raise StyleError(f"Style({state}=...): expected Style, got {type(sub).__name__}")
            if sub.breakpoints:
                raise StyleError(f"Style({state}=...): breakpoints are not allowed inside a state style")
            if state == "placeholder" and "{" in sub._key:
                raise StyleError("Style(placeholder=...): a pseudo-element style cannot hold states")
            parts.append(f"{pseudo}{{{sub._key}}}")
        if self.breakpoints is not None:
            ordered = _check_breakpoints(self.breakpoints)
            object.__setattr__(self, "breakpoints", ordered)
            parts.extend(f"@{name}{{{sub._key}}}" for name, sub in ordered.items())
        object.__setattr__(self, "_decls", tuple(decls))
        object.__setattr__(self, "_key", "|".join(parts))

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Style):
            return NotImplemented
        return self._key == other._key

    def __repr__(self) -> str:
        items = ", ".join(f"{n}={getattr(self, n)!r}" for n in _FIELD_NAMES if getattr(self, n) is not None)
        return f"Style({items})"

    def __or__(self, other: Style) -> Style:
        """Return ``self.merge(other)``."""
        return self.merge(other)

    @property
    def class_name(self) -> str:
        """The content-hashed class name (``tw-`` + 10 hex digits), equal for equal styles."""
        name = self._class
        if not name:
            digest = hashlib.blake2b(self._key.encode(), digest_size=_CLASS_HASH_BYTES).hexdigest()
            name = _CLASS_PREFIX + digest
            object.__setattr__(self, "_class", name)
        return name

    def merge(self, other: Style) -> Style:
        """Combine two styles; values set in ``other`` win, state and breakpoint styles merge recursively.

        Args:
            other: The style laid over this one.

        Returns:
            A new style (or one of the operands when the other is empty).

        Raises:
            StyleError: If ``other`` is not a Style.

        """
        if not isinstance(other, Style):
            raise StyleError(f"Style.merge(other=...): expected Style, got {type(other).__name__}")
        if not other._key.strip("|"):
            return self
        if not self._key.strip("|"):
            return other
        values: dict[str, object] = {}
        for name in _FIELD_NAMES:
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is None:
                if mine is not None:
                    values[name] = mine
            elif mine is None:
                values[name] = theirs
            elif name in _STATE_NAMES:
                values[name] = mine.merge(theirs)
            elif name == "breakpoints":
                merged = dict(mine)
                for bp, sub in theirs.items():
                    merged[bp] = merged[bp].merge(sub) if bp in merged else sub
                values[name] = merged
            else:
                values[name] = theirs
        return Style(**values)  # type: ignore[arg-type]

    def to_css(self, selector: str) -> tuple[str, ...]:
        """Translate this style into complete CSS rule texts for ``selector``.

        Args:
            selector: A CSS selector, e.g. ``".tw-3fa9c1b2d4"``.

        Returns:
            The base rule (if any declaration is set), then one rule per state pseudo-class, then
            one ``@media (min-width:Npx){...}`` rule per breakpoint in ascending width.
            Empty when nothing is set.

        Raises:
            StyleError: If the selector is empty or contains characters that could end the rule.

        """
        if not isinstance(selector, str):
            raise StyleError(f"Style.to_css(selector=...): expected str, got {type(selector).__name__}")
        return self._rules(check_text("selector", selector))

    def _rules(self, selector: str) -> tuple[str, ...]:
        rules: list[str] = []
        if self._decls:
            rules.append(f"{selector}{{{';'.join(self._decls)}}}")
        for state, pseudo in STATE_SELECTORS:
            sub: Style | None = getattr(self, state)
            if sub is not None:
                rules.extend(sub._rules(selector + pseudo))
        if self.breakpoints:
            for name, sub in self.breakpoints.items():
                inner = sub._rules(selector)
                if inner:
                    rules.append(f"@media (min-width:{BREAKPOINTS_PX[name]}px){{{''.join(inner)}}}")
        return tuple(rules)


_FIELD_NAMES: Final[tuple[str, ...]] = tuple(f.name for f in fields(Style) if not f.name.startswith("_"))
_FIELD_SET: Final = frozenset(_FIELD_NAMES)
_STATE_NAMES: Final = frozenset(state for state, _ in STATE_SELECTORS)


def _check_breakpoints(value: object) -> Mapping[Breakpoint, Style]:
    if not isinstance(value, Mapping):
        raise StyleError(
            f"Style(breakpoints=...): expected a mapping of breakpoint name to Style, got "
            f"{type(value).__name__}"
        )
    for name, sub in value.items():
        if name not in BREAKPOINTS_PX:
            raise StyleError(
                f"Style(breakpoints=...): unknown breakpoint {name!r}; expected one of sm, md, lg, xl"
            )
        if not isinstance(sub, Style):
            raise StyleError(
                f"Style(breakpoints={{{name!r}: ...}}): expected Style, got {type(sub).__name__}"
            )
        if sub.breakpoints:
            raise StyleError(f"Style(breakpoints={{{name!r}: ...}}): nested breakpoints are not allowed")
    ordered = {name: value[name] for name in BREAKPOINTS_PX if name in value}
    return MappingProxyType(ordered)  # type: ignore[arg-type]


_CUSTOM_PROPERTY_RE: Final = re.compile(r"^--[a-z][a-z0-9-]*$")
_IDENT_RE: Final = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]*$")
_KEYFRAME_RE: Final = re.compile(r"^(from|to|(100|[1-9]?[0-9])(\.[0-9]+)?%)$")


def _in_media(media: str | None, rules: tuple[str, ...]) -> tuple[str, ...]:
    if media is None or not rules:
        return rules
    if not isinstance(media, str):
        raise StyleError(f"StyleSheet(media=...): expected str, got {type(media).__name__}")
    return (f"@media {check_text('media', media)}{{{''.join(rules)}}}",)


_SHARED_RULES: dict[Style, tuple[str, tuple[str, ...]]] = {}
_SHARED_RULES_MAX: Final = 4096
"""Most styles whose class name and rules one process keeps for all its sessions."""


class StyleSheet:
    """The generated class rules of one session: each distinct style becomes one class, once.

    Example:
        >>> sheet = StyleSheet()
        >>> cls = sheet.class_for(Style(color="red"))
        >>> sheet.take_new_rules() == (f".{cls}{{color:red}}",)
        True
        >>> sheet.class_for(Style(color="red")) == cls, sheet.take_new_rules()
        (True, ())

    """

    __slots__ = ("_classes", "_globals", "_rules", "_taken")

    def __init__(self) -> None:
        self._classes: dict[Style, str] = {}
        self._globals: set[tuple[str, Style, str | None]] = set()
        self._rules: list[str] = []
        self._taken = 0

    def class_for(self, style: Style) -> str:
        """Return the class name of ``style``, registering its rules the first time it is seen.

        Args:
            style: The style to apply.

        Returns:
            ``tw-`` followed by 10 lower-case hex digits; the same for equal styles in every
            session and process.

        Raises:
            StyleError: If ``style`` is not a Style.

        """
        name = self._classes.get(style)
        if name is not None:
            return name
        if not isinstance(style, Style):
            raise StyleError(f"StyleSheet.class_for(style=...): expected Style, got {type(style).__name__}")
        shared = _SHARED_RULES.get(style)
        if shared is None:
            # Every session of a process shares one copy of each style's class name and rule
            # texts: a new session only looks them up (bounded: cleared past the limit).
            if len(_SHARED_RULES) >= _SHARED_RULES_MAX:
                _SHARED_RULES.clear()
            name = style.class_name
            shared = _SHARED_RULES[style] = (name, style._rules("." + name))
        name = shared[0]
        self._classes[style] = name
        self._rules.extend(shared[1])
        return name

    def add_global(self, selector: str, style: Style, *, media: str | None = None) -> None:
        """Register ``style``'s rules for a fixed selector such as ``body`` (once per triple).

        Args:
            selector: A CSS selector, e.g. ``"body"`` or ``":where(.tw-button)"``.
            style: The style to apply to it.
            media: A media query condition the rules apply under, e.g.
                ``"(prefers-reduced-motion: reduce)"`` (Media Queries Level 5); ``None`` for always.

        Raises:
            StyleError: If ``style`` is not a Style, or the selector or media text could end its
                rule.

        """
        if not isinstance(style, Style):
            raise StyleError(f"StyleSheet.add_global(style=...): expected Style, got {type(style).__name__}")
        if (selector, style, media) in self._globals:
            return
        rules = style.to_css(selector)
        self._globals.add((selector, style, media))
        self._rules.extend(_in_media(media, rules))

    def add_properties(self, selector: str, values: Mapping[str, str], *, media: str | None = None) -> None:
        """Register one rule declaring CSS custom properties (CSS Variables Level 1) for ``selector``.

        Args:
            selector: A CSS selector, e.g. ``":root"``.
            values: Property name (``"--tw-color-bg"``: two dashes, then lower-case letters,
                digits and dashes) -> value text, checked like every other Style text.
            media: A media query condition, e.g. ``"(prefers-color-scheme: dark)"``; ``None`` for
                always.

        Raises:
            StyleError: On a malformed property name, a non-str or unsafe value, or selector or
                media text that could end the rule.

        """
        decls: list[str] = []
        for name, value in values.items():
            if not isinstance(name, str) or not _CUSTOM_PROPERTY_RE.match(name):
                raise StyleError(
                    f"StyleSheet.add_properties(values=...): expected a custom property name such as "
                    f"'--tw-color-bg', got {name!r}"
                )
            if not isinstance(value, str):
                raise StyleError(
                    f"StyleSheet.add_properties(values={{{name!r}: ...}}): expected str, "
                    f"got {type(value).__name__}"
                )
            decls.append(f"{name}:{check_text(name, value)}")
        if decls:
            rule = f"{check_text('selector', selector)}{{{';'.join(decls)}}}"
            self._rules.extend(_in_media(media, (rule,)))

    def add_keyframes(self, name: str, frames: Mapping[str, Style]) -> None:
        """Register an ``@keyframes`` rule (CSS Animations Level 1) named ``name``.

        Args:
            name: The animation name, a CSS identifier such as ``"tw-spin"``.
            frames: Keyframe selector (``"from"``, ``"to"``, ``"50%"``) -> the declarations at it
                (a Style without states or breakpoints).

        Raises:
            StyleError: On a name that is not an identifier, a bad keyframe selector, or a frame
                that is not a plain Style.

        """
        if not isinstance(name, str) or not _IDENT_RE.match(name):
            raise StyleError(f"StyleSheet.add_keyframes(name=...): expected a CSS identifier, got {name!r}")
        blocks: list[str] = []
        for at, frame in frames.items():
            if not isinstance(at, str) or not _KEYFRAME_RE.match(at):
                raise StyleError(
                    f"StyleSheet.add_keyframes(frames=...): expected 'from', 'to' or a percentage, got {at!r}"
                )
            if not isinstance(frame, Style) or "{" in frame._key or frame.breakpoints:
                raise StyleError(
                    f"StyleSheet.add_keyframes(frames={{{at!r}: ...}}): expected a Style without states"
                )
            blocks.append(f"{at}{{{';'.join(frame._decls)}}}")
        self._rules.append(f"@keyframes {name}{{{''.join(blocks)}}}")

    def extend(self, other: StyleSheet) -> None:
        """Append every rule of ``other`` (e.g. a theme's prebuilt sheet) to this sheet.

        Args:
            other: A sheet whose rules were validated when it was built.

        Raises:
            StyleError: If ``other`` is not a StyleSheet.

        """
        if not isinstance(other, StyleSheet):
            raise StyleError(f"StyleSheet.extend(other=...): expected StyleSheet, got {type(other).__name__}")
        # Only the rule texts (shared strings): copying ``other``'s dedup set would cost every
        # session a few KB for selectors it never registers again.
        self._rules.extend(other._rules)

    def take_new_rules(self) -> tuple[str, ...]:
        """Return the rules registered since the previous call (to send in an ``AddStyles`` op).

        Returns:
            Complete CSS rule texts, in registration order; empty if nothing is new.

        """
        new = tuple(self._rules[self._taken :])
        self._taken = len(self._rules)
        return new

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule registered so far, in order (for prerendered ``<style>`` text or a resync)."""
        return tuple(self._rules)
