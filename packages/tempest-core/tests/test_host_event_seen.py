"""An event runs the handler its node had in the DOM the person acted on (``Event.seen``).

Found by probing the gallery in Mode B: a row's checkbox clicked while a sort's patch was on its
way (the sort took the server 100 ms) was lost (``unknown_handler``: the sort removed that row's
node), and a node that a newer batch re-bound to another row (a recycled virtual row, an unkeyed
list shifting) would have run the other row's handler. The host keeps, per batch the client has
not acknowledged, the listeners it superseded; an event whose ``seen`` is older runs those.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from test_host_render_inline import _frames, _node

from tempest_core import App, Button, Column, Text
from tempest_core.host import Connection, FrameQueue, SessionTable

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


@dataclass(frozen=True)
class Shelf:
    items: tuple[str, ...] = ("a", "b", "c")
    clicked: tuple[str, ...] = ()


def shelf_app(*, keyed: bool) -> App[Shelf]:
    def pick(name: str) -> Any:
        return lambda: app.set_state(lambda s: replace(s, clicked=(*s.clicked, name)))

    def view(state: Shelf) -> Any:
        buttons = [
            Button(name, on_click=pick(name), id=f"item-{name}", key=name if keyed else None)
            for name in state.items
        ]
        clicked = Text(",".join(state.clicked) or "-", id="clicked")
        drop = Button(
            "drop", on_click=lambda: app.set_state(lambda s: replace(s, items=s.items[1:])), id="drop"
        )
        return Column(drop, clicked, Column(*buttons))

    app = App(view=view, state=Shelf)
    return app


async def _open(app: App[Shelf]) -> tuple[Connection, FrameQueue, dict[str, Any]]:
    queue = FrameQueue()
    connection = Connection(SessionTable(app), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    (init,) = await _frames(queue)
    return connection, queue, init


def _id(init: dict[str, Any], element_id: str) -> int:
    return next(n for op in init["ops"] if op[0] == "create" and (n := _node(op[3], element_id)) is not None)


def _event(eid: int, node: int, **extra: int) -> str:
    return json.dumps({"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK, **extra})


def _clicked(connection: Connection) -> tuple[str, ...]:
    assert connection.session is not None
    state: Shelf = connection.session.core.state
    return state.clicked


async def test_issue_13_a_click_on_a_node_a_pending_batch_removed_runs_its_handler() -> None:
    connection, queue, init = await _open(shelf_app(keyed=True))
    seen = init["seq"]
    drop, item_a = _id(init, "drop"), _id(init, "item-a")
    connection.receive(_event(1, drop, seen=seen))  # removes item a's button in batch seen + 1
    (patch,) = await _frames(queue)
    assert ["remove", item_a] in patch["ops"]
    # The person clicked "a" before that patch reached the page.
    connection.receive(_event(2, item_a, seen=seen))
    frames = await _frames(queue)
    assert [f["type"] for f in frames] == ["patch"], frames  # no unknown_handler
    assert _clicked(connection) == ("a",)


async def test_issue_13_a_click_on_a_node_a_pending_batch_rebound_runs_the_handler_shown() -> None:
    # Unkeyed: after "drop" the first button's node shows "b" and is bound to b's handler.
    connection, queue, init = await _open(shelf_app(keyed=False))
    seen = init["seq"]
    drop, first = _id(init, "drop"), _id(init, "item-a")
    connection.receive(_event(1, drop, seen=seen))
    await _frames(queue)
    connection.receive(_event(2, first, seen=seen))  # clicked while it still showed "a"
    await _frames(queue)
    assert _clicked(connection) == ("a",)
    # From the DOM that has the batch, the same node is "b".
    connection.receive(_event(3, first, seen=seen + 1))
    await _frames(queue)
    assert _clicked(connection) == ("a", "b")


async def test_without_seen_or_once_acknowledged_the_current_handler_runs() -> None:
    connection, queue, init = await _open(shelf_app(keyed=False))
    seen = init["seq"]
    drop, first = _id(init, "drop"), _id(init, "item-a")
    connection.receive(_event(1, drop, seen=seen))
    await _frames(queue)
    connection.receive(_event(2, first))  # an older client: no seen
    await _frames(queue)
    assert _clicked(connection) == ("b",)
    session = connection.session
    assert session is not None
    session.trim(seen + 1)  # acknowledged: the superseded listeners are forgotten
    connection.receive(_event(3, first, seen=seen))
    await _frames(queue)
    assert _clicked(connection) == ("b", "b")
    await session.close()


async def test_an_event_acknowledging_newer_batches_than_it_saw_still_runs_the_handler_seen() -> None:
    # A resumed client's queued event: the person acted at seen, then the client applied the
    # replayed batch and acknowledges it inside that very event (ack > seen).
    connection, queue, init = await _open(shelf_app(keyed=True))
    seen = init["seq"]
    drop, item_a = _id(init, "drop"), _id(init, "item-a")
    connection.receive(_event(1, drop, seen=seen))
    (patch,) = await _frames(queue)
    connection.receive(_event(2, item_a, seen=seen, ack=patch["seq"]))
    assert [f["type"] for f in await _frames(queue)] == ["patch"]
    assert _clicked(connection) == ("a",)
