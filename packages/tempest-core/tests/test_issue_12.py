"""Issue 12: failures of app code reach the page with an error id (and, in dev, the traceback).

A failure is logged once, with its traceback and an error id; the host sends the id, and the
traceback (the app's frames first, ``file:line``) only when it shows error details.
"""

from __future__ import annotations

import asyncio
import logging
import re
import traceback
from typing import Any

import pytest

from tempest_core import App, Button, Column, List, Session, SessionError, Text, html
from tempest_core._internal.report import KEPT_FRAMES, clip_detail, format_detail
from tempest_core.host import Connection, SessionTable
from tempest_core.nodes import Node
from tempest_core.testing import run_test
from tempestweb_contract import Error, Event, decode
from tempestweb_contract.constants import MAX_ERROR_DETAIL_CHARS

ERROR_ID = re.compile(r"^[0-9a-f]{8}$")


def _boom() -> None:
    raise ValueError("kaboom")


def _app() -> App[int]:
    def bump() -> None:
        app.set_state(lambda n: n + 1)

    def view(n: int) -> Node:
        if n == 2:
            raise RuntimeError("bad state")
        buttons = (Button("+", on_click=bump, id="inc"), Button("!", on_click=_boom, id="boom"))
        return Column(Text(str(n)), *buttons)

    app: App[int] = App(view=view, state=0)
    return app


class _Recorder:
    def __init__(self, app: App[Any]) -> None:
        self.errors: list[SessionError] = []
        self.session = Session(app, on_error=self.errors.append)
        self.session.mount()

    async def click(self, eid: int, button: str) -> None:
        node = {"inc": 4, "boom": 6}[button]
        await self.session.dispatch(Event(eid=eid, node=node, name="click"))
        await self.session.flush()


def _records_with(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if text in record.getMessage()]


async def test_issue_12_handler_error_has_an_id_and_the_app_frames_first(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = _Recorder(_app())
    await recorder.click(1, "boom")
    (error,) = recorder.errors
    assert error.code == "handler_error" and error.error_id is not None and ERROR_ID.match(error.error_id)
    assert error.detail is not None and error.detail.startswith("ValueError: kaboom\n")
    mine, _, full = error.detail.partition("Traceback (most recent call last):")
    assert re.search(r"test_issue_12\.py:\d+ in _boom\n    raise ValueError\(\"kaboom\"\)", mine), mine
    assert "tempest_core" not in mine and "session.py" in full  # framework frames only in the full one
    (logged,) = _records_with(caplog, error.error_id)  # the traceback is in the log once, with the id
    assert logged.exc_info is not None and logged.levelno == logging.ERROR


async def test_issue_12_a_view_raising_after_a_state_change_says_the_page_is_stale() -> None:
    recorder = _Recorder(_app())
    await recorder.click(1, "inc")
    await recorder.click(2, "inc")  # state 2: the view raises
    (error,) = recorder.errors
    assert "the view raised RuntimeError: bad state" in error.message
    assert error.message.endswith("the page still shows the last view that rendered")
    assert error.detail is not None and "in view" in error.detail.partition("Traceback")[0]


def _deep(levels: int) -> Node:
    node: Node = html.span("leaf")
    for _ in range(levels):
        node = html.div(node)
    return node


async def test_issue_12_a_tree_nested_too_deep_to_update_is_explained_and_its_traceback_is_short(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each update may create at most ``MAX_DEPTH`` levels, but updates can stack them deeper.

    Past a few hundred levels the reconciler's own recursion hits Python's recursion limit: the
    error says so (it was a bare ``RecursionError``), and the logged traceback keeps the first
    and last ``KEPT_FRAMES`` frames (it held about a thousand frames of three functions, logged on
    every render). The session goes on with the last view that rendered.
    """

    def deeper() -> None:
        app.set_state(lambda n: n + 200)

    def view(n: int) -> Node:
        return Column(Button("deeper", on_click=deeper, id="deeper"), _deep(n))

    app: App[int] = App(view=view, state=0)
    async with run_test(app, raise_errors=False) as pilot:
        for _ in range(5):  # 200, 400, ... 1,000 levels
            await pilot.click("#deeper")
        errors = list(pilot.errors)
        assert pilot.text("#deeper") == "deeper"  # still answering
    assert errors and all(e.code == "handler_error" for e in errors), errors
    message = errors[0].message
    assert message.startswith("the view raised RecursionError: ")
    assert "; elements nested too deep to update (recursion limit " in message
    assert message.endswith("the page still shows the last view that rendered")
    (logged,) = _records_with(caplog, errors[0].error_id or "?")
    assert logged.exc_info is not None
    frames = traceback.extract_tb(logged.exc_info[2])
    assert len(frames) <= 2 * KEPT_FRAMES, len(frames)


async def test_issue_12_a_view_recursing_in_its_own_code_gets_no_depth_note() -> None:
    def endless(n: int) -> int:
        return endless(n + 1)

    def go() -> None:
        app.set_state(lambda n: n + 1)

    def view(n: int) -> Node:
        return Column(Button("go", on_click=go, id="go"), Text(str(endless(n) if n else 0)))

    app: App[int] = App(view=view, state=0)
    async with run_test(app, raise_errors=False) as pilot:
        await pilot.click("#go")
        (error,) = pilot.errors
    assert error.message.startswith("the view raised RecursionError: ")
    assert "nested too deep" not in error.message


async def test_issue_12_list_without_key_is_reported_not_silent() -> None:
    """A ``List`` without ``key=`` shown after a state change used to leave the page stale, silently."""

    def add() -> None:
        app.set_state(lambda items: [*items, len(items)])

    def view(items: list[int]) -> Node:
        listing = List(items=items, render=lambda i: Text(str(i))) if items else Text("empty")
        return Column(Button("add", on_click=add, id="add"), listing)

    app: App[list[int]] = App(view=view, state=[])
    async with run_test(app, raise_errors=False) as pilot:
        await pilot.click("#add")
        (error,) = pilot.errors
        assert pilot.text("#add") == "add"  # the last good view stays, and the error says so
        assert "List(key=...): required argument is missing" in error.message
        assert error.detail is not None and re.search(r"test_issue_12\.py:\d+ in view", error.detail)


def test_issue_12_first_view_error_carries_its_id_and_detail(caplog: pytest.LogCaptureFixture) -> None:
    def view(_: None) -> Node:
        return html.p(str(1 / 0))

    with pytest.raises(SessionError) as info:
        Session(App(view=view)).mount()
    error = info.value
    assert error.error_id is not None and ERROR_ID.match(error.error_id)
    assert error.detail is not None and error.detail.startswith("ZeroDivisionError: division by zero")
    assert len(_records_with(caplog, error.error_id)) == 1


class _Port:
    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def send(self, frame: bytes, /) -> None:
        self.frames.append(frame)

    def close(self, code: int, reason: str, /) -> None:
        pass

    def errors(self) -> list[Error]:
        messages = (decode(f, sender="server") for f in self.frames)
        return [m for m in messages if isinstance(m, Error) and m.code == "handler_error"]


async def _error_frame(*, debug: bool, caplog: pytest.LogCaptureFixture) -> Error:
    table = SessionTable(_app(), debug=debug)
    port = _Port()
    connection = Connection(table, port, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    connection.receive('{"type":"event","eid":1,"node":6,"name":"click","data":{}}')
    session = connection.session
    assert session is not None
    await session.settle()
    await table.close_all()
    (error,) = port.errors()
    assert error.id is not None and len(_records_with(caplog, error.id)) == 1  # logged once, with its id
    return error


async def test_issue_12_without_details_the_page_gets_a_generic_message_and_the_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    error = await _error_frame(debug=False, caplog=caplog)
    assert error.code == "handler_error" and error.detail is None
    assert "kaboom" not in error.message and "error id" in error.message


async def test_issue_12_with_details_the_page_gets_the_message_and_the_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    error = await _error_frame(debug=True, caplog=caplog)
    assert "the 'click' handler" in error.message and "ValueError: kaboom" in error.message
    assert error.detail is not None and re.search(r"test_issue_12\.py:\d+ in _boom", error.detail)


def test_issue_12_a_long_traceback_keeps_its_start_and_end() -> None:
    def recurse(n: int) -> None:
        if n == 0:
            raise OverflowError("deep")
        recurse(n - 1)

    try:
        recurse(400)
    except OverflowError as exc:
        text = format_detail(exc)
    assert len(text) > MAX_ERROR_DETAIL_CHARS
    clipped = clip_detail(text, MAX_ERROR_DETAIL_CHARS)
    assert len(clipped) == MAX_ERROR_DETAIL_CHARS
    assert clipped.startswith("OverflowError: deep") and clipped.endswith("OverflowError: deep")
    assert "\n[...]\n" in clipped and clip_detail("short", 100) == "short"


def test_issue_12_error_ids_differ() -> None:
    async def main() -> set[str | None]:
        recorder = _Recorder(_app())
        for eid in (1, 2, 3):
            await recorder.click(eid, "boom")
        return {error.error_id for error in recorder.errors}

    assert len(asyncio.run(main())) == 3
