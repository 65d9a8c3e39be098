"""Which Toaster shows ``notify()`` toasts: the session's default one when the view has none, the
first mounted one of the view otherwise (issue 14: a notify without a Toaster was lost)."""

from __future__ import annotations

import asyncio
import gc
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tempest_core import App, Session, notify, render_to_html
from tempest_core.html import html
from tempest_core.nodes import Node
from tempest_core.testing import DomModel, Pilot, run_test
from tempest_core.widgets import Button, Toaster
from tempestweb_contract import ROOT_ID, Create, Event, Op

SETTLE_POLLS = 500  # bounded waits on a condition (10 ms apart), never a timing assertion


async def wait_for(pilot: Pilot, condition: Callable[[], bool]) -> None:
    for _ in range(SETTLE_POLLS):
        await pilot.wait()
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"condition never held; the page is {pilot.html()}")


def regions(pilot: Pilot) -> int:
    return len(pilot.query("[role=region][aria-label=Notifications]"))


def bare_app() -> App[int]:
    return App(view=lambda _: html.div(Button("Send", id="send", on_click=lambda: notify("Saved"))), state=0)


async def test_issue_14_notify_without_a_toaster_shows_in_the_default_one() -> None:
    async with run_test(bare_app()) as pilot:
        assert regions(pilot) == 0  # nothing until it is needed: no node, rule or op
        await pilot.click("#send")
        assert regions(pilot) == 1
        root = pilot.dom.root.children
        assert len(root) == 2 and root[1] is pilot.one("[role=region]")  # after the view
        await wait_for(pilot, lambda: pilot.text("[role=status]") == "Saved\u00d7")
        await pilot.click("[aria-label='Dismiss notification: Saved']")
        assert pilot.text("[role=status]") == ""
        await pilot.click("#send")  # the regions stay: the next toast shows in them
        assert regions(pilot) == 1
        await wait_for(pilot, lambda: pilot.text("[role=status]") == "Saved\u00d7")


async def test_the_default_toasters_live_regions_are_on_the_page_before_its_first_toast() -> None:
    batches: list[tuple[Op, ...]] = []
    session = Session(bare_app(), on_patch=lambda ops, _ack: batches.append(ops))
    dom = DomModel()
    dom.apply_all(session.mount())
    button = next(n for n in dom.root.iter_descendants() if n.attrs.get("id") == "send")
    await session.dispatch(Event(1, button.id, "click", {}))
    await session.flush()
    first = batches[-1]
    created = [op for op in first if isinstance(op, Create) and op.parent == ROOT_ID]
    assert len(created) == 1
    for ops in batches:
        dom.apply_all(ops)
    assert "Saved" not in dom.root.text_content  # not in the patch that creates the regions
    for _ in range(SETTLE_POLLS):
        await asyncio.sleep(0.01)
        await session.flush()
        if len(batches) > 1:
            break
    for ops in batches[1:]:
        dom.apply_all(ops)
    assert "Saved" in dom.root.text_content
    await session.close()


@dataclass
class Shown:
    shell: bool = True
    page: bool = True


def two_toasters_app() -> App[Shown]:
    def setter(shell: bool | None, page: bool | None) -> Callable[[], None]:
        def change(s: Shown) -> Shown:
            return Shown(s.shell if shell is None else shell, s.page if page is None else page)

        return lambda: app.set_state(change)

    def view(s: Shown) -> Node:
        return html.div(
            html.div(Toaster(label="Shell toasts"), id="shell", key="shell") if s.shell else None,
            html.div(Toaster(label="Page toasts", placement="top-center"), id="page", key="page")
            if s.page
            else None,
            Button("Send", key="send", id="send", on_click=lambda: notify("Hello", duration_s=None)),
            Button("Drop shell", key="ds", id="drop-shell", on_click=setter(False, None)),
            Button("Drop page", key="dp", id="drop-page", on_click=setter(None, False)),
            Button("Add shell", key="as", id="add-shell", on_click=setter(True, None)),
        )

    app = App(view=view, state=Shown)
    return app


async def test_two_toasters_the_first_mounted_shows_the_toasts(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="tempest_core.toast"):
        async with run_test(two_toasters_app()) as pilot:
            assert "2 Toasters are mounted" in caplog.text
            await pilot.click("#send")
            assert pilot.text("#shell [role=status]") == "Hello\u00d7"
            assert pilot.text("#page [role=status]") == ""  # not both
            assert len(pilot.query("[role=region]")) == 2  # the default one was never added
            await pilot.click("#drop-shell")  # the next one takes over, toasts kept
            assert pilot.text("#page [role=status]") == "Hello\u00d7"
            await pilot.click("#add-shell")  # mounted later: stays empty, the toast does not move
            assert pilot.text("#shell [role=status]") == ""
            assert pilot.text("#page [role=status]") == "Hello\u00d7"


async def test_the_default_toaster_takes_over_and_hands_back() -> None:
    async with run_test(two_toasters_app()) as pilot:
        await pilot.click("#send")
        await pilot.click("#drop-shell")
        await pilot.click("#drop-page")  # no Toaster left in the view; the toast stays shown
        assert pilot.one("[role=region]").attrs["aria-label"] == "Notifications"
        assert pilot.text("[role=status]") == "Hello\u00d7"
        await pilot.click("#add-shell")  # one of the view again: the default one renders nothing
        assert [r.attrs["aria-label"] for r in pilot.query("[role=region]")] == ["Shell toasts"]
        assert pilot.text("#shell [role=status]") == "Hello\u00d7"


async def test_an_app_toaster_gets_the_toasts_and_no_default_one_is_added() -> None:
    app = App(
        view=lambda _: html.div(
            Button("Send", id="send", on_click=lambda: notify("Saved")), Toaster(placement="top-center")
        ),
        state=0,
    )
    async with run_test(app) as pilot:
        await pilot.click("#send")
        assert regions(pilot) == 1 and len(pilot.dom.root.children) == 1
        assert pilot.text("[role=status]") == "Saved\u00d7"  # at once: its regions were there


def test_a_notify_in_the_first_view_is_prerendered_after_the_view_with_the_sessions_ids() -> None:
    def view(_: int) -> Node:
        notify("Welcome", duration_s=None)
        return html.p("Home")

    app = App(view=view, state=0, theme=None)
    prerendered = render_to_html(app)
    assert prerendered.index("Home") < prerendered.index('aria-label="Notifications"')
    session = Session(app)
    ops = session.mount()
    creates = [op for op in ops if isinstance(op, Create)]
    assert [op.parent for op in creates] == [ROOT_ID, ROOT_ID]
    assert session.render_html() in prerendered  # same markup, same ids: hydration adopts it
    assert [op for op in session.resync() if isinstance(op, Create)] == creates


def test_add_overlay_root_is_idempotent_and_ignored_once_closed() -> None:
    def overlay() -> Node:
        return html.aside("overlay")

    session = Session(App(view=lambda _: html.main("view"), state=0, theme=None))
    session.mount()
    session.add_overlay_root(overlay)
    session.add_overlay_root(overlay)
    assert session.render_html().count("overlay") == 1
    asyncio.run(session.close())
    session.add_overlay_root(lambda: html.aside("late"))
    assert "late" not in session.render_html()


def test_a_session_that_was_never_closed_is_collected_with_its_toasters() -> None:
    # A prerender's session is dropped without close(): the toast store must not keep it alive.
    def view(_: int) -> Node:
        notify("Welcome", duration_s=None)
        return html.div(Toaster(), Toaster(label="Second"))

    session = Session(App(view=view, state=0))
    session.mount()
    ref = weakref.ref(session)
    del session
    gc.collect()
    assert ref() is None
