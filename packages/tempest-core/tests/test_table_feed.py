"""Row feeds: a templated virtual table's rows sent ahead to a remote client (``_table_feed``).

The client fills a jump's rows from them in the scroll's own frame, then puts the host's patch
in their place (``client/src/speculation.js``), so what they say must be exactly what the host
renders at each position, and must never be older than the DOM the client shows: a change
reaches the client before the patch showing it. Tests against a live ``Connection`` on a
``FrameQueue`` (the Mode B port).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_host_render_inline import _node

from tempest_core import App, Button, Column, Session, Table, TableColumn, TableSort
from tempest_core._table_feed import CHUNK_ROWS, MAX_FEED_ROWS, columns
from tempest_core.host import Connection, FrameQueue, SessionTable
from tempest_core.host._session import FEED_WINDOW
from tempest_core.testing import Pilot

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
DESCENDING: TableSort = ("id", "desc")
PICKED: frozenset[Any] = frozenset({7})
FAR: frozenset[Any] = frozenset({1_400})
COLUMNS = [TableColumn(key="id", header="ID", sortable=True), TableColumn(key="name", header="Name")]


@dataclass(frozen=True)
class Shown:
    rows: tuple[dict[str, Any], ...]
    sort: TableSort | None = None
    selected: frozenset[Any] = frozenset()


def renamed(rows: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
    """The rows with every name from position 100 on changed: nothing in the first window."""
    return tuple(row if row["id"] < 100 else {**row, "name": f"Renamed {row['id']}"} for row in rows)


def table_app(count: int, *, render: bool = False) -> App[Shown]:
    rows = tuple({"id": i, "name": f"Row {i}"} for i in range(count))
    columns = COLUMNS if not render else [*COLUMNS, TableColumn(key="x", header="X", render=lambda r: "x")]

    def view(state: Shown) -> Any:
        return Column(
            Button("sort", id="sort", on_click=lambda: app.set_state(lambda s: replace(s, sort=DESCENDING))),
            Button("pick", id="pick", on_click=lambda: app.set_state(lambda s: replace(s, selected=PICKED))),
            Button("far", id="far", on_click=lambda: app.set_state(lambda s: replace(s, selected=FAR))),
            Button(
                "rename",
                id="rename",
                on_click=lambda: app.set_state(lambda s: replace(s, rows=renamed(s.rows))),
            ),
            Table(
                state.rows,
                columns=columns,
                row_key="id",
                virtual=True,
                row_height=32,
                height=400,
                sort=state.sort,
                on_sort=lambda sort: None,
                selected=state.selected,
                on_select=lambda keys: None,
                selectable=True,
            ),
        )

    app = App(view=view, state=lambda: Shown(rows))
    return app


async def _drain(queue: FrameQueue, connection: Connection, *, quiet_s: float = 0.2) -> list[dict[str, Any]]:
    """Every frame but pings the host sends until it has been quiet for ``quiet_s``; pings are
    answered as the client does (a ``pong`` with the same ``ts``), which lets the feed go on."""
    frames: list[dict[str, Any]] = []
    while True:
        try:
            frame = await asyncio.wait_for(queue.get(), quiet_s)
        except TimeoutError:
            return frames
        assert frame is not None
        message = json.loads(frame)
        if message["type"] == "ping":
            connection.receive(json.dumps({"type": "pong", "ts": message["ts"]}))
        else:
            frames.append(message)


async def _open(app: App[Shown]) -> tuple[Connection, FrameQueue, list[dict[str, Any]]]:
    """Open a session; return what the host sent until it was quiet (its pings answered)."""
    queue = FrameQueue()
    connection = Connection(SessionTable(app), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    return connection, queue, await _drain(queue, connection)


def _id(init: dict[str, Any], element_id: str) -> int:
    return next(n for op in init["ops"] if op[0] == "create" and (n := _node(op[3], element_id)) is not None)


def _nodes(spec: Any) -> list[Any]:
    """A node spec's nodes in document order (element and text specs, as the init expands rows)."""
    out = [spec]
    if spec[0] == "e":
        for child in spec[6]:
            out.extend(_nodes(child))
    return out


def _rows(spec: Any) -> list[Any]:
    """The body rows (``role=row`` with an ``aria-rowindex`` above the header's) in a node spec."""
    if spec[0] != "e":
        return []
    if spec[3].get("role") == "row" and spec[3].get("aria-rowindex", "1") != "1":
        return [spec]
    return [row for child in spec[6] for row in _rows(child)]


def _shown(row: Any, slots: list[list[Any]]) -> list[Any]:
    """What a rendered row shows at each slot: the values a template instance of it carries."""
    nodes = _nodes(row)
    out: list[Any] = []
    for offset, kind, name in slots:
        node = nodes[offset]
        if kind == "text":
            out.append(node[2])
        elif kind == "attr":
            out.append(node[3].get(name))
        elif kind == "prop":
            out.append(node[4].get(name))
        else:
            out.append(node[5].get(name))
    return out


def _click(connection: Connection, eid: int, node: int) -> None:
    event = {"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK}
    connection.receive(json.dumps(event))


def _feed(frames: list[dict[str, Any]]) -> dict[int, list[Any]]:
    """The rows the ``rows`` messages hold, by position, decoded as the client does."""
    held: dict[int, list[Any]] = {}
    for frame in frames:
        if frame["type"] == "rows":
            start = frame.get("start", 0)
            for i in range(frame.get("rows", 0)):
                held[start + i] = [
                    v if kind == 0 else str(v + i) if kind == 1 else v[i] for kind, v in frame["columns"]
                ]
    return held


async def test_the_feed_holds_every_position_exactly_as_the_rows_the_host_renders() -> None:
    _, _, frames = await _open(table_app(2_500))
    init, rows = frames[0], [f for f in frames if f["type"] == "rows"]
    # the feed starts when the client attached: an announcement, then the chunks
    assert init["type"] == "init" and all(f["type"] == "rows" for f in frames[1:])
    # an announcement of version 1, then chunks of CHUNK_ROWS covering 0 .. 2499 once each
    assert [f.get("start", 0) for f in rows] == [0, *range(0, 2_500, CHUNK_ROWS)]
    assert {(f["version"], f["count"], f["row_height"], f["overscan"]) for f in rows} == {(1, 2_500, 32, 5)}
    held = _feed(frames)
    assert sorted(held) == list(range(2_500))
    # the window the init renders shows, slot by slot, the very values the feed has at its positions
    body = next(op for op in init["ops"] if op[0] == "create")
    shown = _rows(body[3])
    assert len(shown) == 17
    for position, row in enumerate(shown):
        assert held[position] == _shown(row, rows[0]["slots"])
        assert f"Row {position}" in held[position] and str(position + 2) in held[position]


async def test_a_sort_announces_a_new_version_before_its_patch_and_the_feed_follows_the_new_order() -> None:
    connection, queue, frames = await _open(table_app(1_500))
    _click(connection, 1, _id(frames[0], "sort"))
    after = await _drain(queue, connection)
    kinds = [f["type"] for f in after]
    first_patch = kinds.index("patch")
    assert after[first_patch - 1]["type"] == "rows" and after[first_patch - 1]["version"] == 2
    assert "rows" not in after[first_patch - 1]  # empty: the client drops version 1 before the patch
    held = _feed(after)
    assert sorted(held) == list(range(1_500))
    assert held[0][held[0].index("Row 1499")] == "Row 1499"  # descending by id


async def test_a_selection_change_resends_only_its_rows_before_the_patch_in_the_same_version() -> None:
    connection, queue, frames = await _open(table_app(1_500))
    before = _feed(frames)
    _click(connection, 1, _id(frames[0], "pick"))
    after = await _drain(queue, connection)
    assert [f["type"] for f in after] == ["rows", "patch"]
    (rows,) = [f for f in after if f["type"] == "rows"]
    assert rows["version"] == 1 and rows["start"] == 7 and rows["rows"] == 1
    assert _feed(after)[7] != before[7] and True in _feed(after)[7]  # checked now


async def test_a_selection_outside_the_window_starts_a_new_version_before_its_patch() -> None:
    connection, queue, frames = await _open(table_app(1_500))
    _click(connection, 1, _id(frames[0], "far"))
    after = await _drain(queue, connection)
    assert [f["type"] for f in after[:2]] == ["rows", "patch"]
    assert after[0]["version"] == 2 and "rows" not in after[0]
    held = _feed(after)
    assert sorted(held) == list(range(1_500)) and True in held[1_400] and True not in held[1_399]


async def test_rows_changed_outside_the_window_are_announced_without_a_patch() -> None:
    connection, queue, frames = await _open(table_app(1_500))
    _click(connection, 1, _id(frames[0], "rename"))
    after = await _drain(queue, connection)
    assert "patch" not in [f["type"] for f in after]  # the window shows the same rows
    assert after[0]["type"] == "rows" and after[0]["version"] == 2 and "rows" not in after[0]
    held = _feed(after)
    assert "Renamed 100" in held[100] and "Row 99" in held[99]


async def test_a_feed_waits_for_the_client_to_read_what_was_queued() -> None:
    queue = FrameQueue()
    Connection(SessionTable(table_app(5_000)), queue, transport="test").receive(
        '{"type":"hello","v":1,"path":"/"}'
    )
    await asyncio.sleep(0.1)  # the init, then nothing while it is not written
    init = await queue.get() or b""
    assert json.loads(init)["type"] == "init" and queue.queued_bytes == 0
    await asyncio.sleep(0.1)  # the announcement, one chunk and its ping while nothing is written
    queued = queue.queued_bytes
    waiting = [await queue.get() or b"" for _ in range(3)]
    assert queued == sum(map(len, waiting))  # nothing more was queued
    assert [json.loads(f)["type"] for f in waiting] == ["rows", "rows", "ping"]
    assert json.loads(waiting[1])["rows"] == CHUNK_ROWS and json.loads(waiting[2])["ts"] == -1.0


async def test_a_feed_waits_for_the_client_to_have_read_its_chunks() -> None:
    """Written is not read: the socket's buffers would hold megabytes of chunks in front of the
    next patch. Each chunk is followed by ``ping{ts: -n}``; past FEED_WINDOW chunks without their
    ``pong`` the host waits."""
    queue = FrameQueue()
    connection = Connection(SessionTable(table_app(5_000)), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    frames: list[dict[str, Any]] = []
    while True:  # read everything, answer nothing
        try:
            frame = await asyncio.wait_for(queue.get(), 0.2)
            frames.append(json.loads(frame or b""))
        except TimeoutError:
            break
    pings = [f["ts"] for f in frames if f["type"] == "ping"]
    assert pings == [-float(n) for n in range(1, FEED_WINDOW + 1)]
    assert sorted(_feed(frames)) == list(range(FEED_WINDOW * CHUNK_ROWS))
    connection.receive('{"type":"pong","ts":-1}')  # the client read the first chunk: one more
    more = [json.loads(frame or b"") for frame in [await asyncio.wait_for(queue.get(), 1) for _ in range(2)]]
    assert more[0].get("start") == FEED_WINDOW * CHUNK_ROWS and more[1]["ts"] == -(FEED_WINDOW + 1.0)
    connection.receive('{"type":"pong","ts":1700000000.5}')  # a keep-alive answer: not the feed's
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(queue.get(), 0.2)


@pytest.mark.parametrize(
    ("count", "render"), [(MAX_FEED_ROWS + 1, False), (200, True)], ids=["too many rows", "a render column"]
)
async def test_no_feed_for_a_table_too_large_or_not_one_template(count: int, render: bool) -> None:
    _, _, frames = await _open(table_app(count, render=render))
    assert [f["type"] for f in frames] == ["init"]


async def test_an_in_page_or_headless_client_gets_no_feed() -> None:
    pilot = Pilot(table_app(300), path="/", raise_errors=True)
    await pilot.host_session.settle()
    await asyncio.sleep(0.05)
    assert pilot.errors == []
    peer = pilot.host_session.peer
    assert peer is not None and peer.outbox_bytes() is None  # type: ignore[attr-defined]
    assert len(pilot.query('[aria-rowindex="2"]')) == 1


async def test_a_row_that_cannot_be_built_stops_the_feed_not_the_session(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rows = [{"id": i, "name": f"Row {i}"} for i in range(1_500)]
    del rows[1_200]["name"]  # the table reports it when the row enters the window

    def view(state: Shown) -> Any:
        return Table(state.rows, columns=COLUMNS, row_key="id", virtual=True, row_height=32, height=400)

    caplog.set_level(logging.DEBUG, logger="tempestweb.host")
    _, _, frames = await _open(App(view=view, state=lambda: Shown(tuple(rows))))
    assert sorted(_feed(frames)) == list(range(2 * CHUNK_ROWS))  # the chunks before it
    assert all(f["type"] != "error" for f in frames)
    assert "row feed stopped at position 1000" in caplog.text


@given(
    st.lists(
        st.tuples(
            st.one_of(st.booleans(), st.integers(-3, 3), st.sampled_from(["0", "1", "2", "01", "a", ""])),
            st.sampled_from(["7", "8", "9", "10", "x"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_columns_decode_to_the_rows_they_encode(rows: list[tuple[Any, ...]]) -> None:
    """The client's decoding (``_feed`` here, ``Feed.row`` in ``speculation.js``) of ``columns``
    gives back every row, types included (``True`` is not ``1``, ``"01"`` is not ``1``)."""
    frame = {"type": "rows", "start": 0, "rows": len(rows), "columns": json.loads(json.dumps(columns(rows)))}
    held = _feed([frame])
    for i, row in enumerate(rows):
        assert held[i] == list(row) and [type(v) for v in held[i]] == [type(v) for v in row]


async def test_a_resumed_session_sends_its_feed_again_on_the_new_connection() -> None:
    """A client drops its feeds at every ``init``: the host starts them again from the top."""
    table = SessionTable(table_app(1_200))
    first = FrameQueue()
    old = Connection(table, first, transport="test")
    old.receive('{"type":"hello","v":1,"path":"/"}')
    frames = await _drain(first, old)
    init = frames[0]
    assert sorted(_feed(frames)) == list(range(1_200))
    old.close()
    second = FrameQueue()
    new = Connection(table, second, transport="test")
    hello = {"type": "hello", "v": 1, "path": "/", "session": init["session"], "token": init["token"]}
    new.receive(json.dumps({**hello, "last_seq": init["seq"]}))
    again = await _drain(second, new)
    assert again[0]["type"] == "init" and again[0]["session"] == init["session"]
    assert sorted(_feed(again)) == list(range(1_200))


async def test_a_table_that_unmounts_leaves_no_feed_behind() -> None:
    """In every mode (here headless, where nobody reads feeds): a session whose pages mount and
    unmount virtual tables keeps no feed (nor the rows it holds) of a table gone."""

    @dataclass(frozen=True)
    class Page:
        shown: bool = True

    rows = tuple({"id": i, "name": f"Row {i}"} for i in range(300))

    def view(state: Page) -> Any:
        table = Table(rows, columns=COLUMNS, row_key="id", virtual=True, row_height=32, height=400)
        toggle = Button("toggle", id="toggle", on_click=lambda: app.set_state(lambda s: Page(not s.shown)))
        return Column(toggle, table if state.shown else Column())

    app = App(view=view, state=Page)
    pilot = Pilot(app, path="/", raise_errors=True)
    await pilot.host_session.settle()
    core = pilot.host_session.core
    assert isinstance(core, Session)
    for shown in (False, True, False):
        await pilot.click("#toggle")
        assert len(core._rec.feeds) == int(shown)
