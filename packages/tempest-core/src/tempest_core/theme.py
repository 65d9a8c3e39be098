"""Design tokens, light and dark, and the default look of every widget.

A :class:`Theme` is a set of CSS custom properties (``--tw-color-bg``, ``--tw-space-4``...) with
one colour set per colour scheme. It becomes CSS through core's style translator
(:class:`~tempest_core.style.StyleSheet`), so prerendered pages and every mode share the same
rules: the token declarations on ``:root``, base element rules (body font and colours, focus
rings, form controls) and the rules of the widgets' ``tw-*`` classes. Every theme rule sits in
``:where(...)`` (zero specificity), so any :class:`~tempest_core.style.Style` an app gives a
widget wins over the default look.

Colour schemes (CSS Color Adjustment Level 1 ``color-scheme``, Media Queries Level 5
``prefers-color-scheme``): ``"system"`` follows the user's setting, ``"light"`` and ``"dark"``
force one. ``App(color_scheme=...)`` picks the initial scheme, ``App.set_color_scheme(...)``
switches a running session (it sets :data:`~tempestweb_contract.names.ATTR_COLOR_SCHEME` on the
mount element, which the token rules select with ``:root:has(...)``), identically in every mode.

Example:
    >>> Theme(tokens={"color-primary": "#7c3aed"}).light["--tw-color-primary"]
    '#7c3aed'
    >>> var("space-4")
    'var(--tw-space-4)'

"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final, Literal

from tempest_core._internal.frame import current_frame
from tempest_core._style_values import check_text, ser_color
from tempest_core._theme_rules import (
    FORCED_PROPERTIES,
    REDUCED_MOTION_MEDIA,
    add_base_rules,
    add_widget_rules,
)
from tempest_core.errors import StyleError, WidgetError
from tempest_core.style import Style, StyleSheet
from tempestweb_contract.names import ATTR_COLOR_SCHEME, ROOT_ELEMENT_ID

__all__ = [
    "COLOR_SCHEMES",
    "DEFAULT_THEME",
    "TOKEN_NAMES",
    "ColorScheme",
    "Theme",
    "use_color_scheme",
    "var",
]

ColorScheme = Literal["system", "light", "dark"]
"""``"system"`` follows ``prefers-color-scheme``; ``"light"``/``"dark"`` force one scheme."""

COLOR_SCHEMES: Final[tuple[ColorScheme, ...]] = ("system", "light", "dark")
"""Every :data:`ColorScheme`, in documentation order."""

TOKEN_PREFIX: Final = "--tw-"

_LIGHT: Final[Mapping[str, str]] = {
    "color-bg": "#f8fafc",
    "color-surface": "#ffffff",
    "color-surface-2": "#eef2f6",
    "color-text": "#0f172a",
    "color-text-muted": "#475569",
    "color-border": "#cbd5e1",
    "color-border-strong": "#64748b",
    "color-primary": "#2563eb",
    "color-primary-hover": "#1d4ed8",
    "color-on-primary": "#ffffff",
    "color-danger": "#c81e1e",
    "color-danger-hover": "#a51b1b",
    "color-on-danger": "#ffffff",
    "color-success": "#15803d",
    "color-on-success": "#ffffff",
    "color-warning": "#b45309",
    "color-on-warning": "#ffffff",
    "color-info": "#0369a1",
    "color-on-info": "#ffffff",
    "color-focus": "#2563eb",
    "color-backdrop": "rgb(15 23 42 / 0.55)",
}
_DARK: Final[Mapping[str, str]] = {
    "color-bg": "#0b1120",
    "color-surface": "#111a2e",
    "color-surface-2": "#1e293b",
    "color-text": "#f1f5f9",
    "color-text-muted": "#b6c2d2",
    "color-border": "#334155",
    "color-border-strong": "#8a9ab0",
    "color-primary": "#7cb4fb",
    "color-primary-hover": "#a5cbfd",
    "color-on-primary": "#0b1120",
    "color-danger": "#f87171",
    "color-danger-hover": "#fca5a5",
    "color-on-danger": "#0b1120",
    "color-success": "#4ade80",
    "color-on-success": "#0b1120",
    "color-warning": "#fbbf24",
    "color-on-warning": "#0b1120",
    "color-info": "#38bdf8",
    "color-on-info": "#0b1120",
    "color-focus": "#7cb4fb",
    "color-backdrop": "rgb(0 0 0 / 0.65)",
}
_SHARED: Final[Mapping[str, str]] = {
    "space-1": "4px",
    "space-2": "8px",
    "space-3": "12px",
    "space-4": "16px",
    "space-5": "24px",
    "space-6": "32px",
    "space-7": "48px",
    "space-8": "64px",
    "font-sans": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    "font-mono": 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    "text-xs": "0.75rem",
    "text-sm": "0.875rem",
    "text-md": "1rem",
    "text-lg": "1.125rem",
    "text-xl": "1.25rem",
    "text-2xl": "1.5rem",
    "leading": "1.5",
    "weight-medium": "500",
    "weight-bold": "700",
    "radius-sm": "4px",
    "radius-md": "6px",
    "radius-lg": "10px",
    "radius-full": "9999px",
    "shadow-sm": "0 1px 2px rgb(15 23 42 / 0.08)",
    "shadow-md": "0 4px 12px rgb(15 23 42 / 0.12)",
    "shadow-lg": "0 12px 32px rgb(15 23 42 / 0.18)",
    # Two rings: the page colour, then the focus colour, so the ring shows on any fill (a primary
    # button included) with the focus colour's 3:1 against the page (WCAG 2.4.7, 1.4.11).
    "focus-ring": "0 0 0 2px var(--tw-color-bg), 0 0 0 4px var(--tw-color-focus)",
    "duration": "150ms",
    "z-dropdown": "1000",
    "z-dialog": "1100",
    "z-toast": "1200",
}

TOKEN_NAMES: Final[tuple[str, ...]] = (*_LIGHT, *_SHARED)
"""Every token name without its ``--tw-`` prefix (``"color-bg"``, ``"space-4"``...): colours first."""

_COLOR_NAMES: Final = frozenset(_LIGHT)

_FORCED_COLORS_MEDIA: Final = "(forced-colors: active)"
_FORCED_CANVAS: Final = frozenset({"color-bg", "color-surface", "color-surface-2"})
_FORCED_KEPT: Final = frozenset({"color-border", "color-border-strong", "color-focus", "color-backdrop"})
_FORCED_COLOR_TOKENS: Final[Mapping[str, str]] = {
    f"{TOKEN_PREFIX}{name}": "Canvas" if name in _FORCED_CANVAS else "CanvasText"
    for name in _LIGHT
    if name not in _FORCED_KEPT
}
"""The colour tokens a text colour comes from, in forced colors mode: system colours (CSS Color
4), the surfaces ``Canvas``, the rest (text, "on" colours, tones and their hover shades)
``CanvasText``. The browser paints text and backgrounds from the user's palette there anyway
(which follows the system's scheme, not the app's switch); this keeps the author colours a page
reports in step with it. Borders, the focus colour and the backdrop keep their values."""
_NAMES: Final = frozenset(TOKEN_NAMES)


def _token_name(where: str, name: object) -> str:
    """Normalise ``"--tw-color-bg"``, ``"color-bg"`` or ``"color_bg"`` to ``"color-bg"``."""
    if not isinstance(name, str):
        raise StyleError(f"{where}: expected a token name (str), got {type(name).__name__}")
    short = name.removeprefix(TOKEN_PREFIX).replace("_", "-")
    if short not in _NAMES:
        hint = difflib.get_close_matches(short, TOKEN_NAMES, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise StyleError(f"{where}: unknown design token {name!r}{suggestion}")
    return short


def var(name: str) -> str:
    """Return the ``var(--tw-<name>)`` reference of a token, for a Style value.

    Args:
        name: A token name with or without its ``--tw-`` prefix (``"color-primary"``).

    Returns:
        CSS text such as ``"var(--tw-color-primary)"``.

    Raises:
        StyleError: On an unknown token (with a suggestion).

    """
    return f"var({TOKEN_PREFIX}{_token_name('var(name=...)', name)})"


def _overrides(where: str, values: object, *, colors_only: bool) -> dict[str, str]:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise StyleError(
            f"{where}: expected a mapping of token name to CSS text, got {type(values).__name__}"
        )
    out: dict[str, str] = {}
    for raw, value in values.items():
        name = _token_name(where, raw)
        if colors_only and name not in _COLOR_NAMES:
            raise StyleError(f"{where}: {raw!r} is not a colour token; set it in Theme(tokens=...)")
        if not isinstance(value, str):
            raise StyleError(f"{where}[{raw!r}]: expected CSS text (str), got {type(value).__name__}")
        label = TOKEN_PREFIX + name
        out[name] = ser_color(label, value) if name in _COLOR_NAMES else check_text(label, value)
    return out


class Theme:
    """Design tokens for both colour schemes, and the rules that apply them.

    Args:
        tokens: Token name (``"color-primary"``, ``"--tw-radius-md"``, ``"space_4"``) -> CSS
            value text, applied to both schemes. Colours are checked as CSS colours, other
            values as Style text.
        light: Colour token overrides for the light scheme only (laid over ``tokens``).
        dark: Colour token overrides for the dark scheme only (laid over ``tokens``).

    Raises:
        StyleError: On an unknown token name (with a did-you-mean suggestion), a non-colour
            token in ``light``/``dark``, or a value that is not str or could leave its declaration.

    Example:
        >>> brand = Theme(tokens={"radius-md": "0"}, light={"color-primary": "#7c3aed"})
        >>> brand.light["--tw-color-primary"], brand.dark["--tw-color-primary"]
        ('#7c3aed', '#7cb4fb')

    """

    __slots__ = ("_dark", "_light", "_sheets")

    def __init__(
        self,
        *,
        tokens: Mapping[str, str] | None = None,
        light: Mapping[str, str] | None = None,
        dark: Mapping[str, str] | None = None,
    ) -> None:
        common = _overrides("Theme(tokens=...)", tokens, colors_only=False)
        light_over = _overrides("Theme(light=...)", light, colors_only=True)
        dark_over = _overrides("Theme(dark=...)", dark, colors_only=True)
        self._light: Mapping[str, str] = MappingProxyType(
            {TOKEN_PREFIX + k: v for k, v in {**_LIGHT, **_SHARED, **common, **light_over}.items()}
        )
        self._dark: Mapping[str, str] = MappingProxyType(
            {TOKEN_PREFIX + k: v for k, v in {**_DARK, **_SHARED, **common, **dark_over}.items()}
        )
        self._sheets: dict[str, StyleSheet] = {}

    @property
    def light(self) -> Mapping[str, str]:
        """Every token of the light scheme: ``"--tw-<name>"`` -> CSS value text."""
        return self._light

    @property
    def dark(self) -> Mapping[str, str]:
        """Every token of the dark scheme: ``"--tw-<name>"`` -> CSS value text."""
        return self._dark

    def replace(
        self,
        *,
        tokens: Mapping[str, str] | None = None,
        light: Mapping[str, str] | None = None,
        dark: Mapping[str, str] | None = None,
    ) -> Theme:
        """Return a theme with these overrides laid over this theme's values.

        Args:
            tokens: As in :class:`Theme`, for both schemes.
            light: Light-only colour overrides.
            dark: Dark-only colour overrides.

        Returns:
            A new theme.

        Raises:
            StyleError: As :class:`Theme`.

        """
        base_light = {k.removeprefix(TOKEN_PREFIX): v for k, v in self._light.items()}
        base_dark = {k.removeprefix(TOKEN_PREFIX): v for k, v in self._dark.items()}
        common = _overrides("Theme.replace(tokens=...)", tokens, colors_only=False)
        light_colors = {k: v for k, v in base_light.items() if k in _COLOR_NAMES}
        dark_colors = {k: v for k, v in base_dark.items() if k in _COLOR_NAMES}
        shared = {k: v for k, v in base_light.items() if k not in _COLOR_NAMES}
        return Theme(
            tokens={**shared, **{k: v for k, v in common.items() if k not in _COLOR_NAMES}},
            light={**light_colors, **{k: v for k, v in common.items() if k in _COLOR_NAMES}, **(light or {})},
            dark={**dark_colors, **{k: v for k, v in common.items() if k in _COLOR_NAMES}, **(dark or {})},
        )

    def stylesheet(self, color_scheme: ColorScheme = "system") -> StyleSheet:
        """Return the theme's rules as a style sheet (built once per scheme, then shared).

        The rules, in order: the tokens on ``:root`` for ``color_scheme`` (``"system"`` adds a
        ``@media (prefers-color-scheme: dark)`` block), the scheme switch rules keyed by
        ``#tw-root[data-tw-color-scheme]``, the base element rules, then the widget rules.

        Args:
            color_scheme: The scheme a page shows before any switch.

        Returns:
            A sheet to :meth:`~tempest_core.style.StyleSheet.extend` a session's sheet with;
            callers must not add rules to it.

        Raises:
            StyleError: If ``color_scheme`` is not one of :data:`COLOR_SCHEMES`.

        """
        sheet = self._sheets.get(color_scheme)
        if sheet is None:
            if color_scheme not in COLOR_SCHEMES:
                raise StyleError(
                    "Theme.stylesheet(color_scheme=...): expected 'system', 'light' or 'dark', "
                    f"got {color_scheme!r}"
                )
            sheet = StyleSheet()
            self._add_token_rules(sheet, color_scheme)
            add_base_rules(sheet)
            add_widget_rules(sheet)
            self._sheets[color_scheme] = sheet
        return sheet

    def _add_token_rules(self, sheet: StyleSheet, initial: ColorScheme) -> None:
        dark_colors = {k: v for k, v in self._dark.items() if k.removeprefix(TOKEN_PREFIX) in _COLOR_NAMES}
        light_colors = {k: v for k, v in self._light.items() if k.removeprefix(TOKEN_PREFIX) in _COLOR_NAMES}
        dark_media = "(prefers-color-scheme: dark)"
        light_style, dark_style = Style(color_scheme="light"), Style(color_scheme="dark")
        root = ":root"
        if initial == "dark":
            sheet.add_properties(root, self._dark)
            sheet.add_global(root, dark_style)
        else:
            sheet.add_properties(root, self._light)
            sheet.add_global(root, Style(color_scheme="light dark") if initial == "system" else light_style)
            if initial == "system":
                sheet.add_properties(root, dark_colors, media=dark_media)
        # A runtime switch: the attribute on the mount element outranks the rules above.
        switches = [
            f':root:has(#{ROOT_ELEMENT_ID}[{ATTR_COLOR_SCHEME}="{scheme}"])' for scheme in COLOR_SCHEMES
        ]
        for scheme, selector in zip(COLOR_SCHEMES, switches, strict=True):
            if scheme == "dark":
                sheet.add_properties(selector, dark_colors)
                sheet.add_global(selector, dark_style)
            else:
                sheet.add_properties(selector, light_colors)
                sheet.add_global(selector, light_style)
                if scheme == "system":
                    sheet.add_properties(selector, dark_colors, media=dark_media)
                    sheet.add_global(selector, dark_style, media=dark_media)
        # Forced colors (CSS Color Adjustment 1) paint text and backgrounds from the user's
        # palette, but Chromium still computes ``-webkit-text-fill-color: currentcolor`` from the
        # author colour: the dark scheme's near-black "on" colour was read against the forced
        # black Canvas (1.1:1, axe-core's color-contrast, serious), and every text colour when
        # the app's switch and the system disagreed (the palette follows the system). Same
        # selectors, later: these win in every scheme and for every switch.
        for selector in (root, *switches):
            sheet.add_properties(selector, _FORCED_COLOR_TOKENS, media=_FORCED_COLORS_MEDIA)
        sheet.add_properties(root, FORCED_PROPERTIES, media=_FORCED_COLORS_MEDIA)
        # Reduced motion (Media Queries 5, WCAG 2.3.3): the widgets' colour and shadow transitions
        # all last ``--tw-duration``; a person who asked for less motion gets none of them. Later
        # than the tokens above, so an app's own duration yields to the preference too.
        sheet.add_properties(root, {f"{TOKEN_PREFIX}duration": "0s"}, media=REDUCED_MOTION_MEDIA)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Theme):
            return NotImplemented
        return dict(self._light) == dict(other._light) and dict(self._dark) == dict(other._dark)

    def __hash__(self) -> int:
        return hash((tuple(self._light.items()), tuple(self._dark.items())))

    def __repr__(self) -> str:
        changed = {k: v for k, v in self._light.items() if _DEFAULT_LIGHT.get(k) != v}
        return f"Theme(<{len(self._light)} tokens, {len(changed)} changed from the default>)"


def use_color_scheme() -> tuple[ColorScheme, Callable[[ColorScheme], None]]:
    """Return the session's colour scheme and a setter; the component re-renders when it changes.

    The component form of ``App.current_color_scheme`` / ``App.set_color_scheme`` for code that
    does not hold the app object (a reusable theme toggle).

    Returns:
        ``(scheme, set_scheme)``: the current scheme, and a function switching it (callable from
        handlers and effects; raises WidgetError on a value other than ``"system"``, ``"light"``
        or ``"dark"``).

    Raises:
        HookError: Called outside a render.

    Example:
        >>> from tempest_core import App, Button, component
        >>> from tempest_core.testing import run_test
        >>> @component
        ... def toggle():
        ...     scheme, set_scheme = use_color_scheme()
        ...     return Button(scheme, on_click=lambda: set_scheme("dark" if scheme != "dark" else "light"))
        >>> async def main() -> str:
        ...     async with run_test(App(view=lambda _: toggle())) as pilot:
        ...         await pilot.click("button")
        ...         return pilot.text("button")
        >>> import asyncio; asyncio.run(main())
        'dark'

    """
    frame = current_frame("use_color_scheme")
    session = frame.owner.session
    if not frame.subscribed:
        frame.subscribed = True
        session.subscribers.add(frame)

    def set_scheme(scheme: ColorScheme) -> None:
        if scheme not in COLOR_SCHEMES:
            raise WidgetError(
                f"use_color_scheme() setter: expected 'system', 'light' or 'dark', got {scheme!r}"
            )
        session.set_color_scheme(scheme)

    return session.color_scheme, set_scheme


_DEFAULT_LIGHT: Final[Mapping[str, str]] = MappingProxyType(
    {TOKEN_PREFIX + k: v for k, v in {**_LIGHT, **_SHARED}.items()}
)
"""The default light tokens, ``"--tw-<name>"`` -> value."""
DEFAULT_THEME: Final = Theme()
"""The theme every :class:`~tempest_core.app.App` uses unless told otherwise."""
