"""The property table of :class:`tempest_core.style.Style` (private).

Maps every declaration field to its CSS property name and serializer, in output order:
shorthands come before their longhands so that, e.g., ``margin_top`` overrides ``margin``.
"""

from __future__ import annotations

from typing import Final

from tempest_core._style_values import (
    Serializer,
    ser_color,
    ser_font_family,
    ser_font_weight,
    ser_int,
    ser_keyword,
    ser_length,
    ser_length_sides,
    ser_number,
    ser_opacity,
    ser_signed_length,
    ser_signed_length_sides,
    ser_text,
)

__all__ = ["PROPERTIES", "STATE_SELECTORS"]


def _kw(words: str) -> Serializer:
    return ser_keyword(frozenset(words.split()))


_OVERFLOW = _kw("visible hidden scroll auto clip")
_BORDER_STYLE = _kw("none hidden dotted dashed solid double groove ridge inset outset")
_ALIGN = _kw("flex-start flex-end center baseline stretch start end self-start self-end normal")

PROPERTIES: Final[tuple[tuple[str, str, Serializer], ...]] = (
    # layout / flexbox / grid
    (
        "display",
        "display",
        _kw("block inline inline-block flex inline-flex grid inline-grid none contents flow-root"),
    ),
    ("flex_direction", "flex-direction", _kw("row row-reverse column column-reverse")),
    ("flex_wrap", "flex-wrap", _kw("nowrap wrap wrap-reverse")),
    (
        "justify_content",
        "justify-content",
        _kw("flex-start flex-end center space-between space-around space-evenly start end stretch normal"),
    ),
    ("align_items", "align-items", _ALIGN),
    (
        "align_content",
        "align-content",
        _kw("flex-start flex-end center space-between space-around space-evenly stretch start end normal"),
    ),
    ("align_self", "align-self", _kw("auto flex-start flex-end center baseline stretch start end")),
    ("gap", "gap", ser_length_sides),
    ("row_gap", "row-gap", ser_length),
    ("column_gap", "column-gap", ser_length),
    ("flex", "flex", ser_number),
    ("grow", "flex-grow", ser_number),
    ("shrink", "flex-shrink", ser_number),
    ("basis", "flex-basis", ser_length),
    ("order", "order", ser_int),
    ("grid_template_columns", "grid-template-columns", ser_text),
    ("grid_template_rows", "grid-template-rows", ser_text),
    ("grid_column", "grid-column", ser_text),
    ("grid_row", "grid-row", ser_text),
    # box model
    ("box_sizing", "box-sizing", _kw("border-box content-box")),
    ("margin", "margin", ser_signed_length_sides),
    ("margin_top", "margin-top", ser_signed_length),
    ("margin_right", "margin-right", ser_signed_length),
    ("margin_bottom", "margin-bottom", ser_signed_length),
    ("margin_left", "margin-left", ser_signed_length),
    ("padding", "padding", ser_length_sides),
    ("padding_top", "padding-top", ser_length),
    ("padding_right", "padding-right", ser_length),
    ("padding_bottom", "padding-bottom", ser_length),
    ("padding_left", "padding-left", ser_length),
    # sizing
    ("width", "width", ser_length),
    ("height", "height", ser_length),
    ("min_width", "min-width", ser_length),
    ("min_height", "min-height", ser_length),
    ("max_width", "max-width", ser_length),
    ("max_height", "max-height", ser_length),
    ("object_fit", "object-fit", _kw("fill contain cover none scale-down")),
    ("aspect_ratio", "aspect-ratio", ser_number),
    # typography
    ("font_family", "font-family", ser_font_family),
    ("font_size", "font-size", ser_length),
    ("font_weight", "font-weight", ser_font_weight),
    ("font_style", "font-style", _kw("normal italic oblique")),
    ("line_height", "line-height", ser_number),
    ("text_align", "text-align", _kw("left right center justify start end")),
    ("text_decoration", "text-decoration", ser_text),
    ("text_transform", "text-transform", _kw("none capitalize uppercase lowercase")),
    ("text_overflow", "text-overflow", _kw("clip ellipsis")),
    ("letter_spacing", "letter-spacing", ser_signed_length),
    ("white_space", "white-space", _kw("normal nowrap pre pre-wrap pre-line break-spaces")),
    ("word_break", "word-break", _kw("normal break-all keep-all break-word")),
    ("overflow_wrap", "overflow-wrap", _kw("normal break-word anywhere")),
    ("vertical_align", "vertical-align", ser_text),
    ("text_shadow", "text-shadow", ser_text),
    ("list_style", "list-style", ser_text),
    # colour / background
    ("color", "color", ser_color),
    ("background", "background", ser_text),
    ("background_color", "background-color", ser_color),
    ("background_image", "background-image", ser_text),
    ("accent_color", "accent-color", ser_color),
    ("caret_color", "caret-color", ser_color),
    (
        "color_scheme",
        "color-scheme",
        ser_keyword(frozenset(["normal", "light", "dark", "light dark", "only light", "only dark"])),
    ),
    # border / radius / shadow / outline
    ("border", "border", ser_text),
    ("border_top", "border-top", ser_text),
    ("border_right", "border-right", ser_text),
    ("border_bottom", "border-bottom", ser_text),
    ("border_left", "border-left", ser_text),
    ("border_width", "border-width", ser_length_sides),
    ("border_style", "border-style", _BORDER_STYLE),
    ("border_color", "border-color", ser_color),
    ("border_radius", "border-radius", ser_length_sides),
    ("box_shadow", "box-shadow", ser_text),
    ("outline", "outline", ser_text),
    ("outline_offset", "outline-offset", ser_signed_length),
    # position
    ("position", "position", _kw("static relative absolute fixed sticky")),
    ("inset", "inset", ser_signed_length_sides),
    ("top", "top", ser_signed_length),
    ("right", "right", ser_signed_length),
    ("bottom", "bottom", ser_signed_length),
    ("left", "left", ser_signed_length),
    ("z_index", "z-index", ser_int),
    # overflow / visibility / interaction
    ("overflow", "overflow", _OVERFLOW),
    ("overflow_x", "overflow-x", _OVERFLOW),
    ("overflow_y", "overflow-y", _OVERFLOW),
    ("overflow_anchor", "overflow-anchor", _kw("auto none")),
    ("scroll_margin_top", "scroll-margin-top", ser_length),
    ("visibility", "visibility", _kw("visible hidden collapse")),
    ("opacity", "opacity", ser_opacity),
    (
        "cursor",
        "cursor",
        _kw(
            "auto default none pointer wait text move not-allowed grab grabbing help progress crosshair "
            "col-resize row-resize zoom-in zoom-out context-menu copy alias cell vertical-text no-drop "
            "ew-resize ns-resize nesw-resize nwse-resize all-scroll"
        ),
    ),
    ("pointer_events", "pointer-events", _kw("auto none")),
    ("user_select", "user-select", _kw("auto none text all contain")),
    ("appearance", "appearance", _kw("none auto")),
    ("resize", "resize", _kw("none both horizontal vertical block inline")),
    # motion
    ("transform", "transform", ser_text),
    ("transition", "transition", ser_text),
    ("animation", "animation", ser_text),
    ("filter", "filter", ser_text),
)
"""``(field name, CSS property, serializer)`` for every declaration field, in output order."""

STATE_SELECTORS: Final[tuple[tuple[str, str], ...]] = (
    ("first_child", ":first-child"),
    ("last_child", ":last-child"),
    ("odd", ":nth-child(odd)"),
    ("even", ":nth-child(even)"),
    ("hover", ":hover"),
    ("focus", ":focus"),
    ("focus_within", ":focus-within"),
    ("focus_visible", ":focus-visible"),
    ("active", ":active"),
    ("checked", ":checked"),
    # a control that keeps focus while it cannot act (aria-disabled) looks disabled too
    ("disabled", ":is(:disabled,[aria-disabled=true])"),
    ("placeholder", "::placeholder"),
)
"""``(state field, pseudo-class or pseudo-element)`` in output order: structural pseudo-classes
first, then interaction states (LVHFA-like: later states win ties)."""
