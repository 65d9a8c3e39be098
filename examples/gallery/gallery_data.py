"""Data of the component gallery: the 100,000 orders of the virtual table, the team, release notes.

Pure data and small types, no state and no handlers, so ``app.py`` holds only the interface. The
orders are computed from their index on demand (:class:`OrderRows`): no list of 100,000 objects is
kept, in CPython or under Pyodide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, overload

from tempest_core import Badge, TableColumn

__all__ = [
    "BADGE_TONES",
    "ICONS",
    "MILESTONES",
    "ORDERS",
    "ORDER_COLUMNS",
    "PLANS",
    "RELEASE_NOTES",
    "ROLES",
    "TEAM",
    "TEAM_COLUMNS",
    "BadgeTone",
    "Order",
    "OrderRows",
    "Tone",
]

Tone = Literal["info", "success", "warning", "danger"]
"""The tones ``notify(tone=...)`` takes."""

BadgeTone = Literal["neutral", "primary", "success", "warning", "danger", "info"]
"""The tones ``Badge(tone=...)`` takes."""
BADGE_TONES: tuple[BadgeTone, ...] = (
    "neutral", "primary", "success", "warning", "danger", "info",
)  # fmt: skip
ICONS: tuple[str, ...] = (
    "bell",
    "calendar",
    "mail",
    "search",
    "settings",
    "star",
    "heart",
    "user",
    "sun",
    "moon",
)
"""Lucide icons shown (only the icons used are sent to the page)."""

ROLES: tuple[tuple[str, str], ...] = (
    ("", "Choose a role"),
    ("engineer", "Engineer"),
    ("designer", "Designer"),
    ("manager", "Product manager"),
)
PLANS: tuple[tuple[str, str], ...] = (("free", "Free"), ("team", "Team"), ("enterprise", "Enterprise"))

MILESTONES: tuple[tuple[int, str], ...] = (
    (1, "Design tokens and the default theme"),
    (2, "Dialog, Tabs, Menu, Tooltip, toasts"),
    (3, "A virtual table of 100,000 rows"),
)
"""(id, title) of the ordered List demo."""

RELEASE_NOTES = """\
### Release 2.4

Released on **2 December**. This release adds *virtualised tables* and ~~drops~~ keeps Python 3.11.

- Tables scroll through 100,000 rows
- Toasts from any handler: `notify("Saved")`
- Dialogs trap focus and close on Escape

| Package | Version | Size |
|---|---:|---:|
| tempest-core | 2.4.0 | 412 KB |
| tempestweb-server | 2.4.0 | 96 KB |

> Upgrade with `pip install -U tempest-core`. See the [guide](#markdown) for details.

```python
app = App(view=view, state=State)
```

<script>alert("raw HTML is shown as text, never run")</script>
"""


CUSTOMERS: tuple[str, ...] = (
    "Ada Lovelace", "Alan Turing", "Grace Hopper", "Katherine Johnson", "Edsger Dijkstra",
    "Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Dennis Ritchie", "Frances Allen",
)  # fmt: skip
CITIES: tuple[str, ...] = ("Lisbon", "Nairobi", "Osaka", "Montréal", "Berlin", "Lima", "Perth", "Oslo")
STATUSES: tuple[str, ...] = ("Paid", "Pending", "Shipped", "Refunded")
STATUS_TONES: dict[str, BadgeTone] = {
    "Paid": "success",
    "Pending": "warning",
    "Shipped": "info",
    "Refunded": "neutral",
}


@dataclass(frozen=True, slots=True)
class Order:
    """One row of the 100,000-row table."""

    id: int
    customer: str
    city: str
    amount: float
    status: str


class OrderRows(Sequence[Order]):
    """``count`` orders computed on demand from their index (no list of 100,000 objects is kept).

    Args:
        count: Number of rows.
    """

    def __init__(self, count: int) -> None:
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Order: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Order]: ...
    def __getitem__(self, index: int | slice) -> Order | Sequence[Order]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        mix = (index * 2_654_435_761) % 4_294_967_296  # Knuth's multiplicative hash: stable, spread out
        return Order(
            id=100_001 + index,
            customer=CUSTOMERS[mix % len(CUSTOMERS)],
            city=CITIES[(mix >> 8) % len(CITIES)],
            amount=round(5 + (mix >> 12) % 99_500 / 100, 2),
            status=STATUSES[(mix >> 4) % len(STATUSES)],
        )


ORDERS = OrderRows(100_000)
"""The big table's rows (one object, so the table's sort cache holds)."""
ORDER_COLUMNS = (
    TableColumn(key="id", header="Order", sortable=True, width=96),
    TableColumn(key="customer", header="Customer", sortable=True),
    TableColumn(key="city", header="City", sortable=True, width=140),
    TableColumn(
        key="status",
        header="Status",
        sortable=True,
        width=120,
        render=lambda o: Badge(o.status, tone=STATUS_TONES[o.status]),
    ),
    TableColumn(
        key="amount",
        header="Amount",
        sortable=True,
        align="end",
        width=120,
        render=lambda o: f"€{o.amount:,.2f}",
    ),
)
TEAM: tuple[dict[str, str | int], ...] = tuple(
    {"name": name, "role": role, "commits": commits}
    for name, role, commits in (
        ("Ada Lovelace", "Engineer", 412),
        ("Alan Turing", "Researcher", 388),
        ("Grace Hopper", "Engineer", 951),
        ("Katherine Johnson", "Analyst", 127),
        ("Edsger Dijkstra", "Reviewer", 64),
        ("Barbara Liskov", "Architect", 530),
        ("Margaret Hamilton", "Lead", 702),
    )
)
TEAM_COLUMNS = (
    TableColumn(key="name", header="Name", sortable=True),
    TableColumn(key="role", header="Role", sortable=True),
    TableColumn(key="commits", header="Commits", sortable=True, align="end", width=110),
)
