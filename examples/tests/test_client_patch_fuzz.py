"""Differential fuzz of the real JS client: patched DOM == fresh mount == hydrated prerender.

``packages/tempest-core/tests/test_reconciler_properties.py`` checks "the ops of diff(a, b)
applied to the DOM of a give the DOM of b" against core's Python DOM model. This suite checks
the same in Chromium with the client itself (``client/src``, as every mode serves it): a page
mounts a session with ``mount()`` and an in-page transport (``client_patch_fuzz.js``), feeds it
the encoded ``init`` of ``a`` (or hydrates ``a``'s prerendered HTML, the first view of a real
page), then the encoded ``patch`` of every following tree. After each patch the root's DOM
(tags, namespaces, attributes, the live ``value``/``checked``/``selected``/``indeterminate``/
``open``, listeners, text nodes one by one) must equal a fresh client mount of that tree, and the
prerendered HTML of that tree parsed by the browser and hydrated by the client; every style rule
a fresh session of that tree sent must be in the page's sheet, and the client must never resync.
The prerender is compared where the HTML parser keeps the markup as written (``parser_keeps``:
no ``<p>`` holding a ``<div>``...), through the live properties where it writes a property as an
attribute (``value``, ``checked``, ``selected``, a textarea's text), and without
``indeterminate``, which has no HTML form (``test_hydrated_checkbox_keeps_indeterminate``).

Trees come from core's own generators (``treegen``: elements, text, components, keyed/unkeyed/
mixed children) and from a page model here covering what those leave out: ``@template``
instances (``templategen``'s families), keyed moves, form properties, boolean attributes, style
rules, adjacent and empty text nodes, unicode, SVG and MathML namespaces. Pairs (a -> b) and
chains (25 patches on one page: listeners, template bookkeeping and ids carried between
batches). Seeds are fixed; a failure names its case (``pair-<seed>-<n>``/``chain-...``) and the
first difference. ``TW_FUZZ_SCALE`` multiplies the case counts and ``TW_FUZZ_SEED`` changes the
seed, for longer runs offline.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.server
import os
import random
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page

import tempestweb_contract
from tempest_core import App, Session, Style, html, svg
from tempest_core.events import handler
from tempest_core.nodes import Element, Node, Text
from tempestweb_contract import PROTOCOL_VERSION, ROOT_ID, Create, ElementNode, Init, NodeSpec, Patch, encode

CORE_TESTS = Path(__file__).resolve().parents[2] / "packages" / "tempest-core" / "tests"
if str(CORE_TESTS) not in sys.path:
    sys.path.append(str(CORE_TESTS))  # appended: this folder's modules keep precedence

import templategen  # noqa: E402  (core's test generators: imported, not copied)
import treegen  # noqa: E402

pytestmark = pytest.mark.browser

HARNESS_JS = Path(__file__).with_name("client_patch_fuzz.js")
CSP = "script-src 'self'; require-trusted-types-for 'script'"
SCALE = int(os.environ.get("TW_FUZZ_SCALE", "1"))
SEED = int(os.environ.get("TW_FUZZ_SEED", "20260611"))
PAIRS = 150 * SCALE
"""Pairs per generator (treegen and the page model)."""
CHAINS = 6 * SCALE
CHAIN_LENGTH = 25
BATCH = 40
"""Cases per ``page.evaluate``."""
MATHML = "http://www.w3.org/1998/Math/MathML"
ATTRIBUTE_PROPS = frozenset({"value", "checked", "selected", "disabled"})
"""Properties the prerender writes as attributes (docs/design.md, "Hydration markers")."""
T = TypeVar("T")

# -- the page model --------------------------------------------------------------------------------
TEXTS = (
    "", "", " ", "a", "b", "hello world", "<&>\"'", "é", "😀", "\U0001d538\U0001d539", "\u200b", "a\nb",
    "\t", "\xa0", "&amp;", "<!--x-->", "]]>", "x" * 40, "\ud800", "\ufb00", "a\r\nb", "\r",
)  # fmt: skip
VALUES = ("", "x", "y z", '"q"', "<&>", "é😀", "  ", "a\nb", "&lt;", "0", "\nlead", "a\r\nb")
STYLES = (
    None,
    Style(color="red"),
    Style(color="blue", display="flex"),
    Style(display="none"),
    Style(padding=4),
)
FAMILIES_UL = (1, 7)  # templategen families whose root is an <li>
FAMILIES_DIV = (2, 3, 4, 5, 6)  # <label>, <div>, <svg>, <section>, <button>


def noop() -> None:
    """A handler that does nothing."""


def _on(rng: random.Random) -> Any:
    return rng.choice(
        (None, None, noop, handler(noop, prevent_default=True), handler(noop, stop_propagation=True))
    )


@dataclass
class Section:
    """One keyed part of the page: its kind and its data (replaced, never mutated, by a step)."""

    key: int
    kind: str
    data: Any = field(default=None)


def _text_pieces(rng: random.Random) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.55:
            out.append(("t", rng.choice(TEXTS)))
        elif r < 0.75:
            out.append(("el", rng.choice(("b", "em", "span")), rng.randrange(len(STYLES)), rng.choice(TEXTS)))
        elif r < 0.85:
            out.append(("br",))
        else:
            out.append(("k", rng.randrange(30), rng.choice(TEXTS)))  # a keyed <i> between texts
    return out


def _list_items(rng: random.Random, start: int) -> list[tuple[Any, ...]]:
    return [_list_item(rng, start + i) for i in range(rng.randint(0, 7))]


def _list_item(rng: random.Random, key: int | None) -> tuple[Any, ...]:
    k = None if rng.random() < 0.1 else key
    return (k, rng.choice(TEXTS), rng.choice((None, "a", "a b", "")), rng.randrange(len(STYLES)),
            _on(rng), rng.random() < 0.2, rng.choice((None, *VALUES)))  # fmt: skip


def _form(rng: random.Random) -> dict[str, Any]:
    options = [(f"v{i}", rng.choice(TEXTS)) for i in range(rng.randint(1, 4))]
    return {
        # the select's group: its options, its value (None or one of them), selected props on the
        # options too (as the Select widget does) or not
        "select": (options, rng.choice([None, *(v for v, _ in options)]), rng.random() < 0.7),
        "text": rng.choice((None, *VALUES)),
        "placeholder": rng.choice((None, *VALUES)),
        "disabled": rng.random() < 0.3,
        "readonly": rng.random() < 0.2,
        "on_input": _on(rng),
        "checked": rng.choice((None, True, False)),
        "indeterminate": rng.choice((None, True, False)),
        "radio": rng.choice((None, True, False)),
        "area": rng.choice((None, *VALUES)),
        "number": rng.choice((None, "", "3", "2.5", "-1")),
        "required": rng.random() < 0.3,
    }


def _tpl_items(rng: random.Random, families: tuple[int, ...], gen: templategen.ListGen) -> list[Any]:
    return [gen.item(rng.choice(families)) for _ in range(rng.randint(0, 6))]


def _svg(rng: random.Random) -> dict[str, Any]:
    return {
        "viewBox": rng.choice(("0 0 10 10", "0 0 20 20", None)),
        "title": rng.choice(TEXTS),
        "circles": [
            (k, rng.randint(0, 9), rng.choice((1, 2, 3)), rng.choice((None, "red", "none")))
            for k in rng.sample(range(12), rng.randint(0, 5))
        ],
        "href": rng.choice((None, "#c1", "#c2")),
        "xlink": rng.choice((None, "#c1", "#c2")),
        "label": rng.choice(TEXTS),
        "fo": rng.random() < 0.4,
        "class": rng.choice((None, "icon", "icon big")),
    }


BOX_ATTRS = (
    "title",
    "data-x",
    "aria-label",
    "lang",
    "dir",
    "role",
    "tabindex",
    "hidden",
    "inert",
    "id",
    "class",
)


def _box(rng: random.Random, key: int) -> tuple[Any, ...]:
    attrs = {rng.choice(BOX_ATTRS): rng.choice((*VALUES, True, False)) for _ in range(rng.randint(0, 3))}
    return (key, rng.choice(("div", "span", "section", "aside", "article")), attrs,
            rng.randrange(len(STYLES)), rng.choice(TEXTS), _on(rng))  # fmt: skip


def _boxes(rng: random.Random) -> list[tuple[Any, ...]]:
    return [_box(rng, k) for k in rng.sample(range(20), rng.randint(0, 5))]


def _unique(items: list[Any], key: Callable[[Any], Any]) -> list[Any]:
    """``items`` without the later ones of a repeated key (``None`` keys all stay)."""
    seen: set[Any] = set()
    out = []
    for it in items:
        k = key(it)
        if k is None or k not in seen:
            out.append(it)
            seen.add(k)
    return out


KINDS = ("text", "list", "form", "table", "tpl_ul", "tpl_div", "svg", "details", "boxes", "math")


class PageGen:
    """Random pages (keyed sections of every kind) and correlated steps."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next_key = 0
        self.tpl = templategen.ListGen(rng)

    def section(self, key: int | None = None, kind: str | None = None) -> Section:
        """A new section (a fresh key unless given)."""
        r = self.rng
        if key is None:
            self.next_key += 1
            key = self.next_key
        kind = kind or r.choice(KINDS)
        data: Any
        if kind == "text":
            data = (r.choice(("p", "div", "pre")), _text_pieces(r))
        elif kind == "list":
            self.next_key += 10
            data = (r.choice(("ul", "ol")), _list_items(r, self.next_key * 100))
        elif kind == "form":
            data = _form(r)
        elif kind == "table":
            data = (_tpl_items(r, (0,), self.tpl), r.random() < 0.7)
        elif kind == "tpl_ul":
            data = (_tpl_items(r, FAMILIES_UL, self.tpl), r.random() < 0.7)
        elif kind == "tpl_div":
            data = (_tpl_items(r, FAMILIES_DIV, self.tpl), r.random() < 0.7)
        elif kind == "svg":
            data = _svg(r)
        elif kind == "details":
            data = (r.random() < 0.5, r.choice(TEXTS), r.choice(TEXTS), r.randrange(len(STYLES)))
        elif kind == "boxes":
            data = _boxes(r)
        else:
            data = (r.choice(TEXTS), r.choice(("block", "inline", None)), r.random() < 0.5)
        return Section(key, kind, data)

    def first(self) -> list[Section]:
        """A page of 1-5 sections."""
        return [self.section() for _ in range(self.rng.randint(1, 5))]

    def step(self, page: list[Section]) -> list[Section]:
        """A page derived from ``page``: sections changed, moved, added, removed, replaced."""
        r = self.rng
        out = [self._step(s) if r.random() < 0.6 else s for s in page]
        op = r.random()
        if op < 0.15:
            r.shuffle(out)
        elif op < 0.3 and len(out) > 1:
            i, j = r.randrange(len(out)), r.randrange(len(out))
            out[i], out[j] = out[j], out[i]
        if out and r.random() < 0.2:
            out.pop(r.randrange(len(out)))
        if len(out) < 7 and r.random() < 0.25:
            out.insert(r.randint(0, len(out)), self.section())
        if out and r.random() < 0.05:
            i = r.randrange(len(out))
            out[i] = self.section(out[i].key)  # same key, maybe another kind: replaced
        return out

    def _step(self, s: Section) -> Section:
        r = self.rng
        if r.random() < 0.1:
            return self.section(s.key, s.kind)
        d = s.data
        if s.kind == "text":
            pieces = [p if r.random() < 0.6 or p[0] == "br" else (*p[:-1], r.choice(TEXTS)) for p in d[1]]
            pieces = [
                (*p[:2], r.randrange(len(STYLES)), p[3]) if p[0] == "el" and r.random() < 0.2 else p
                for p in pieces
            ]
            _shuffle_some(r, pieces, lambda: _text_pieces(r)[:1])
            return Section(s.key, s.kind, (d[0], pieces))
        if s.kind == "list":
            items = [_list_item(r, it[0]) if r.random() < 0.3 else it for it in d[1]]
            self.next_key += 1
            _shuffle_some(r, items, lambda: [_list_item(r, self.next_key * 100 + r.randrange(99))])
            return Section(
                s.key, s.kind, (d[0] if r.random() < 0.9 else "ol", _unique(items, lambda it: it[0]))
            )
        if s.kind == "form":
            new = _form(r)
            return Section(s.key, s.kind, {k: new[k] if r.random() < 0.4 else v for k, v in d.items()})
        if s.kind in ("table", "tpl_ul", "tpl_div"):
            families = {"table": (0,), "tpl_ul": FAMILIES_UL, "tpl_div": FAMILIES_DIV}[s.kind]
            items = [
                templategen.Item(it.key, it.family, templategen.FAMILIES[it.family].values(r))
                if r.random() < 0.35 else it
                for it in d[0]
            ]  # fmt: skip
            _shuffle_some(r, items, lambda: [self.tpl.item(r.choice(families))])
            return Section(s.key, s.kind, (items, d[1] if r.random() < 0.9 else not d[1]))
        if s.kind == "svg":
            new = _svg(r)
            return Section(s.key, s.kind, {k: new[k] if r.random() < 0.4 else v for k, v in d.items()})
        if s.kind == "boxes":
            items = list(d)
            _shuffle_some(r, items, lambda: [_box(r, r.randrange(20))])
            items = _unique(items, lambda b: b[0])
            return Section(s.key, s.kind, [b if r.random() < 0.7 else _box(r, b[0]) for b in items])
        return self.section(s.key, s.kind)


def _shuffle_some(rng: random.Random, items: list[Any], new: Callable[[], list[Any]]) -> None:
    """Move, reverse, drop and insert some of ``items`` in place."""
    op = rng.random()
    if op < 0.2:
        rng.shuffle(items)
    elif op < 0.35 and len(items) > 1:
        i, j = rng.randrange(len(items)), rng.randrange(len(items))
        items[i], items[j] = items[j], items[i]
    elif op < 0.45 and items:
        i = rng.randrange(len(items))
        items[i:] = reversed(items[i:])
    for _ in range(rng.randint(0, 2)):
        if items and rng.random() < 0.5:
            items.pop(rng.randrange(len(items)))
    for _ in range(rng.randint(0, 2)):
        for it in new():
            items.insert(rng.randint(0, len(items)), it)


def _style(i: int) -> Style | None:
    return STYLES[i]


def render_section(s: Section) -> Node:
    """The element of one section (keyed by the section's key)."""
    d, key = s.data, s.key
    if s.kind == "text":
        kids: list[Node] = []
        for p in d[1]:
            if p[0] == "t":
                kids.append(Text(p[1]))
            elif p[0] == "br":
                kids.append(html.br())
            elif p[0] == "k":
                kids.append(html.i(p[2], key=("i", p[1])))
            else:
                kids.append(getattr(html, p[1])(p[3], style=_style(p[2])))
        return Element(d[0], children=tuple(_unique(kids, lambda k: k.key)), key=key)
    if s.kind == "list":
        factory: Callable[..., Element] = getattr(html, d[0])
        return factory(
            [
                html.li(
                    label, class_=cls or None, style=_style(st), on_click=on, hidden=hid, title=title, key=k
                )
                for k, label, cls, st, on, hid, title in d[1]
            ],
            key=key,
        )
    if s.kind == "form":
        return _render_form(d, key)
    if s.kind in ("table", "tpl_ul", "tpl_div"):
        items, as_tpl = d
        rows = [templategen.as_template(it) if as_tpl else templategen.as_html(it) for it in items]
        if s.kind == "table":
            return html.table(html.tbody(rows), key=key)
        return html.ul(rows, key=key) if s.kind == "tpl_ul" else html.div(rows, key=key, class_="tpl")
    if s.kind == "svg":
        return _render_svg(d, key)
    if s.kind == "details":
        is_open, summary, body, st = d
        return html.details(html.summary(summary), html.div(body, style=_style(st)), open=is_open, key=key)
    if s.kind == "boxes":
        return html.div(
            [
                getattr(html, tag)(text, attrs={n: ("" if v is True else v) for n, v in attrs.items()
                                                if v is not False}, style=_style(st), on_click=on, key=k)
                for k, tag, attrs, st, text, on in d
            ],
            key=key,
        )  # fmt: skip
    text, display, frac = d

    def mi() -> Element:
        return Element("mi", children=(Text(text),), ns=MATHML)

    more = (Element("mfrac", children=(Element("mn", children=(Text("1"),), ns=MATHML), mi()), ns=MATHML),)
    return html.p(html.math(mi(), *(more if frac else ()), display=display), key=key)


def _render_form(d: dict[str, Any], key: int) -> Node:
    choices, selected, mark = d["select"]
    options = [
        html.option(label, value=v, selected=(v == selected) if mark else None) for v, label in choices
    ]
    return html.div(
        html.label("Name", html.input(type="text", value=d["text"], placeholder=d["placeholder"],
                                       disabled=d["disabled"], readonly=d["readonly"], on_input=d["on_input"],
                                       required=d["required"])),
        html.input(type="checkbox", checked=d["checked"], indeterminate=d["indeterminate"], aria_label="c"),
        html.input(type="radio", name=f"r{key}", checked=d["radio"], value="on"),
        html.textarea(value=d["area"], disabled=d["disabled"]),
        html.select(options, value=selected),
        html.input(type="number", value=d["number"]),
        key=key,
    )  # fmt: skip


def _render_svg(d: dict[str, Any], key: int) -> Node:
    circles = [svg.circle(id=f"c{k}", cx=cx, cy=5, r=r, fill=fill, key=k) for k, cx, r, fill in d["circles"]]
    return html.svg(
        svg.title(d["title"]),
        svg.g(circles),
        svg.use(href=d["href"]) if d["href"] else None,
        svg.use(attrs={"xlink:href": d["xlink"]}) if d["xlink"] else None,
        svg.text(d["label"], x=1, y=9),
        svg.foreignObject(html.div(d["label"], class_="fo"), width=5, height=5) if d["fo"] else None,
        viewBox=d["viewBox"],
        class_=d["class"],
        key=key,
    )


def render_page(page: list[Section]) -> Node:
    """The whole view."""
    return html.main(*(render_section(s) for s in page), id="page")


# -- which trees the HTML parser keeps as written ---------------------------------------------------
_CLOSES_P = "address article aside blockquote details dialog div dl fieldset figcaption figure footer form"
CLOSES_P = frozenset(
    (
        _CLOSES_P
        + " h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary table ul dd dt"
    ).split()
)
"""Start tags that close an open <p> (HTML, "in body" insertion mode)."""
SPECIAL = CLOSES_P | {"button", "td", "th", "tr", "tbody", "table", "caption", "select", "textarea"}
TABLE_KIDS = {
    "table": {"tbody", "thead", "tfoot", "tr", "caption", "colgroup"},
    "tbody": {"tr"},
    "tr": {"td", "th"},
}


def parser_keeps(spec: NodeSpec, open_: tuple[str, ...] = ()) -> bool:
    """Whether the HTML parser builds ``spec``'s prerendered markup as written (no p > div, no
    li > span > li, no table parts elsewhere...): only such trees are compared with the prerender."""
    if not isinstance(spec, ElementNode):
        return not open_ or open_[-1] not in TABLE_KIDS
    tag = spec.tag if spec.ns is None else "#foreign"
    parent = open_[-1] if open_ else "div"
    if spec.ns is None:
        if parent in TABLE_KIDS and tag not in TABLE_KIDS[parent]:
            return False
        if tag in ("tr", "td", "th", "tbody") and parent not in TABLE_KIDS:
            return False
        scope = open_[::-1]
        for t in scope:  # a <p> open in button scope is closed by these
            if t in ("button", "table", "td", "th", "#foreign"):
                break
            if t == "p" and tag in CLOSES_P:
                return False
        if tag == "li":
            for t in scope:
                if t == "li":
                    return False
                if t in SPECIAL and t not in ("address", "div", "p"):
                    break
        if tag == "a" and "a" in open_:
            return False
    return all(parser_keeps(c, (*open_, tag)) for c in spec.children)


# -- cases -----------------------------------------------------------------------------------------
def _fresh(tree: Node) -> tuple[str, Session]:
    s = Session(App(view=lambda _: tree, state=None, theme=None))
    ops = s.mount()
    return encode(Init(v=PROTOCOL_VERSION, session="F", seq=0, ops=ops)).decode(), s


def _prerender(s: Session, *, lossy: bool = True) -> tuple[str | None, dict[str, list[str]]]:
    """``s``'s prerendered markup (``None`` when the parser would restructure it) and, by node
    id, the attributes the prerender writes for properties (compared through the live property)
    and, when ``lossy``, the properties it cannot write (``#indeterminate``: not compared)."""
    specs = [op.node for op in s.resync() if isinstance(op, Create) and op.parent == ROOT_ID]
    if not all(parser_keeps(spec) for spec in specs):
        return None, {}
    ignore: dict[str, list[str]] = {}

    def walk(spec: NodeSpec, in_select: bool = False) -> None:
        if isinstance(spec, ElementNode):
            names = [n for n in spec.props if n in ATTRIBUTE_PROPS and n not in spec.attrs]
            if spec.tag == "textarea" and spec.props.get("value") is not None:
                names.append("#children")  # written as its text
            if lossy and spec.props.get("indeterminate") is not None:
                names.append("#indeterminate")  # no HTML form: a hydrated page loses it (xfail below)
            if in_select and spec.tag == "option":
                names.append("selected")  # a select's value is written as its option's selected
            if names:
                ignore[str(spec.id)] = names
            select = spec.tag == "select" and spec.props.get("value") is not None
            for c in spec.children:
                walk(c, select or (in_select and spec.tag == "optgroup"))

    for spec in specs:
        walk(spec)
    return s.render_html(), ignore


async def _case(name: str, trees: list[Node], hydrate: bool, *, lossy: bool = True) -> dict[str, Any]:
    """The case "show ``trees[0]`` (its init, or its prerender hydrated), then patch to each next"."""
    h = treegen.Harness(trees[0])
    start_html, start_ignore = _prerender(h.session, lossy=lossy) if hydrate else (None, {})
    # a prerendered page has its rules in its <style id="tw-styles">, not inserted by the client
    rules = list(h.session.styles) if start_html is not None else []
    init = Init(v=PROTOCOL_VERSION, session="S", seq=0, ops=() if start_html is not None else h.mount_ops)
    steps = []
    for seq, tree in enumerate(trees[1:], 1):
        ops = await h.show(tree)
        fresh, s = _fresh(tree)
        pre_html, ignore = _prerender(s, lossy=lossy)
        patch = encode(Patch(seq=seq, ops=ops)).decode()
        steps.append(
            {"patch": patch, "fresh": fresh, "html": pre_html, "ignore": ignore, "rules": list(s.styles)}
        )
    start = {"init": encode(init).decode(), "html": start_html, "ignore": start_ignore, "rules": rules}
    return {"name": name, **start, "steps": steps}


async def _cases(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for n in range(PAIRS):
        a = treegen.gen(rng)
        out.append(await _case(f"pair-tree-{seed}-{n}", [a, treegen.mutate(rng, a)], rng.random() < 0.4))
    pages = PageGen(rng)
    for n in range(PAIRS):
        page = pages.first()
        nxt = page
        for _ in range(rng.randint(1, 3)):
            nxt = pages.step(nxt)
        out.append(
            await _case(f"pair-page-{seed}-{n}", [render_page(page), render_page(nxt)], rng.random() < 0.5)
        )
    for n in range(CHAINS):
        tree = treegen.gen(rng)
        trees = [tree]
        for _ in range(CHAIN_LENGTH):
            tree = treegen.mutate(rng, tree)
            trees.append(tree)
        out.append(await _case(f"chain-tree-{seed}-{n}", trees, n % 2 == 0))
        page = pages.first()
        chain = [page]
        for _ in range(CHAIN_LENGTH):
            page = pages.step(page)
            chain.append(page)
        out.append(await _case(f"chain-page-{seed}-{n}", [render_page(p) for p in chain], n % 2 == 0))
    return out


def in_thread(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to its end in a thread of its own (the sync Playwright API holds this thread's loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def build_cases(seed: int) -> list[dict[str, Any]]:
    """Every case of ``seed``."""
    return in_thread(_cases(seed))


# -- the page --------------------------------------------------------------------------------------
PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>fuzz</title><style id="tw-styles"></style>'
    '</head><body><script type="module" src="/fuzz.js"></script></body></html>'
)


class _Server:
    """``/`` (the page, under the production CSP with Trusted Types), ``/fuzz.js``, ``/client/*``."""

    def __init__(self, client: Path) -> None:
        files = {"/": ("text/html", PAGE.encode()), "/fuzz.js": ("text/javascript", HARNESS_JS.read_bytes())}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                found = files.get(path)
                name = path.removeprefix("/client/")
                if (
                    found is None
                    and path.startswith("/client/")
                    and "/" not in name
                    and (client / name).is_file()
                ):
                    found = ("text/javascript", (client / name).read_bytes())
                body = found[1] if found else b"not found"
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", (found[0] if found else "text/plain") + "; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Security-Policy", CSP)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def fuzz_page(browser: Browser) -> Iterator[Page]:
    server = _Server(tempestweb_contract.client_dir())
    context = browser.new_context()
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(str(exc)))
    pg.on("console", lambda msg: problems.append(msg.text) if "Refused" in msg.text else None)
    pg.goto(server.url)
    pg.wait_for_function("() => window.__fuzz !== undefined")
    yield pg
    context.close()
    server.httpd.shutdown()
    server.httpd.server_close()
    assert problems == []


def run_cases(page: Page, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run ``cases`` in the page; return the first mismatch of each failing case."""
    failures: list[dict[str, Any]] = []
    for i in range(0, len(cases), BATCH):
        failures += page.evaluate("cases => window.__fuzz.run(cases)", cases[i : i + BATCH])
    return failures


def test_patched_dom_equals_fresh_mount_and_prerender(fuzz_page: Page) -> None:
    cases = build_cases(SEED)
    steps = sum(len(c["steps"]) for c in cases)
    compared = sum(1 for c in cases for s in c["steps"] if s["html"] is not None)
    hydrated = sum(1 for c in cases if c["html"] is not None)
    failures = run_cases(fuzz_page, cases)
    print(
        f"{len(cases)} cases, {steps} patches, {compared} prerender comparisons, {hydrated} hydrated starts"
    )
    assert not failures, f"{len(failures)} failing cases (seed {SEED}); first: " + "\n".join(
        f"{f['name']} step {f['step']}: {f['what']}" for f in failures[:5]
    )
    # The comparisons must be real: most steps compare with the prerender, many starts hydrate.
    assert compared > steps // 2 and hydrated > len(cases) // 5


# -- what the fuzz found: each a minimal case, failing before its fix ---------------------------------
def _options(*values: str, selected: str | None = None, mark: bool = False) -> list[Element]:
    return [html.option(v.upper(), value=v, selected=(v == selected) if mark else None) for v in values]


REGRESSIONS: dict[str, tuple[list[Node], bool]] = {
    # The client set `xlink:href` in no namespace (the parser puts it in XLink's): <use> showed nothing.
    "xlink_href_namespace": (
        [
            html.div(),
            html.svg(svg.use(attrs={"xlink:href": "#c"}), svg.text("t", attrs={"xml:space": "preserve"})),
        ],
        False,
    ),
    # Removing a select's value left it blank; a fresh select shows its first option.
    "select_value_removed": (
        [html.select(_options("v0", "v1"), value="v1"), html.select(_options("v0", "v1"))],
        False,
    ),
    # The options' selected props were reset after the select's value was set: it showed v0, not v2.
    "select_options_reset_after_value": (
        [
            html.select(_options("v0", "v1", "v2", selected="v2", mark=True), value="v2"),
            html.select(_options("v0", "v1", "v2"), value="v2"),
        ],
        False,
    ),
    # The value was set before the option it names was created (same batch): it showed v0.
    "select_value_of_a_new_option": (
        [html.select(_options("v0", "v1"), value="v0"), html.select(_options("v0", "v1", "v2"), value="v2")],
        False,
    ),
    # A removed `value` property of an <li> left value="0" (the property reflects the attribute).
    "li_value_removed": ([Element("li", props={"value": 3}), Element("li")], False),
    # The prerender wrote a carriage return as is: the parser made it a line feed.
    "prerender_carriage_return": ([html.p("a"), html.p("a\r\nb", "\r", title="x\ry")], False),
    # The prerender wrote a textarea's value starting with a line feed as is: the parser drops it.
    "prerender_textarea_leading_newline": ([html.div(), html.textarea(value="\nx")], True),
    # The prerender wrote a select's value as a `value` attribute (meaningless): the page showed v0.
    "prerender_select_value": ([html.div(), html.select(_options("v0", "v1"), value="v1")], True),
}


@pytest.mark.parametrize("name", REGRESSIONS)
def test_patch_fuzz_regression(fuzz_page: Page, name: str) -> None:
    trees, hydrate = REGRESSIONS[name]
    case = in_thread(_case(name, trees, hydrate))
    assert all(step["html"] is not None for step in case["steps"])  # compared with the prerender too
    assert run_cases(fuzz_page, [case]) == []


def test_hydrated_checkbox_keeps_indeterminate(fuzz_page: Page) -> None:
    """``indeterminate`` has no attribute form: the prerender writes it in ``data-tw-props``
    (``ATTR_PROPS``), which the client sets when it hydrates (it was lost until a patch)."""
    box = html.input(type="checkbox", indeterminate=True, aria_label="all")
    case = in_thread(_case("indeterminate", [box, box], True, lossy=False))
    assert run_cases(fuzz_page, [case]) == []


def test_hydrated_style_element_text(fuzz_page: Page) -> None:
    """Content the parser reads as text hydrates through ``data-tw-text`` (it was written after
    a ``<!--id-->`` marker the parser kept as text, and a ``<style>``'s ``>`` as ``&gt;``)."""
    trees: list[Node] = [
        html.div(html.style("p > b {color: red}"), html.textarea("\na < b"), html.title("T & C")),
        html.div(html.style("p > i {color: red}"), html.textarea("\na > b"), html.title("T & D")),
    ]
    assert run_cases(fuzz_page, [in_thread(_case("style", trees, True))]) == []
