"""The recorded rehearsal (issue 14): what a host whose client is not in its process replays."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tempest_core.host._rehearsal import CLICKS, SCROLL_TOPS, SELECT_ALL, TYPED, recorded
from tempestweb_contract import PROTOCOL_VERSION, Create, Init, Move, Patch, Remove, SetText, decode
from tempestweb_contract.names import EVENT_FIELDS

PAYLOAD_KIND = {"scroll": "scroll", "input": "input", "click": "click", "change": "change"}
"""DOM event type of an action -> its payload kind in ``EVENT_FIELDS``."""


def play() -> dict[str, Any]:
    script: dict[str, Any] = json.loads(asyncio.run(recorded()))
    return script


def test_issue_14_the_recording_answers_every_action_with_one_patch_in_order() -> None:
    script = play()
    assert script["v"] == PROTOCOL_VERSION
    init = decode(script["init"], sender="server")
    assert isinstance(init, Init) and init.ops and init.reset  # a full build in an empty root
    actions, answers = script["actions"], script["answers"]
    assert [a["type"] for a in actions] == [
        *["scroll"] * len(SCROLL_TOPS),
        *["input"] * len(TYPED),
        *["click"] * CLICKS,
        *["change"] * SELECT_ALL,
    ]
    assert len(answers) == len(actions) and all(len(frames) == 1 for frames in answers)
    patches = [decode(frames[0], sender="server") for frames in answers]
    assert all(isinstance(p, Patch) for p in patches)
    # One batch per action, numbered on from the init, each acknowledging the event (eid n) that
    # the client's n-th action sends: the client replaying it sees a consistent session.
    assert [p.seq for p in patches if isinstance(p, Patch)] == list(
        range(init.seq + 1, init.seq + 1 + len(actions))
    )
    assert [p.ack for p in patches if isinstance(p, Patch)] == list(range(1, len(actions) + 1))
    ops = [[type(op) for op in p.ops] for p in patches if isinstance(p, Patch)]
    assert Create in ops[0] and Remove in ops[2] and SetText in ops[3]  # wheel steps, then a jump
    assert all(
        Move in step for step in ops[len(SCROLL_TOPS) + len(TYPED) : -SELECT_ALL]
    )  # the keyed list's clicks


def test_issue_14_each_action_carries_the_payload_its_event_kind_defines() -> None:
    for action in play()["actions"]:
        fields = EVENT_FIELDS[PAYLOAD_KIND[action["type"]]]
        assert action["data"] and set(action["data"]) <= set(fields), action
        assert isinstance(action["node"], int) and isinstance(action["props"], dict)


def test_issue_14_the_recording_is_the_same_every_time_but_for_its_session() -> None:
    first, second = play(), play()
    assert first["actions"] == second["actions"] and first["answers"] == second["answers"]
    one, two = (decode(script["init"], sender="server") for script in (first, second))
    assert isinstance(one, Init) and isinstance(two, Init)
    assert one.ops == two.ops and one.session != two.session  # each a throwaway session of its own
    assert len(json.dumps(first).encode()) < 64 * 1024
