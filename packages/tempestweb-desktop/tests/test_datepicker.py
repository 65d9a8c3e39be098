"""DatePicker in a desktop window, typed with real X keys as a person types (issue 11).

WebKitGTK (2.50) has a native date field: ``mm/dd/yyyy`` segments, a GTK calendar popover on a
click, ArrowUp/ArrowDown step the focused segment. Unlike Chromium's it does not move to the next
segment when one is full: a person types the separator (``/``), Tab or ArrowRight. And it fires
``change`` only when focus leaves the field (Chromium: at each edit), so DatePicker listens to
``input``: the app has the date while the person is still in the field.
"""

from __future__ import annotations

import sys

import pytest
from conftest import APPS

from tempestweb_desktop.testing import VirtualDisplay, WebDriverServer, WebDriverSession

DATES = str(APPS / "dates.py")

pytestmark = pytest.mark.window


def _text(page: WebDriverSession, selector: str, want: str) -> None:
    page.wait_for(
        "return document.querySelector(arguments[0])?.textContent === arguments[1]",
        selector,
        want,
        what=f"{selector} == {want!r}",
    )


def test_issue_11_a_typed_date_reaches_the_app_while_the_field_has_focus(
    display: VirtualDisplay, driver: WebDriverServer
) -> None:
    with driver.launch(sys.executable, ["-m", "tempestweb_desktop", DATES]) as page:
        page.wait_for(
            "return document.getElementById('tw-root')?.dataset.twStatus === 'open'"
            " && document.getElementById('due')?.textContent === '2026-12-02'",
            what="the first view over IPC",
        )
        assert page.execute("return document.getElementById('dp').type") == "date"  # a native field
        # Tab's focus (a click would open the calendar popover, which takes the keys)
        page.execute("document.getElementById('dp').focus()")
        display.type_text("Dates", "03/15/2027")
        _text(page, "#due", "2027-03-15")
        display.press("Dates", "Down")  # the year segment still has focus: one year less
        _text(page, "#due", "2026-03-15")
        assert page.execute("return document.activeElement.id") == "dp"  # never left the field
        display.press("Dates", "ctrl+a")
        display.press("Dates", "BackSpace")  # the year segment cleared: the date is incomplete
        _text(page, "#due", "none")
