"""Row feeds: a virtual table's rows sent ahead, so a remote client fills a jump in its own frame (private).

In Mode B the rows of a new scroll position come from the host: the browser
dispatches ``scroll`` while rendering the frame that scrolled, so a patch answering it can only
be painted a frame or more later, whatever the host's speed, and a jump (a scrollbar drag,
Home/End) shows blank rows until then. A :class:`RowFeed` lets the client show them in that
frame: while the session is idle the host sends, in chunks, the slot values of every display
position of the table's row template (a :class:`~tempestweb_contract.Rows` message, values
from the same generated encoder as the ``i`` specs of the rows it renders); on a scroll, the
client fills the rows of the new window from them, exactly as the host's patch will, and puts
the patch in their place when it arrives (``client/src/speculation.js``).

Only rows that are one template (no ``render`` column) have a feed, only tables of at most
:data:`MAX_FEED_ROWS` rows, and only for transports with an outgoing queue the host can watch. A
feed starts when a client attaches; a chunk goes out when the session is idle, the previous one
was written and the client has read all but ``FEED_WINDOW`` of them (``HostSession._feed``): a
slow client is never flooded and a patch never waits behind more than eight chunks. The sessions
of a process build one chunk per pass of the event loop.

What the client holds stays true: a change of the rows, their order or the layout gives the
feed a new ``version`` (a client drops what it held of another version); a change of the
selection through a row's checkbox re-sends that row's position (any other selection change
starts a new version, as does one past :data:`MAX_DELTA_ROWS` rows). Both
go out *before* the patch that shows the change, so a client never fills a row from values the
DOM has already left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Final

from tempest_core._internal.mounted import MComponent, dom_id
from tempest_core._table_rows import Rows, RowSource
from tempest_core.style import Style
from tempestweb_contract import Rows as RowsMessage
from tempestweb_contract import RowsColumn, Scalar
from tempestweb_contract.constants import MAX_FEED_ROWS

if TYPE_CHECKING:
    from tempest_core._internal.reconciler import Reconciler

__all__ = ["CHUNK_ROWS", "MAX_DELTA_ROWS", "MAX_FEED_ROWS", "RowFeed", "columns"]

logger = logging.getLogger("tempestweb.host")

CHUNK_ROWS: Final = 500
"""Rows per chunk: about 21 KB of JSON for the 100,000-row test table, built in about 1.5 ms; an
event of another session waits for at most one chunk."""

MAX_DELTA_ROWS: Final = 1_000
"""Most positions a selection change re-sends before the patch; past it the feed starts again."""


class RowFeed:
    """The feed of one mounted virtual table body (one per body, kept in a ref).

    :meth:`update` is called by every render of the body; the host asks the session's feeds for
    :meth:`announce` (before each patch) and :meth:`chunk` (while idle).
    """

    __slots__ = (
        "_class_for",
        "_layout",
        "_rows",
        "_selectable",
        "_styles",
        "_toggle",
        "count",
        "dirty",
        "frame",
        "lo",
        "next",
        "overscan",
        "row_height",
        "selected",
        "sent_version",
        "source",
        "version",
    )

    def __init__(self, frame: MComponent) -> None:
        self.frame = frame
        self.version = 0
        self.sent_version = -1  # the version the client was last told of (-1: none)
        self.next = 0  # the first position not sent yet in this version
        self.dirty: list[int] = []  # positions sent already whose values changed (a selection)
        self.source: RowSource | None = None
        self.selected: frozenset[Hashable] = frozenset()
        self.lo = 0
        self.count = 0
        self.row_height = 1
        self.overscan = 0
        self._rows: Rows | None = None
        self._layout: object = None
        self._styles: tuple[Style, Style] = (Style(), Style())
        self._selectable = False
        self._toggle: Callable[[Hashable, bool], object] = lambda _k, _c: None
        self._class_for: Callable[[Style], str] = lambda _s: ""

    def update(
        self,
        *,
        source: RowSource,
        span: tuple[int, int],
        selected: frozenset[Hashable],
        rows: Rows,
        row_height: int,
        overscan: int,
        body_style: Style,
        chosen_style: Style,
        selectable: bool,
        toggle: Callable[[Hashable, bool], object],
        class_for: Callable[[Style], str],
    ) -> None:
        """Take this render's rows (after ``rows.build``); start a new version when they changed."""
        lo, hi = span
        old = self.source
        same_rows = (
            old is not None
            and old.rows is source.rows
            and old.order is source.order
            and old.row_key == source.row_key
            and self._layout is rows.layout
            and (self.lo, self.count, self.row_height, self.overscan) == (lo, hi - lo, row_height, overscan)
        )
        if not same_rows:
            self._new_version()
        elif selected != self.selected and self.next > 0:
            self._reselect(rows, self.selected ^ selected)
        self.source, self.selected, self._rows, self._layout = source, selected, rows, rows.layout
        self.lo, self.count, self.row_height, self.overscan = lo, hi - lo, row_height, overscan
        self._styles = (body_style, chosen_style)
        self._selectable, self._toggle, self._class_for = selectable, toggle, class_for
        if self.live() and (self.sent_version != self.version or self.dirty or self.next < self.count):
            self.frame.owner.feeds_due = True  # the host starts sending (Session.on_feeds)

    def _new_version(self) -> None:
        """Start a new version: the client drops what it holds, everything is sent again."""
        self.version += 1
        self.next = 0
        self.dirty = []

    def _reselect(self, rows: Rows, changed: frozenset[Hashable]) -> None:
        """Queue the sent positions whose row's selection changed; a new version when they are unknown.

        A row selected through its checkbox is in the window: its position is the one ``rows``
        rendered it at (no scan of the table). A selection of rows outside the window (select
        all, a program) or of more than :data:`MAX_DELTA_ROWS` rows starts a new version.
        """
        if len(changed) + len(self.dirty) > MAX_DELTA_ROWS:
            self._new_version()
            return
        positions = []
        for key in changed:
            built = rows.kept.get(key)
            if built is None:
                self._new_version()
                return
            positions.append(built[2] - 2 - self.lo)  # aria-rowindex - 2: the display position
        self.dirty.extend(p for p in positions if p < self.next)

    def _index(self, source: RowSource, p: int) -> int:
        i = self.lo + p
        return i if source.order is None else source.order[i]

    def restart(self) -> None:
        """Send everything again (a new connection: its client holds no feed)."""
        self.sent_version = -1
        self.next = 0
        self.dirty = []

    def live(self) -> bool:
        """Whether the body is mounted, templated and small enough to feed."""
        rows = self._rows
        return (  # a body that unmounts leaves the reconciler's feeds (unmount_component)
            rows is not None
            and rows.template is not None
            and 0 < self.count <= MAX_FEED_ROWS
        )

    def announce(self, rec: Reconciler) -> list[RowsMessage]:
        """Return what must reach the client before the next patch: a new version, changed positions."""
        out: list[RowsMessage] = []
        if not self.live():
            return out
        if self.sent_version != self.version:
            self.sent_version = self.version
            out.append(self._message(0, []))
        if self.dirty:  # rows of the window: the render that changed them built them
            for p in sorted(set(self.dirty)):
                out.append(self._message(p, [self._values(rec, p)]))
            self.dirty = []
        return out

    def chunk(self, rec: Reconciler) -> RowsMessage | None:
        """Return the next chunk of this version, or ``None`` when everything was sent."""
        if not self.live() or self.next >= self.count:
            return None
        start = self.next
        end = min(self.count, start + CHUNK_ROWS)
        try:
            values = [self._values(rec, p) for p in range(start, end)]
        except Exception:  # a row the table has not shown lacks a field, a row_key raised...
            # The table's own render reports it when that row enters the window (a WidgetError
            # naming the row); the feed stops here, and the client fills fewer steps.
            logger.debug("row feed stopped at position %d: a row cannot be built", start, exc_info=True)
            self.next = self.count
            return None
        self.next = end
        self.sent_version = self.version
        return self._message(start, values)

    def _message(self, start: int, values: list[tuple[Scalar, ...]]) -> RowsMessage:
        rows = self._rows
        assert rows is not None and rows.template is not None
        return RowsMessage(
            node=dom_id(self.frame),
            version=self.version,
            count=self.count,
            row_height=self.row_height,
            overscan=self.overscan,
            slots=rows.template.slot_spec,
            start=start,
            rows=len(values),
            columns=columns(values),
        )

    def _values(self, rec: Reconciler, p: int) -> tuple[Scalar, ...]:
        """Return the slot values of display position ``p``: what ``Rows.build`` gives its instance."""
        rows, source = self._rows, self.source
        assert rows is not None and source is not None and rows.template is not None
        tpl = rows.template
        index = self._index(source, p)
        row: Any = source.rows[index]
        key = source.key(index)
        chosen = key in self.selected
        cls = self._class_for(self._styles[chosen])
        aria = self.lo + p + 2
        values = rows.row_values(
            row, key, selected=chosen, cls=cls, aria=aria, selectable=self._selectable, toggle=self._toggle
        )
        return tpl.slots(values, rec.statics(tpl))


def columns(rows: list[tuple[Scalar, ...]]) -> tuple[RowsColumn, ...]:
    """Encode rows of slot values column by column (:data:`~tempestweb_contract.RowsColumn`).

    A column whose rows all hold the same value (of the same type: ``True`` is not ``1``) is
    ``(0, value)``; one holding the texts of consecutive integers (an ``aria-rowindex``, an id
    column in order) is ``(1, first)``; any other is ``(2, values)``. The 100,000-row test table's
    feed: 8.9 MB of JSON row by row, 3.9 MB column by column, and about half the parsing.

    Args:
        rows: One tuple of slot values per row, all of the same length.

    Returns:
        One column per slot (none for no rows).

    Example:
        >>> columns([("2", "a", "x"), ("3", "a", "y")])
        ((1, 2), (0, 'a'), (2, ('x', 'y')))

    """
    if not rows:
        return ()
    out: list[RowsColumn] = []
    for column in zip(*rows, strict=True):
        first = column[0]
        kind = type(first)
        if all(v == first and type(v) is kind for v in column):
            out.append((0, first))
            continue
        if kind is str and first.isdigit() and first == str(int(first)):
            n = int(first)
            if all(type(v) is str and v == str(n + i) for i, v in enumerate(column)):
                out.append((1, n))
                continue
        out.append((2, column))
    return tuple(out)
