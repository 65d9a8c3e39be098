"""AppShell: landmarks, the drawer disclosure and its small-screen collapse rules."""

from __future__ import annotations

import doctest

import pytest

import tempest_core._widgets_shell as shell_module
from tempest_core import App, html, render_to_html
from tempest_core.errors import WidgetError
from tempest_core.style import BREAKPOINT_MD_PX, Style
from tempest_core.testing import run_test
from tempest_core.widgets import AppShell


def shell_app(**kwargs: object) -> App[None]:
    return App(
        view=lambda _s: AppShell(
            html.p("Body", id="body"),
            header=html.h1("Title"),
            nav=html.ul(html.li(html.a("Home", href="/"))),
            **kwargs,  # type: ignore[arg-type]
        )
    )


async def test_landmarks_and_toggle_wiring() -> None:
    async with run_test(shell_app()) as pilot:
        skip, header, nav, main = pilot.one("div").children
        assert [skip.tag, header.tag, nav.tag, main.tag] == ["a", "header", "nav", "main"]  # type: ignore[union-attr]
        button = pilot.one("header button")
        assert button.attrs["aria-controls"] == "tw-shell-nav" == pilot.one("nav").attrs["id"]
        assert button.attrs["aria-expanded"] == "false"
        assert button.attrs["aria-label"] == "Menu"
        assert pilot.one("nav").attrs["aria-label"] == "Main"
        assert pilot.text("main") == "Body"


async def test_issue_14_a_skip_link_comes_first_and_targets_the_focusable_main() -> None:
    # WCAG 2.4.1 Bypass Blocks: the first element, a link to <main>, which takes focus
    # (tabindex=-1) so the next Tab goes on inside the content.
    async with run_test(shell_app()) as pilot:
        skip = pilot.one("div").children[0]
        assert skip.tag == "a" and pilot.text("div > a") == "Skip to main content"  # type: ignore[union-attr]
        main = pilot.one("main")
        assert skip.attrs["href"] == "#tw-shell-main" == f"#{main.attrs['id']}"  # type: ignore[union-attr]
        assert main.attrs["tabindex"] == "-1"


async def test_toggle_opens_and_escape_closes_the_drawer() -> None:
    async with run_test(shell_app()) as pilot:
        closed_class = pilot.one("nav").attrs["class"]
        await pilot.click("header button")
        assert pilot.one("header button").attrs["aria-expanded"] == "true"
        open_class = pilot.one("nav").attrs["class"]
        assert open_class != closed_class
        await pilot.press("nav a", "Escape")
        assert pilot.one("header button").attrs["aria-expanded"] == "false"
        assert pilot.one("nav").attrs["class"] == closed_class


async def test_controlled_drawer_reports_changes() -> None:
    seen: list[bool] = []
    async with run_test(shell_app(drawer_open=True, on_drawer_change=seen.append)) as pilot:
        assert pilot.one("header button").attrs["aria-expanded"] == "true"
        await pilot.click("header button")
        assert seen == [False]
        assert pilot.one("header button").attrs["aria-expanded"] == "true"  # the app decides


def test_css_collapses_below_md_and_shows_a_sidebar_from_md() -> None:
    page = render_to_html(shell_app())
    media = f"@media (min-width:{BREAKPOINT_MD_PX}px)"
    assert media in page
    closed = shell_module._NAV_CLOSED
    assert closed.display == "none"
    assert closed.breakpoints is not None and closed.breakpoints["md"].display == "block"
    toggle = shell_module._TOGGLE_STYLE.breakpoints
    assert toggle is not None and toggle["md"].display == "none"
    assert shell_module._NAV_OPEN.display == "block"


def test_custom_labels_and_style() -> None:
    page = render_to_html(
        shell_app(nav_label="Sections", nav_id="side", toggle_label="Open sections", style=Style(gap=4))
    )
    assert 'aria-label="Sections"' in page and 'id="side"' in page
    assert 'aria-controls="side"' in page and 'aria-label="Open sections"' in page


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"drawer_open": "yes"}, "AppShell(drawer_open=...): expected bool or None, got str"),
        ({"on_drawer_change": 1}, "AppShell(on_drawer_change=...): expected a callable, got int (1)"),
        ({"nav_label": None}, "AppShell(nav_label=...): expected str, got None"),
        ({"nav_lable": "x"}, "AppShell(nav_lable=...): unknown keyword argument; did you mean 'nav_label'?"),
    ],
)
def test_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(WidgetError) as caught:
        AppShell(**kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)


def test_docstring_examples() -> None:
    result = doctest.testmod(shell_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


async def test_following_a_link_closes_the_drawer() -> None:
    async with run_test(shell_app()) as pilot:
        await pilot.click("header button")
        assert pilot.one("header button").attrs["aria-expanded"] == "true"
        await pilot.navigate("/other")
        assert pilot.one("header button").attrs["aria-expanded"] == "false"
        await pilot.click("header button")
        assert pilot.one("header button").attrs["aria-expanded"] == "true"
