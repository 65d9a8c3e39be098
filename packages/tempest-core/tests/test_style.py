from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tempest_core.errors import StyleError
from tempest_core.style import (
    BREAKPOINT_LG_PX,
    BREAKPOINT_MD_PX,
    BREAKPOINT_SM_PX,
    BREAKPOINT_XL_PX,
    BREAKPOINTS_PX,
    Style,
    StyleSheet,
)

loose_style: Any = Style  # for calls that deliberately break the static types
CLASS_RE = re.compile(r"^tw-[0-9a-f]{10}$")


# -- CSS output (exact) --------------------------------------------------------------------------


def test_base_rule_exact() -> None:
    style = Style(
        display="flex",
        flex_direction="column",
        gap=8,
        padding=(4, "1rem"),
        margin_top=-2,
        width="50%",
        font_weight=600,
        line_height=1.5,
        opacity=0.5,
        z_index=10,
        color="#3fa9c1",
        font_family=("Inter", "Helvetica Neue", "sans-serif"),
    )
    assert style.to_css(".c") == (
        ".c{display:flex;flex-direction:column;gap:8px;margin-top:-2px;padding:4px 1rem;width:50%;"
        'font-family:Inter,"Helvetica Neue",sans-serif;font-weight:600;line-height:1.5;color:#3fa9c1;'
        "z-index:10;opacity:0.5}",
    )


def test_states_and_breakpoints_exact() -> None:
    style = Style(
        color="black",
        hover=Style(color="red", active=Style(color="blue")),
        focus_visible=Style(outline="2px solid blue"),
        disabled=Style(opacity=0.4, cursor="not-allowed"),
        breakpoints={"lg": Style(gap=24), "sm": Style(gap=12, hover=Style(gap=13))},
    )
    assert style.to_css(".x") == (
        ".x{color:black}",
        ".x:hover{color:red}",
        ".x:hover:active{color:blue}",
        ".x:focus-visible{outline:2px solid blue}",
        ".x:is(:disabled,[aria-disabled=true]){opacity:0.4;cursor:not-allowed}",
        "@media (min-width:640px){.x{gap:12px}.x:hover{gap:13px}}",
        "@media (min-width:1024px){.x{gap:24px}}",
    )


def test_structural_checked_and_placeholder_variants_exact() -> None:
    style = Style(
        border_bottom="1px solid #ededed",
        last_child=Style(border_bottom="none"),
        odd=Style(background_color="#fafafa"),
        checked=Style(accent_color="rebeccapurple"),
        placeholder=Style(color="rgba(0, 0, 0, 0.4)", font_style="italic"),
        hover=Style(text_shadow="0 0 1px #000"),
    )
    assert style.to_css(".x") == (
        ".x{border-bottom:1px solid #ededed}",
        ".x:last-child{border-bottom:none}",
        ".x:nth-child(odd){background-color:#fafafa}",
        ".x:hover{text-shadow:0 0 1px #000}",
        ".x:checked{accent-color:rebeccapurple}",
        ".x::placeholder{font-style:italic;color:rgba(0, 0, 0, 0.4)}",
    )
    assert Style(first_child=Style(margin=0), even=Style(opacity=0.5)).to_css(".y") == (
        ".y:first-child{margin:0}",
        ".y:nth-child(even){opacity:0.5}",
    )


def test_form_and_media_properties_exact() -> None:
    style = Style(
        appearance="none",
        accent_color="#b83f45",
        caret_color="red",
        resize="vertical",
        object_fit="cover",
        vertical_align="middle",
        overflow_wrap="anywhere",
        filter="blur(2px)",
    )
    assert style.to_css(".f") == (
        ".f{object-fit:cover;overflow-wrap:anywhere;vertical-align:middle;accent-color:#b83f45;"
        "caret-color:red;appearance:none;resize:vertical;filter:blur(2px)}",
    )


def test_placeholder_cannot_hold_states_and_keywords_are_checked() -> None:
    with pytest.raises(StyleError, match="placeholder"):
        Style(placeholder=Style(color="red", hover=Style(color="blue")))
    with pytest.raises(StyleError, match="appearance"):
        Style(appearance="button")  # type: ignore[arg-type]
    with pytest.raises(StyleError, match="object_fit"):
        Style(object_fit="stretch")  # type: ignore[arg-type]
    with pytest.raises(StyleError, match="accent_color"):
        Style(accent_color="red;}body{")


def test_shorthand_before_longhand_and_number_formats() -> None:
    assert Style(margin_left=3, margin=0).to_css("a") == ("a{margin:0;margin-left:3px}",)
    assert Style(width=2.0, height=0.25, flex=1, grow=2, basis=0).to_css("a") == (
        "a{flex:1;flex-grow:2;flex-basis:0;width:2px;height:0.25px}",
    )
    assert Style(border_radius=(1, 2, 3, 4)).to_css("a") == ("a{border-radius:1px 2px 3px 4px}",)


def test_empty_style_has_no_rules() -> None:
    assert Style().to_css(".e") == ()
    assert Style(hover=Style()).to_css(".e") == ()


def test_breakpoint_constants() -> None:
    assert (BREAKPOINT_SM_PX, BREAKPOINT_MD_PX, BREAKPOINT_LG_PX, BREAKPOINT_XL_PX) == (640, 768, 1024, 1280)
    assert list(BREAKPOINTS_PX) == ["sm", "md", "lg", "xl"]


# -- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"colour": "red"}, "Style(colour=...): unknown property; did you mean 'color'?"),
        ({"zzz": 1}, "Style(zzz=...): unknown property"),
        ({"width": -1}, "Style(width=...): must not be negative, got -1"),
        ({"padding": (1, -1)}, "Style(padding=...): must not be negative"),
        ({"width": "-3px"}, "must not be negative"),
        ({"width": True}, "Style(width=...): expected a number, got bool (True)"),
        ({"width": float("nan")}, "expected a finite number"),
        ({"width": "3parsecs"}, "unknown CSS unit 'parsecs'"),
        ({"width": "wide!"}, "expected a CSS length"),
        ({"margin": (1, 2, 3, 4, 5)}, "Style(margin=...): expected 1 to 4 values, got 5"),
        ({"display": "flox"}, "Style(display=...): expected one of block"),
        ({"color": 5}, "Style(color=...): expected a CSS colour string, got int (5)"),
        ({"color": "#12345"}, "expected a CSS colour"),
        ({"color": "red;background:url(x)"}, "character ';' is not allowed"),
        ({"color": "red}body{color:blue"}, "is not allowed"),
        ({"border": "1px solid </style>"}, "is not allowed"),
        ({"font_family": "a'b"}, "unbalanced quotes or parentheses"),
        ({"transform": "rotate(3deg"}, "unbalanced quotes or parentheses"),
        ({"transform": "rotate(3deg))("}, "unbalanced quotes or parentheses"),
        ({"box_shadow": "/* x */ 0 0 1px red"}, "CSS comments are not allowed"),
        ({"border": "  "}, "empty string is not a CSS value"),
        ({"font_family": ()}, "expected str or a non-empty tuple of str"),
        ({"font_family": ('My "Font"',)}, "quotes are not allowed in a family name"),
        ({"font_weight": 0}, "expected a weight between 1 and 1000, got 0"),
        ({"font_weight": "heavy"}, "expected an int 1-1000 or normal/bold/bolder/lighter"),
        ({"opacity": 1.5}, "Style(opacity=...): expected a number between 0 and 1, got 1.5"),
        ({"z_index": 1.5}, "Style(z_index=...): expected int, got float (1.5)"),
        ({"transition": 3}, "Style(transition=...): expected str, got int (3)"),
        ({"hover": {"color": "red"}}, "Style(hover=...): expected Style, got dict"),
        (
            {"hover": Style(breakpoints={"sm": Style(color="red")})},
            "breakpoints are not allowed inside a state",
        ),
        ({"breakpoints": {"xxl": Style()}}, "unknown breakpoint 'xxl'"),
        (
            {"breakpoints": {"sm": {"color": "red"}}},
            "Style(breakpoints={'sm': ...}): expected Style, got dict",
        ),
        ({"breakpoints": [("sm", Style())]}, "Style(breakpoints=...): expected a mapping"),
        (
            {"breakpoints": {"sm": Style(breakpoints={"md": Style(color="red")})}},
            "nested breakpoints are not allowed",
        ),
    ],
)
def test_style_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(StyleError) as info:
        Style(**kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_positional_arguments_rejected() -> None:
    with pytest.raises(StyleError, match="Style takes keyword arguments only, got 1 positional"):
        loose_style("red")


def test_keyword_var_reference_allowed() -> None:
    assert Style(display="var(--d)").to_css("a") == ("a{display:var(--d)}",)  # type: ignore[arg-type]


@pytest.mark.parametrize("selector", ["", "a{}", "a;b", "a}b", 3])
def test_bad_selectors(selector: object) -> None:
    with pytest.raises(StyleError):
        Style(color="red").to_css(selector)  # type: ignore[arg-type]


_SAFE_VALUE = re.compile(r"^[^;{}<>\\]*$")


@given(st.text(max_size=30))
@settings(max_examples=400)
def test_no_value_escapes_its_declaration(text: str) -> None:
    for field in ("border", "color", "width", "font_family", "transition", "line_height"):
        try:
            rules = Style(**{field: text}).to_css(".s")  # type: ignore[arg-type]
        except StyleError:
            continue
        (rule,) = rules
        assert rule.startswith(".s{") and rule.endswith("}")
        body = rule[3:-1]
        assert body.count(";") == 0 and "{" not in body and "}" not in body and "<" not in body
        assert "/*" not in body


# -- identity, hashing, merging ------------------------------------------------------------------


_values = st.one_of(st.none(), st.integers(0, 50), st.sampled_from(["auto", "1rem", "50%"]))
_styles = st.builds(
    Style,
    width=_values,
    gap=_values,
    color=st.one_of(st.none(), st.sampled_from(["red", "#fff", "rgb(0 0 0)"])),
    display=st.one_of(st.none(), st.sampled_from(["flex", "block"])),
    hover=st.one_of(st.none(), st.builds(Style, color=st.sampled_from(["red", "blue"]))),
)


@given(_styles, _styles)
def test_equal_css_iff_equal_class(a: Style, b: Style) -> None:
    same_css = a.to_css(".s") == b.to_css(".s")
    assert (a == b) == same_css
    assert (a.class_name == b.class_name) == same_css
    if a == b:
        assert hash(a) == hash(b)


@given(_styles)
def test_rebuilt_style_is_equal(a: Style) -> None:
    rebuilt = Style(**{name: getattr(a, name) for name in ("width", "gap", "color", "display", "hover")})
    assert rebuilt == a
    assert rebuilt.class_name == a.class_name


def test_equality_is_by_css() -> None:
    assert Style(margin=0) == Style(margin="0")
    assert Style(width=2) == Style(width=2.0)
    assert Style(width=2) != Style(height=2)
    assert Style(color="red") != "color:red"
    assert Style(margin=[1, 2]).margin == (1, 2)  # type: ignore[arg-type]
    assert len({Style(width=1), Style(width=1.0), Style(width=2)}) == 2


def test_merge_later_wins_and_nests() -> None:
    a = Style(color="red", width=1, hover=Style(color="pink", opacity=0.5), breakpoints={"sm": Style(gap=1)})
    b = Style(
        color="blue", hover=Style(color="navy"), breakpoints={"sm": Style(margin=2), "md": Style(gap=3)}
    )
    merged = a | b
    assert merged == a.merge(b)
    assert merged == Style(
        color="blue",
        width=1,
        hover=Style(color="navy", opacity=0.5),
        breakpoints={"sm": Style(gap=1, margin=2), "md": Style(gap=3)},
    )
    assert a | Style() is a
    assert Style() | b is b
    with pytest.raises(StyleError, match=r"Style\.merge\(other=\.\.\.\): expected Style, got dict"):
        a.merge({"color": "red"})  # type: ignore[arg-type]


def test_frozen() -> None:
    style = Style(color="red")
    with pytest.raises(AttributeError):
        style.color = "blue"  # type: ignore[misc]


def test_repr_lists_set_fields_only() -> None:
    assert repr(Style(gap=4, color="red")) == "Style(gap=4, color='red')"


# -- StyleSheet ----------------------------------------------------------------------------------


def test_stylesheet_registers_each_style_once() -> None:
    sheet = StyleSheet()
    first = sheet.class_for(Style(color="red", hover=Style(color="blue")))
    assert CLASS_RE.match(first)
    assert sheet.take_new_rules() == (f".{first}{{color:red}}", f".{first}:hover{{color:blue}}")
    assert sheet.class_for(Style(color="red", hover=Style(color="blue"))) == first
    assert sheet.take_new_rules() == ()
    second = sheet.class_for(Style(color="green"))
    assert second != first
    assert sheet.take_new_rules() == (f".{second}{{color:green}}",)
    assert sheet.rules == (
        f".{first}{{color:red}}",
        f".{first}:hover{{color:blue}}",
        f".{second}{{color:green}}",
    )


def test_empty_style_gets_a_class_without_rules() -> None:
    sheet = StyleSheet()
    assert CLASS_RE.match(sheet.class_for(Style()))
    assert sheet.rules == ()


def test_class_for_rejects_non_style() -> None:
    with pytest.raises(StyleError, match=r"StyleSheet\.class_for\(style=\.\.\.\): expected Style, got str"):
        StyleSheet().class_for("color:red")  # type: ignore[arg-type]


def test_class_names_agree_across_sheets_and_processes() -> None:
    style = Style(display="flex", gap=8, breakpoints={"md": Style(gap=16)})
    here = StyleSheet().class_for(style)
    assert StyleSheet().class_for(Style(breakpoints={"md": Style(gap=16)}, gap=8, display="flex")) == here
    src = [str(Path(p).resolve()) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    code = (
        "from tempest_core.style import Style, StyleSheet\n"
        "print(StyleSheet().class_for(Style(display='flex', gap=8, breakpoints={'md': Style(gap=16)})))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": os.pathsep.join([*src, *sys.path])}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == here


def test_page_style_styles_body_in_every_session_and_in_prerender() -> None:
    from tempest_core import App, Session, WidgetError, html, render_to_html
    from tempestweb_contract import AddStyles

    page = Style(margin=0, background="#f5f5f5", breakpoints={"md": Style(padding=24)})
    app: App[None] = App(view=lambda _: html.p("x"), page_style=page, theme=None)
    body_rules = ("body{margin:0;background:#f5f5f5}", "@media (min-width:768px){body{padding:24px}}")
    first = Session(app).mount()[0]
    assert first == AddStyles(body_rules)
    assert Session(app).mount()[0] == AddStyles(body_rules)  # every session, not only the first
    markup = '<p data-tw="1"><!--2-->x</p>'
    assert render_to_html(app) == f'<style id="tw-styles">{chr(10).join(body_rules)}</style>{markup}'
    session = Session(app)
    session.mount()
    assert session.resync()[0] == AddStyles(body_rules)
    with pytest.raises(WidgetError, match=r"App\(page_style=...\): expected Style, got dict"):
        App(view=lambda _: html.p("x"), page_style={"margin": 0})  # type: ignore[arg-type]


def test_add_global_registers_once_and_checks_its_arguments() -> None:
    sheet = StyleSheet()
    sheet.add_global("body", Style(margin=0))
    sheet.add_global("body", Style(margin="0"))  # the same CSS: not registered twice
    assert sheet.take_new_rules() == ("body{margin:0}",)
    with pytest.raises(StyleError, match="expected Style"):
        sheet.add_global("body", "margin:0")  # type: ignore[arg-type]
    with pytest.raises(StyleError):
        sheet.add_global("body{}", Style(margin=0))
