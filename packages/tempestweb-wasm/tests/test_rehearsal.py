"""The idle-time rehearsal (issue 14): a throwaway session that runs a first scroll, typing and clicks."""

from __future__ import annotations

import asyncio
import json

from tempest_core import App, Node, html
from tempestweb_contract import Create, Init, Move, Patch, Remove, SetProps, SetText, decode
from tempestweb_wasm._rehearsal import CLICKS, SCROLL_TOPS, SELECT_ALL, TYPED, Rehearsal
from tempestweb_wasm.runtime import Runtime, rehearsal


def run_through(frames: list[str]) -> Rehearsal:
    played = rehearsal(frames.append)
    steps = 1
    while played.step():
        steps += 1
    assert steps == 1 + len(SCROLL_TOPS) + len(TYPED) + CLICKS + SELECT_ALL
    assert not played.step()  # done: nothing more is sent
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
    assert [seq for seq, _, _ in session._replay] == [len(patches)]
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


def test_issue_14_a_fatal_error_ends_the_rehearsal() -> None:
    frames: list[str] = []
    played = rehearsal(frames.append)
    played._connection.fail("internal", "stop")  # what a host bug would end with
    assert not played.step()
    assert json.loads(frames[-1])["code"] == "internal"
    asyncio.run(played.close())
