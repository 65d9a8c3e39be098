"""Issue 12: a hot reload carries the state across a change of the state class, reports once.

:func:`carry_state` on each kind of record (dataclass, Pydantic model, msgspec Struct) and on
plain values; :meth:`SessionTable.reload_app` with connected and disconnected sessions (real
:class:`Connection` objects over an in-memory port), a changed state class and a failing view.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from typing import Any

import msgspec
import pydantic
import pytest

from tempest_core import App, html
from tempest_core.host import Connection, SessionTable
from tempest_core.host._reload import carry_state
from tempest_core.nodes import Node


def _classes(kind: str, fields: dict[str, Any]) -> Any:
    annotations = {name: type(value) for name, value in fields.items()}
    if kind == "dataclass":
        namespace = {"__annotations__": annotations, **fields}
        return dataclasses.dataclass(frozen=True)(type("State", (), namespace))
    if kind == "pydantic":
        return pydantic.create_model("State", **{n: (type(v), v) for n, v in fields.items()})  # type: ignore[call-overload]
    return msgspec.defstruct("State", [(n, type(v), v) for n, v in fields.items()], frozen=True)


@pytest.mark.parametrize("kind", ["dataclass", "pydantic", "msgspec"])
def test_issue_12_added_fields_take_their_default_and_the_others_keep_their_value(kind: str) -> None:
    old_class = _classes(kind, {"count": 0, "label": "a"})
    new_class = _classes(kind, {"count": 0, "tags": ("new",), "done": False})
    carried = carry_state(old_class(count=7, label="typed"), new_class())
    assert isinstance(carried.state, new_class)
    assert (carried.state.count, carried.state.tags, carried.state.done) == (7, ("new",), False)
    assert carried.kept == ("count",) and carried.added == ("tags", "done") and carried.removed == ("label",)
    assert carried.notice == (
        "State changed: added 'tags', 'done' (initial value); removed 'label' (value dropped); kept 'count'"
    )
    assert "Removed, their values are gone: 'label'." in carried.explain()


@pytest.mark.parametrize("kind", ["dataclass", "pydantic", "msgspec"])
def test_issue_12_a_class_redefined_with_the_same_fields_is_carried_silently(kind: str) -> None:
    before, after = _classes(kind, {"count": 0}), _classes(kind, {"count": 0})
    carried = carry_state(before(count=3), after())
    assert isinstance(carried.state, after) and carried.state.count == 3 and carried.notice is None


def test_issue_12_plain_state_and_type_changes() -> None:
    assert carry_state(5, 0).state == 5 and carry_state(5, 0).notice is None
    changed = carry_state(5, "zero")
    assert changed.state == "zero"
    assert changed.notice == "the state changed from int to str: starting from the initial state"


def test_issue_12_a_value_the_new_class_rejects_starts_from_the_initial_state() -> None:
    old = _classes("pydantic", {"count": "many"})
    new = pydantic.create_model("State", count=(int, 0), __config__=pydantic.ConfigDict(frozen=True))
    strict: Any = type("State", (new,), {"model_copy": lambda self, update: new.model_validate(update)})
    carried = carry_state(old(), strict())
    assert carried.state.count == 0
    assert carried.notice is not None and "rejects the previous values (ValidationError" in carried.notice


class _Port:
    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    def send(self, frame: bytes) -> None:
        self.frames.append(json.loads(frame))

    def close(self, code: int, reason: str) -> None:
        pass


def _app(state_class: type, view_text: str) -> App[Any]:
    def bump() -> None:
        app.set_state(lambda s: dataclasses.replace(s, count=s.count + 1))

    def view(s: Any) -> Node:
        if view_text == "raise":
            raise RuntimeError("the new view broke")
        return html.main(html.p(view_text.format(s=s), id="out"), html.button("+", id="inc", on_click=bump))

    app: App[Any] = App(view=view, state=state_class())
    return app


async def test_issue_12_reload_app_carries_state_reports_once_and_drops_disconnected(
    caplog: pytest.LogCaptureFixture,
) -> None:
    v1 = _classes("dataclass", {"count": 0, "label": "a"})
    v2 = _classes("dataclass", {"count": 0, "tags": ("t",)})
    table = SessionTable(_app(v1, "{s.count}"), debug=True)
    ports = [_Port() for _ in range(3)]
    connections = [Connection(table, port, transport="test") for port in ports]
    for connection in connections:
        connection.receive('{"type":"hello","v":1,"path":"/"}')
    sessions = [c.session for c in connections]
    assert all(s is not None for s in sessions)
    for session in sessions[:2]:
        assert session is not None
        session.core.state = v1(count=4, label="x")
    connections[2].detach()  # the tab went away (the transport closed)
    await asyncio.sleep(0)

    with caplog.at_level(logging.WARNING, logger="tempestweb.host"):
        report = await table.reload_app(_app(v2, "{s.count} {s.tags}"))
    assert (report.reloaded, report.dropped, len(report.failures)) == (2, 1, 0)
    assert len(table) == 2 and sessions[2] is not None and sessions[2].closed
    notices = [r for r in caplog.records if "notice" in r.getMessage()]
    assert len(notices) == 1 and "hot reload in 2 session(s)" in notices[0].getMessage()
    for port in ports[:2]:
        init, notice = port.frames[-2:]
        assert init["type"] == "init" and init["reset"] is True
        assert "4 ('t',)" in json.dumps(init["ops"])
        assert notice["type"] == "error" and notice["message"].startswith("hot reload: State changed")
    assert ports[0].frames[-1]["id"] == ports[1].frames[-1]["id"]

    caplog.clear()
    with caplog.at_level(logging.ERROR):
        broken = await table.reload_app(_app(v2, "raise"))
    assert (broken.reloaded, broken.dropped, len(broken.failures)) == (0, 0, 1)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]  # once for both sessions
    assert "hot reload failed in 2 session(s)" in errors[0].getMessage()
    error_id = broken.failures[0].error_id
    for port in ports[:2]:
        assert port.frames[-1]["id"] == error_id
        assert port.frames[-1]["message"] == (
            "reload failed, the page keeps the previous version: "
            "the view raised RuntimeError: the new view broke"
        )
    await table.close_all()


_MODELS = {
    "dataclass": (
        "import dataclasses\n"
        "@dataclasses.dataclass(frozen=True)\n"
        "class Todo:\n    title: str\n    done: bool = False\n{added}\n"
        "@dataclasses.dataclass(frozen=True)\n"
        "class State:\n    todos: tuple[Todo, ...] = ()\n"
        "    by_tag: dict[str, list[Todo]] = dataclasses.field(default_factory=dict)\n"
    ),
    "pydantic": (
        "import pydantic\n"
        "class Todo(pydantic.BaseModel, frozen=True):\n    title: str\n    done: bool = False\n{added}\n"
        "class State(pydantic.BaseModel, frozen=True):\n    todos: tuple[Todo, ...] = ()\n"
        "    by_tag: dict[str, list[Todo]] = {{}}\n"
    ),
    "msgspec": (
        "import msgspec\n"
        "class Todo(msgspec.Struct, frozen=True):\n    title: str\n    done: bool = False\n{added}\n"
        "class State(msgspec.Struct, frozen=True):\n    todos: tuple[Todo, ...] = ()\n"
        "    by_tag: dict[str, list[Todo]] = {{}}\n"
    ),
}


def _import_models(folder: Any, name: str, source: str) -> Any:
    import importlib
    import sys

    (folder / f"{name}.py").write_text(source)
    sys.modules.pop(name, None)  # as the dev reload forgets the app folder's modules
    importlib.invalidate_caches()
    return importlib.import_module(name)


@pytest.mark.parametrize("kind", ["dataclass", "pydantic", "msgspec"])
def test_issue_12_nested_records_are_carried_to_their_reloaded_class(
    kind: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    name = f"reload_models_{kind}"
    before = _import_models(tmp_path, name, _MODELS[kind].format(added=""))
    milk = before.Todo(title="milk", done=True)
    old = before.State(todos=(milk, before.Todo(title="bread")), by_tag={"shop": [milk]})
    after = _import_models(tmp_path, name, _MODELS[kind].format(added="    priority: int = 1\n"))
    carried = carry_state(old, after.State())
    assert carried.notice is None  # State kept its fields; Todo's added field has a default
    todos = carried.state.todos
    assert all(type(todo) is after.Todo for todo in todos)
    assert [(t.title, t.done, t.priority) for t in todos] == [("milk", True, 1), ("bread", False, 1)]
    assert (
        type(carried.state.by_tag["shop"][0]) is after.Todo
        and carried.state.by_tag["shop"][0].title == "milk"
    )


@pytest.mark.parametrize("kind", ["dataclass", "msgspec"])
def test_issue_12_a_nested_field_added_without_default_starts_over_with_a_notice(
    kind: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    name = f"reload_models_required_{kind}"
    before = _import_models(tmp_path, name, _MODELS[kind].format(added=""))
    old = before.State(todos=(before.Todo(title="milk"),))
    # A field without a default must come before the defaulted ones in a dataclass/Struct.
    source = _MODELS[kind].format(added="").replace("    title: str\n", "    title: str\n    owner: str\n")
    after = _import_models(tmp_path, name, source)
    carried = carry_state(old, after.State())
    assert carried.state == after.State()
    assert carried.notice is not None and "Todo.owner was added without a default" in carried.notice


def test_issue_12_nested_records_of_unreloaded_modules_are_kept_as_they_are() -> None:
    inner = msgspec.defstruct("Inner", [("n", int)])  # not found in any module: kept
    old_state = _classes("dataclass", {"items": ()})(items=(inner(n=1),))
    carried = carry_state(old_state, _classes("dataclass", {"items": ()})())
    assert carried.state.items[0] is old_state.items[0] and carried.notice is None


async def test_issue_12_a_state_class_that_cannot_be_built_keeps_the_previous_version(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Found by probing as a new user: adding a field with no default to the state dataclass
    # under ``tempestweb dev`` (App(state=Counter)) made Counter() raise inside the reload, and
    # the dev server exited with a traceback.
    v1 = _classes("dataclass", {"count": 0})
    table = SessionTable(_app(v1, "{s.count}"), debug=True)
    port = _Port()
    connection = Connection(table, port, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    session = connection.session
    assert session is not None
    session.core.state = v1(count=3)

    @dataclasses.dataclass(frozen=True)
    class Needy:
        count: int
        label: str  # no default: Needy() raises TypeError

    with caplog.at_level(logging.ERROR):
        report = await table.reload_app(App(view=lambda s: html.p(str(s)), state=Needy))
    assert (report.reloaded, len(report.failures)) == (0, 1)
    assert session.core.state == v1(count=3)  # the previous version stays, with its state
    error = port.frames[-1]
    assert error["type"] == "error" and error["id"] == report.failures[0].error_id
    assert error["message"].startswith(
        "reload failed, the page keeps the previous version: the app's initial state raised TypeError"
    )
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "hot reload failed in 1 session(s)" in errors[0].getMessage()
    await table.close_all()
