"""The session host renders a plain handler's update inside the transport's receive call.

One rule for every mode (``HostSession.submit``): the patch is queued before ``receive``
returns, and the render runs in the session's context, so effects it runs reach the session's
native bridge as they do when the render runs on the loop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any
from unittest import mock

from tempest_core import App, Button, Column, Text
from tempest_core.hooks import use_effect
from tempest_core.host import Connection, FrameQueue, SessionTable
from tempestweb_contract.native import CURRENT_BRIDGE

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


@dataclass(frozen=True)
class Count:
    n: int = 0


def counter(bridges: list[object]) -> App[Count]:
    def inc() -> None:
        app.set_state(lambda s: replace(s, n=s.n + 1))

    def view(state: Count) -> Any:
        use_effect(lambda: bridges.append(CURRENT_BRIDGE.get()), (state.n,))
        return Column(Text(str(state.n), id="count"), Button("+", on_click=inc, id="inc"))

    app = App(view=view, state=Count)
    return app


def _node(spec: Any, element_id: str) -> int | None:
    if isinstance(spec, list) and spec and spec[0] == "e":
        if spec[3].get("id") == element_id:
            return int(spec[1])
        for child in spec[6]:
            found = _node(child, element_id)
            if found is not None:
                return found
    return None


async def _frames(queue: FrameQueue) -> list[dict[str, Any]]:
    frames = []
    while queue.queued_bytes:
        frame = await queue.get()
        assert frame is not None
        frames.append(json.loads(frame))
    return frames


async def test_issue_13_a_plain_handlers_patch_is_queued_in_receive_and_its_effects_see_the_bridge() -> None:
    bridges: list[object] = []
    queue = FrameQueue()
    connection = Connection(SessionTable(counter(bridges)), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    (init,) = await _frames(queue)
    button = next(n for op in init["ops"] if op[0] == "create" and (n := _node(op[3], "inc")) is not None)
    event = {"type": "event", "eid": 1, "node": button, "name": "click", "data": CLICK}
    connection.receive(json.dumps(event))
    assert queue.queued_bytes > 0  # no loop iteration ran in between
    (patch,) = await _frames(queue)
    assert patch["type"] == "patch" and patch["ack"] == 1
    assert any(op[0] == "text" and op[2] == "1" for op in patch["ops"])
    session = connection.session
    assert session is not None
    # The effects of the first render and of the click's render both saw this session's bridge.
    assert len(bridges) == 2 and all(bridge is session.native for bridge in bridges)
    await session.settle()


async def test_issue_13_the_inline_render_schedules_no_loop_callback_an_async_handler_renders() -> None:
    """A plain handler's update is rendered inside ``receive`` with no ``call_soon`` left behind;
    an ``async`` handler's update made after its first ``await`` is rendered by the loop."""
    import asyncio

    async def later() -> None:
        await asyncio.sleep(0)
        app.set_state(lambda s: replace(s, n=s.n + 10))

    def inc() -> None:
        app.set_state(lambda s: replace(s, n=s.n + 1))

    def view(state: Count) -> Any:
        return Column(
            Text(str(state.n), id="count"),
            Button("+", on_click=inc, id="inc"),
            Button("+10", on_click=later, id="later"),
        )

    app = App(view=view, state=Count)
    queue = FrameQueue()
    connection = Connection(SessionTable(app), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    (init,) = await _frames(queue)

    def node(element_id: str) -> int:
        found = (_node(op[3], element_id) for op in init["ops"] if op[0] == "create")
        return next(n for n in found if n is not None)

    loop = asyncio.get_running_loop()
    with mock.patch.object(loop, "call_soon", wraps=loop.call_soon) as call_soon:
        click = {"type": "event", "eid": 1, "node": node("inc"), "name": "click", "data": CLICK}
        connection.receive(json.dumps(click))
    scheduled = [getattr(c.args[0], "__qualname__", c.args[0]) for c in call_soon.call_args_list]
    assert not any("_render_now" in str(name) for name in scheduled), scheduled
    (patch,) = await _frames(queue)
    assert any(op[0] == "text" and op[2] == "1" for op in patch["ops"])

    click = {"type": "event", "eid": 2, "node": node("later"), "name": "click", "data": CLICK}
    connection.receive(json.dumps(click))
    session = connection.session
    assert session is not None
    for _ in range(10):
        await asyncio.sleep(0)
    (patch,) = await _frames(queue)
    assert patch["ack"] == 2 and any(op[0] == "text" and op[2] == "11" for op in patch["ops"])
    # an unknown node: a typed error, and the session still renders the next click inline
    for eid, target in ((3, 99999), (4, node("inc"))):
        connection.receive(
            json.dumps({"type": "event", "eid": eid, "node": target, "name": "click", "data": CLICK})
        )
    assert queue.queued_bytes > 0
    frames = await _frames(queue)
    assert [f["type"] for f in frames] == ["error", "patch"] and frames[0]["code"] == "unknown_handler"
    assert any(op[0] == "text" and op[2] == "12" for op in frames[1]["ops"])
    await session.settle()
