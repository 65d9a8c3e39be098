"""Keyboard behaviour of the components in a desktop window, as the WAI-ARIA Authoring Practices say
(issue 14: "in both modes (and desktop once it exists)").

The Chromium suites (``examples/tests/test_components_keyboard.py``,
``examples/tests/test_issue_14_probe6_components.py``) run here against WebKitGTK through
WebKitWebDriver: real key actions (Tab, Shift+Tab, arrows, Home/End, Escape, Enter, Space), the
apps ``examples/tests/apps/overlay`` and ``examples/tests/apps/probe6``, one window each.

Regression found here: WebKitGTK reports Shift+Tab as key ``"Unidentified"`` (code ``"Tab"``; GTK
sends the ``ISO_Left_Tab`` keysym), through WebDriver and through real X keys alike, so the
client's ``key === "Tab"`` checks missed it: Shift+Tab out of an open Menu moved focus to the menu
button and left the menu open (``aria-expanded="true"``). Chromium closes it (APG menu button).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tempestweb_desktop.testing import KEYS, VirtualDisplay, WebDriverServer, WebDriverSession

pytestmark = pytest.mark.window

APPS = Path(__file__).resolve().parents[3] / "examples" / "tests" / "apps"
WAIT_S = 10.0
READY_S = 30.0

ACTIVE = """const a = document.activeElement;
if (a === null || a === document.body) return "body";
return a.id || a.getAttribute("aria-label") || a.textContent || a.tagName;"""
"""Names the focused element as ``examples/tests/focus.py`` does: id, else label, else text."""

SHIFT_TAB = (KEYS["Shift"], KEYS["Tab"])


class Window:
    """A desktop window on a test app, with the helpers the keyboard checks need."""

    def __init__(self, session: WebDriverSession) -> None:
        self.session = session

    def press(self, *keys: str) -> None:
        """Press ``keys`` (names of :data:`KEYS`, characters or the raw key codes) as one chord."""
        self.session.press(*(KEYS.get(key, key) for key in keys))

    def focus(self, element_id: str) -> None:
        """Focus the element ``element_id`` by script (as Playwright's ``focus``)."""
        self.session.execute("document.getElementById(arguments[0]).focus()", element_id)
        self.wait_active(element_id)

    def active(self) -> str:
        """Return the focused element's name (see :data:`ACTIVE`)."""
        return str(self.session.execute(ACTIVE))

    def wait_active(self, want: str) -> None:
        """Wait until focus is on ``want``; the assertion names where it is instead."""
        try:
            self.session.wait_for(f"return (() => {{ {ACTIVE} }})() === arguments[0]", want, timeout_s=WAIT_S)
        except TimeoutError:
            raise AssertionError(f"focus is on {self.active()!r}, not {want!r}") from None

    def wait(self, script: str, *args: object, what: str) -> None:
        """Wait until the function body ``script`` returns a truthy value."""
        self.session.wait_for(script, *args, timeout_s=WAIT_S, what=what)

    def count(self, selector: str) -> int:
        """Return how many elements match ``selector`` now."""
        value = self.session.execute("return document.querySelectorAll(arguments[0]).length", selector)
        assert isinstance(value, int)
        return value

    def wait_count(self, selector: str, want: int) -> None:
        """Wait until ``want`` elements match ``selector``."""
        self.wait(
            "return document.querySelectorAll(arguments[0]).length === arguments[1]",
            selector,
            want,
            what=f"{want} of {selector}",
        )

    def wait_text(self, selector: str, want: str) -> None:
        """Wait until the first element matching ``selector`` has the text ``want``."""
        self.wait(
            "return document.querySelector(arguments[0])?.textContent === arguments[1]",
            selector,
            want,
            what=f"{selector} text {want!r}",
        )

    def wait_log(self, part: str) -> None:
        """Wait until the app's ``#log`` (the state the widgets change) contains ``part``."""
        self.wait(
            "return document.getElementById('log')?.textContent.includes(arguments[0])",
            part,
            what=f"#log containing {part!r}",
        )

    def settle(self) -> None:
        """Close what a previous (failed) check left open: one failure does not fail the next."""
        for _ in range(3):
            if self.count("[role=dialog], [role=menu]") == 0:
                return
            self.session.execute("document.querySelector('[role=dialog], [role=menu]')?.focus()")
            self.press("Escape")
            self.wait_count("[role=dialog], [role=menu]", 0)

    def attribute(self, selector: str, name: str) -> str | None:
        """Return attribute ``name`` of the first element matching ``selector``."""
        value = self.session.execute(
            "return document.querySelector(arguments[0])?.getAttribute(arguments[1]) ?? null", selector, name
        )
        return None if value is None else str(value)


@pytest.fixture(scope="module")
def overlay(display: VirtualDisplay) -> Iterator[Window]:
    """``examples/tests/apps/overlay`` in a window (Dialog, Tabs, two Menus, Tooltip, toasts)."""
    yield from _window(display, APPS / "overlay" / "app.py", "#log", "closes=0 tab=one choice=")


@pytest.fixture(scope="module")
def probe6(display: VirtualDisplay) -> Iterator[Window]:
    """``examples/tests/apps/probe6`` in a window (Table, toasts, a Menu with type-ahead)."""
    yield from _window(display, APPS / "probe6" / "app.py", "#log", "choice=")


def _window(display: VirtualDisplay, app: Path, log: str, first: str) -> Iterator[Window]:
    with (
        WebDriverServer(display=display.name) as driver,
        driver.launch(sys.executable, ["-m", "tempestweb_desktop", str(app)]) as session,
    ):
        session.wait_for(
            "return document.getElementById('tw-root')?.dataset.twStatus === 'open'"
            " && document.querySelector(arguments[0])?.textContent === arguments[1]",
            log,
            first,
            timeout_s=READY_S,
            what=f"{app.parent.name}: the first view over IPC",
        )
        yield Window(session)


@pytest.fixture(autouse=True)
def _settled(request: pytest.FixtureRequest) -> None:
    """Start each check with no dialog or menu open (see :meth:`Window.settle`)."""
    for name in ("overlay", "probe6"):
        if name in request.fixturenames:
            window = request.getfixturevalue(name)
            assert isinstance(window, Window)
            window.settle()


# -- Dialog (https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/) -----------------------------


def test_dialog_focus_moves_in_traps_both_ways_escape_closes_and_focus_returns(overlay: Window) -> None:
    w = overlay
    w.focus("open-dialog")
    w.press("Enter")
    w.wait_count("[role=dialog]", 1)
    assert w.attribute("[role=dialog]", "aria-modal") == "true"
    w.wait_active("Close")  # the first tabbable element of the dialog
    for want in ("name", "cancel", "save", "Close", "name"):  # Tab cycles inside, wrapping
        w.press("Tab")
        w.wait_active(want)
    for want in ("Close", "save", "cancel"):  # Shift+Tab too, wrapping backwards
        w.press(*SHIFT_TAB)
        w.wait_active(want)
    w.session.execute("document.getElementById('after').focus()")  # the page behind is inert
    w.wait_active("cancel")
    w.press("Escape")
    w.wait_count("[role=dialog]", 0)
    w.wait_log("closes=1 ")
    w.wait_active("open-dialog")  # focus returns to the opener
    assert w.count("[inert]") == 0
    w.press(" ")  # Space opens it too; Enter on its Close button closes it
    w.wait_active("Close")
    w.press("Enter")
    w.wait_count("[role=dialog]", 0)
    w.wait_active("open-dialog")
    w.wait_log("closes=2 ")


# -- Tabs (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/) ---------------------------------------


def test_tabs_arrows_home_end_activate_and_tab_leaves_for_the_panel(overlay: Window) -> None:
    w = overlay
    w.focus("help")
    w.press("Tab")
    w.wait_active("tabs-tab-0")  # Tab enters the tablist on the selected tab
    for key, want, log in (
        ("ArrowRight", "tabs-tab-1", "two"),
        ("ArrowRight", "tabs-tab-3", "three"),  # skips the disabled tab
        ("ArrowRight", "tabs-tab-0", "one"),  # wraps
        ("ArrowLeft", "tabs-tab-3", "three"),  # wraps back
        ("Home", "tabs-tab-0", "one"),
        ("End", "tabs-tab-3", "three"),
    ):
        w.press(key)
        w.wait_active(want)
        w.wait_log(f" tab={log} ")  # automatic activation
        assert w.attribute(f"#{want}", "aria-selected") == "true"
        assert w.attribute(f"#{want}", "tabindex") == "0"
    assert w.attribute("#tabs-tab-0", "tabindex") == "-1"
    w.press("Tab")  # Tab leaves the tablist for the selected panel
    w.wait_active("tabs-panel-3")
    w.press(*SHIFT_TAB)
    w.wait_active("tabs-tab-3")
    w.press("Home")
    w.wait_log(" tab=one ")


# -- Menu (https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/) --------------------------------


def _open_menu(w: Window, key: str, first: str) -> None:
    w.focus("actions-button")
    w.press(key)
    w.wait_count("[role=menu]", 1)
    assert w.attribute("#actions-button", "aria-expanded") == "true"
    w.wait_active(first)


def test_menu_arrows_home_end_choice_and_escape_return_focus(overlay: Window) -> None:
    w = overlay
    _open_menu(w, "ArrowUp", "Delete")
    for key, want in (
        ("ArrowDown", "Edit"),  # wraps
        ("ArrowDown", "Copy"),
        ("ArrowDown", "Locked"),  # disabled items stay focusable
        ("ArrowUp", "Copy"),
        ("End", "Delete"),
        ("Home", "Edit"),
    ):
        w.press(key)
        w.wait_active(want)
    w.press("Escape")
    w.wait_count("[role=menu]", 0)
    w.wait_active("actions-button")
    assert w.attribute("#actions-button", "aria-expanded") == "false"
    _open_menu(w, " ", "Edit")
    w.press("ArrowDown")
    w.wait_active("Copy")
    w.press(" ")  # Space chooses, closes, and focus returns to the button
    w.wait_log("choice=copy")
    w.wait_count("[role=menu]", 0)
    w.wait_active("actions-button")


def test_issue_14_shift_tab_out_of_a_menu_closes_it_as_tab_does(overlay: Window) -> None:
    # WebKitGTK's Shift+Tab keydown has key "Unidentified" (code "Tab"): the menu stayed open.
    w = overlay
    for keys, want in (((KEYS["Tab"],), "help"), (SHIFT_TAB, "actions-button")):
        _open_menu(w, "Enter", "Edit")
        w.press(*keys)
        w.wait_active(want)
        w.wait_count("[role=menu]", 0)
        assert w.attribute("#actions-button", "aria-expanded") == "false"


def test_menu_type_ahead(overlay: Window) -> None:
    w = overlay
    w.focus("file-button")
    w.press("Enter")
    w.wait_count("#file-menu", 1)
    w.wait_active("Open")
    for key, want in (
        ("s", "Save"),
        ("s", "Save as"),  # the same character again: the next item starting with it
        ("s", "Share"),
        ("s", "Save"),  # wraps
        ("Home", "Open"),  # a key that moves ends the prefix
        ("p", "Print"),
        ("p", "Preview"),
        ("Home", "Open"),
        ("z", "Open"),  # no item starts with it: focus stays
    ):
        w.press(key)
        w.wait_active(want)
    w.press("End")
    w.wait_active("Preview")
    w.press("s")
    w.press("h")  # typed in a row: one prefix, past "Save" and "Save as"
    w.wait_active("Share")
    w.press("Enter")
    w.wait_log("choice=share")
    w.wait_count("#file-menu", 0)
    w.wait_active("file-button")


# -- Tooltip (https://www.w3.org/WAI/ARIA/apg/patterns/tooltip/) ---------------------------------

TIP_SHOWN = "const t = document.getElementById('help-tip'); return t.getBoundingClientRect().width > 0" + (
    " && getComputedStyle(t).visibility === 'visible' && getComputedStyle(t).display !== 'none'"
)


def test_tooltip_shows_on_focus_and_escape_hides_it(overlay: Window) -> None:
    w = overlay
    w.focus("actions-button")
    w.press("Tab")
    w.wait_active("help")
    w.wait(TIP_SHOWN, what="the tooltip shown on focus")
    w.press("Escape")
    w.wait("return !(() => { " + TIP_SHOWN + " })()", what="the tooltip hidden by Escape")
    w.wait_active("help")  # focus stays on the trigger
    w.press(*SHIFT_TAB)  # focus leaves: the next focus shows it again
    w.wait_active("actions-button")
    w.press("Tab")
    w.wait(TIP_SHOWN, what="the tooltip shown again")


# -- Table (sorting, selection, pagination) ------------------------------------------------------

SORT = (
    "return [...document.querySelectorAll('#items [role=columnheader]')]"
    ".map((h) => h.getAttribute('aria-sort'))"
)


def test_table_sort_by_enter_and_space_select_by_space_and_pages(probe6: Window) -> None:
    w = probe6
    w.session.execute("document.querySelector('#items [role=columnheader] button').focus()")
    w.wait_active("Name")
    w.press("Enter")
    w.wait(SORT + ".join() === ',ascending,'", what="sorted ascending")
    w.press(" ")
    w.wait(SORT + ".join() === ',descending,'", what="sorted descending")
    w.session.execute("document.querySelectorAll('#items [role=row] input[type=checkbox]')[1].focus()")
    w.wait_active("Select row Item 24")
    w.press(" ")
    w.wait_count("#items [role=row] input:checked", 1)
    w.press("Tab")
    w.wait_active("Select row Item 23")
    w.press("Shift", " ")
    w.wait_count("#items [role=row] input:checked", 2)
    w.session.execute("document.querySelector('#items [aria-label=\"Next page\"]').focus()")
    w.wait_active("Next page")
    w.press("Enter")
    w.wait_text("#items nav span", "Page 2 of 3")
    w.press(" ")
    w.wait_text("#items nav span", "Page 3 of 3")
    w.press("Enter")  # at the end: aria-disabled, focus stays
    w.wait_active("Next page")
    assert w.session.execute("return document.querySelector('#items nav span').textContent") == "Page 3 of 3"


# -- Toasts ------------------------------------------------------------------------------------------

TOASTS = "[data-tw-behavior=toast]"


def test_toast_dismissed_by_enter_escape_and_space_focus_moves_to_the_next(probe6: Window) -> None:
    w = probe6
    w.session.execute("document.getElementById('many-toasts').click()")
    w.wait_count(TOASTS, 8)  # the newest 8 stay
    w.session.execute(f"document.querySelector('{TOASTS} button').focus()")
    for key, left in (("Enter", 7), ("Escape", 6), (" ", 5)):
        w.press(key)
        w.wait_count(TOASTS, left)
        active = w.active()
        assert active.startswith("Dismiss notification: Toast "), active
