"""The recorded rehearsal (issue 14): what a host whose client is not in its process replays."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tempest_core.host._rehearsal import CLICKS, RECORDED_SESSION, SCROLL_TOPS, SELECT_ALL, TYPED, recorded
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


def test_issue_14_the_recording_is_the_same_bytes_every_time() -> None:
    # Each play is a throwaway session of its own, but what it records names none of them: the
    # recording (and so its ETag) is the same in every worker process, and a page revalidating
    # it on another worker gets a 304. It differed by the session's id and token before.
    first, second = (asyncio.run(recorded()) for _ in range(2))
    assert first == second
    init = decode(json.loads(first)["init"], sender="server")
    assert isinstance(init, Init) and init.session == RECORDED_SESSION and init.token is None
    assert len(first.encode()) < 64 * 1024
