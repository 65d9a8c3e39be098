"""Table body rows (``_table_rows``): kept per row, templated, the DOM of the ``html`` rows (issue 14)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from tempest_core import App, Style, Table, TableColumn, use_ref
from tempest_core._table_rows import Rows, RowSource
from tempest_core.errors import WidgetError
from tempest_core.nodes import Component, Node, TemplateInstance
from tempest_core.style import StyleSheet
from tempest_core.testing import Pilot, run_test
from tempestweb_contract.ops import Create, Remove, SetAttrs, SetProps, SetText

ROWS = [{"id": i, "name": f"row {i}", "value": (i * 37) % 101} for i in range(1_000)]
COLUMNS = (
    TableColumn(key="id", header="ID", width=80, sortable=True),
    TableColumn(key="name", header="Name"),
    TableColumn(key="value", header="Value", align="end", sortable=True),
)
CELL = (Style(color="red"), Style(color="green"), Style(color="blue"), Style(color="black"))
BODY = Style(height=32)
CHOSEN = Style(height=32, color="red")


def _ignore(_key: Hashable, _checked: bool) -> object:
    return None


def build(
    rows: Rows,
    positions: range,
    *,
    source: RowSource | None = None,
    selected: frozenset[Hashable] = frozenset(),
    columns: tuple[TableColumn, ...] = COLUMNS,
    sheet: StyleSheet | None = None,
) -> list[Node]:
    return rows.build(
        source or RowSource(ROWS, None, "id"),
        positions,
        selected=selected,
        columns=columns,
        cell_styles=CELL,
        body_style=BODY,
        chosen_style=CHOSEN,
        selectable=True,
        toggle=_ignore,
        class_for=(sheet or StyleSheet()).class_for,
    )


def test_issue_14_a_scroll_step_keeps_the_vnodes_of_the_rows_that_stay() -> None:
    rows = Rows()
    before = build(rows, range(100, 135))
    after = build(rows, range(103, 138))  # a wheel step: three rows leave, three enter
    assert [type(node) for node in after] == [TemplateInstance] * 35
    assert all(a is b for a, b in zip(after[:32], before[3:], strict=True))  # skipped by identity
    assert not any(node is old for node in after[32:] for old in before)
    assert len(rows.kept) == 35  # only the rows of the last render are kept


def test_issue_14_a_jump_recycles_the_row_elements_in_order() -> None:
    rows = Rows()
    before = build(rows, range(100, 135))
    keys = [node.key for node in before]
    jump = build(rows, range(500, 523))  # no row stays: the new rows take the old keys
    assert [node.key for node in jump] == keys[:23]
    assert [node.values[5] for node in jump] == [str(i) for i in range(500, 523)]  # type: ignore[union-attr]
    step = build(rows, range(503, 526))  # a wheel step after it: rows stay, three enter
    assert step[:20] == jump[3:] and all(a is b for a, b in zip(step[:20], jump[3:], strict=True))
    longer = build(rows, range(900, 940))  # more rows than before: the rest are new elements
    longer_keys = [node.key for node in longer]
    assert longer_keys[:23] == [node.key for node in step]
    assert len(set(longer_keys)) == 40 and not set(longer_keys[23:]) & set(keys)


def test_a_row_key_repeated_in_the_window_is_a_widget_error() -> None:
    twice = [*ROWS[:3], ROWS[1], *ROWS[4:]]
    with pytest.raises(
        WidgetError, match=r"duplicate row key int \(1\) for the rows at display positions 1 and 3"
    ):
        build(Rows(), range(0, 5), source=RowSource(twice, None, "id"))


async def test_issue_14_a_jump_patches_the_rows_in_place_and_gives_the_dom_of_a_fresh_table() -> None:
    """A jump's patch changes values in the rows already in the DOM.

    Rows are created or removed only when the window's length changes (near either end).

    The DOM after it is the DOM of a table mounted at that position (checked on every jump of a
    walk: down, back up, to the end, to the top, then a sort), whatever elements the rows reused.
    """
    async with run_test(App(view=_view, state=_State(tuple(ROWS)))) as pilot:
        await pilot.click("[aria-label='Select row 7']")  # a selected row shows its own class
        applied: list[object] = []
        apply_all = pilot.dom.apply_all

        def recording(ops: Any) -> None:
            applied.extend(ops)
            apply_all(ops)

        pilot.dom.apply_all = recording  # type: ignore[method-assign]
        await pilot.fire("[role=region]", "scroll", {"scroll_top": 3_200, "client_height": 200})
        for top in (16_000, 224, 31_000, 0, 9_600):
            before = len(pilot.query("[role=rowgroup] [role=row]"))
            applied.clear()
            await pilot.fire("[role=region]", "scroll", {"scroll_top": top, "client_height": 200})
            after = len(pilot.query("[role=rowgroup] [role=row]"))
            created = [op for op in applied if isinstance(op, Create)]
            removed = [op for op in applied if isinstance(op, Remove)]
            assert (len(created), len(removed)) == (max(0, after - before), max(0, before - after)), top
            assert top not in (16_000, 224) or after == before  # the same length: none at all
            assert any(isinstance(op, SetText) for op in applied)
            assert any(isinstance(op, SetAttrs) and "aria-rowindex" in op.attrs for op in applied)
            if top == 0:  # row 7, selected, is in the window again: a recycled row checks its box
                assert any(isinstance(op, SetProps) and op.props.get("checked") is True for op in applied)
            async with run_test(App(view=_view, state=_State(tuple(ROWS)))) as fresh:
                await fresh.click("[aria-label='Select row 7']")
                await fresh.fire("[role=region]", "scroll", {"scroll_top": top, "client_height": 200})
                assert pilot.html() == fresh.html(), top
        # A sort by ID, descending, at 9,600 px: rows 699 down instead of 300 up, none stays.
        elements = [row.id for row in pilot.query("[role=rowgroup] [role=row]")]
        applied.clear()
        await pilot.click("[role=columnheader] button")
        await pilot.click("[role=columnheader] button")
        assert [row.id for row in pilot.query("[role=rowgroup] [role=row]")] == elements  # reused
        assert any(isinstance(op, SetText) and op.text == "699" for op in applied)
        async with run_test(App(view=_view, state=_State(tuple(ROWS)))) as fresh:
            await fresh.click("[aria-label='Select row 7']")
            await fresh.fire("[role=region]", "scroll", {"scroll_top": 9_600, "client_height": 200})
            await fresh.click("[role=columnheader] button")
            await fresh.click("[role=columnheader] button")
            assert pilot.html() == fresh.html()


def test_a_row_changes_its_vnode_when_it_shows_something_else() -> None:
    rows = Rows()
    sheet = StyleSheet()
    first = build(rows, range(0, 5), sheet=sheet)
    chosen = build(rows, range(0, 5), selected=frozenset({2}), sheet=sheet)
    assert [a is b for a, b in zip(first, chosen, strict=True)] == [True, True, False, True, True]
    values = chosen[2].values  # type: ignore[union-attr]
    assert values[0] == sheet.class_for(CHOSEN) and values[2] is True  # class, checked
    edited = [*ROWS[:3], {**ROWS[3], "name": "renamed"}, *ROWS[4:]]
    again = build(rows, range(0, 5), source=RowSource(edited, None, "id"), selected=frozenset({2}))
    assert [a is b for a, b in zip(chosen, again, strict=True)] == [True, True, True, False, True]
    assert "renamed" in again[3].values  # type: ignore[union-attr]
    copies = [dict(row) for row in edited]  # equal rows, new objects: as equal props before
    assert build(rows, range(0, 5), source=RowSource(copies, None, "id"), selected=frozenset({2})) == again


def test_a_moved_row_keeps_its_values_at_its_new_position() -> None:
    rows = Rows()
    before = build(rows, range(0, 3))
    order = [1, 0, 2, *range(3, len(ROWS))]
    after = build(rows, range(0, 3), source=RowSource(ROWS, order, "id"))
    assert after[2] is before[2]
    moved = after[0]
    assert isinstance(moved, TemplateInstance) and moved.key == before[1].key  # row 1's element, moved
    assert moved.values[1] == "2" and moved.values[2:] == before[1].values[2:]  # type: ignore[union-attr]


def test_rows_with_a_render_column_are_memoised_components() -> None:
    columns = (*COLUMNS[:2], TableColumn(key="value", render=lambda row: str(row["value"])))
    rows = Rows()
    before = build(rows, range(10, 20), columns=columns)
    assert all(type(node) is Component for node in before)  # render runs in the row's hook frame
    after = build(rows, range(11, 21), columns=columns)
    assert after[0] is before[1] and after[-1] not in before


@dataclass(frozen=True)
class _State:
    rows: tuple[dict[str, Any], ...]
    render: bool = False


def _columns(render: bool) -> list[TableColumn]:
    value = (
        TableColumn(key="value", header="Value", render=lambda row: str(row["value"]))
        if render
        else TableColumn(key="value", header="Value")
    )
    return [*COLUMNS[:2], value]


def _view(state: _State) -> Node:
    return Table(
        state.rows,
        columns=_columns(state.render),
        row_key="id",
        label="T",
        selectable=True,
        virtual=True,
        row_height=32,
        height=200,
    )


async def _walk(pilot: Pilot) -> list[str]:
    """Scroll, select and sort; the DOM after each step."""
    pages = [pilot.html()]
    for top in (96, 192, 288, 3_200, 32_000, 0):
        await pilot.fire("[role=region]", "scroll", {"scroll_top": top, "client_height": 200})
        pages.append(pilot.html())
    await pilot.click("[aria-label='Select row 3']")
    pages.append(pilot.html())
    await pilot.click("[role=columnheader] button")
    await pilot.click("[role=columnheader] button")
    pages.append(pilot.html())
    await pilot.click("[aria-label='Select all rows']")
    pages.append(pilot.html())
    return pages


async def test_templated_rows_give_the_dom_of_the_html_rows() -> None:
    # A render column makes every row html (templates hold no nodes); its cells show the same text.
    async with run_test(App(view=_view, state=_State(tuple(ROWS)))) as pilot:
        templated = await _walk(pilot)
        styles = pilot.session.styles
    async with run_test(App(view=_view, state=_State(tuple(ROWS), render=True))) as pilot:
        assert await _walk(pilot) == templated
        assert pilot.session.styles == styles  # the same rules, in the same order


async def test_sessions_and_new_rows_never_share_rows() -> None:
    other = tuple({**row, "name": f"other {row['id']}"} for row in ROWS)
    app = App(view=_view, state=_State(tuple(ROWS)))
    async with run_test(app) as first, run_test(App(view=_view, state=_State(other))) as second:
        assert "row 2" in first.text("[role=table]") and "row 2" not in second.text("[role=table]")
        assert "other 2" in second.text("[role=table]")
        first.session.set_state(lambda state: replace(state, rows=other))  # same keys, other rows
        await first.session.flush()
        assert first.html() == second.html()


async def test_a_render_column_may_use_hooks_in_its_row() -> None:
    def counted(row: dict[str, Any]) -> str:
        renders = use_ref(0)  # the row's own hook frame, as when every row was a component
        renders.current += 1
        return f"{row['value']}:{renders.current}"

    columns = [*COLUMNS[:2], TableColumn(key="value", render=counted)]

    def view(_state: None) -> Node:
        return Table(ROWS, columns=columns, row_key="id", virtual=True, row_height=32, height=200)

    async with run_test(App(view=view, state=None)) as pilot:
        for top in (96, 3_200, 0):
            await pilot.fire("[role=region]", "scroll", {"scroll_top": top, "client_height": 200})
        assert pilot.errors == []
        assert pilot.query("[role=row]")[1].text_content.endswith(":1")
