"""Toast timers stop while the person is over or inside the toasts (WCAG 2.2.1), Escape in a toast
dismisses it, and each close button names its toast (issue 14, third accessibility pass)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from test_widgets_toast import wait_for

from tempest_core import App, notify
from tempest_core._toast_store import ToastStore
from tempest_core._widgets_toast import CLOSE_NAME_MAX_CHARS, Toast, close_name
from tempest_core.html import html
from tempest_core.nodes import Element
from tempest_core.testing import Pilot, run_test
from tempest_core.widgets import Button, Column, Toaster
from tempestweb_contract.names import ATTR_BEHAVIOR, DOM_EVENT_DISMISS, DOM_EVENT_PAUSE, DOM_EVENT_RESUME

DURATION_S = 0.3


def app(*, with_toaster: bool = True) -> App[int]:
    def send() -> None:
        notify("Saved", title="Done", duration_s=DURATION_S)

    def view(shown: int) -> Element:
        return Column(
            Button("Send", id="send", on_click=send),
            Button("Hide", id="hide", on_click=lambda: app_.set_state(lambda _: 0)),
            Toaster() if shown else None,
        )

    app_ = App(view=view, state=1 if with_toaster else 0)
    return app_


def store_of(pilot: Pilot) -> ToastStore:
    store = pilot.session.stores["toasts"]
    assert isinstance(store, ToastStore)
    return store


def toasts(pilot: Pilot) -> int:
    return len(pilot.query("[role=status] > div"))


async def test_issue_14_a_paused_toaster_keeps_its_toasts_and_resumes_with_the_time_left() -> None:
    async with run_test(app()) as pilot:
        region = pilot.one("[role=region]")
        assert region.attrs[ATTR_BEHAVIOR] == "toaster"
        await pilot.click("#send")
        assert toasts(pilot) == 1
        await asyncio.sleep(DURATION_S / 3)
        await pilot.fire(region, DOM_EVENT_PAUSE)  # the pointer entered, or focus moved in
        store = store_of(pilot)
        assert store.paused and not store.timers
        (left,) = store.left.values()
        assert 0 < left < DURATION_S  # what was left, not the whole duration again
        await asyncio.sleep(DURATION_S * 2)
        await pilot.wait()
        assert toasts(pilot) == 1  # no timer runs while paused
        await pilot.click("#send")  # shown while paused: it waits with its whole duration
        assert toasts(pilot) == 2 and sorted(store.left.values())[-1] == DURATION_S
        await pilot.fire(region, DOM_EVENT_PAUSE)  # idempotent
        await pilot.fire(region, DOM_EVENT_RESUME)
        assert store_of(pilot).left == {} and len(store.timers) == 2  # not paused
        await wait_for(pilot, lambda: toasts(pilot) == 0)


async def test_issue_14_escape_in_a_toast_dismisses_that_toast() -> None:
    async with run_test(app()) as pilot:
        await pilot.click("#send")
        await pilot.click("#send")
        first, second = pilot.query("[role=status] > div")
        assert first.attrs[ATTR_BEHAVIOR] == second.attrs[ATTR_BEHAVIOR] == "toast"
        await pilot.fire(pilot.query("[role=status] button")[1], DOM_EVENT_DISMISS)  # Escape there
        assert pilot.query("[role=status] > div") == [first]


async def test_issue_14_a_toaster_unmounted_while_paused_lets_the_default_one_time_out() -> None:
    async with run_test(app()) as pilot:
        await pilot.click("#send")
        await pilot.fire("[role=region]", DOM_EVENT_PAUSE)
        await pilot.click("#hide")  # its region goes with the pointer over it: no resume comes
        assert not store_of(pilot).paused
        await wait_for(pilot, lambda: toasts(pilot) == 0)


def test_issue_14_close_buttons_name_their_toast_within_a_bound() -> None:
    dismiss = "Dismiss notification"
    assert close_name(Toast(1, "Saved", "info", "Done"), dismiss) == "Dismiss notification: Done"
    assert close_name(Toast(2, "Saved", "info", None), "Close") == "Close: Saved"
    long = "The quarterly report was exported to the shared drive, and the team was told"
    name = close_name(Toast(3, long, "info", None), "Close")
    subject = name.removeprefix("Close: ")
    assert subject == "The quarterly report was exported to\u2026"
    assert len(subject) <= CLOSE_NAME_MAX_CHARS
    unbroken = "x" * 100
    cut = close_name(Toast(4, unbroken, "info", None), "Close").removeprefix("Close: ")
    assert cut == "x" * (CLOSE_NAME_MAX_CHARS - 1) + "\u2026"
    assert close_name(Toast(5, "two\n  lines", "info", None), "Close") == "Close: two lines"


async def test_issue_14_each_close_button_has_its_own_name() -> None:
    messages = ("Saved", "Sent", "Copied")

    def sender(message: str) -> Callable[[], None]:
        def send() -> None:
            notify(message)

        return send

    def view(_: int) -> Element:
        return html.div(*(Button(m, id=m.lower(), on_click=sender(m)) for m in messages), Toaster())

    async with run_test(App(view=view, state=0)) as pilot:
        for message in messages:
            await pilot.click(f"#{message.lower()}")
        names = [b.attrs["aria-label"] for b in pilot.query("[role=status] button")]
        assert names == [f"Dismiss notification: {m}" for m in messages]
