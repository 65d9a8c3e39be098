"""Issue 14, sixth probe of the components: regressions found there, checked headlessly.

- A paged or virtual ``Table`` with no rows said ``aria-rowcount="1"`` while its "No rows" row
  had ``aria-rowindex="2"`` (ARIA 1.2: an ``aria-rowindex`` is at most the ``aria-rowcount``).
- Forced colors: the theme's colour tokens stayed the author's (see the test below and
  examples/tests/test_issue_14_probe6_components.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tempest_core import App, Table, TableColumn
from tempest_core.nodes import Node
from tempest_core.testing import run_test
from tempest_core.theme import COLOR_SCHEMES, DEFAULT_THEME, TOKEN_NAMES, ColorScheme

COLUMNS = [TableColumn(key="name", header="Name", sortable=True)]


def app_of(view: Callable[[], Node]) -> App[None]:
    return App(view=lambda _state: view(), state=None)


@pytest.mark.parametrize(
    "options",
    [{"page_size": 10}, {"virtual": True, "height": 200}],
    ids=["paged", "virtual"],
)
async def test_issue_14_an_empty_partial_table_counts_its_no_rows_row(options: dict[str, object]) -> None:
    view = lambda: Table([], columns=COLUMNS, label="Empty", **options)  # type: ignore[arg-type]  # noqa: E731
    async with run_test(app_of(view)) as pilot:
        count = int(pilot.one("[role=table]").attrs["aria-rowcount"])
        indexes = [int(row.attrs["aria-rowindex"]) for row in pilot.query("[role=row]")]
        assert indexes == [1, 2]
        assert max(indexes) <= count == 2
        assert pilot.text("[role=cell]") == "No rows"


async def test_issue_14_a_partial_table_with_rows_counts_the_header_and_every_row() -> None:
    rows = [{"name": f"n{i}"} for i in range(3)]
    async with run_test(app_of(lambda: Table(rows, columns=COLUMNS, page_size=2))) as pilot:
        assert pilot.one("[role=table]").attrs["aria-rowcount"] == "4"


# -- forced colors: the "on" colours -------------------------------------------------------------------


@pytest.mark.parametrize("scheme", COLOR_SCHEMES)
def test_issue_14_forced_colors_make_every_colour_token_a_system_colour_last(scheme: ColorScheme) -> None:
    """In forced colors mode Chromium still computes ``-webkit-text-fill-color`` from the author
    colour; the dark scheme's near-black "on" colours were read against the forced black Canvas
    (axe-core color-contrast, serious, on the gallery's primary buttons and badges), and every
    text colour when the app's switch and the system's scheme disagreed. Each selector that
    declares the colours declares them again, later, under ``(forced-colors: active)``."""
    rules = DEFAULT_THEME.stylesheet(scheme).rules
    on_names = [name for name in TOKEN_NAMES if name.startswith("color-on-")]
    assert len(on_names) == 5
    declaring = [
        (i, rule.split("{", 1)[0] if rule.startswith(":") else rule.split("{", 2)[1])
        for i, rule in enumerate(rules)
        if f"--tw-{on_names[0]}:#" in rule
    ]
    assert declaring, rules
    for index, selector in declaring:
        forced = [
            i
            for i, rule in enumerate(rules)
            if rule.startswith("@media (forced-colors: active){" + selector + "{")
            and all(f"--tw-{name}:CanvasText" in rule for name in (*on_names, "color-text", "color-primary"))
            and "--tw-color-bg:Canvas;" in rule
        ]
        assert forced and forced[-1] > index, (selector, rules[index])
