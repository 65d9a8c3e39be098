"""Conformance cases: attributes, properties, style and classes, text, listeners, SVG, routing."""

from __future__ import annotations

from collections.abc import Callable

from conf_lists import button

from tempest_core import Link, Node, Style, component, html, navigate, routes, svg, use_location, use_state

__all__ = ["CASES"]

UNICODE_SAMPLES = (
    "héllo wörld",
    "日本語のテキスト",
    "emoji 👩‍👩‍👧‍👦 🇺🇦 🏳️‍🌈",
    "RTL: שלום עולם مرحبا",
    "combining: e\u0301 a\u0308 \u0915\u094d\u0937",
    "zero\u200bwidth and nbsp\u00a0here",
    "math \U0001d518\U0001d52b\U0001d526\U0001d520\U0001d52c\U0001d521\U0001d522"
    " and <tags> & \"quotes\" 'apos'",
)
LONG_TEXT_CHARS = 20_000


def _cycle(n: int) -> tuple[int, Callable[[], None]]:
    step, set_step = use_state(0)
    return step % n, lambda: set_step(lambda s: s + 1)


@component
def attrs_case() -> Node:
    """Attributes added, changed and removed (title, data-*, aria-*, href)."""
    step, nxt = _cycle(4)
    attrs: list[dict[str, str | None]] = [
        {"title": "first", "data-x": "1", "aria-label": "lbl", "href": "/a"},
        {"title": "second", "data-x": None, "aria-label": "lbl", "href": "/b", "data-y": "new"},
        {"title": None, "data-x": None, "aria-label": None, "href": None},
        {"title": "back", "data-x": "3", "lang": "fr"},
    ]
    return html.div(button("next", "next", nxt), html.a("target", id="target", attrs=attrs[step]))


@component
def boolean_attrs() -> Node:
    """Boolean attributes toggled: disabled, hidden, required, readonly, open."""
    on, nxt = _cycle(2)
    flag = on == 1
    return html.div(
        button("toggle", "toggle", nxt),
        html.input(id="inp", disabled=flag, required=not flag, readonly=flag),
        html.p("hidden?", id="hid", hidden=flag),
        html.details(html.summary("sum"), "body", id="det", open=flag),
    )


@component
def props_case() -> Node:
    """Properties set and removed: value present then absent, checked, indeterminate."""
    step, nxt = _cycle(3)
    value = ("v1", None, "v3")[step]
    return html.div(
        button("next", "next", nxt),
        html.input(id="val", type="search", value=value),
        html.input(id="chk", type="checkbox", checked=(True, None, False)[step]),
        html.input(id="ind", type="checkbox", indeterminate=(False, True, False)[step]),
    )


STYLES = (
    Style(color="red", padding=4),
    Style(color="blue", padding=(2, 8), font_weight=700),
    None,
    Style(background="#eee", border_radius=6, margin=(0, "auto")),
)


@component
def style_case() -> Node:
    """Style objects changed and removed; two elements sharing one generated class."""
    step, nxt = _cycle(4)
    st = STYLES[step]
    return html.div(
        button("next", "next", nxt),
        html.p("styled", id="styled", style=st),
        html.p("twin", id="twin", style=st),
        html.p("fixed", style=Style(font_size=12)),
        html.p(
            "inline", id="inline", attrs={"style": ("color: green", "color: purple", "", "margin: 1px")[step]}
        ),
    )


@component
def class_case() -> Node:
    """Classes: ``class_`` and ``classes`` toggled, reordered and removed; with a Style class."""
    step, nxt = _cycle(4)
    classes = ({"a": True, "b": False}, {"a": False, "b": True, "c": True}, {}, {"c": True, "a": True})[step]
    return html.div(
        button("next", "next", nxt),
        html.div("box", id="box", class_="base" if step != 2 else None, classes=classes),
        html.div("mix", id="mix", classes=classes, style=Style(opacity=0.5) if step % 2 else None),
    )


@component
def unicode_text() -> Node:
    """Unicode text (CJK, emoji ZWJ sequences, RTL, combining marks, astral plane) in text and attributes."""
    i, nxt = _cycle(len(UNICODE_SAMPLES))
    text = UNICODE_SAMPLES[i]
    return html.div(
        button("next", "next", nxt),
        html.p(text, id="u", title=text, data_alt=text[::-1]),
        html.ul([html.li(s) for s in UNICODE_SAMPLES[: i + 1]]),
    )


@component
def long_text() -> Node:
    """A 20,000-character text node and attribute, then a change at its end, then a short one."""
    step, nxt = _cycle(3)
    base = "".join(chr(0x41 + (n % 26)) for n in range(LONG_TEXT_CHARS))
    text = (base, base[:-1] + "!", "short")[step]
    return html.div(button("next", "next", nxt), html.pre(text, id="long", data_long=text[:5000]))


@component
def text_nodes() -> Node:
    """Adjacent text nodes, empty text, whitespace-only text, and numbers as children."""
    step, nxt = _cycle(3)
    parts = (("a", "", "b", 1, " "), ("", "", "c"), ("  spaced  ", 2.5, "", "\t tab"))[step]
    return html.div(button("next", "next", nxt), html.p(*parts, id="texts"))


@component
def conditional() -> Node:
    """Children appearing and disappearing (None in the children) around fixed siblings."""
    step, nxt = _cycle(4)
    return html.div(
        button("next", "next", nxt),
        html.section(
            html.h4("head") if step in (0, 1) else None,
            html.p("always"),
            html.aside("side") if step in (1, 2) else None,
            html.footer("foot") if step == 3 else None,
            id="cond",
        ),
    )


@component
def listeners_case() -> Node:
    """Listeners added and removed on a live node (listen/unlisten ops): clicks count only when armed."""
    state, set_state = use_state((False, 0))
    armed, hits = state

    def hit() -> None:
        set_state(lambda s: (s[0], s[1] + 1))

    return html.div(
        button("arm", "arm", lambda: set_state(lambda s: (not s[0], s[1]))),
        html.div("target", id="target", on_click=hit if armed else None),
        html.p(f"hits {hits} armed {armed}", id="hits"),
    )


@component
def svg_case() -> Node:
    """SVG elements in their namespace with attributes changing (viewBox, fill, circle radius)."""
    step, nxt = _cycle(3)
    return html.div(
        button("next", "next", nxt),
        svg.svg(
            svg.circle(cx="10", cy="10", r=str(4 + step * 2), fill=("red", "green", "blue")[step]),
            svg.rect(x="1", y="1", width="5", height="5") if step != 1 else None,
            svg.text("svg text", x="0", y="18"),
            viewBox="0 0 20 20",
            width="40",
            height="40",
            id="pic",
        ),
    )


@component
def attr_escaping() -> Node:
    """Attribute values with quotes, ampersands, angle brackets and newlines."""
    step, nxt = _cycle(3)
    value = ('a "quoted" & <tag>', "line1\nline2\ttab", "&amp; &lt; not entities")[step]
    return html.div(button("next", "next", nxt), html.span("x", id="esc", title=value, data_v=value))


def _user(uid: str) -> Node:
    return html.div(html.h4(f"user {uid}"), Link("back", href="/case/routing", id="back"), id="page")


def _home() -> Node:
    return html.div(
        html.h4("home"),
        Link("user 7", href="/case/routing/users/7", id="to7"),
        Link("user 42", href="/case/routing/users/42?tab=posts", id="to42"),
        id="page",
    )


@component
def routing() -> Node:
    """Path routing inside a case: Link clicks, ``navigate()`` from a handler, back to the list."""
    loc = use_location()
    page = routes(
        {"/case/routing/users/{uid}": _user, "/case/routing": _home},
        fallback=lambda: html.p("not found", id="page"),
    )
    return html.div(
        html.p(f"path {loc.path} query {dict(loc.query)} hash {loc.hash}", id="where"),
        button("go 99", "go99", lambda: navigate("/case/routing/users/99")),
        button("go missing", "gomissing", lambda: navigate("/case/routing/nowhere")),
        page,
    )


@component
def hash_routing() -> Node:
    """Hash routing: hash links and a handler pushing a hash; the view follows ``location.hash``."""
    loc = use_location()
    current = loc.hash or "#/"
    return html.div(
        html.nav(
            [html.a(n, href=h, id=f"h-{n}", classes={"selected": current == h})
             for n, h in (("all", "#/"), ("one", "#/one"), ("two", "#/two"))]
        ),
        button("push two", "pushtwo", lambda: navigate("#/two")),
        html.p(f"hash {current}", id="hashview"),
    )  # fmt: skip


CASES: dict[str, Callable[..., Node]] = {
    "attrs": attrs_case,
    "boolean_attrs": boolean_attrs,
    "props": props_case,
    "style": style_case,
    "classes": class_case,
    "unicode_text": unicode_text,
    "long_text": long_text,
    "text_nodes": text_nodes,
    "conditional": conditional,
    "listeners": listeners_case,
    "svg": svg_case,
    "attr_escaping": attr_escaping,
    "routing": routing,
    "hash_routing": hash_routing,
}
