"""A view nested deeper than the contract's ``MAX_DEPTH`` in one update is a clear app error.

The contract bounds the depth of one created subtree (``MAX_DEPTH``, docs/protocol.md); a JS
client refuses a deeper batch and asks for a full resync, which would carry the same subtree
again. The host therefore never sends one: the render fails with a ``WidgetError`` saying so,
the session answers ``error{handler_error}`` (not a loop of resyncs, not a ``RecursionError``).
A tree that patches grew deeper, each within the bound, is resynced in several ``Create`` ops.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import pytest
from test_host_render_inline import CLICK, _frames, _node

from tempest_core import App, Button, Column, Node, html
from tempest_core._internal.serialize import spec_of
from tempest_core.host import Connection, FrameQueue, SessionTable
from tempestweb_contract import MAX_DEPTH, ROOT_ID, Create, ElementNode, NodeSpec, check_ops, decode

# A Column holds the button and the nested divs, and the innermost span holds a text: the
# created subtree is ``levels + 2`` deep (the Column, the divs, the span).


@dataclass(frozen=True)
class Depth:
    levels: int


def deep_app(levels: int) -> App[Depth]:
    def deeper() -> None:
        app.set_state(lambda s: replace(s, levels=s.levels + 1))

    def view(state: Depth) -> Node:
        node: Node = html.span("leaf", id="leaf")
        for _ in range(state.levels):
            node = html.div(node)
        return Column(Button("deeper", on_click=deeper, id="deeper"), node)

    app = App(view=view, state=Depth(levels))
    return app


async def _open(levels: int, *, debug: bool = False) -> tuple[Connection, FrameQueue, dict[str, Any]]:
    queue = FrameQueue()
    connection = Connection(SessionTable(deep_app(levels), debug=debug), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    (first,) = await _frames(queue)
    return connection, queue, first


async def test_a_view_exactly_max_depth_deep_is_sent_and_passes_the_contracts_check() -> None:
    connection, _, init = await _open(MAX_DEPTH - 2)
    assert init["type"] == "init"
    check_ops(decode(json.dumps(init), sender="server").ops)  # type: ignore[union-attr]
    assert connection.session is not None
    await connection.session.settle()


@pytest.mark.parametrize("levels", [MAX_DEPTH - 1, 600])
async def test_a_view_deeper_than_max_depth_is_a_clear_error_not_a_frame_the_client_refuses(
    levels: int,
) -> None:
    connection, _, error = await _open(levels, debug=True)  # a host showing error details
    assert error["type"] == "error" and error["code"] == "handler_error", error
    assert f"more than {MAX_DEPTH} deep in one update" in error["message"]
    assert "RecursionError" not in error["message"]
    assert connection.session is None  # the first render failed: no session was opened


GROWN = 40
"""Levels the updates add to a tree ``MAX_DEPTH`` deep."""


def _document(creates: list[Create]) -> list[tuple[int, int, str]]:
    """Apply ``creates`` as a client does (each appended under its parent); return the tree in
    document order as ``(id, depth, tag or text)``."""
    children: dict[int, list[NodeSpec]] = {ROOT_ID: []}

    def index(spec: NodeSpec) -> None:
        if isinstance(spec, ElementNode):
            children[spec.id] = list(spec.children)
            for child in spec.children:
                index(child)

    for op in creates:
        assert op.before is None
        children[op.parent].append(op.node)
        index(op.node)
    out: list[tuple[int, int, str]] = []
    stack = [(spec, 1) for spec in reversed(children[ROOT_ID])]
    while stack:
        spec, depth = stack.pop()
        out.append((spec.id, depth, spec.tag if isinstance(spec, ElementNode) else spec.text))  # type: ignore[union-attr]
        if isinstance(spec, ElementNode):
            stack.extend((child, depth + 1) for child in reversed(children[spec.id]))
    return out


async def test_a_tree_grown_deeper_by_patches_is_resynced_in_parts_each_within_max_depth() -> None:
    """Each update adds one level with a small ``Create``, so the tree ends up deeper than
    ``MAX_DEPTH``; a full resync then recreates it in several ``Create`` ops, each within the
    bound, that build exactly the same tree. (Python's recursion limit bounds how deep a tree
    can still be updated: about 320 levels with CPython's default limit of 1,000 frames.)"""
    connection, queue, init = await _open(MAX_DEPTH - 2)
    session = connection.session
    assert session is not None
    button = next(n for op in init["ops"] if op[0] == "create" and (n := _node(op[3], "deeper")) is not None)
    for eid in range(1, GROWN + 1):
        event = {"type": "event", "eid": eid, "node": button, "name": "click", "data": CLICK}
        connection.receive(json.dumps(event))
        (patch,) = await _frames(queue)
        assert patch["type"] == "patch"
        check_ops(decode(json.dumps(patch), sender="server").ops)  # type: ignore[union-attr]

    resync = session.resync_init()
    creates = [op for op in resync.ops if isinstance(op, Create)]
    assert len(creates) == 2  # cut once, at depth MAX_DEPTH
    for op in creates:
        check_ops((op,))  # each within the bound
    whole = spec_of(session.core._root.child)  # type: ignore[attr-defined]
    tree = _document(creates)
    assert tree == _document([Create(ROOT_ID, None, whole)])
    # The Column, the divs, the span and its text.
    assert max(depth for _, depth, _ in tree) == 1 + (MAX_DEPTH - 2 + GROWN) + 2
    await session.settle()
