"""The default look: base element rules and the rules of the widgets' ``tw-*`` classes (private).

Every selector is wrapped in ``:where(...)`` (Selectors Level 4: zero specificity), so a Style an
app gives a widget, or any class rule of its own, wins over these defaults. Values reference the
design tokens of :mod:`tempest_core.theme` (``var(--tw-...)``). The class names are the only
markup the widgets add for their look; an app built with ``App(theme=None)`` gets none of these
rules and shows browser defaults.
"""

from __future__ import annotations

from typing import Final

from tempest_core.style import Style, StyleSheet

__all__ = [
    "BADGE",
    "BUTTON",
    "CARD",
    "CARD_BODY",
    "CARD_FOOTER",
    "CARD_HEADER",
    "CHECK",
    "DIVIDER",
    "FIELD",
    "FIELD_LABEL",
    "FORCED_FILL",
    "FORCED_PROPERTIES",
    "FORM",
    "ICON",
    "INPUT",
    "LINK",
    "PROGRESS",
    "REDUCED_MOTION_MEDIA",
    "RADIO_GROUP",
    "SLIDER",
    "SPINNER",
    "SPINNER_RING",
    "SWITCH",
    "TOOLTIP_BG",
    "TOOLTIP_GAP",
    "TOOLTIP_TEXT",
    "add_base_rules",
    "add_widget_rules",
    "badge_class",
    "button_class",
    "filled",
]

BUTTON: Final = "tw-button"
INPUT: Final = "tw-input"
FIELD: Final = "tw-field"
FIELD_LABEL: Final = "tw-field-label"
CHECK: Final = "tw-check"
SWITCH: Final = "tw-switch"
SLIDER: Final = "tw-slider"
RADIO_GROUP: Final = "tw-radio-group"
FORM: Final = "tw-form"
LINK: Final = "tw-link"
DIVIDER: Final = "tw-divider"
CARD: Final = "tw-card"
CARD_HEADER: Final = "tw-card-header"
CARD_BODY: Final = "tw-card-body"
CARD_FOOTER: Final = "tw-card-footer"
BADGE: Final = "tw-badge"
PROGRESS: Final = "tw-progress"
SPINNER: Final = "tw-spinner"
SPINNER_RING: Final = "tw-spinner-ring"
ICON: Final = "tw-icon"

TOOLTIP_BG: Final = "--tw-tooltip-bg"
TOOLTIP_TEXT: Final = "--tw-tooltip-text"
TOOLTIP_GAP: Final = "--tw-tooltip-gap"
FORCED_FILL: Final = "--tw-forced-fill"
FORCED_PROPERTIES: Final = {
    TOOLTIP_BG: "Canvas",
    TOOLTIP_TEXT: "CanvasText",
    TOOLTIP_GAP: "Canvas",
    FORCED_FILL: "Canvas",
}
"""Private custom properties the theme declares in forced colors mode only (a widget's Style
reads each with its normal value as the fallback). In that mode the colour tokens map to system
colours, which the browser keeps, and it draws a Canvas backplate behind every text run:

- the Tooltip's inverted box (the text colour as background) became a CanvasText box with
  Canvas-coloured text on that backplate: nothing readable. It shows CanvasText on Canvas, its
  6 px gap towards the trigger (a transparent border, which forced colors paint) in Canvas;
- a filled button (primary or danger, the upload button: a tone token as background, its "on"
  token as text) became a CanvasText box, its text readable on the backplate only and an icon
  in it (``currentColor``, CanvasText) gone. ``FORCED_FILL`` makes the fill Canvas there: the
  system's own look, text and icons in CanvasText, the box drawn by its (transparent, so
  painted) border. (A Badge holds text only: it keeps its CanvasText fill, its text on the
  backplate.)"""


def filled(token: str) -> str:
    """Return the background of a control filled with colour token ``token`` (``"color-primary"``).

    The token, except in forced colors mode, where it is :data:`FORCED_FILL` (Canvas).
    """
    return f"var({FORCED_FILL}, var(--tw-{token}))"


BUTTON_VARIANTS: Final = ("primary", "secondary", "ghost", "danger")
BADGE_TONES: Final = ("neutral", "primary", "success", "warning", "danger", "info")
SPIN_KEYFRAMES: Final = "tw-spin"
REDUCED_MOTION_MEDIA: Final = "(prefers-reduced-motion: reduce)"
_FORCED_COLORS: Final = "(forced-colors: active)"


def button_class(variant: str) -> str:
    """Return the class list of a button of ``variant`` (one of :data:`BUTTON_VARIANTS`)."""
    return f"{BUTTON} {BUTTON}-{variant}"


def badge_class(tone: str) -> str:
    """Return the class list of a badge of ``tone`` (one of :data:`BADGE_TONES`)."""
    return f"{BADGE} {BADGE}-{tone}"


def _w(cls: str) -> str:
    return f":where(.{cls})"


def _v(name: str) -> str:
    return f"var(--tw-{name})"


_FOCUS_RING: Final = Style(outline="2px solid transparent", box_shadow=_v("focus-ring"))
_TRANSITION: Final = (
    f"background-color {_v('duration')} ease, border-color {_v('duration')} ease, "
    f"color {_v('duration')} ease, box-shadow {_v('duration')} ease"
)


def add_base_rules(sheet: StyleSheet) -> None:
    """Register the base element rules: page font and colours, focus ring, form control font."""
    sheet.add_global(
        ":where(body)",
        Style(
            margin=0,
            font_family=_v("font-sans"),
            font_size=_v("text-md"),
            line_height=_v("leading"),
            color=_v("color-text"),
            background=_v("color-bg"),
        ),
    )
    sheet.add_global(
        ":where(:focus-visible)", Style(outline=f"2px solid {_v('color-focus')}", outline_offset=2)
    )
    sheet.add_global(
        ":where(button, input, select, textarea)",
        Style(font_family="inherit", font_size="100%", line_height="inherit"),
    )
    sheet.add_global(":where(code, kbd, pre, samp)", Style(font_family=_v("font-mono"), font_size="0.9em"))
    sheet.add_global(
        ":where(h1, h2, h3, h4, h5, h6)", Style(line_height=1.25, margin_top=0, margin_bottom=_v("space-3"))
    )
    sheet.add_global(
        ":where(a)", Style(color=_v("color-primary"), hover=Style(color=_v("color-primary-hover")))
    )
    # ``::placeholder`` alone: a pseudo-element inside ``:where()`` makes the selector invalid and
    # the rule dropped (Selectors 4), which left Chromium's grey, 3.8:1 on the dark surface.
    # color-text-muted is >= 4.5:1 on color-surface (inputs) in light and dark.
    sheet.add_global("::placeholder", Style(color=_v("color-text-muted"), opacity=1))
    sheet.add_keyframes(SPIN_KEYFRAMES, {"to": Style(transform="rotate(360deg)")})


def _button_rules(sheet: StyleSheet) -> None:
    sheet.add_global(
        _w(BUTTON),
        Style(
            display="inline-flex",
            align_items="center",
            justify_content="center",
            gap=_v("space-2"),
            box_sizing="border-box",
            width="fit-content",
            min_height=36,
            padding=(_v("space-2"), _v("space-4")),
            border="1px solid transparent",
            border_radius=_v("radius-md"),
            font_size=_v("text-sm"),
            font_weight=500,
            line_height=1.25,
            text_decoration="none",
            white_space="nowrap",
            cursor="pointer",
            user_select="none",
            transition=_TRANSITION,
            focus_visible=_FOCUS_RING,
            disabled=Style(cursor="not-allowed", opacity=0.55),
        ),
    )
    looks = {
        "primary": ("color-primary", "color-on-primary", "color-primary-hover", "transparent"),
        "secondary": ("color-surface", "color-text", "color-surface-2", _v("color-border-strong")),
        "ghost": ("transparent", "color-text", "color-surface-2", "transparent"),
        "danger": ("color-danger", "color-on-danger", "color-danger-hover", "transparent"),
    }
    for variant, (bg, fg, hover, border) in looks.items():
        tone = variant in ("primary", "danger")  # filled with a tone: its box changes in forced colors
        background = bg if bg == "transparent" else filled(bg) if tone else _v(bg)
        sheet.add_global(
            _w(f"{BUTTON}-{variant}"),
            Style(
                background=background,
                color=_v(fg),
                border_color=border,
                hover=Style(background=filled(hover) if tone else _v(hover)),
                active=Style(transform="translateY(1px)"),
                disabled=Style(background=background),
            ),
        )


def _input_rules(sheet: StyleSheet) -> None:
    sheet.add_global(
        _w(INPUT),
        Style(
            box_sizing="border-box",
            min_height=36,
            padding=(_v("space-2"), _v("space-3")),
            border=f"1px solid {_v('color-border-strong')}",
            border_radius=_v("radius-md"),
            background=_v("color-surface"),
            color=_v("color-text"),
            font_size=_v("text-md"),
            line_height=1.4,
            transition=_TRANSITION,
            hover=Style(border_color=_v("color-text-muted")),
            focus_visible=Style(
                outline="2px solid transparent", border_color=_v("color-focus"), box_shadow=_v("focus-ring")
            ),
            disabled=Style(background=_v("color-surface-2"), cursor="not-allowed", opacity=0.7),
        ),
    )
    sheet.add_global(
        _w(FIELD),
        Style(display="inline-flex", flex_direction="column", gap=_v("space-1"), min_width=0),
    )
    sheet.add_global(
        _w(FIELD_LABEL),
        Style(font_size=_v("text-sm"), font_weight=500, color=_v("color-text")),
    )
    sheet.add_global(
        _w(CHECK),
        Style(display="inline-flex", align_items="center", gap=_v("space-2"), cursor="pointer"),
    )
    sheet.add_global(
        f"{_w(CHECK)} :where(input)",
        Style(width=16, height=16, margin=0, accent_color=_v("color-primary"), cursor="pointer"),
    )
    knob = "radial-gradient(circle at {x} 50%, {c} 7px, transparent 7.5px)"
    sheet.add_global(
        _w(SWITCH),
        Style(
            appearance="none",
            box_sizing="border-box",
            width=36,
            height=20,
            margin=0,
            flex="none",
            border_radius=_v("radius-full"),
            background_color=_v("color-border-strong"),
            background_image=knob.format(x="10px", c=_v("color-surface")),
            cursor="pointer",
            transition=_TRANSITION,
            checked=Style(
                background_color=_v("color-primary"),
                background_image=knob.format(x="26px", c=_v("color-on-primary")),
            ),
            focus_visible=_FOCUS_RING,
            disabled=Style(cursor="not-allowed", opacity=0.55),
        ),
    )
    # Forced colors (Windows High Contrast) replace the track's background colour and drop the
    # knob's gradient (CSS Color Adjust 1), which left nothing drawn: the native checkbox instead,
    # drawn in system colours with its checked state.
    sheet.add_global(_w(SWITCH), Style(appearance="auto"), media=_FORCED_COLORS)
    sheet.add_global(_w(SLIDER), Style(accent_color=_v("color-primary"), min_width=160, margin=0))
    sheet.add_global(
        _w(RADIO_GROUP),
        Style(
            display="flex",
            flex_direction="column",
            gap=_v("space-2"),
            margin=0,
            padding=(_v("space-3"), _v("space-4")),
            border=f"1px solid {_v('color-border')}",
            border_radius=_v("radius-md"),
            min_width=0,
        ),
    )
    sheet.add_global(
        f"{_w(RADIO_GROUP)} :where(legend)",
        Style(padding=(0, _v("space-1")), font_size=_v("text-sm"), font_weight=500),
    )
    sheet.add_global(
        f"{_w(RADIO_GROUP)} :where(input)",
        Style(width=16, height=16, margin=0, accent_color=_v("color-primary")),
    )
    sheet.add_global(_w(FORM), Style(display="flex", flex_direction="column", gap=_v("space-4")))


def _content_rules(sheet: StyleSheet) -> None:
    sheet.add_global(
        _w(LINK),
        Style(
            color=_v("color-primary"),
            text_decoration="underline",
            hover=Style(color=_v("color-primary-hover")),
        ),
    )
    sheet.add_global(
        _w(DIVIDER),
        Style(
            border="none",
            border_top=f"1px solid {_v('color-border')}",
            margin=(_v("space-3"), 0),
            width="100%",
        ),
    )
    sheet.add_global(
        f':where(.{DIVIDER}[aria-orientation="vertical"])',
        Style(
            border_top="none",
            border_left=f"1px solid {_v('color-border')}",
            width="auto",
            align_self="stretch",
            margin=(0, _v("space-3")),
        ),
    )
    sheet.add_global(
        _w(CARD),
        Style(
            display="flex",
            flex_direction="column",
            box_sizing="border-box",
            background=_v("color-surface"),
            color=_v("color-text"),
            border=f"1px solid {_v('color-border')}",
            border_radius=_v("radius-lg"),
            box_shadow=_v("shadow-sm"),
            overflow="hidden",
        ),
    )
    sheet.add_global(
        _w(CARD_HEADER),
        Style(
            padding=(_v("space-4"), _v("space-5")),
            border_bottom=f"1px solid {_v('color-border')}",
            font_weight=600,
        ),
    )
    sheet.add_global(_w(CARD_BODY), Style(padding=_v("space-5"), flex="1 1 auto"))
    sheet.add_global(
        _w(CARD_FOOTER),
        Style(
            display="flex",
            gap=_v("space-2"),
            justify_content="flex-end",
            padding=(_v("space-3"), _v("space-5")),
            border_top=f"1px solid {_v('color-border')}",
            background=_v("color-surface-2"),
        ),
    )
    sheet.add_global(
        _w(BADGE),
        Style(
            display="inline-flex",
            align_items="center",
            gap=_v("space-1"),
            padding=(2, _v("space-2")),
            border_radius=_v("radius-full"),
            font_size=_v("text-xs"),
            font_weight=600,
            line_height=1.4,
            white_space="nowrap",
            vertical_align="middle",
        ),
    )
    for tone in BADGE_TONES:
        if tone == "neutral":
            look = Style(
                background=_v("color-surface-2"),
                color=_v("color-text"),
                border=f"1px solid {_v('color-border')}",
            )
        else:
            look = Style(background=_v(f"color-{tone}"), color=_v(f"color-on-{tone}"))
        sheet.add_global(_w(f"{BADGE}-{tone}"), look)
    sheet.add_global(
        _w(PROGRESS),
        Style(
            width="100%",
            min_width=120,
            height=8,
            accent_color=_v("color-primary"),
            vertical_align="middle",
        ),
    )
    # An indeterminate <progress> is animated by the browser (a bar sliding back and forth),
    # whatever prefers-reduced-motion says, while the Spinner beside it stopped (WCAG 2.3.3,
    # 2.2.2): drawn by these rules instead, a still striped bar (appearance: none leaves
    # Chromium's ::-webkit-progress-bar, grey, over the element's own background). Forced colors
    # drop the stripes (a gradient) and paint the transparent border: a dashed track there.
    sheet.add_global(
        f":where(.{PROGRESS}:indeterminate)",
        Style(
            appearance="none",
            box_sizing="border-box",
            border="2px dashed transparent",
            border_radius=_v("radius-full"),
            background=(
                f"repeating-linear-gradient(-45deg, {_v('color-primary')} 0 6px, transparent 6px 12px)"
                f" border-box, {_v('color-surface-2')}"
            ),
        ),
        media=REDUCED_MOTION_MEDIA,
    )
    sheet.add_global(
        f":where(.{PROGRESS}:indeterminate)::-webkit-progress-bar",
        Style(background="transparent"),
        media=REDUCED_MOTION_MEDIA,
    )
    sheet.add_global(
        _w(SPINNER),
        Style(display="inline-flex", align_items="center", gap=_v("space-2"), color=_v("color-text-muted")),
    )
    sheet.add_global(
        _w(SPINNER_RING),
        Style(
            display="inline-block",
            box_sizing="border-box",
            border=f"2px solid {_v('color-border')}",
            border_top="2px solid currentColor",
            border_radius=_v("radius-full"),
            animation=f"{SPIN_KEYFRAMES} 0.75s linear infinite",
        ),
    )
    sheet.add_global(
        _w(SPINNER_RING), Style(animation="none", border_style="dotted"), media=REDUCED_MOTION_MEDIA
    )
    sheet.add_global(_w(ICON), Style(flex="none", vertical_align="middle"))


def add_widget_rules(sheet: StyleSheet) -> None:
    """Register the rules of every widget class, in a fixed order (base before variants)."""
    _button_rules(sheet)
    _input_rules(sheet)
    _content_rules(sheet)
