"""Design tokens, their CSS, overriding, the colour scheme switch and WCAG contrast of the defaults."""

from __future__ import annotations

import asyncio
import re

import pytest

from tempest_core import App, Button, Column, Text, Theme, component, html, render_to_html, use_color_scheme
from tempest_core.errors import StyleError, WidgetError
from tempest_core.nodes import Node
from tempest_core.router import NoSessionError
from tempest_core.session import Session
from tempest_core.style import Style, StyleSheet
from tempest_core.testing import run_test
from tempest_core.theme import COLOR_SCHEMES, DEFAULT_THEME, TOKEN_NAMES, var
from tempestweb_contract import ROOT_ID, SetAttrs
from tempestweb_contract.names import ATTR_COLOR_SCHEME

# The names every component engineer relies on (shared brief "Design tokens").
REQUIRED = (
    "color-bg",
    "color-surface",
    "color-surface-2",
    "color-text",
    "color-text-muted",
    "color-border",
    "color-primary",
    "color-primary-hover",
    "color-on-primary",
    "color-danger",
    "color-on-danger",
    "color-success",
    "color-warning",
    "color-info",
    "color-focus",
    "color-backdrop",
    "space-1",
    "space-2",
    "space-3",
    "space-4",
    "space-5",
    "space-6",
    "space-7",
    "space-8",
    "font-sans",
    "font-mono",
    "text-xs",
    "text-sm",
    "text-md",
    "text-lg",
    "text-xl",
    "text-2xl",
    "leading",
    "weight-medium",
    "weight-bold",
    "radius-sm",
    "radius-md",
    "radius-lg",
    "radius-full",
    "shadow-sm",
    "shadow-md",
    "shadow-lg",
    "focus-ring",
    "duration",
    "z-dropdown",
    "z-dialog",
    "z-toast",
)


def _luminance(hex_color: str) -> float:
    """Relative luminance, WCAG 2.2 (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance)."""
    value = hex_color.lstrip("#")
    assert re.fullmatch(r"[0-9a-fA-F]{6}", value), hex_color
    channels = []
    for i in (0, 2, 4):
        c = int(value[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two opaque colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_helper_matches_known_ratios() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_shared_token_exists_in_both_schemes() -> None:
    for name in REQUIRED:
        assert name in TOKEN_NAMES, name
        assert f"--tw-{name}" in DEFAULT_THEME.light and f"--tw-{name}" in DEFAULT_THEME.dark


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_default_colours_meet_wcag_aa(scheme: str) -> None:
    tokens = getattr(DEFAULT_THEME, scheme)

    def t(name: str) -> str:
        return str(tokens[f"--tw-color-{name}"])

    for fg in ("text", "text-muted", "primary", "danger"):
        for bg in ("bg", "surface", "surface-2"):
            assert contrast(t(fg), t(bg)) >= 4.5, (scheme, fg, bg, contrast(t(fg), t(bg)))
    for tone in ("primary", "danger", "success", "warning", "info"):
        assert contrast(t(f"on-{tone}"), t(tone)) >= 4.5, (scheme, tone)
    assert contrast(t("on-primary"), t("primary-hover")) >= 4.5
    assert contrast(t("on-danger"), t("danger-hover")) >= 4.5
    # Form control borders and the focus colour are UI components: 3:1 (WCAG 1.4.11).
    for bg in ("bg", "surface"):
        assert contrast(t("border-strong"), t(bg)) >= 3.0, (scheme, bg)
        assert contrast(t("focus"), t(bg)) >= 3.0, (scheme, bg)


def test_overrides_by_any_spelling_and_per_scheme() -> None:
    brand = Theme(tokens={"color-primary": "#7c3aed", "--tw-radius-md": "0", "space_4": "1rem"})
    assert brand.light["--tw-color-primary"] == brand.dark["--tw-color-primary"] == "#7c3aed"
    assert brand.light["--tw-radius-md"] == "0" and brand.dark["--tw-space-4"] == "1rem"
    night = Theme(dark={"color-bg": "#000000"})
    assert night.dark["--tw-color-bg"] == "#000000"
    assert night.light["--tw-color-bg"] == DEFAULT_THEME.light["--tw-color-bg"]
    again = brand.replace(light={"color-primary": "#0000ff"})
    assert again.light["--tw-color-primary"] == "#0000ff" and again.dark["--tw-color-primary"] == "#7c3aed"
    assert again.light["--tw-radius-md"] == "0"
    assert Theme() == DEFAULT_THEME and hash(Theme()) == hash(DEFAULT_THEME) and brand != DEFAULT_THEME


def test_override_errors_name_the_token_and_suggest() -> None:
    with pytest.raises(
        StyleError, match=r"unknown design token 'color-primay'; did you mean 'color-primary'\?"
    ):
        Theme(tokens={"color-primay": "#fff"})
    with pytest.raises(StyleError, match=r"'space-4' is not a colour token"):
        Theme(light={"space-4": "2px"})
    with pytest.raises(StyleError, match=r"expected a CSS colour"):
        Theme(tokens={"color-bg": "not a colour"})
    with pytest.raises(StyleError, match=r"not allowed in a CSS value"):
        Theme(tokens={"radius-md": "1px;}body{x:y"})
    with pytest.raises(StyleError, match=r"expected CSS text \(str\), got int"):
        Theme(tokens={"radius-md": 4})  # type: ignore[dict-item]
    with pytest.raises(StyleError, match=r"expected a mapping"):
        Theme(tokens=["color-bg"])  # type: ignore[arg-type]
    assert var("color-primary") == "var(--tw-color-primary)"
    with pytest.raises(StyleError, match="did you mean 'space-4'"):
        var("spcae-4")


def _rule(rules: tuple[str, ...], start: str) -> str:
    return next(r for r in rules if r.startswith(start))


def test_stylesheet_per_scheme() -> None:
    system = DEFAULT_THEME.stylesheet("system").rules
    assert system[0].startswith(":root{--tw-color-bg:#f8fafc;")
    assert ":root{color-scheme:light dark}" in system
    dark_media = _rule(system, "@media (prefers-color-scheme: dark){:root{")
    assert "--tw-color-bg:#0b1120" in dark_media and "--tw-space-4" not in dark_media
    switch = f':root:has(#tw-root[{ATTR_COLOR_SCHEME}="dark"])'
    assert _rule(system, switch + "{--tw-color-bg:#0b1120")
    forced = DEFAULT_THEME.stylesheet("dark").rules
    assert forced[0].startswith(":root{--tw-color-bg:#0b1120;") and ":root{color-scheme:dark}" in forced
    assert not any(r.startswith("@media (prefers-color-scheme: dark){:root{") for r in forced)
    assert DEFAULT_THEME.stylesheet("system") is DEFAULT_THEME.stylesheet("system")  # built once
    # Every default-look selector has zero specificity, so any app Style wins; ``::placeholder``
    # apart: a pseudo-element cannot go inside ``:where()`` (the rule would be dropped), and its
    # (0,0,1) still loses to an app Style's ``.tw-...::placeholder``.
    assert "::placeholder{color:var(--tw-color-text-muted);opacity:1}" in system
    # Forced colors drop the Switch's gradient knob and replace its track colour: the native
    # checkbox is drawn instead (appearance: auto), in system colours.
    assert "@media (forced-colors: active){:where(.tw-switch){appearance:auto}}" in system
    for rule in system:
        body = rule.removeprefix("@media (prefers-reduced-motion: reduce){")
        body = body.removeprefix("@media (forced-colors: active){")
        if body.startswith((":where(", "@keyframes", "::placeholder{")) or ":root" in body:
            continue
        raise AssertionError(rule)
    with pytest.raises(StyleError, match="expected 'system', 'light' or 'dark'"):
        DEFAULT_THEME.stylesheet("sepia")  # type: ignore[arg-type]


def test_theme_rules_reach_sessions_and_prerender_and_opt_out_is_one_argument() -> None:
    themed: App[None] = App(view=lambda _: Text("x"))
    ops = Session(themed).mount()
    assert ops[0].rules[: len(DEFAULT_THEME.stylesheet().rules)] == DEFAULT_THEME.stylesheet().rules  # type: ignore[union-attr]
    assert render_to_html(themed).startswith('<style id="tw-styles">:root{--tw-color-bg:')
    bare: App[None] = App(view=lambda _: Text("x"), theme=None)
    assert Session(bare).mount()[0].__class__.__name__ == "Create"
    assert render_to_html(bare).startswith("<span")
    page: App[None] = App(view=lambda _: Text("x"), page_style=Style(background="red"))
    assert Session(page).styles[-1] == "body{background:red}"  # after the theme: the app wins
    custom: App[None] = App(view=lambda _: Text("x"), theme=Theme(tokens={"color-primary": "#7c3aed"}))
    assert "--tw-color-primary:#7c3aed" in Session(custom).styles[0]


def test_app_arguments_are_checked() -> None:
    with pytest.raises(WidgetError, match=r"App\(theme=\.\.\.\): expected Theme or None, got dict"):
        App(view=lambda _: Text("x"), theme={})  # type: ignore[arg-type]
    with pytest.raises(
        WidgetError, match=r"App\(color_scheme=\.\.\.\): expected 'system', 'light' or 'dark'"
    ):
        App(view=lambda _: Text("x"), color_scheme="auto")  # type: ignore[arg-type]
    app: App[None] = App(view=lambda _: Text("x"))
    with pytest.raises(NoSessionError):
        app.set_color_scheme("dark")


def test_set_color_scheme_marks_the_mount_element_and_survives_resync() -> None:
    def view(_: None) -> Node:
        return Column(
            Text(app.current_color_scheme, id="now"),
            Button("Dark", id="dark", on_click=lambda: app.set_color_scheme("dark")),
            Button("System", id="system", on_click=lambda: app.set_color_scheme("system")),
            Button("Bad", id="bad", on_click=lambda: app.set_color_scheme("neon")),  # type: ignore[arg-type]
        )

    app: App[None] = App(view=view, color_scheme="light")

    async def main() -> None:
        async with run_test(app, raise_errors=False) as pilot:
            assert pilot.text("#now") == "light" and ATTR_COLOR_SCHEME not in pilot.dom.root.attrs
            await pilot.click("#dark")
            assert pilot.dom.root.attrs[ATTR_COLOR_SCHEME] == "dark" and pilot.text("#now") == "dark"
            assert pilot.session.resync()[-1] == SetAttrs(ROOT_ID, {ATTR_COLOR_SCHEME: "dark"})
            await pilot.click("#system")
            assert pilot.dom.root.attrs[ATTR_COLOR_SCHEME] == "system" and pilot.text("#now") == "system"
            await pilot.click("#bad")
            assert pilot.dom.root.attrs[ATTR_COLOR_SCHEME] == "system"
            assert any("expected 'system', 'light' or 'dark', got 'neon'" in str(e) for e in pilot.errors)

    asyncio.run(main())


def test_stylesheet_custom_properties_media_and_keyframes_are_checked() -> None:
    sheet = StyleSheet()
    sheet.add_properties(":root", {"--tw-x": "1px"}, media="(prefers-color-scheme: dark)")
    sheet.add_keyframes("spin", {"to": Style(transform="rotate(360deg)"), "50%": Style(opacity=0.5)})
    sheet.add_global(".a", Style(color="red"), media="(prefers-reduced-motion: reduce)")
    assert sheet.rules == (
        "@media (prefers-color-scheme: dark){:root{--tw-x:1px}}",
        "@keyframes spin{to{transform:rotate(360deg)}50%{opacity:0.5}}",
        "@media (prefers-reduced-motion: reduce){.a{color:red}}",
    )
    with pytest.raises(StyleError, match="expected a custom property name"):
        sheet.add_properties(":root", {"color": "red"})
    with pytest.raises(StyleError, match="not allowed in a CSS value"):
        sheet.add_properties(":root", {"--x": "}"})
    with pytest.raises(StyleError, match="not allowed"):
        sheet.add_global(".a", Style(color="blue"), media="screen{}")
    with pytest.raises(StyleError, match="expected 'from', 'to' or a percentage"):
        sheet.add_keyframes("spin2", {"halfway": Style(opacity=1)})
    with pytest.raises(StyleError, match="without states"):
        sheet.add_keyframes("spin3", {"to": Style(hover=Style(opacity=1))})
    assert Style(color_scheme="light dark").to_css(":root") == (":root{color-scheme:light dark}",)
    with pytest.raises(StyleError, match="color_scheme"):
        Style(color_scheme="sepia")  # type: ignore[arg-type]
    assert set(COLOR_SCHEMES) == {"system", "light", "dark"}


def test_use_color_scheme_rerenders_memoized_readers() -> None:
    renders: list[str] = []

    @component
    def badge() -> Node:
        scheme, set_scheme = use_color_scheme()
        renders.append(scheme)
        return html.div(
            Text(scheme, id="seen"),
            Button("Light", id="light", on_click=lambda: set_scheme("light")),
            Button("Bad", id="bad", on_click=lambda: set_scheme("sepia")),  # type: ignore[arg-type]
        )

    app: App[None] = App(
        view=lambda _: html.div(
            badge(), Button("Dark", id="dark", on_click=lambda: app.set_color_scheme("dark"))
        )
    )

    async def main() -> None:
        async with run_test(app, raise_errors=False) as pilot:
            assert pilot.text("#seen") == "system"
            await pilot.click("#dark")  # switched by the app: the memoized reader re-renders
            assert pilot.text("#seen") == "dark" and pilot.dom.root.attrs[ATTR_COLOR_SCHEME] == "dark"
            await pilot.click("#light")
            assert pilot.text("#seen") == "light" and pilot.dom.root.attrs[ATTR_COLOR_SCHEME] == "light"
            await pilot.click("#bad")
            assert any("use_color_scheme() setter: expected" in str(e) for e in pilot.errors)
            assert pilot.text("#seen") == "light"

    asyncio.run(main())
    assert renders == ["system", "dark", "light"]
