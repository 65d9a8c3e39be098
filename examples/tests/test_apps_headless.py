"""The three example apps driven headless through ``tempest_core.testing`` (no browser, no server).

Fast checks of the apps' own logic; the browser suites check the same behaviour end to end.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from tempest_core.testing import Pilot, run_test
from tempestweb_contract import Event

EXAMPLES = Path(__file__).resolve().parents[1]
LABEL_RE = re.compile(
    r"^(pretty|large|big|small|tall|short|long|handsome|plain|quaint|clean|elegant|easy|angry|crazy|helpful|"
    r"mushy|odd|unsightly|adorable|important|inexpensive|cheap|expensive|fancy) "
    r"(red|yellow|blue|green|pink|brown|purple|white|black|orange) "
    r"(table|chair|house|bbq|desk|car|pony|cookie|sandwich|burger|pizza|mouse|keyboard)( !!!)*$"
)


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / name / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module through sys.modules
    spec.loader.exec_module(module)
    return module


counter = _load("counter")
todomvc = _load("todomvc")
jsfb = _load("jsfb")


def _texts(pilot: Pilot, selector: str) -> list[str]:
    return [el.text_content for el in pilot.query(selector)]


async def test_counter() -> None:
    async with run_test(counter.app) as pilot:
        assert pilot.text("#count") == "0"
        for button, want in (("#increment", "1"), ("#increment", "2"), ("#decrement", "1"), ("#reset", "0")):
            await pilot.click(button)
            assert pilot.text("#count") == want


async def _add(pilot: Pilot, text: str) -> None:
    await pilot.input(".new-todo", text)
    await pilot.press(".new-todo", "Enter")


async def test_todomvc_add_toggle_edit_filter() -> None:
    async with run_test(todomvc.app) as pilot:
        assert not pilot.query("section.main") and not pilot.query("footer.footer")
        await _add(pilot, "  one  ")
        await _add(pilot, "   ")
        await _add(pilot, "two")
        assert _texts(pilot, ".todo-list li label") == ["one", "two"]
        assert pilot.one(".new-todo").props["value"] == ""
        assert " ".join(pilot.text(".todo-count").split()) == "2 items left"
        await pilot.click(".todo-list li .toggle")
        assert pilot.query(".todo-list li")[0].classes == ("completed",)
        assert " ".join(pilot.text(".todo-count").split()) == "1 item left"
        assert pilot.query(".clear-completed")
        await pilot.click("#toggle-all")
        assert pilot.one("#toggle-all").props["checked"] is True
        await pilot.click("#toggle-all")
        assert pilot.one("#toggle-all").props["checked"] is False
        await pilot.dblclick(".todo-list li label")
        assert "editing" in pilot.query(".todo-list li")[0].classes
        assert pilot.one(".todo-list li .edit").props["value"] == "one"
        await pilot.input(".todo-list li .edit", "discarded")
        await pilot.press(".todo-list li .edit", "Escape")
        assert not pilot.query(".todo-list li .edit")
        assert _texts(pilot, ".todo-list li label") == ["one", "two"]
        await pilot.dblclick(".todo-list li label")
        await pilot.input(".todo-list li .edit", "  uno ")
        await pilot.press(".todo-list li .edit", "Enter")
        assert _texts(pilot, ".todo-list li label") == ["uno", "two"]
        await pilot.click(".todo-list li .toggle")
        pilot.session.navigate("/#/active")
        await pilot.session.flush()
        assert _texts(pilot, ".todo-list li label") == ["two"]
        assert [a.attrs["href"] for a in pilot.query(".filters a.selected")] == ["#/active"]
        pilot.session.navigate("/#/completed")
        await pilot.session.flush()
        assert _texts(pilot, ".todo-list li label") == ["uno"]
        await pilot.click(".clear-completed")
        assert _texts(pilot, ".todo-list li label") == []
        assert " ".join(pilot.text(".todo-count").split()) == "1 item left"


async def test_todomvc_enter_in_same_tick_as_input_clears_the_field() -> None:
    """A keystroke and Enter can reach the session in one tick (one WebSocket read); the new-todo field
    must still be cleared. Found by the browser suite (``after adding 'c'``: ``new_todo`` stayed "c")."""
    async with run_test(todomvc.app) as pilot:
        box = pilot.one(".new-todo")
        box.props["value"] = "c"  # what the browser's input holds after the keystroke
        session: Any = pilot.session
        await session.dispatch(Event(eid=101, node=box.id, name="input", data={"value": "c"}))
        await session.dispatch(
            Event(eid=102, node=box.id, name="keydown", data={"key": "Enter", "value": "c"})
        )
        await session.flush()
        assert _texts(pilot, ".todo-list li label") == ["c"]
        assert pilot.one(".new-todo").props["value"] == "", "the patch after Enter must clear the field"


async def _click_row(pilot: Pilot, row: int, link: str) -> None:
    tr = pilot.query("#tbody > tr")[row - 1]
    target = next(el for el in tr.iter_descendants() if f"a.{el.attrs.get('class')}" == link)
    await pilot.fire(target, "click", {"button": 0})


async def test_jsfb_actions() -> None:
    async with run_test(jsfb.app) as pilot:

        def ids() -> list[int]:
            return [int(tr.children[0].text_content) for tr in pilot.query("#tbody > tr")]

        await pilot.click("#run")
        assert ids() == list(range(1, 1001))
        assert all(LABEL_RE.match(t) for t in _texts(pilot, "#tbody > tr > td.col-md-4 > a"))
        await _click_row(pilot, 5, "a.lbl")
        assert [
            i for i, tr in enumerate(pilot.query("#tbody > tr")) if tr.attrs.get("class") == "danger"
        ] == [4]
        await pilot.click("#swaprows")
        assert ids()[1] == 999 and ids()[998] == 2
        await pilot.click("#update")
        labels = _texts(pilot, "#tbody > tr > td.col-md-4 > a")
        assert all(lbl.endswith(" !!!") == (i % 10 == 0) for i, lbl in enumerate(labels))
        await _click_row(pilot, 2, "a.remove")
        assert len(ids()) == 999 and 999 not in ids()
        await pilot.click("#add")
        assert ids()[-1] == 2000
        await pilot.click("#clear")
        assert ids() == []
        await pilot.click("#runlots")
        assert ids()[0] == 2001 and len(ids()) == 10000


def test_jsfb_label_rule_matches_javascript_rounding() -> None:
    # Math.round(0.0005 * 1000) = Math.round(0.5) = 1 (half up); Python's round(0.5) would give 0.
    rows, next_id = jsfb.build_rows(jsfb.BenchState(next_id=7), 1, rnd=lambda: 0.0005)
    assert next_id == 8
    assert rows[0] == jsfb.BenchRow(7, "large yellow chair")
