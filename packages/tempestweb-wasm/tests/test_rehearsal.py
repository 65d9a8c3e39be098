"""The idle-time rehearsal (issue 14): a throwaway session that runs a first scroll, typing and clicks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

from tempest_core import App, Node, html
from tempest_core.host._rehearsal import CLICKS, SCROLL_TOPS, SELECT_ALL, TYPED, Rehearsal
from tempestweb_contract import (
    Create,
    ElementNode,
    Init,
    Move,
    NodeSpec,
    Patch,
    Remove,
    SetProps,
    SetText,
    decode,
)
from tempestweb_wasm.runtime import Runtime, rehearsal


def walk(spec: NodeSpec) -> Iterator[NodeSpec]:
    yield spec
    if isinstance(spec, ElementNode):
        for child in spec.children:
            yield from walk(child)


def client_frame(action: dict[str, Any], eid: int, ack: int) -> str:
    """The ``event`` frame the JS client sends for one DOM action (client/src/events.js ``payload``)."""
    props = action["props"]
    data: dict[str, Any]
    if action["type"] == "scroll":
        data = {
            "scroll_top": props["scrollTop"],
            "scroll_left": props["scrollLeft"],
            "client_height": props["clientHeight"],
            "client_width": props["clientWidth"],
        }
    elif action["type"] == "input":
        data = {"value": props["value"]}
    elif action["type"] == "click":
        data = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
    else:
        data = {"value": "on", "checked": props["checked"]}
    event = {"type": "event", "eid": eid, "node": action["node"], "name": action["type"], "data": data}
    return json.dumps({**event, "ack": ack} if ack else event)


def run_through(frames: list[str]) -> Rehearsal:
    """Play the rehearsal as its JS client does: ``hello``, then each action's event with the ack."""
    played = rehearsal(frames.append)
    assert played.actions() == "[]"  # nothing to do before the init
    played.receive(json.dumps({"type": "hello", "v": 1, "path": "/"}))
    actions = json.loads(played.actions())
    assert [a["type"] for a in actions] == [
        *["scroll"] * len(SCROLL_TOPS),
        *["input"] * len(TYPED),
        *["click"] * CLICKS,
        *["change"] * SELECT_ALL,
    ]
    seq = 0
    for eid, action in enumerate(actions, start=1):
        played.receive(client_frame(action, eid, seq))
        seq = json.loads(frames[-1])["seq"]
    return played


def test_issue_14_the_rehearsal_answers_every_step_with_a_patch_and_no_error() -> None:
    frames: list[str] = []
    played = run_through(frames)
    messages = [decode(frame, sender="server") for frame in frames]
    assert isinstance(messages[0], Init) and messages[0].ops  # a full build, no hydration
    patches = messages[1:]
    assert all(isinstance(m, Patch) for m in patches), [type(m).__name__ for m in patches]
    assert len(patches) == len(SCROLL_TOPS) + len(TYPED) + CLICKS + SELECT_ALL
    ops = [[type(op) for op in m.ops] for m in patches if isinstance(m, Patch)]
    scrolls = ops[: len(SCROLL_TOPS)]
    # Wheel steps create the rows entering the window (the second one leads the scroll), the third
    # also removes rows leaving it; a jump recycles every row (new texts) and drops the lead.
    assert all(Create in step for step in scrolls[:3]) and Remove in scrolls[2]
    assert scrolls[1].count(Create) > scrolls[0].count(Create)
    assert all(SetText in step and Create not in step for step in scrolls[3:])
    clicks = ops[-CLICKS - SELECT_ALL : -SELECT_ALL]
    assert all(Create in step and Remove in step and Move in step for step in clicks)
    # "Select all rows" sets the checked property of the header's box and of every row's box.
    assert ops[-1].count(SetProps) >= 10  # the header box and the 19 rows in the window
    # Each event acknowledged the patch before it, as the JS client does: only the last patch is
    # still kept for a resume.
    session = next(iter(played.table))
    assert session.seq == len(patches)
    assert [seq for seq, _ in session._replay] == [len(patches)]
    asyncio.run(played.close())
    assert len(played.table) == 0


def test_issue_14_the_rehearsal_runs_apart_from_the_page_session() -> None:
    def view(state: int) -> Node:
        return html.p(str(state), id="page")

    page_frames: list[str] = []
    runtime = Runtime(App(view=view, state=0), send=page_frames.append)
    runtime.receive(json.dumps({"type": "hello", "v": 1, "path": "/"}))
    assert runtime.session is not None
    before = list(runtime.table)

    frames: list[str] = []
    played = run_through(frames)
    asyncio.run(played.close())

    assert list(runtime.table) == before  # the page's session table is untouched
    assert runtime.session.state == 0
    assert len(page_frames) == 1  # the page got its init and nothing from the rehearsal
    assert all("tw-rehearsal" not in frame for frame in page_frames)


def test_issue_14_the_actions_name_the_elements_a_person_would_use() -> None:
    frames: list[str] = []
    played = rehearsal(frames.append)
    played.receive(json.dumps({"type": "hello", "v": 1, "path": "/"}))
    (init,) = (decode(frame, sender="server") for frame in frames)
    assert isinstance(init, Init)
    specs = {spec.id: spec for op in init.ops if isinstance(op, Create) for spec in walk(op.node)}
    actions = json.loads(played.actions())
    targets = {a["type"]: specs[a["node"]] for a in actions}
    assert all(isinstance(spec, ElementNode) for spec in targets.values())
    scroll, text, click, change = (targets[t] for t in ("scroll", "input", "click", "change"))
    assert isinstance(scroll, ElementNode) and scroll.attrs.get("role") == "region"
    assert isinstance(text, ElementNode) and text.tag == "input" and "input" in text.events
    assert isinstance(click, ElementNode) and click.tag == "button" and "click" in click.events
    assert isinstance(change, ElementNode) and change.attrs.get("type") == "checkbox"
    assert [a["props"]["scrollTop"] for a in actions if a["type"] == "scroll"] == list(SCROLL_TOPS)
    assert [a["props"]["value"] for a in actions if a["type"] == "input"] == list(TYPED)
    asyncio.run(played.close())
    assert played.actions() == "[]"  # closed: nothing more to do


def test_issue_14_a_fatal_error_ends_the_rehearsal() -> None:
    frames: list[str] = []
    played = rehearsal(frames.append)
    played.receive(json.dumps({"type": "hello", "v": 1, "path": "/"}))
    played._connection.fail("internal", "stop")  # what a host bug would end with
    assert played.actions() == "[]"
    assert json.loads(frames[-1])["code"] == "internal"
    asyncio.run(played.close())
