"""Dialog, Tooltip, Tabs, Menu and toasts: markup (ARIA roles/states/references), validation
errors, and their Python state driven through the headless pilot (issue 14)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest

from tempest_core import App, MenuItem, NoSessionError, Tab, dismiss_toast, notify
from tempest_core.errors import WidgetError
from tempest_core.events import handler
from tempest_core.html import html
from tempest_core.nodes import Element
from tempest_core.testing import DomElement, Pilot, run_test
from tempest_core.widgets import (
    Button,
    Column,
    Dialog,
    Menu,
    Tabs,
    Toaster,
    Tooltip,
)
from tempestweb_contract import EVENT_PREVENT_DEFAULT, EVENT_STOP_PROPAGATION
from tempestweb_contract.names import ATTR_BEHAVIOR, BEHAVIOR, DOM_EVENT_DISMISS

# -- Dialog ---------------------------------------------------------------------------------------


def test_dialog_open_markup_follows_the_modal_dialog_pattern() -> None:
    closed: list[int] = []
    d = Dialog(html.p("Body"), open=True, title="Edit", id="edit", on_close=lambda: closed.append(1))
    assert d.attrs[ATTR_BEHAVIOR] == BEHAVIOR["DIALOG"]
    assert DOM_EVENT_DISMISS in d.events
    backdrop, panel = d.children
    assert isinstance(backdrop, Element) and isinstance(panel, Element)
    assert "click" in backdrop.events
    assert panel.attrs["role"] == "dialog"
    assert panel.attrs["aria-modal"] == "true"
    assert panel.attrs["aria-labelledby"] == "edit-title"
    assert panel.attrs["id"] == "edit"
    header = panel.children[0]
    assert isinstance(header, Element)
    title, close = header.children
    assert isinstance(title, Element) and isinstance(close, Element)
    assert (title.tag, title.attrs["id"]) == ("h2", "edit-title")
    assert close.tag == "button" and close.attrs["aria-label"] == "Close"
    assert "click" in close.events


def test_dialog_dismissal_stops_at_the_dialog() -> None:
    # A dialog opened from a dialog's content sits inside it: its dismissal (Escape) must not
    # bubble on to the outer dialog's listener and close it too. A bound on_close keeps its flags.
    d = Dialog("x", open=True, title="T", id="d", on_close=lambda: None)
    assert d.events[DOM_EVENT_DISMISS].flags & EVENT_STOP_PROPAGATION
    bound = Dialog("x", open=True, title="T", id="d", on_close=handler(lambda: None, prevent_default=True))
    assert bound.events[DOM_EVENT_DISMISS].flags == EVENT_STOP_PROPAGATION | EVENT_PREVENT_DEFAULT


def test_dialog_closed_is_a_hidden_placeholder() -> None:
    d = Dialog("x", open=False, title="T", id="d")
    assert d.tag == "div" and "hidden" in d.attrs and ATTR_BEHAVIOR not in d.attrs and d.children == ()


def test_dialog_not_dismissible_has_no_close_paths() -> None:
    d = Dialog("x", open=True, title="T", id="d", on_close=lambda: None, dismissible=False)
    backdrop, panel = d.children
    assert isinstance(backdrop, Element) and isinstance(panel, Element)
    assert DOM_EVENT_DISMISS not in d.events and "click" not in backdrop.events
    header = panel.children[0]
    assert isinstance(header, Element) and len(header.children) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"open": "yes", "title": "T", "id": "d"}, "Dialog(open=...): expected bool, got str ('yes')"),
        ({"open": True, "title": 3, "id": "d"}, "Dialog(title=...): expected str, got int (3)"),
        ({"open": True, "title": "T", "id": "a b"}, "Dialog(id=...): expected a non-empty id"),
        ({"open": True, "title": "T", "id": "d", "on_close": 5}, "Dialog(on_close=...): expected a callable"),
        ({"open": True, "title": "T", "id": "d", "onclose": print}, "did you mean 'on_close'?"),
    ],
)
def test_dialog_validation(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(
        WidgetError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        Dialog(**kwargs)


@dataclass
class DialogState:
    open: bool = False
    closes: int = 0


def dialog_app() -> App[DialogState]:
    def close() -> None:
        app.set_state(lambda s: DialogState(open=False, closes=s.closes + 1))

    def view(s: DialogState) -> Element:
        return html.div(
            Button("Open", id="open", on_click=lambda: app.set_state(lambda s: DialogState(True, s.closes))),
            Dialog(html.p("Body"), open=s.open, title="Edit", id="dlg", on_close=close),
        )

    app = App(view=view, state=DialogState())
    return app


@pytest.mark.parametrize("how", ["close button", "backdrop", "escape"])
async def test_dialog_on_close_fires_for_each_dismissal(how: str) -> None:
    async with run_test(dialog_app()) as pilot:
        assert pilot.query("[role=dialog]") == []
        await pilot.click("#open")
        assert pilot.one("[role=dialog]").attrs["aria-labelledby"] == "dlg-title"
        if how == "close button":
            await pilot.click("[aria-label=Close]")
        elif how == "backdrop":
            layer = pilot.one(f"[{ATTR_BEHAVIOR}=dialog]")
            backdrop = layer.children[0]
            assert isinstance(backdrop, DomElement)
            await pilot.fire(backdrop, "click")
        else:
            await pilot.fire(f"[{ATTR_BEHAVIOR}=dialog]", DOM_EVENT_DISMISS)
        assert pilot.query("[role=dialog]") == []
        assert pilot.session.state.closes == 1


# -- Tooltip --------------------------------------------------------------------------------------


def test_tooltip_references_the_tip_and_keeps_existing_descriptions() -> None:
    t = Tooltip(html.button("?", aria_describedby="hint"), text="More help", id="tip")
    assert t.attrs[ATTR_BEHAVIOR] == BEHAVIOR["TOOLTIP"]
    holder, tip = t.children
    assert isinstance(holder, Element) and isinstance(tip, Element)
    trigger = holder.children[0]
    assert isinstance(trigger, Element)
    assert trigger.attrs["aria-describedby"] == "hint tip"
    assert tip.attrs == {"role": "tooltip", "id": "tip"}


def test_tooltip_rejects_an_unfocusable_trigger_and_bad_text() -> None:
    with pytest.raises(
        WidgetError, match=r"Tooltip\(trigger=...\): expected a focusable element .* got <span>"
    ):
        Tooltip(html.span("x"), text="t", id="t")
    with pytest.raises(WidgetError, match=r"Tooltip\(text=...\): expected non-empty text"):
        Tooltip(html.button("x"), text="  ", id="t")
    with pytest.raises(
        WidgetError, match=r"Tooltip\(placement=...\): expected 'top' or 'bottom', got str \('left'\)"
    ):
        Tooltip(html.button("x"), text="t", id="t", placement="left")  # type: ignore[arg-type]
    Tooltip(html.span("x", tabindex=0), text="t", id="t")  # focusable through tabindex


# -- Tabs -----------------------------------------------------------------------------------------


def three_tabs() -> list[Tab]:
    return [
        Tab(key="one", label="One", content=html.p("first")),
        Tab(key="two", label="Two", content="second"),
        Tab(key="three", label="Three", disabled=True),
    ]


def test_tabs_markup_roles_states_and_roving_tabindex() -> None:
    t = Tabs(tabs=three_tabs(), selected="two", id="s", label="Sections", on_change=print)
    tablist, panels = t.children
    assert isinstance(tablist, Element) and isinstance(panels, Element)
    assert tablist.attrs["role"] == "tablist" and tablist.attrs[ATTR_BEHAVIOR] == BEHAVIOR["TABS"]
    assert tablist.attrs["aria-label"] == "Sections" and tablist.attrs["aria-orientation"] == "horizontal"
    tabs = [c for c in tablist.children if isinstance(c, Element)]
    assert [x.attrs["aria-selected"] for x in tabs] == ["false", "true", "false"]
    assert [x.attrs["tabindex"] for x in tabs] == ["-1", "0", "-1"]
    assert [x.attrs["aria-controls"] for x in tabs] == ["s-panel-0", "s-panel-1", "s-panel-2"]
    assert "disabled" in tabs[2].attrs and "click" not in tabs[2].events
    assert "click" not in tabs[1].events and "click" in tabs[0].events  # no event for the selected tab
    shown = [p for p in panels.children if isinstance(p, Element) and "hidden" not in p.attrs]
    assert len(shown) == 1 and shown[0].attrs["id"] == "s-panel-1"
    assert shown[0].attrs["aria-labelledby"] == "s-tab-1" and shown[0].attrs["role"] == "tabpanel"
    hidden = [p for p in panels.children if isinstance(p, Element) and "hidden" in p.attrs]
    assert all(p.children == () for p in hidden)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tabs": []}, r"Tabs\(tabs=...\): expected a non-empty sequence of Tab, got list"),
        ({"tabs": ["a"]}, r"Tabs\(tabs=...\): expected a sequence of Tab, got str \('a'\)"),
        (
            {"selected": "four"},
            r"Tabs\(selected=...\): expected one of the tab keys \['one', 'two', 'three'\]",
        ),
        ({"orientation": "diagonal"}, r"Tabs\(orientation=...\): expected 'horizontal' or 'vertical'"),
        ({"on_change": "x"}, r"Tabs\(on_change=...\): expected a callable"),
    ],
)
def test_tabs_validation(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"tabs": three_tabs(), "selected": "one", "id": "s", "label": "L", **kwargs}
    with pytest.raises(WidgetError, match=message):
        Tabs(**args)


def test_tab_validation() -> None:
    with pytest.raises(WidgetError, match=r"Tab\(key=...\): expected a non-empty str"):
        Tab(key="", label="x")
    with pytest.raises(WidgetError, match=r"Tab\(content=...\): expected an element, str or None, got int"):
        Tab(key="a", label="x", content=3)  # type: ignore[arg-type]
    with pytest.raises(WidgetError, match=r"Tabs\(tabs=...\): expected unique tab keys, got 'a' twice"):
        Tabs(tabs=[Tab(key="a", label="A"), Tab(key="a", label="B")], selected="a", id="s", label="L")


async def test_tabs_click_reports_the_key_and_the_app_selects() -> None:
    changes: list[str] = []

    def on_change(key: str) -> None:
        changes.append(key)
        app.set_state(lambda _: key)

    app = App(
        view=lambda sel: Tabs(tabs=three_tabs(), selected=sel, id="s", label="L", on_change=on_change),
        state="one",
    )
    async with run_test(app) as pilot:
        assert pilot.text("#s-panel-0") == "first"
        await pilot.click("#s-tab-1")
        assert changes == ["two"]
        assert pilot.one("#s-tab-1").attrs["aria-selected"] == "true"
        assert pilot.one("#s-tab-0").attrs["tabindex"] == "-1"
        assert pilot.text("#s-panel-1") == "second" and pilot.text("#s-panel-0") == ""


# -- Menu -----------------------------------------------------------------------------------------


def test_menu_validation() -> None:
    with pytest.raises(WidgetError, match=r"Menu\(items=...\): expected a non-empty sequence of MenuItem"):
        Menu(label="M", items=[], id="m")
    with pytest.raises(WidgetError, match=r"Menu\(items=...\): expected a sequence of MenuItem, got str"):
        Menu(label="M", items=["x"], id="m")  # type: ignore[list-item]
    with pytest.raises(WidgetError, match=r"Menu\(align=...\): expected 'start' or 'end'"):
        Menu(label="M", items=[MenuItem(label="x")], id="m", align="middle")  # type: ignore[arg-type]
    with pytest.raises(WidgetError, match=r"MenuItem\(on_select=...\): expected a callable, got int"):
        MenuItem(label="x", on_select=3)  # type: ignore[arg-type]


@dataclass
class MenuState:
    chosen: list[str] = field(default_factory=list)


def menu_app() -> App[MenuState]:
    def choose(name: str) -> Any:
        def on_select() -> None:
            app.set_state(lambda s: MenuState([*s.chosen, name]))

        return on_select

    async def archive() -> None:
        await asyncio.sleep(0)
        app.set_state(lambda s: MenuState([*s.chosen, "archive"]))

    def view(s: MenuState) -> Element:
        items = [
            MenuItem(label="Edit", on_select=choose("edit")),
            MenuItem(label="Archive", on_select=archive),
            MenuItem(label="Delete", on_select=choose("delete"), disabled=True),
        ]
        return html.div(Menu(label="Actions", items=items, id="acts"), html.p(",".join(s.chosen), id="out"))

    app = App(view=view, state=MenuState())
    return app


async def open_menu(pilot: Pilot) -> None:
    await pilot.click("#acts-button")
    assert pilot.one("#acts-button").attrs["aria-expanded"] == "true"
    assert pilot.one("#acts-button").attrs["aria-controls"] == "acts-menu"


async def test_menu_button_opens_and_an_item_runs_and_closes() -> None:
    async with run_test(menu_app()) as pilot:
        button = pilot.one("#acts-button")
        assert button.attrs["aria-haspopup"] == "menu" and button.attrs["aria-expanded"] == "false"
        assert "aria-controls" not in button.attrs and pilot.query("[role=menu]") == []
        await open_menu(pilot)
        menu = pilot.one("[role=menu]")
        assert menu.attrs["aria-labelledby"] == "acts-button" and menu.attrs[ATTR_BEHAVIOR] == "menu"
        items = pilot.query("[role=menuitem]")
        assert [i.text_content for i in items] == ["Edit", "Archive", "Delete"]
        assert all(i.attrs["tabindex"] == "-1" for i in items)
        assert items[2].attrs["aria-disabled"] == "true" and "click" not in items[2].events
        await pilot.click("[role=menuitem]")
        assert pilot.text("#out") == "edit" and pilot.query("[role=menu]") == []
        await open_menu(pilot)
        click = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
        await pilot.fire(pilot.query("[role=menuitem]")[1], "click", dict(click))  # async on_select
        await pilot.wait()
        assert pilot.text("#out") == "edit,archive" and pilot.query("[role=menu]") == []


async def test_menu_dismissal_stops_at_the_menu() -> None:
    # In a Dialog, Escape in the menu closes the menu only (APG menu button): the dismissal does
    # not bubble on to the dialog.
    async with run_test(menu_app()) as pilot:
        await open_menu(pilot)
        menu = pilot.one("[role=menu]")
        assert menu.events[DOM_EVENT_DISMISS] & EVENT_STOP_PROPAGATION


async def test_menu_dismiss_and_second_click_close_it() -> None:
    async with run_test(menu_app()) as pilot:
        await open_menu(pilot)
        await pilot.fire("[role=menu]", DOM_EVENT_DISMISS)
        assert pilot.query("[role=menu]") == [] and pilot.text("#out") == ""
        await open_menu(pilot)
        await pilot.click("#acts-button")
        assert pilot.query("[role=menu]") == []
        assert pilot.one("#acts-button").attrs["aria-expanded"] == "false"


# -- toasts ---------------------------------------------------------------------------------------


def test_notify_outside_a_session_is_a_typed_error() -> None:
    with pytest.raises(NoSessionError, match=r"notify\(\) needs a running session"):
        notify("hello")


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("",), {}, r"notify\(message=...\): expected non-empty text"),
        ((3,), {}, r"notify\(message=...\): expected str, got int"),
        (("x",), {"tone": "loud"}, r"notify\(tone=...\): expected one of 'info', 'success'"),
        (
            ("x",),
            {"duration_s": 0},
            r"notify\(duration_s=...\): expected a positive number of seconds, got 0",
        ),
        (("x",), {"duration_s": "5"}, r"notify\(duration_s=...\): expected a number of seconds or None"),
    ],
)
def test_notify_validation(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(WidgetError, match=message):
        notify(*args, **kwargs)


def toast_app(**notify_kwargs: Any) -> App[int]:
    def send() -> None:
        notify("Saved", title="Done", **notify_kwargs)

    async def fail() -> None:
        await asyncio.sleep(0)
        notify("Could not save", tone="danger", duration_s=None)

    def view(_: int) -> Element:
        return Column(
            Button("Send", id="send", on_click=send),
            Button("Fail", id="fail", on_click=fail),
            Toaster(),
        )

    return App(view=view, state=0)


async def test_toaster_live_regions_exist_before_any_toast() -> None:
    async with run_test(toast_app()) as pilot:
        region = pilot.one("[role=region]")
        assert region.attrs["aria-label"] == "Notifications"
        assert pilot.one("[role=status]").children == [] and pilot.one("[role=alert]").children == []


async def test_notify_from_sync_and_async_handlers_stacks_and_closes() -> None:
    async with run_test(toast_app(duration_s=None)) as pilot:
        await pilot.click("#send")
        await pilot.click("#send")
        await pilot.click("#fail")
        await pilot.wait()
        assert pilot.text("[role=status]") == "DoneSaved\u00d7DoneSaved\u00d7"
        assert pilot.text("[role=alert]") == "Could not save\u00d7"
        await pilot.click("[role=status] [aria-label='Dismiss notification: Done']")
        assert pilot.text("[role=status]") == "DoneSaved\u00d7"
        await pilot.click("[role=alert] button")
        assert pilot.text("[role=alert]") == ""


async def test_toast_dismisses_itself_after_its_duration() -> None:
    async with run_test(toast_app(duration_s=0.01)) as pilot:
        await pilot.click("#send")
        assert pilot.text("[role=status]") == "DoneSaved\u00d7"
        for _ in range(500):  # bounded wait on the condition, no timing assertion
            await asyncio.sleep(0.01)
            await pilot.wait()
            if pilot.text("[role=status]") == "":
                break
        assert pilot.text("[role=status]") == ""


async def test_dismiss_toast_and_the_cap() -> None:
    ids: list[int] = []

    def many() -> None:
        ids.extend(notify(f"n{i}", duration_s=None) for i in range(10))

    def drop_last() -> None:
        assert dismiss_toast(ids[-1]) is True
        assert dismiss_toast(ids[0]) is False  # already dropped by the cap

    app = App(
        view=lambda _: html.div(
            Button("Many", id="many", on_click=many),
            Button("Drop", id="drop", on_click=drop_last),
            Toaster(placement="top-center"),
        ),
        state=0,
    )
    async with run_test(app) as pilot:
        await pilot.click("#many")
        texts = [c.text_content for c in pilot.one("[role=status]").children if isinstance(c, DomElement)]
        assert texts == [f"n{i}\u00d7" for i in range(2, 10)]  # MAX_TOASTS == 8: the two oldest went
        await pilot.click("#drop")
        assert "n9" not in pilot.text("[role=status]")


def test_toaster_validation() -> None:
    with pytest.raises(WidgetError, match=r"Toaster\(placement=...\): expected one of 'top-start'"):
        Toaster(placement="middle")  # type: ignore[arg-type]
