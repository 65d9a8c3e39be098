"""The step DSL and the scripted interaction of every conformance case.

A case is the name of a route of the conformance app (``cases/app``) plus a tuple of steps. The
runner snapshots ``#conf-case`` after entering the case (step 0) and after every step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CASES",
    "Case",
    "Step",
    "blur",
    "click",
    "dblclick",
    "focus",
    "jsclick",
    "navigate",
    "press",
    "scroll",
    "select",
    "type_",
]

Action = Literal[
    "click", "jsclick", "dblclick", "type", "press", "select", "focus", "blur", "navigate", "scroll"
]


@dataclass(frozen=True, slots=True)
class Step:
    """One user action.

    Attributes:
        action: What to do.
        target: CSS selector inside ``#conf-case`` (``navigate``: the path to push).
        text: Text to type (``type``), the key name (``press``, a Playwright key such as ``"Enter"``)
            or the option value (``select``), or the ``scrollTop`` in px (``scroll``).
    """

    action: Action
    target: str
    text: str = ""

    def describe(self) -> str:
        """One-line label used in golden files and diffs, e.g. ``type #field 'abc'``."""
        extra = f" {self.text!r}" if self.action in ("type", "press", "select", "scroll") else ""
        return f"{self.action} {self.target}{extra}"


def click(sel: str) -> Step:
    """Click ``sel`` with a real mouse click."""
    return Step("click", sel)


def jsclick(sel: str) -> Step:
    """``element.click()`` in the page: for targets without a box (jsfb's remove icon has no CSS here)."""
    return Step("jsclick", sel)


def dblclick(sel: str) -> Step:
    """Double-click ``sel``."""
    return Step("dblclick", sel)


def type_(sel: str, text: str) -> Step:
    """Type ``text`` key by key into ``sel`` (focuses it first)."""
    return Step("type", sel, text)


def press(sel: str, key: str) -> Step:
    """Press ``key`` (e.g. ``"Enter"``) with ``sel`` focused."""
    return Step("press", sel, key)


def scroll(sel: str, top: int) -> Step:
    """Set ``sel``'s ``scrollTop`` to ``top`` px (the browser fires ``scroll``; the client reports it)."""
    return Step("scroll", sel, str(top))


def select(sel: str, value: str) -> Step:
    """Choose the option with ``value`` in the ``<select>`` ``sel`` (fires input and change)."""
    return Step("select", sel, value)


def focus(sel: str) -> Step:
    """Focus ``sel``."""
    return Step("focus", sel)


def blur(sel: str) -> Step:
    """Blur ``sel``."""
    return Step("blur", sel)


def navigate(path: str) -> Step:
    """``history.pushState`` + ``popstate`` (back/forward-like navigation the client reports)."""
    return Step("navigate", path)


@dataclass(frozen=True, slots=True)
class Case:
    """A conformance case: the app route name and its steps."""

    name: str
    steps: tuple[Step, ...]


def _n(sel: str, times: int) -> tuple[Step, ...]:
    return tuple(click(sel) for _ in range(times))


_SCRIPTS: dict[str, tuple[Step, ...]] = {
    "keyed_insert": (click("#front"), click("#middle"), click("#end"), click("#front"), click("#middle")),
    "keyed_remove": (click("#middle"), click("#first"), click("#last"), click("#middle"), click("#all")),
    "keyed_move": (click("#reverse"), click("#rotate"), click("#swap"), click("#tofront"), click("#reverse")),
    "keyed_shuffle": (click("#mix1"), click("#mix2"), click("#mix3"), click("#replace"), click("#mix1")),
    "keyed_grow": (click("#grow"), click("#trim"), click("#evens"), click("#empty"), click("#grow")),
    "nested_keyed": (
        click("#moveitem"),
        click("#rotate"),
        click("#moveitem"),
        click("#rotate"),
        click("#moveitem"),
    ),
    "unkeyed_list": (click("#push"), click("#unshift"), click("#pop"), click("#upper"), click("#pop")),
    "unkeyed_mixed": _n("#next", 5),
    "rows_10k": (click("#create"), click("#update"), click("#swap"), click("#clear")),
    "deep_tree": (click("#leaf"), click("#mark"), click("#shallow"), click("#deep")),
    "nested_components": (
        click("#inc-box-1"),
        click("#inc-box-3"),
        click("#reverse"),
        click("#inc-box-1"),
        click("#drop"),
    ),
    "controlled_input": (
        type_("#field", "hello"),
        type_("#field", " wörld ✓"),
        press("#field", "Backspace"),
        click("#clear"),
        type_("#field", "again"),
        click("#preset"),
        press("#field", "End"),
        type_("#field", "!"),
    ),
    "controlled_textarea": (type_("#area", "\nsecond"), press("#area", "Enter"), type_("#area", "third")),
    "focus_retention": (
        type_("#typing", "ab"),
        type_("#typing", "cd"),
        press("#typing", "Backspace"),
        type_("#typing", "xyz"),
        focus("#other"),
    ),
    "focus_events": (focus("#a"), focus("#b"), blur("#b"), click("#a")),
    "key_events": (
        type_("#entry", "one"),
        press("#entry", "Enter"),
        press("#entry", "ArrowLeft"),
        press("#entry", "Escape"),
    ),
    "checkbox": (click("#c0"), click("#c1"), click("#all"), click("#c2"), click("#all")),
    "select": (
        click("#pickc"),
        select("#sel", "a"),
        click("#more"),
        select("#sel", "x3"),
        click("#more"),
        select("#sel", "b"),
    ),
    "radio": (click("#r-s"), click("#r-l"), click("#r-m")),
    "form_submit": (type_("#user", "ann"), type_("#mail", "a@b.c"), click("#send"), press("#user", "Enter")),
    "range_input": (press("#range", "ArrowRight"), press("#range", "ArrowRight"), press("#range", "Home")),
    "overlay_dialog": (
        click("#open"),
        press("#dlg-name", "Tab"),
        press("#dlg-cancel", "Tab"),
        press("#dlg-name", "Escape"),
        press("#open", "Enter"),
        click("#dlg-cancel"),
        click("#open"),
        click("[aria-label=Close]"),
    ),
    "overlay_tabs": (
        press("#ct-tab-0", "ArrowRight"),
        press("#ct-tab-1", "ArrowRight"),
        press("#ct-tab-3", "Home"),
        press("#ct-tab-0", "End"),
        press("#ct-tab-3", "ArrowLeft"),
        click("#ct-tab-0"),
    ),
    "overlay_menu": (
        click("#cm-button"),
        press("#cm-menu [role=menuitem] >> nth=0", "ArrowDown"),
        press("#cm-menu [role=menuitem] >> nth=1", "Escape"),
        press("#cm-button", "ArrowUp"),
        press("#cm-menu [role=menuitem] >> nth=2", "ArrowUp"),
        press("#cm-menu [role=menuitem] >> nth=1", "Enter"),
        click("#cm-button"),
        press("#cm-menu [role=menuitem] >> nth=0", "o"),  # type-ahead: "Open"
        press("#cm-menu [role=menuitem] >> nth=1", "ArrowDown"),  # ends the prefix
        press("#cm-menu [role=menuitem] >> nth=2", "n"),  # "New", wrapping
        press("#cm-menu [role=menuitem] >> nth=0", "Enter"),
    ),
    "overlay_toast_tooltip": (
        click("#info"),
        click("#danger"),
        click("#info"),
        click("[role=status] > div:first-child button"),
        click("[role=alert] button"),
        focus("#tip-trigger"),
        press("#tip-trigger", "Escape"),
    ),
    "content_datepicker": (
        type_("#dp", "03152027"),
        press("#dp", "ArrowDown"),
        click("#clear"),
        type_("#dp", "07042026"),
    ),
    "content_markdown": _n("#next", 3),
    "display_widgets": (
        *_n("#tone", 6),
        *_n("#progress", 4),
        click("#spin"),
        click("#spin"),
        *_n("#icon", 3),
    ),
    "theme_scheme": (click("#dark"), click("#light"), focus("#name"), click("#system")),
    "content_appshell": (  # the conformance viewport is wide: the menu button is hidden, the drawer a sidebar
        jsclick("header button"),
        press("#home", "Escape"),
        jsclick("header button"),
        jsclick("header button"),
    ),
    "content_form_errors": (
        type_("#name", "A"),
        type_("#age", "x"),
        click("#save"),
        press("#name", "End"),  # where a person's click puts the caret; a programmatic focus
        type_("#name", "da"),  # puts it at the start in Chromium and at the end in WebKit
        click("#save"),
        press("#age", "End"),
        press("#age", "Backspace"),
        type_("#age", "36"),
        click("#save"),
    ),
    "content_upload": (),
    "attrs": _n("#next", 4),
    "boolean_attrs": _n("#toggle", 3),
    "props": _n("#next", 3),
    "table_virtual": (
        scroll("[role=region]", 3200),
        scroll("[role=region]", 3216),
        scroll("[role=region]", 100_000),
        click("[role=columnheader] button"),
        click("[role=columnheader] button"),
        click("[aria-label='Select row 2']"),
        press("[aria-label='Select row 3']", "Space"),
        click("[aria-label='Select all rows']"),
        scroll("[role=region]", 0),
        press("[role=columnheader] >> nth=2 >> button", "Enter"),
    ),
    "table_pages": (
        click("[aria-label='Next page']"),
        click("[aria-label='Last page']"),
        press("[role=columnheader] >> nth=2 >> button", "Enter"),
        click("[role=cell] input >> nth=1"),
        click("[aria-label='Select all rows']"),
        click("[aria-label='Previous page']"),
        click("[aria-label='Select all rows']"),
        click("[aria-label='First page']"),
    ),
    "style": _n("#next", 4),
    "classes": _n("#next", 4),
    "unicode_text": _n("#next", 7),
    "long_text": _n("#next", 3),
    "text_nodes": _n("#next", 3),
    "conditional": _n("#next", 4),
    "listeners": (
        click("#target"),
        click("#arm"),
        click("#target"),
        click("#target"),
        click("#arm"),
        click("#target"),
    ),
    "svg": _n("#next", 3),
    "attr_escaping": _n("#next", 3),
    "routing": (
        click("#to7"),
        click("#back"),
        click("#to42"),
        click("#go99"),
        navigate("/case/routing/users/5"),
        click("#gomissing"),
        navigate("/case/routing"),
    ),
    "hash_routing": (click("#h-one"), click("#h-two"), click("#h-all"), click("#pushtwo"), navigate("#/one")),
    "template_rows": (
        click("#front"),
        click("#rows li:nth-child(3) span"),
        click("#reverse"),
        click("#relabel"),
        click("#toggle"),
        click("#rows li:nth-child(1) .remove"),
        click("#middle"),
        click("#rows li:nth-child(3) span"),
        click("#rows li:nth-child(3) span"),
        click("#rows li:nth-child(2) span"),
        click("#rows li:nth-child(1) .remove"),
        click("#clear"),
        click("#refill"),
        click("#rows li:nth-child(2) span"),
        click("#toggle"),
        click("#toggle"),
    ),
    "template_input": (
        type_("#entry", "first"),
        press("#entry", "Enter"),
        type_("#entry", "second item"),
        press("#entry", "Enter"),
        press("#entry", "Enter"),
        type_("#entry", "x"),
    ),
    "native_storage": (
        click("#clear"),
        click("#put"),
        click("#get"),
        click("#list"),
        click("#delete"),
        click("#get"),
        click("#clear"),
    ),
    "native_outcomes": (
        click("#share"),
        click("#install"),
        click("#unknown"),
        click("#malformed"),
        click("#invalid"),
        click("#badname"),
    ),
    "counter": (
        click("#increment"),
        click("#increment"),
        click("#decrement"),
        click("#reset"),
        click("#decrement"),
    ),
    "todomvc": (
        type_(".new-todo", "buy milk"),
        press(".new-todo", "Enter"),
        type_(".new-todo", "walk the dog"),
        press(".new-todo", "Enter"),
        type_(".new-todo", "   "),
        press(".new-todo", "Enter"),
        click(".todo-list li:nth-child(1) .toggle"),
        click(".toggle-all"),
        click(".toggle-all"),
        click(".todo-list li:nth-child(2) .toggle"),
        click(".clear-completed"),
    ),
    "todomvc_edit": (
        type_(".new-todo", "first"),
        press(".new-todo", "Enter"),
        type_(".new-todo", "second"),
        press(".new-todo", "Enter"),
        dblclick(".todo-list li:nth-child(1) label"),
        press(".todo-list li.editing .edit", "End"),
        type_(".todo-list li.editing .edit", " edited"),
        press(".todo-list li.editing .edit", "Enter"),
        dblclick(".todo-list li:nth-child(2) label"),
        press(".todo-list li.editing .edit", "Escape"),
        click(".todo-list li:nth-child(2) .destroy"),
    ),
    "todomvc_filter": (
        type_(".new-todo", "a"),
        press(".new-todo", "Enter"),
        type_(".new-todo", "b"),
        press(".new-todo", "Enter"),
        click(".todo-list li:nth-child(1) .toggle"),
        click(".filters a[href='#/active']"),
        click(".filters a[href='#/completed']"),
        navigate("#/"),
        click(".filters a[href='#/active']"),
    ),
    "jsfb": (
        click("#run"),
        click("#update"),
        click("#tbody tr:nth-child(3) a.lbl"),
        jsclick("#tbody tr:nth-child(5) a.remove"),
        click("#add"),
        click("#clear"),
    ),
    "jsfb_swap": (
        click("#run"),
        click("#swaprows"),
        click("#tbody tr:nth-child(2) a.lbl"),
        click("#swaprows"),
        jsclick("#tbody tr:nth-child(2) a.remove"),
        click("#run"),
    ),
}

CASES: tuple[Case, ...] = tuple(Case(name, steps) for name, steps in _SCRIPTS.items())
"""Every case, in run order (focused cases first, then the example apps)."""
