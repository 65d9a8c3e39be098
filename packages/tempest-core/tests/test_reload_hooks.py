"""A hot reload keeps what components hold in ``use_state`` (as React's Fast Refresh, LiveView).

Each app version is built by a factory, so its component functions are new objects with the same
module and qualified name, as a dev reload's re-imported module gives; the reload goes through
:meth:`SessionTable.reload_app` with a real :class:`Connection` over an in-memory port.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from test_issue_12_reload import _Port

from tempest_core import App, component, html, use_state
from tempest_core.host import Connection, SessionTable
from tempest_core.nodes import Node


def _elements(spec: Any) -> Iterator[list[Any]]:
    """Every element spec (``["e", id, tag, attrs, props, events, children, ns]``) of an op's node."""
    if isinstance(spec, list) and spec and spec[0] == "e":
        yield spec
        for child in spec[6] if len(spec) > 6 else ():
            yield from _elements(child)


def _texts(frames: list[dict[str, Any]]) -> dict[str, str]:
    """Button id -> its text, from the last ``init`` frame."""
    init = next(f for f in reversed(frames) if f["type"] == "init")
    found: dict[str, str] = {}
    for op in init["ops"]:
        if op[0] == "create":
            for el in _elements(op[3]):
                if el[2] == "button":
                    found[el[3]["id"]] = "".join(c[2] for c in el[6] if c[0] == "t")
    return found


def _node(frames: list[dict[str, Any]], button: str) -> int:
    init = next(f for f in reversed(frames) if f["type"] == "init")
    for op in init["ops"]:
        if op[0] == "create":
            for el in _elements(op[3]):
                if el[3].get("id") == button:
                    return int(el[1])
    raise LookupError(button)


def make_app(version: str, *, extra_first: bool = False, text_slot: bool = False) -> App[None]:
    """The same source saved again: ``like`` is a new function of the same name each time."""

    @component
    def like(*, name: str) -> Node:
        initial: Any = "" if text_slot else 0
        count, set_count = use_state(initial)
        return html.button(f"{version} {name} {count}", id=name, on_click=lambda: set_count(lambda n: n + 1))

    @component
    def banner() -> Node:
        seen, _ = use_state(0)
        return html.p(f"banner {seen}")

    def view(_: None) -> Node:
        return html.main(
            banner() if extra_first else None,
            like(name="a", key="a"),
            like(name="b", key="b"),
        )

    return App(view=view, state=None)


async def _session(table: SessionTable) -> tuple[Connection, _Port]:
    port = _Port()
    connection = Connection(table, port, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    return connection, port


async def _click(connection: Connection, port: _Port, button: str, eid: int) -> None:
    node = _node(port.frames, button)
    connection.receive(json.dumps({"type": "event", "eid": eid, "node": node, "name": "click", "data": {}}))
    session = connection.session
    assert session is not None
    await session.core.flush()


async def test_components_keep_their_use_state_across_a_reload() -> None:
    table = SessionTable(make_app("v1"))
    connection, port = await _session(table)
    await _click(connection, port, "a", 1)
    await _click(connection, port, "a", 2)
    await _click(connection, port, "b", 3)
    report = await table.reload_app(make_app("v2"))
    assert (report.reloaded, len(report.failures)) == (1, 0)
    assert _texts(port.frames) == {"a": "v2 a 2", "b": "v2 b 1"}  # new code, the counts kept
    await _click(connection, port, "b", 4)  # the carried setter works: b's next click counts from 1
    patch = port.frames[-1]
    assert patch["type"] == "patch" and "v2 b 2" in json.dumps(patch["ops"])
    await table.close_all()


async def test_a_component_added_before_them_leaves_the_others_paired() -> None:
    table = SessionTable(make_app("v1"))
    connection, port = await _session(table)
    await _click(connection, port, "b", 1)
    await table.reload_app(make_app("v2", extra_first=True))
    assert _texts(port.frames) == {"a": "v2 a 0", "b": "v2 b 1"}
    init = json.dumps(port.frames[-1]["ops"])
    assert "banner 0" in init  # the new component starts from its initial value
    await table.close_all()


async def test_a_slot_whose_type_changed_starts_from_its_new_initial_value() -> None:
    table = SessionTable(make_app("v1"))
    connection, port = await _session(table)
    await _click(connection, port, "a", 1)
    await table.reload_app(make_app("v2", text_slot=True))
    assert _texts(port.frames) == {"a": "v2 a ", "b": "v2 b "}  # int -> str: the new initial ""
    await table.close_all()


async def test_the_next_mount_of_the_reloaded_session_does_not_carry_again() -> None:
    table = SessionTable(make_app("v1"))
    connection, port = await _session(table)
    await _click(connection, port, "a", 1)
    await table.reload_app(make_app("v2"))
    session = connection.session
    assert session is not None and session.core._rec.carry is None  # type: ignore[attr-defined]
    _, second_port = await _session(table)  # a new tab: a fresh session, nothing carried
    assert _texts(second_port.frames) == {"a": "v2 a 0", "b": "v2 b 0"}
    await table.close_all()
