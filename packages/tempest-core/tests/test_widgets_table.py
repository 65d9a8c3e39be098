"""Table: columns, errors, sorting, pages, selection and the virtual window (headless pilot)."""

from __future__ import annotations

import doctest
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

import tempest_core._table_model as table_model
import tempest_core._widgets_table as table_module
from tempest_core import App, Table, TableColumn, TableSort, WidgetError
from tempest_core._widgets_table import table_window
from tempest_core.errors import SessionError
from tempest_core.nodes import Node
from tempest_core.testing import DomElement, Pilot, run_test
from tempest_core.widgets import Table as WidgetsTable

PEOPLE = [
    {"id": 1, "name": "Carol", "age": 41},
    {"id": 2, "name": "Ada", "age": 36},
    {"id": 3, "name": "Bob", "age": None},
    {"id": 4, "name": "Dan", "age": 29},
]
COLUMNS = [
    TableColumn(key="name", header="Name", sortable=True),
    TableColumn(key="age", header="Age", sortable=True, align="end", width=80),
]


def app_of(view: Callable[[], Node]) -> App[None]:
    return App(view=lambda _state: view(), state=None)


def body_rows(pilot: Pilot) -> list[DomElement]:
    """The rendered data rows (header row and spacers excluded)."""
    return [row for row in pilot.query("[role=row]") if row.attrs.get("aria-rowindex") != "1"]


def names(pilot: Pilot) -> list[str]:
    return [row.children[-2].text_content for row in body_rows(pilot)]


def column_texts(pilot: Pilot, index: int) -> list[str]:
    return [row.children[index].text_content for row in body_rows(pilot)]


def header(pilot: Pilot, text: str) -> DomElement:
    return next(h for h in pilot.query("[role=columnheader]") if h.text_content.startswith(text))


def spacer_px(pilot: Pilot) -> tuple[int, int]:
    top, bottom = pilot.query("[aria-hidden=true]")[:2]
    return int(top.attrs["style"][7:-2]), int(bottom.attrs["style"][7:-2])


@pytest.mark.parametrize("module", [table_module, table_model])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
    assert WidgetsTable is Table


# -- errors ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": 3}, r"TableColumn\(key=\.\.\.\): expected str, got int \(3\)"),
        ({"key": ""}, r"TableColumn\(key=\.\.\.\): expected a non-empty str"),
        ({"key": "a", "align": "right"}, r"TableColumn\(align=\.\.\.\): expected 'start', 'center' or 'end'"),
        ({"key": "a", "width": "big"}, r"TableColumn\(width=\.\.\.\): expected a length"),
        ({"key": "a", "sortable": 1}, r"TableColumn\(sortable=\.\.\.\): expected bool, got int"),
        ({"key": "a", "render": "x"}, r"TableColumn\(render=\.\.\.\): expected a callable"),
        (
            {"key": "a", "sortabel": True},
            r"TableColumn\(sortabel=\.\.\.\): unknown keyword argument; did you mean 'sortable'\?",
        ),
    ],
)
def test_column_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(WidgetError, match=message):
        TableColumn(**kwargs)


def test_columns_compare_by_value() -> None:
    assert TableColumn(key="a", width=10) == TableColumn(key="a", width=10)
    assert TableColumn(key="a") != TableColumn(key="a", sortable=True)
    assert TableColumn(key="a").header == "a"
    assert len({TableColumn(key="a"), TableColumn(key="a")}) == 1


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("abc",), {}, r"Table\(rows=\.\.\.\): expected a sequence of mappings or objects, got str"),
        ((PEOPLE,), {"columns": []}, r"Table\(columns=\.\.\.\): expected a non-empty list of TableColumn"),
        ((PEOPLE,), {"columns": ["name"]}, r"Table\(columns=\.\.\.\): expected TableColumn items, got str"),
        ((PEOPLE,), {"columns": [COLUMNS[0], COLUMNS[0]]}, r"two columns have key 'name'"),
        ((PEOPLE,), {"sort": ("height", "asc")}, r"Table\(sort=\.\.\.\): no column has key 'height'"),
        (
            (PEOPLE,),
            {"sort": ("name", "up")},
            r"Table\(sort=\.\.\.\): expected \(column key, 'asc' \| 'desc'\)",
        ),
        ((PEOPLE,), {"sorting": "server"}, r"Table\(sorting=\.\.\.\): expected 'table' or 'app'"),
        ((PEOPLE,), {"page_size": 0}, r"Table\(page_size=\.\.\.\): expected a positive int, got 0"),
        ((PEOPLE,), {"page": -1}, r"Table\(page=\.\.\.\): expected an int >= 0"),
        ((PEOPLE,), {"virtual": True}, r"Table\(height=\.\.\.\): virtual=True needs the height"),
        ((PEOPLE,), {"height": 0}, r"Table\(height=\.\.\.\): expected a positive number of px"),
        ((PEOPLE,), {"row_height": 2.5}, r"Table\(row_height=\.\.\.\): expected a positive int, got float"),
        ((PEOPLE,), {"overscan": -1}, r"Table\(overscan=\.\.\.\): expected an int >= 0"),
        ((PEOPLE,), {"selected": {1}}, r"Table\(selected=\.\.\.\): needs selectable=True"),
        ((PEOPLE,), {"on_select": print}, r"Table\(on_select=\.\.\.\): needs selectable=True"),
        (
            (PEOPLE,),
            {"selectable": True, "selected": "1"},
            r"Table\(selected=\.\.\.\): expected a collection",
        ),
        ((PEOPLE,), {"row_key": 3}, r"Table\(row_key=\.\.\.\): expected a field name"),
        ((PEOPLE,), {"on_sort": 3}, r"Table\(on_sort=\.\.\.\): expected a callable"),
        (
            (PEOPLE,),
            {"page_sise": 3},
            r"Table\(page_sise=\.\.\.\): unknown keyword argument; did you mean 'page_size'\?",
        ),
    ],
)
def test_table_errors(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    kwargs.setdefault("columns", COLUMNS)
    with pytest.raises(WidgetError, match=message):
        Table(*args, **kwargs)


async def test_a_row_without_the_field_is_a_render_error() -> None:
    view = lambda: Table([{"name": "x"}], columns=COLUMNS)  # noqa: E731
    with pytest.raises(SessionError, match=r"a row has no 'age' key"):
        async with run_test(app_of(view)):
            pass


async def test_incomparable_values_ask_for_a_sort_key() -> None:
    rows = [{"name": "a", "age": 1}, {"name": "b", "age": "x"}]
    view = lambda: Table(rows, columns=COLUMNS, sort=("age", "asc"))  # noqa: E731
    with pytest.raises(
        SessionError, match=r"values of column 'age' cannot be compared .*give the column a sort_key"
    ):
        async with run_test(app_of(view)):
            pass


# -- markup and sorting ----------------------------------------------------------------------------
async def test_markup_follows_the_table_pattern() -> None:
    async with run_test(
        app_of(lambda: Table(PEOPLE, columns=COLUMNS, label="People", row_key="id"))
    ) as pilot:
        table = pilot.one("[role=table]")
        assert table.attrs["aria-label"] == "People"
        assert "aria-rowcount" not in table.attrs  # every row is in the DOM
        assert pilot.one("[role=region]").attrs["tabindex"] == "0"
        assert [h.text_content for h in pilot.query("[role=columnheader]")] == ["Name", "Age"]
        assert names(pilot) == ["Carol", "Ada", "Bob", "Dan"]
        assert column_texts(pilot, 1) == ["41", "36", "", "29"]  # None shows as empty
        assert [r.attrs["aria-rowindex"] for r in body_rows(pilot)] == ["2", "3", "4", "5"]
        assert all("aria-sort" not in h.attrs for h in pilot.query("[role=columnheader]"))


async def test_header_click_sorts_and_toggles_direction() -> None:
    async with run_test(app_of(lambda: Table(PEOPLE, columns=COLUMNS, row_key="id"))) as pilot:
        await pilot.click("[role=columnheader] button")
        assert header(pilot, "Name").attrs["aria-sort"] == "ascending"
        assert names(pilot) == ["Ada", "Bob", "Carol", "Dan"]
        await pilot.click("[role=columnheader] button")
        assert header(pilot, "Name").attrs["aria-sort"] == "descending"
        assert names(pilot) == ["Dan", "Carol", "Bob", "Ada"]
        age = next(b for b in pilot.query("[role=columnheader] button") if b.text_content.startswith("Age"))
        await pilot.fire(age, "click", {"button": 0})
        assert "aria-sort" not in header(pilot, "Name").attrs
        assert header(pilot, "Age").attrs["aria-sort"] == "ascending"
        assert column_texts(pilot, 1) == ["29", "36", "41", ""]  # None last
        await pilot.fire(age, "click", {"button": 0})
        assert column_texts(pilot, 1) == ["41", "36", "29", ""]  # None last descending too


async def test_sorting_is_stable_and_uses_sort_key() -> None:
    rows = [{"name": n, "age": a} for n, a in [("b", 2), ("a", 1), ("c", 2), ("d", 1)]]
    by_len = TableColumn(key="name", sortable=True, sort_key=lambda row: -row["age"])
    view = lambda: Table(rows, columns=[by_len, COLUMNS[1]], sort=("name", "asc"))  # noqa: E731
    async with run_test(app_of(view)) as pilot:
        assert column_texts(pilot, 0) == ["b", "c", "a", "d"]


async def test_controlled_sort_calls_back_and_shows_the_given_sort() -> None:
    asked: list[TableSort] = []
    view = lambda: Table(PEOPLE, columns=COLUMNS, sort=("age", "desc"), on_sort=asked.append)  # noqa: E731
    async with run_test(app_of(view)) as pilot:
        assert column_texts(pilot, 1) == ["41", "36", "29", ""]
        await pilot.click("[role=columnheader] button")
        assert asked == [("name", "asc")]
        assert header(pilot, "Age").attrs["aria-sort"] == "descending"  # the app did not change it


async def test_app_sorting_keeps_the_rows_order() -> None:
    view = lambda: Table(PEOPLE, columns=COLUMNS, sort=("name", "asc"), sorting="app")  # noqa: E731
    async with run_test(app_of(view)) as pilot:
        assert header(pilot, "Name").attrs["aria-sort"] == "ascending"
        assert names(pilot) == ["Carol", "Ada", "Bob", "Dan"]


async def test_object_rows_render_and_row_key_function() -> None:
    @dataclass
    class Person:
        name: str
        age: int

    rows = [Person("x", 1), Person("y", 2)]
    cols = [TableColumn(key="name", render=lambda p: f"<{p.name}>"), TableColumn(key="age")]
    view = lambda: Table(rows, columns=cols, row_key=lambda p: p.name, selectable=True)  # noqa: E731
    async with run_test(app_of(view)) as pilot:
        assert column_texts(pilot, 1) == ["<x>", "<y>"]  # the render function, as text
        assert [b.attrs["aria-label"] for b in pilot.query("[role=cell] input")] == [
            "Select row x",
            "Select row y",
        ]


async def test_empty_table_shows_the_empty_text() -> None:
    async with run_test(app_of(lambda: Table([], columns=COLUMNS, empty="Nobody yet"))) as pilot:
        assert pilot.text("[role=cell]") == "Nobody yet"


# -- pages -----------------------------------------------------------------------------------------
ITEMS = [{"id": i, "name": f"item {i}", "age": i} for i in range(25)]


async def test_pages_move_with_the_buttons_and_stop_at_the_ends() -> None:
    view = lambda: Table(ITEMS, columns=COLUMNS, row_key="id", page_size=10, label="Items")  # noqa: E731
    async with run_test(app_of(view)) as pilot:
        assert pilot.one("nav").attrs["aria-label"] == "Items pages"
        assert pilot.text("nav span") == "Page 1 of 3"
        # at an end a page button is aria-disabled (it keeps focus), not disabled, and has no action
        previous = pilot.one("[aria-label='Previous page']")
        assert previous.attrs.get("aria-disabled") == "true" and "disabled" not in previous.attrs
        assert not pilot.one("[aria-label='Next page']").attrs.get("aria-disabled")
        assert column_texts(pilot, 1)[:2] == ["0", "1"] and len(body_rows(pilot)) == 10
        assert pilot.one("[role=table]").attrs["aria-rowcount"] == "26"
        await pilot.click("[aria-label='Next page']")
        assert pilot.text("nav span") == "Page 2 of 3"
        assert column_texts(pilot, 1)[0] == "10"
        assert body_rows(pilot)[0].attrs["aria-rowindex"] == "12"
        await pilot.click("[aria-label='Last page']")
        assert pilot.text("nav span") == "Page 3 of 3"
        assert column_texts(pilot, 1) == [str(i) for i in range(20, 25)]
        assert pilot.one("[aria-label='Next page']").attrs.get("aria-disabled") == "true"
        with pytest.raises(LookupError, match="listens to 'click'"):
            await pilot.click("[aria-label='Next page']")  # no click handler: it cannot act
        assert pilot.text("nav span") == "Page 3 of 3"
        await pilot.click("[aria-label='First page']")
        assert column_texts(pilot, 1)[0] == "0"


async def test_controlled_page_calls_back_and_is_clamped() -> None:
    asked: list[int] = []
    view = lambda: Table(ITEMS, columns=COLUMNS, page_size=10, page=9, on_page=asked.append)  # noqa: E731
    async with run_test(app_of(view)) as pilot:
        assert pilot.text("nav span") == "Page 3 of 3"  # page 9 does not exist: the last page
        await pilot.click("[aria-label='First page']")
        assert asked == [0]
        assert pilot.text("nav span") == "Page 3 of 3"


# -- selection -------------------------------------------------------------------------------------
async def test_row_checkboxes_and_select_all() -> None:
    view = lambda: Table(PEOPLE, columns=COLUMNS, row_key="id", selectable=True, selected={3})  # noqa: E731
    async with run_test(app_of(view)) as pilot:
        boxes = pilot.query("[role=cell] input")
        all_box = pilot.one("[aria-label='Select all rows']")
        assert [b.props["checked"] for b in boxes] == [False, False, True, False]
        assert all_box.props == {"checked": False, "indeterminate": True}
        await pilot.click("[aria-label='Select row Carol']")
        assert pilot.one("[aria-label='Select row Carol']").props["checked"] is True
        selected_class = body_rows(pilot)[0].attrs["class"]
        assert selected_class == body_rows(pilot)[2].attrs["class"] != body_rows(pilot)[1].attrs["class"]
        await pilot.click("[aria-label='Select all rows']")
        assert all(b.props["checked"] for b in pilot.query("[role=cell] input"))
        assert pilot.one("[aria-label='Select all rows']").props == {"checked": True, "indeterminate": False}
        await pilot.click("[aria-label='Select row Ada']")
        assert pilot.one("[aria-label='Select all rows']").props == {"checked": False, "indeterminate": True}
        await pilot.click("[aria-label='Select all rows']")  # partly selected: selects every row
        await pilot.click("[aria-label='Select all rows']")
        assert not any(b.props["checked"] for b in pilot.query("[role=cell] input"))


async def test_controlled_selection_reports_frozensets_of_keys() -> None:
    asked: list[frozenset[Hashable]] = []
    rows = ITEMS[:12]
    view = lambda: Table(  # noqa: E731
        rows,
        columns=COLUMNS,
        row_key="id",
        selectable=True,
        selected={5},
        on_select=asked.append,
        page_size=5,
    )
    async with run_test(app_of(view)) as pilot:
        await pilot.click("[aria-label='Select row item 1']")
        assert asked == [frozenset({1, 5})]
        await pilot.click("[aria-label='Select all rows']")
        assert asked[-1] == frozenset(range(12))  # every row, not only this page


# -- virtual rows ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("total", "top", "viewport", "expected"),
    [
        (100_000, 0, 400, (0, 17)),  # rows 0-11 visible below the 32 px header, + 5 overscan
        (100_000, 32 * 50_000, 400, (49_995, 50_017)),
        (100_000, 32 * 50_000 + 31, 400, (49_995, 50_018)),
        (100_000, 32 * 100_001 - 400, 400, (99_983, 100_000)),  # the end: last row included
        (100_000, 10**12, 400, (99_983, 100_000)),  # past the end: clamped
        (100_000, -50, 400, (0, 17)),
        (3, 0, 400, (0, 3)),  # fewer rows than the viewport holds
        (0, 0, 400, (0, 0)),
        (100, 64, 0, (0, 7)),  # no viewport reported yet: at least one row
    ],
)
def test_window_maths(total: int, top: float, viewport: float, expected: tuple[int, int]) -> None:
    assert table_window(total, scroll_top=top, viewport_px=viewport, row_height=32, overscan=5) == expected


BIG = [{"id": i, "name": f"row {i}", "age": i % 97} for i in range(100_000)]


def big_view(renders: list[int] | None = None, **extra: Any) -> Callable[[], Node]:
    def count(row: dict[str, Any]) -> str:
        if renders is not None:
            renders.append(row["id"])
        return str(row["name"])

    cols = [
        TableColumn(key="id", header="ID", width=90, sortable=True),
        TableColumn(key="name", render=count),
    ]
    return lambda: Table(BIG, columns=cols, row_key="id", virtual=True, row_height=32, height=400, **extra)


async def scroll(pilot: Pilot, top: float, viewport: float = 400) -> None:
    await pilot.fire("[role=region]", "scroll", {"scroll_top": top, "client_height": viewport})


def check_window(pilot: Pilot, first: int, last: int) -> None:
    ids = [int(text) for text in column_texts(pilot, 0)]
    assert ids == list(range(first, last + 1))
    top, bottom = spacer_px(pilot)
    assert top == first * 32 and bottom == (100_000 - 1 - last) * 32  # the scroll height is kept
    assert len(pilot.query("[role=row]")) < 200


async def test_virtual_rows_at_start_middle_and_end() -> None:
    async with run_test(app_of(big_view())) as pilot:
        assert pilot.one("[role=table]").attrs["aria-rowcount"] == "100001"
        check_window(pilot, 0, 16)
        await scroll(pilot, 32 * 50_000)
        check_window(pilot, 49_995, 50_016)
        assert body_rows(pilot)[0].attrs["aria-rowindex"] == str(49_995 + 2)
        await scroll(pilot, 32 * 100_001 - 400)
        check_window(pilot, 99_983, 99_999)
        await scroll(pilot, 0)
        check_window(pilot, 0, 16)


async def test_a_scroll_step_renders_only_the_rows_entering_the_window() -> None:
    renders: list[int] = []
    async with run_test(app_of(big_view(renders))) as pilot:
        await scroll(pilot, 32 * 1000)
        renders.clear()
        await scroll(pilot, 32 * 1003)  # three rows down: three rows enter
        assert sorted(renders) == [1017, 1018, 1019]  # window (995, 1017) -> (998, 1020)
        renders.clear()
        await scroll(pilot, 32 * 1003 + 10)  # the same window: nothing renders
        assert renders == []


async def test_virtual_sort_and_selection_follow_the_window() -> None:
    async with run_test(app_of(big_view(selectable=True))) as pilot:
        await pilot.click("[role=columnheader] button")
        await pilot.click("[role=columnheader] button")  # ID descending
        assert column_texts(pilot, 1)[:2] == ["99999", "99998"]
        await scroll(pilot, 32 * 100_001 - 400)
        assert column_texts(pilot, 1)[-1] == "0"
        await pilot.click("[aria-label='Select row 0']")
        assert pilot.one("[aria-label='Select row 0']").props["checked"] is True
        assert pilot.one("[aria-label='Select all rows']").props == {"checked": False, "indeterminate": True}


async def test_virtual_rows_within_a_page() -> None:
    async with run_test(app_of(big_view(page_size=1000))) as pilot:
        await pilot.click("[aria-label='Last page']")
        assert column_texts(pilot, 0)[0] == "99000"
        await scroll(pilot, 10**9)
        assert column_texts(pilot, 0)[-1] == "99999"
        assert spacer_px(pilot)[1] == 0
