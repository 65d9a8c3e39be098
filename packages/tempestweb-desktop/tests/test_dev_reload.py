"""``--dev``: an edit to the app file reloads the app into the open window, keeping its state."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tempestweb_desktop.testing import WebDriverServer

pytestmark = pytest.mark.window

APP = """
from tempest_core import App, Style, html

def view(n: int) -> object:
    return html.div(
        html.p(f"{LABEL}: {n}", id="count", style=Style(color=COLOR)),
        html.button("+", id="inc", on_click=lambda: app.set_state(lambda k: k + 1)),
    )

LABEL = "Count"
COLOR = "rgb(255, 0, 0)"
app = App(view=view, state=0, title="Reload")
"""


def test_edit_reloads_the_app_and_keeps_state_without_a_page_reload(
    driver: WebDriverServer, tmp_path: Path
) -> None:
    source = tmp_path / "app.py"
    source.write_text(APP)
    with driver.launch(sys.executable, ["-m", "tempestweb_desktop", str(source), "--dev"]) as page:
        page.wait_for("return document.getElementById('count')?.textContent === 'Count: 0'", timeout_s=20)
        page.execute("window.__marker = 'same page'")
        page.find("#inc").click()
        page.find("#inc").click()
        page.wait_for("return document.getElementById('count').textContent === 'Count: 2'")
        source.write_text(APP.replace('"Count"', '"Total"').replace("255, 0, 0", "0, 0, 255"))
        page.wait_for(
            "return document.getElementById('count').textContent === 'Total: 2'",
            timeout_s=15,
            what="the edited label with the kept state",
        )
        page.wait_for(
            "return getComputedStyle(document.getElementById('count')).color === 'rgb(0, 0, 255)'",
            what="the edited style, injected",
        )
        assert page.execute("return window.__marker") == "same page"  # no page reload
        page.find("#inc").click()
        page.wait_for("return document.getElementById('count').textContent === 'Total: 3'")


STYLED_APP = """
from tempest_core import App, html

def view(n: int) -> object:
    return html.div(
        html.link(rel="stylesheet", href="/static/app.css"),
        html.p(f"Count: {n}", id="count", class_="count"),
        html.button("+", id="inc", on_click=lambda: app.set_state(lambda k: k + 1)),
    )

app = App(view=view, state=0, title="Styled")
"""


def test_css_asset_edit_is_injected_keeping_page_and_state(driver: WebDriverServer, tmp_path: Path) -> None:
    source = tmp_path / "app.py"
    source.write_text(STYLED_APP)
    (tmp_path / "tempestweb.toml").write_text('[server]\nassets = ["static/*.css"]\n')
    (tmp_path / "static").mkdir()
    sheet = tmp_path / "static" / "app.css"
    sheet.write_text(".count { color: rgb(255, 0, 0); }\n")
    color = "return getComputedStyle(document.getElementById('count')).color === arguments[0]"
    with driver.launch(sys.executable, ["-m", "tempestweb_desktop", str(source), "--dev"]) as page:
        page.wait_for("return document.getElementById('count')?.textContent === 'Count: 0'", timeout_s=20)
        page.wait_for(color, "rgb(255, 0, 0)", what="the stylesheet as first served")
        page.execute("window.__marker = 'same page'")
        page.execute("window.__link = document.querySelector('link[rel=stylesheet]')")
        page.find("#inc").click()
        page.wait_for("return document.getElementById('count').textContent === 'Count: 1'")
        sheet.write_text(".count { color: rgb(0, 0, 255); }\n")
        page.wait_for(color, "rgb(0, 0, 255)", timeout_s=15, what="the edited stylesheet, reloaded")
        assert page.execute("return window.__marker") == "same page"  # no page reload
        # The copy that loaded the new version went; the view's <link> is the same node.
        page.wait_for("return document.querySelectorAll('link[rel=stylesheet]').length === 1")
        assert page.execute("return document.querySelector('link[rel=stylesheet]') === window.__link")
        page.find("#inc").click()
        page.wait_for("return document.getElementById('count').textContent === 'Count: 2'")  # state kept
