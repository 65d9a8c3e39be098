"""Regression tests for issue 2 (the core runtime): the jsfb keyed requirements K1-K3 end to end."""

from __future__ import annotations

from dataclasses import dataclass

from tempest_core import App, component, html
from tempest_core.nodes import Node
from tempest_core.testing import DomElement, run_test


@dataclass(frozen=True)
class Item:
    id: int
    label: str


@dataclass(frozen=True)
class State:
    rows: tuple[Item, ...] = ()
    selected: int | None = None
    next_id: int = 1


def build(s: State, n: int) -> State:
    rows = tuple(Item(s.next_id + i, f"row {s.next_id + i}") for i in range(n))
    return State(rows, None, s.next_id + n)


@component
def row(*, item: Item, selected: bool) -> Node:
    return html.tr(
        html.td(str(item.id), class_="col-md-1"),
        html.td(
            html.a(
                item.label,
                class_="lbl",
                on_click=lambda: APP.set_state(lambda s: State(s.rows, item.id, s.next_id)),
            ),
            class_="col-md-4",
        ),
        html.td(
            html.a(
                html.span(class_="glyphicon glyphicon-remove", aria_hidden="true"),
                class_="rm",
                on_click=lambda: APP.set_state(
                    lambda s: State(tuple(r for r in s.rows if r.id != item.id), s.selected, s.next_id)
                ),
            ),
            class_="col-md-1",
        ),
        html.td(class_="col-md-6"),
        class_="danger" if selected else None,
    )


def swap(s: State) -> State:
    rows = list(s.rows)
    if len(rows) >= 999:
        rows[1], rows[998] = rows[998], rows[1]
    return State(tuple(rows), s.selected, s.next_id)


def view(s: State) -> Node:
    return html.div(
        html.button("run", id="run", on_click=lambda: APP.set_state(lambda st: build(st, 1000))),
        html.button("swap", id="swaprows", on_click=lambda: APP.set_state(swap)),
        html.table(
            html.tbody([row(item=r, selected=r.id == s.selected, key=r.id) for r in s.rows], id="tbody")
        ),
    )


APP: App[State] = App(view=view, state=State)


def trs(pilot: object) -> list[DomElement]:
    return pilot.query("tbody > tr")  # type: ignore[attr-defined, no-any-return]


async def test_issue_2_jsfb_keyed_requirements() -> None:
    async with run_test(APP) as pilot:
        await pilot.click("#run")
        first = trs(pilot)
        assert len(first) == 1000 and first[0].children[0].text_content == "1"
        # K1: run replaces every tr node
        await pilot.click("#run")
        second = trs(pilot)
        assert not {id(n) for n in first} & {id(n) for n in second}
        assert second[0].text_content.startswith("1001") and second[-1].children[0].text_content == "2000"
        # K3: swap moves the two nodes, creates none
        before_ids = [n.id for n in second]
        await pilot.click("#swaprows")
        after = trs(pilot)
        assert after[1].id == before_ids[998] and after[998].id == before_ids[1]
        assert {n.id for n in after} == set(before_ids)
        # select only touches the class attribute
        await pilot.click("tr a.lbl")
        assert trs(pilot)[0].attrs.get("class") == "danger"
        # K2: remove detaches exactly that row's node
        victim = trs(pilot)[1]
        keep = [n.id for n in trs(pilot) if n is not victim]
        link = victim.children[2].children[0]  # type: ignore[union-attr]
        assert isinstance(link, DomElement)
        await pilot.fire(link, "click", {"button": 0})
        assert [n.id for n in trs(pilot)] == keep
