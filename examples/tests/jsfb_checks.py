"""Reusable checks of the keyed js-framework-benchmark app (spec: ``/work/shared/specs/jsfb.md``).

Markup (sections 1-2), the keyed requirements K1, K2, K3 (section 5) and every action of section 4, driven
through real Playwright clicks. Each ``check_*`` takes a page opened with :func:`open_jsfb` (fresh page, so
``nextId`` starts at 1) and raises :class:`AssertionError` naming what departs from the spec.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

__all__ = ["ALL_CHECKS", "open_jsfb", "check_markup"]

WAIT_MS = 5_000
WAIT_LOTS_MS = 30_000
"""Waits for 10,000-row states (the benchmark's own failure bound is 30 s)."""

ADJECTIVES = [
    "pretty",
    "large",
    "big",
    "small",
    "tall",
    "short",
    "long",
    "handsome",
    "plain",
    "quaint",
    "clean",
    "elegant",
    "easy",
    "angry",
    "crazy",
    "helpful",
    "mushy",
    "odd",
    "unsightly",
    "adorable",
    "important",
    "inexpensive",
    "cheap",
    "expensive",
    "fancy",
]
COLOURS = ["red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white", "black", "orange"]
NOUNS = [
    "table",
    "chair",
    "house",
    "bbq",
    "desk",
    "car",
    "pony",
    "cookie",
    "sandwich",
    "burger",
    "pizza",
    "mouse",
    "keyboard",
]
BUTTONS = (
    ("run", "Create 1,000 rows"),
    ("runlots", "Create 10,000 rows"),
    ("add", "Append 1,000 rows"),
    ("update", "Update every 10th row"),
    ("clear", "Clear"),
    ("swaprows", "Swap Rows"),
)
LABEL_RE = f"^({'|'.join(ADJECTIVES)}) ({'|'.join(COLOURS)}) ({'|'.join(NOUNS)})( !!!)*$"

_ROWS_JS = "() => [...document.getElementById('tbody').children]"

_MARKUP_JS = """
([buttons, labelRe]) => {
  const problems = [];
  const bad = (m) => { if (problems.length < 20) problems.push(m); };
  const cls = (el) => (el.getAttribute('class') || '').split(/\\s+/).filter(Boolean).sort().join(' ');
  const is = (el, tag, classes) => el && el.tagName.toLowerCase() === tag &&
      classes.split(' ').filter(Boolean).every((c) => el.classList.contains(c));
  if (document.querySelectorAll('tbody').length !== 1) bad('document must contain exactly one tbody');
  const tbody = document.getElementById('tbody');
  if (!tbody || tbody.tagName !== 'TBODY') { bad('tbody#tbody missing'); return problems; }
  const table = tbody.parentElement;
  if (!is(table, 'table', 'table table-hover table-striped test-data'))
    bad('tbody parent is not table.table...');
  const container = table && table.parentElement;
  if (!is(container, 'div', 'container') || !container.parentElement || container.parentElement.id !== 'main')
    bad('table is not in div#main > div.container');
  const jumbo = container && container.querySelector(':scope > div.jumbotron > div.row');
  if (!jumbo) bad('div.container > div.jumbotron > div.row missing');
  else {
    const cols = [...jumbo.children];
    if (cols.length !== 2 || !cols.every((c) => is(c, 'div', 'col-md-6')))
      bad('jumbotron row needs 2 div.col-md-6');
    else {
      if (!cols[0].querySelector(':scope > h1')) bad('first col-md-6 has no h1');
      const cells = [...(cols[1].querySelector(':scope > div.row') || {children: []}).children];
      if (cells.length !== 6) bad('button row must have six cells, has ' + cells.length);
      cells.forEach((cell, i) => {
        if (!is(cell, 'div', 'col-sm-6 smallpad')) bad('cell ' + i + ' is not div.col-sm-6.smallpad');
        const b = cell.firstElementChild;
        const [id, text] = buttons[i] || [];
        if (!b || b.tagName !== 'BUTTON' || b.id !== id) {
          bad('cell ' + i + ' must hold button#' + id);
          return;
        }
        if (b.getAttribute('type') !== 'button') bad('#' + id + ' type must be "button"');
        if (cls(b) !== 'btn btn-block btn-primary') bad('#' + id + ' class is ' + b.getAttribute('class'));
        if (b.textContent.trim() !== text) bad('#' + id + ' text is ' + JSON.stringify(b.textContent));
      });
    }
  }
  const icon = container && [...container.children].find((c) => c.tagName === 'SPAN');
  if (!icon || !is(icon, 'span', 'preloadicon glyphicon glyphicon-remove') ||
      icon.getAttribute('aria-hidden') !== 'true' || icon.childNodes.length !== 0)
    bad('span.preloadicon.glyphicon.glyphicon-remove[aria-hidden=true] (empty) missing in div.container');
  const re = new RegExp(labelRe);
  let danger = 0;
  [...tbody.children].forEach((tr, i) => {
    if (tr.tagName !== 'TR') { bad('tbody child ' + i + ' is ' + tr.tagName); return; }
    const tags = [...tr.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()).join(',');
    if (tags !== 'td,td,a,td,a,span,td') { bad('row ' + (i + 1) + ' descendants: ' + tags); return; }
    const tds = tr.children;
    const want = ['col-md-1', 'col-md-4', 'col-md-1', 'col-md-6'];
    for (let j = 0; j < 4; j++) if (tds[j].getAttribute('class') !== want[j])
      bad('row ' + (i + 1) + ' td ' + (j + 1) + ' class ' + tds[j].getAttribute('class'));
    if (!/^[1-9][0-9]*$/.test(tds[0].textContent))
      bad('row ' + (i + 1) + ' id text ' + JSON.stringify(tds[0].textContent));
    const label = tds[1].firstElementChild.textContent;
    if (!re.test(label)) bad('row ' + (i + 1) + ' label ' + JSON.stringify(label));
    const span = tds[2].querySelector('span');
    if (!span.classList.contains('glyphicon') || !span.classList.contains('glyphicon-remove') ||
        span.getAttribute('aria-hidden') !== 'true') bad('row ' + (i + 1) + ' remove span markup');
    if (tds[3].childNodes.length && tds[3].textContent !== '')
      bad('row ' + (i + 1) + ' fourth cell not empty');
    const c = tr.getAttribute('class');
    if (c === 'danger') danger++;
    else if (c !== null && c !== '') bad('row ' + (i + 1) + ' class ' + JSON.stringify(c));
  });
  if (danger > 1) bad(danger + ' rows have class danger');
  return problems;
}
"""


def open_jsfb(page: Page, url: str, *, ready_timeout_ms: int = WAIT_MS) -> None:
    """Open the app and wait for the load event and an enabled ``button#run``.

    Args:
        page: A fresh page.
        url: The app's URL.
        ready_timeout_ms: How long ``#run`` may take to become enabled (5 s; a Mode A first
            visit boots Pyodide and gets longer).

    Raises:
        AssertionError: ``#run`` did not become enabled in time.
    """
    page.set_default_timeout(WAIT_LOTS_MS)
    page.goto(url, wait_until="load")
    try:
        page.wait_for_function(
            "() => { const b = document.getElementById('run'); return b && !b.disabled; }",
            timeout=ready_timeout_ms,
        )
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"button#run did not become present and enabled within {ready_timeout_ms / 1000:g} s"
        ) from None


def ids(page: Page) -> list[int]:
    """Return the ids shown in the first cell of every row, in DOM order."""
    out: list[int] = page.evaluate(
        f"() => ({_ROWS_JS})().map((tr) => Number(tr.firstElementChild.textContent))"
    )
    return out


def labels(page: Page) -> list[str]:
    """Return the label texts of every row, in DOM order."""
    out: list[str] = page.evaluate(
        f"() => ({_ROWS_JS})().map((tr) => tr.children[1].firstElementChild.textContent)"
    )
    return out


def selected_rows(page: Page) -> list[int]:
    """Return the 1-based numbers of the rows with class ``danger``."""
    out: list[int] = page.evaluate(
        f"() => ({_ROWS_JS})().flatMap((tr, i) => tr.classList.contains('danger') ? [i + 1] : [])"
    )
    return out


def wait_rows(page: Page, predicate: str, arg: Any, what: str, timeout_ms: int = WAIT_MS) -> None:
    """Poll until ``predicate(rows, arg)`` (JS, rows = tbody's element children) is true.

    Raises:
        AssertionError: It stayed false for ``timeout_ms``; the message gives row count and first ids.
    """
    js = f"(arg) => {{ const rows = ({_ROWS_JS})(); return ({predicate})(rows, arg); }}"
    try:
        page.wait_for_function(js, arg=arg, timeout=timeout_ms, polling="raf")
    except PlaywrightTimeoutError:
        got = ids(page)
        raise AssertionError(
            f"{what}: not reached in {timeout_ms} ms; {len(got)} rows, ids {got[:5]}..."
        ) from None


def wait_ids(page: Page, expected: list[int], what: str, timeout_ms: int = WAIT_MS) -> None:
    """Wait until the rows show exactly ``expected`` ids in order."""
    wait_rows(
        page,
        "(rows, exp) => rows.length === exp.length && rows.every((tr, i) => tr.firstElementChild && "
        "tr.firstElementChild.textContent === String(exp[i]))",
        expected,
        what,
        timeout_ms,
    )


def click_button(page: Page, button_id: str) -> None:
    """Real mouse click on ``button#<id>``."""
    page.locator(f"button#{button_id}").click()


def click_row(page: Page, row: int, what: str) -> None:
    """Click in row ``row`` (1-based): ``what="select"`` clicks the label link, ``"remove"`` the span.

    The label link gets a real mouse click. The remove span is empty and, without a stylesheet, has zero size,
    so no pointer can hit it; it gets ``HTMLElement.click()``, exactly what the spec's harness fires
    (section 4).
    """
    tr = page.locator("#tbody > tr").nth(row - 1)
    if what == "select":
        tr.locator("td:nth-child(2) > a").click()
    else:
        tr.locator("td:nth-child(3) span").evaluate("(el) => el.click()")


def check_markup(page: Page) -> None:
    """Check the page skeleton and the markup of every row against spec sections 1-2."""
    problems: list[str] = page.evaluate(_MARKUP_JS, [list(BUTTONS), LABEL_RE])
    assert not problems, "markup departs from the spec: " + "; ".join(problems)


def _mark_rows(page: Page) -> None:
    page.evaluate(
        f"""() => {{
          const old = ({_ROWS_JS})();
          const oldIds = old.map((tr) => tr.firstElementChild.textContent);
          const k = {{old, oldIds, added: 0, removed: 0, created: 0}};
          const oldSet = new Set(old);
          const count = (recs) => {{ for (const r of recs) {{
            for (const n of r.addedNodes) {{
              if (n.nodeName === 'TR') {{ k.added++; if (!oldSet.has(n)) k.created++; }}
            }}
            for (const n of r.removedNodes) if (n.nodeName === 'TR') k.removed++;
          }} }};
          k.obs = new MutationObserver(count);
          k.obs.observe(document.body, {{childList: true, subtree: true}});
          k.flush = () => count(k.obs.takeRecords());
          window.__keyed = k;
        }}"""
    )


def _keyed_report(page: Page) -> dict[str, Any]:
    report: dict[str, Any] = page.evaluate(
        f"""() => {{
          const k = window.__keyed; k.flush(); k.obs.disconnect();
          const now = ({_ROWS_JS})();
          const oldSet = new Set(k.old);
          return {{
            added: k.added, removed: k.removed, created: k.created,
            old_connected: k.old.filter((n) => n.isConnected).length,
            reused: now.filter((n) => oldSet.has(n)).length,
            same_as_old: now.map((n) => k.old.indexOf(n)),
            old_ids_kept: k.old.every((n, i) => n.firstElementChild.textContent === k.oldIds[i]),
          }};
        }}"""
    )
    return report


def check_k1_run_replaces_rows(page: Page) -> None:
    """K1: ``run`` over 1,000 rows detaches all old ``tr`` nodes and inserts 1,000 new ones."""
    click_button(page, "run")
    wait_ids(page, list(range(1, 1001)), "first run")
    _mark_rows(page)
    click_button(page, "run")
    wait_ids(page, list(range(1001, 2001)), "second run")
    r = _keyed_report(page)
    assert r["old_connected"] == 0, f"K1: {r['old_connected']} old tr nodes still attached after run"
    assert r["reused"] == 0, f"K1: {r['reused']} tr nodes were recycled for new ids"
    assert r["added"] >= 1000 and r["removed"] >= 1000, f"K1: added {r['added']}, removed {r['removed']} tr"
    assert r["old_ids_kept"], "K1: a detached tr node changed the id it shows"


def check_k2_remove_own_node(page: Page) -> None:
    """K2: removing row 2 detaches exactly the node that showed row 2; every other row keeps its node."""
    click_button(page, "run")
    wait_ids(page, list(range(1, 1001)), "run")
    _mark_rows(page)
    click_row(page, 2, "remove")
    wait_ids(page, [1, *range(3, 1001)], "remove row 2")
    r = _keyed_report(page)
    expected = [0, *range(2, 1000)]
    assert r["same_as_old"] == expected, "K2: rows did not keep their own tr nodes after removing row 2"
    assert r["old_connected"] == 999, f"K2: {r['old_connected']} old nodes attached (want 999)"
    assert r["created"] == 0, f"K2: {r['created']} tr nodes created by remove"


def check_k3_swap_moves_nodes(page: Page) -> None:
    """K3: ``swaprows`` creates no ``tr``; the node of row 2 becomes row 999 and vice versa."""
    click_button(page, "run")
    wait_ids(page, list(range(1, 1001)), "run")
    _mark_rows(page)
    click_button(page, "swaprows")
    exp = list(range(1, 1001))
    exp[1], exp[998] = exp[998], exp[1]
    wait_ids(page, exp, "swaprows")
    r = _keyed_report(page)
    assert r["created"] == 0, f"K3: swaprows created {r['created']} tr nodes"
    order = list(range(1000))
    order[1], order[998] = 998, 1
    assert r["same_as_old"] == order, "K3: swaprows did not move the two tr nodes (texts rewritten in place?)"


def check_actions(page: Page) -> None:
    """Every action of spec section 4 with real clicks, plus the markup after each structural change."""
    click_button(page, "run")
    wait_ids(page, list(range(1, 1001)), "run")
    check_markup(page)
    assert selected_rows(page) == []
    click_row(page, 5, "select")
    wait_rows(page, "(rows) => rows[4].className === 'danger'", None, "select row 5")
    click_row(page, 2, "select")
    wait_rows(page, "(rows) => rows[1].className === 'danger' && !rows[4].className", None, "select row 2")
    assert selected_rows(page) == [2]
    check_markup(page)
    before = labels(page)
    click_button(page, "update")
    want = [lbl + " !!!" if i % 10 == 0 else lbl for i, lbl in enumerate(before)]
    wait_rows(page, "(rows, w) => rows.every((tr, i) => tr.children[1].textContent === w[i])", want, "update")
    wait_rows(page, "(rows) => rows.every((tr) => !tr.className)", None, "update unselects")
    click_row(page, 3, "select")
    wait_rows(page, "(rows) => rows[2].className === 'danger'", None, "select row 3")
    click_button(page, "swaprows")
    exp = list(range(1, 1001))
    exp[1], exp[998] = exp[998], exp[1]
    wait_ids(page, exp, "swaprows")
    assert selected_rows(page) == [3], "swaprows must keep the selection"
    click_row(page, 4, "remove")
    del exp[3]
    wait_ids(page, exp, "remove row 4")
    assert selected_rows(page) == [3], "remove of another row must keep the selection"
    click_row(page, 3, "remove")
    del exp[2]
    wait_ids(page, exp, "remove the selected row 3")
    assert selected_rows(page) == []
    click_row(page, 1, "select")
    wait_rows(page, "(rows) => rows[0].className === 'danger'", None, "select row 1")
    click_button(page, "add")
    exp += list(range(1001, 2001))
    wait_ids(page, exp, "add")
    wait_rows(page, "(rows) => rows.every((tr) => !tr.className)", None, "add unselects")
    check_markup(page)
    click_button(page, "clear")
    wait_ids(page, [], "clear")
    click_button(page, "swaprows")  # fewer than 999 rows: nothing happens
    click_button(page, "runlots")
    wait_ids(page, list(range(2001, 12001)), "runlots", WAIT_LOTS_MS)
    check_markup(page)
    click_button(page, "run")
    wait_ids(page, list(range(12001, 13001)), "run after runlots")


def check_next_id_never_reset(page: Page) -> None:
    """``nextId`` survives run and clear: after five run+clear cycles, run creates ids 5001..6000."""
    for cycle in range(5):
        click_button(page, "run")
        start = cycle * 1000 + 1
        wait_ids(page, list(range(start, start + 1000)), f"run #{cycle + 1}")
        click_button(page, "clear")
        wait_ids(page, [], f"clear #{cycle + 1}")
    click_button(page, "run")
    wait_ids(page, list(range(5001, 6001)), "run after five run+clear")


def check_update_and_select_in_place(page: Page) -> None:
    """(SHOULD) ``update`` rewrites labels inside the existing nodes; ``select`` only touches ``class``."""
    click_button(page, "run")
    wait_ids(page, list(range(1, 1001)), "run")
    page.evaluate(
        f"""() => {{
          const rows = ({_ROWS_JS})();
          const links = rows.map((tr) => tr.children[1].firstElementChild);
          const recs = [];
          const obs = new MutationObserver((r) => recs.push(...r));
          obs.observe(document.getElementById('tbody'),
                      {{childList: true, subtree: true, attributes: true, characterData: true}});
          window.__inplace = {{rows, links, recs, obs}};
        }}"""
    )
    click_button(page, "update")
    wait_rows(page, "(rows) => rows[0].children[1].textContent.endsWith(' !!!')", None, "update")
    kept = page.evaluate(
        f"""() => {{
          const k = window.__inplace; const now = ({_ROWS_JS})();
          const same = now.every((tr, i) =>
            tr === k.rows[i] && tr.children[1].firstElementChild === k.links[i]);
          k.recs.push(...k.obs.takeRecords()); k.recs.length = 0;
          return same;
        }}"""
    )
    assert kept, "update replaced row or link nodes instead of changing their text"
    click_row(page, 3, "select")
    wait_rows(page, "(rows) => rows[2].className === 'danger'", None, "select row 3")
    kinds: list[str] = page.evaluate(
        """() => { const k = window.__inplace; k.recs.push(...k.obs.takeRecords()); k.obs.disconnect();
                   return [...new Set(k.recs.map((r) => r.type + ':' + (r.attributeName || '')))]; }"""
    )
    assert kinds == ["attributes:class"], f"select made other mutations than the class attribute: {kinds}"


Check = Callable[[Page], None]
ALL_CHECKS: dict[str, Check] = {
    "markup_empty": check_markup,
    "k1": check_k1_run_replaces_rows,
    "k2": check_k2_remove_own_node,
    "k3": check_k3_swap_moves_nodes,
    "actions": check_actions,
    "next_id": check_next_id_never_reset,
    "in_place": check_update_and_select_in_place,
}
