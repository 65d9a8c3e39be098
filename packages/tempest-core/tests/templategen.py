"""A family of ``@template`` markups, each also buildable with plain ``html.*``, and random values.

Every family entry holds the plain markup function (``markup(*values) -> Element``, built with
``html.*``), the template captured from that very function, and a generator of value tuples.
The equivalence tests render the same keyed list once from template instances and once from
the markup called directly, and compare the two sessions.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from tempest_core import Element, Node, Style, html, svg, template
from tempest_core.events import handler
from tempest_core.templates import TemplateFactory

CARD = Style(color="red", display="flex")
TEXTS: tuple[Any, ...] = ("", "a", "hello", "<&>", "é😀", 0, 7, -3, 2.5)
ATTRS: tuple[Any, ...] = (None, True, False, "", "x", "y z", 3, 1.5, '"q"')
CLASSES: tuple[Any, ...] = (None, "a", "a b", "danger")
"""``class_`` hole values: ``""`` is left out (see test_templates' xfail on ``class=""``)."""
HREFS: tuple[Any, ...] = (None, "/x", "https://e.x/?a=1&b=2", "#top", "mailto:a@b.c")
VALUES: tuple[Any, ...] = (None, "", "abc", 3, 2.5)
CHECKED: tuple[Any, ...] = (None, True, False)
SIZES: tuple[Any, ...] = (None, 1, 2.5, "3")


def noop() -> None:
    """A handler that does nothing."""


def _handler_value(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.2:
        return None
    if r < 0.4:
        return handler(noop, prevent_default=True)
    if r < 0.5:
        return handler(noop, stop_propagation=True)
    if r < 0.6:
        return functools.partial(print, "x")
    return lambda: None  # a fresh closure, as a re-render creates


def row_markup(row_id: Any, label: Any, row_class: Any, on_select: Any, on_remove: Any) -> Element:
    """The jsfb row (examples/jsfb/app.py): text, class and event holes, static classes."""
    return html.tr(
        html.td(row_id, class_="col-md-1"),
        html.td(html.a(label, class_="lbl", on_click=on_select), class_="col-md-4"),
        html.td(
            html.a(
                html.span(class_="glyphicon glyphicon-remove", aria_hidden="true"),
                class_="remove",
                on_click=on_remove,
            ),
            class_="col-md-1",
        ),
        html.td(class_="col-md-6"),
        class_=row_class,
    )


def link_markup(label: Any, href: Any, title: Any, flag: Any) -> Element:
    """URL, plain and boolean attribute holes beside static text."""
    return html.li(html.a(label, href=href, title=title, hidden=flag), " static ", html.b("bold"))


def field_markup(text: Any, placeholder: Any, on_input: Any, checked: Any, on_change: Any) -> Element:
    """Property holes (``value``, ``checked``) with their handlers."""
    return html.label(
        html.input(value=text, placeholder=placeholder, on_input=on_input),
        html.input(type="checkbox", checked=checked, on_change=on_change),
        "Label",
    )


def styled_markup(cls: Any, text: Any) -> Element:
    """A ``class_`` hole on an element with a static ``Style``."""
    return html.div(html.span(text), class_=cls, style=CARD)


def icon_markup(size: Any, fill: Any, label: Any) -> Element:
    """SVG elements (namespace) with attribute and text holes."""
    return html.svg(
        svg.circle(cx=5, cy=5, r=size, fill=fill), svg.title(label), viewBox="0 0 10 10", class_="icon"
    )


def article_markup(title: Any, body: Any, note: Any) -> Element:
    """Nested elements, static text between text holes."""
    return html.section(
        html.h2(title),
        html.p("static ", html.em(body), " tail"),
        html.ul(html.li(note), html.li("fixed", style=CARD)),
        class_="article",
    )


def button_markup(label: Any, on_click: Any) -> Element:
    """A button whose handler may be a binding with listener flags or ``None``."""
    return html.button(label, type="button", on_click=on_click)


def divider_markup() -> Element:
    """A template without parameters."""
    return html.li(html.hr(class_="sep"), "—")


@dataclass(frozen=True)
class Family:
    """One markup: plain ``html.*`` function, its template, and a value generator."""

    markup: Callable[..., Element]
    factory: TemplateFactory
    values: Callable[[random.Random], tuple[Any, ...]]


def _family(markup: Callable[..., Element], values: Callable[[random.Random], tuple[Any, ...]]) -> Family:
    return Family(markup, template(markup), values)


FAMILIES: tuple[Family, ...] = (
    _family(
        row_markup,
        lambda r: (
            r.choice(TEXTS),
            r.choice(TEXTS),
            r.choice(CLASSES),
            _handler_value(r),
            _handler_value(r),
        ),
    ),
    _family(link_markup, lambda r: (r.choice(TEXTS), r.choice(HREFS), r.choice(ATTRS), r.choice(ATTRS))),
    _family(
        field_markup,
        lambda r: (
            r.choice(VALUES),
            r.choice(ATTRS),
            _handler_value(r),
            r.choice(CHECKED),
            _handler_value(r),
        ),
    ),
    _family(styled_markup, lambda r: (r.choice(CLASSES), r.choice(TEXTS))),
    _family(icon_markup, lambda r: (r.choice(SIZES), r.choice(ATTRS), r.choice(TEXTS))),
    _family(article_markup, lambda r: (r.choice(TEXTS), r.choice(TEXTS), r.choice(TEXTS))),
    _family(button_markup, lambda r: (r.choice(TEXTS), _handler_value(r))),
    _family(divider_markup, lambda r: ()),
)


@dataclass(frozen=True)
class Item:
    """One keyed entry of the list: which family, with which values."""

    key: int
    family: int
    values: tuple[Any, ...]


def as_template(item: Item) -> Node:
    """The entry as a template instance (a new values tuple on every call)."""
    return FAMILIES[item.family].factory(*item.values, key=item.key)


def as_html(item: Item) -> Node:
    """The entry as the same markup built directly with ``html.*``."""
    el = FAMILIES[item.family].markup(*item.values)
    return msgspec.structs.replace(el, key=item.key)


def page(items: Sequence[Item], build: Callable[[Item], Node]) -> Node:
    """The whole view: a static header (unkeyed) and the keyed entries."""
    return html.div(html.h1("list"), *(build(it) for it in items), id="root")


class ListGen:
    """Random lists of entries and correlated mutations (moves, inserts, removals, new values)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next_key = 0

    def item(self, family: int | None = None) -> Item:
        """A new entry with a fresh key."""
        r = self.rng
        fam = r.randrange(len(FAMILIES)) if family is None else family
        self.next_key += 1
        return Item(self.next_key, fam, FAMILIES[fam].values(r))

    def first(self) -> list[Item]:
        """An initial list of 0-8 entries."""
        return [self.item() for _ in range(self.rng.randint(0, 8))]

    def step(self, items: list[Item]) -> list[Item]:
        """Return a list derived from ``items`` (the input is not modified)."""
        r = self.rng
        out = [
            Item(it.key, it.family, FAMILIES[it.family].values(r)) if r.random() < 0.35 else it
            for it in items
        ]
        if r.random() < 0.03:
            return []
        op = r.random()
        if op < 0.2:
            r.shuffle(out)
        elif op < 0.35 and len(out) > 1:
            i, j = r.randrange(len(out)), r.randrange(len(out))
            out[i], out[j] = out[j], out[i]
        elif op < 0.45 and out:
            i = r.randrange(len(out))
            out[i:] = reversed(out[i:])
        for _ in range(r.randint(0, 2)):
            if out and r.random() < 0.5:
                out.pop(r.randrange(len(out)))
        for _ in range(r.randint(0, 2)):
            if len(out) < 12:
                out.insert(r.randint(0, len(out)), self.item())
        if out and r.random() < 0.08:
            # Same key, another template with another root tag: replaced in place on both sides.
            # (Two html elements with one tag under one key are patched, not replaced, so their
            # ids would differ from the template side's replacement; that is by design.)
            i = r.randrange(len(out))
            root = _root(out[i].family)
            others = [f for f in range(len(FAMILIES)) if _root(f) != root]
            fam = r.choice(others)
            out[i] = Item(out[i].key, fam, FAMILIES[fam].values(r))
        return out


def _root(family: int) -> tuple[str | None, str | None]:
    root = FAMILIES[family].factory.template.nodes[0]
    return root.tag, root.ns
