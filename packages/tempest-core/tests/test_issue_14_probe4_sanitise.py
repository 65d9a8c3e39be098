"""Issue 14, fourth probe: what ``html.*`` and Markdown let through, checked from outside.

The client (``client/src/urls.js``, ``client/src/dom.js``) refuses some tags, attribute names and
URLs when it builds the DOM, but a prerendered page is parsed by the browser before the client
runs, and hydration adopts it as it is. Everything the client would refuse is therefore refused
when the element is built, with a WidgetError: before this probe a prerendered ``HREF=`` (any
case), an SVG ``<animate attributeName="href" values="javascript:...">``, ``srcdoc``, ``data:``
URLs and ``<script>``/``<object>``/``<embed>``/``<base>`` reached the page (a CSP violation each
in Chromium, and a full-resync loop once the client met them in a patch). Markdown nested deeper
than the view's bound (``*`` * 10,000) made the whole view fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest

from tempest_core import App, html, render_to_html, svg, template
from tempest_core._widgets_markdown import MARKDOWN_MAX_DEPTH, _render
from tempest_core.errors import WidgetError
from tempest_core.nodes import Element, Node, Text
from tempest_core.widgets import Image, Link, Markdown

loose: Any = html  # the namespace without its static types: attribute names given with ** unpacking

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "vbscript:msgbox(1)",
]
OTHER_BAD_URLS = [
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "livescript:alert(1)",
    "file:///etc/passwd",
    "blob:http://x/y",
    "\tdata:text/html,x",
]
SAFE_URLS = [
    "/path",
    "#top",
    "?q=1",
    "page.html",
    "javascript-guide.html",
    "//cdn.example/x",
    "https://example.org/a?b=c",
    "HTTP://EXAMPLE.ORG",
    "mailto:a@b.c",
    "tel:+1-555",
    "&#106;avascript:alert(1)",  # a value is never entity-decoded: a relative URL
]


def prerender(node: Node) -> str:
    """The prerendered markup of a view showing ``node`` (without the style element)."""
    page = render_to_html(App(view=lambda _: node, state=0))
    return page[page.index("</style>") + len("</style>") :] if page.startswith("<style") else page


# -- URL attributes: every case of the name, the client's list, its schemes ----------------------


@pytest.mark.parametrize("url", SCRIPT_URLS + OTHER_BAD_URLS)
@pytest.mark.parametrize(
    "build",
    [
        lambda u: html.a("x", HREF=u),
        lambda u: html.a("x", Href=u),
        lambda u: html.a("x", attrs={"HREF": u}),
        lambda u: html.img(alt="", SRC=u),
        lambda u: html.form(ACTION=u),
        lambda u: html.button(formAction=u),
        lambda u: svg.a(attrs={"XLINK:HREF": u}),
        lambda u: svg.a(attrs={"xlink:href": u}),
        lambda u: html.table(background=u),
        lambda u: html.a("x", href="/", ping=u),
        lambda u: html.img(alt="", srcset=f"/a.png 1x, {u} 2x"),
        lambda u: html.link(rel="preload", imagesrcset=u),
        lambda u: html.iframe(src=u),
        lambda u: html.blockquote(cite=u),
        lambda u: html.div(attrs={"Data": u}),
    ],
)
def test_unsafe_urls_are_refused_in_every_url_attribute_and_case(
    build: Callable[[str], Element], url: str
) -> None:
    with pytest.raises(WidgetError, match="URLs are not allowed"):
        build(url)


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_script_urls_keep_their_message(url: str) -> None:
    with pytest.raises(
        WidgetError, match=r"html\.a\(HREF=\.\.\.\): javascript:/vbscript: URLs are not allowed"
    ):
        html.a("x", HREF=url)


def test_other_schemes_name_the_scheme_and_what_is_allowed() -> None:
    with pytest.raises(WidgetError) as info:
        html.a("x", href="data:text/html,<b>")
    assert "html.a(href=...): data: URLs are not allowed here" in str(info.value)
    assert "relative, http:, https:, mailto: or tel:" in str(info.value)


@pytest.mark.parametrize("url", SAFE_URLS)
def test_safe_urls_pass_in_any_case_of_the_name(url: str) -> None:
    assert html.a("x", HREF=url).attrs["HREF"] == url
    assert html.a("x", href=url).attrs["href"] == url
    assert html.img(alt="", src=url).attrs["src"] == url


def test_raster_data_images_only_where_an_image_is_loaded() -> None:
    png = "data:image/png;base64,iVBORw0KGgo="
    assert html.img(alt="", src=png).attrs["src"] == png
    assert html.img(alt="", srcset=f"{png} 1x, /b.png 2x").attrs["srcset"].startswith(png)
    assert html.video(poster=png).attrs["poster"] == png
    with pytest.raises(WidgetError, match="data: URLs are not allowed"):
        html.a("x", href=png)
    with pytest.raises(WidgetError, match="data: URLs are not allowed"):
        html.img(alt="", src="data:image/svg+xml;base64,PHN2Zz4=")


def test_url_widgets_refuse_what_the_client_would_drop() -> None:
    with pytest.raises(WidgetError, match="data: URLs are not allowed"):
        Link("x", href="data:text/html,<script>alert(1)</script>")
    with pytest.raises(WidgetError, match="data: URLs are not allowed"):
        Image(src="data:image/svg+xml,<svg onload=alert(1)>", alt="")
    assert Link("x", href="tel:+1").attrs["href"] == "tel:+1"


# -- attribute names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: html.iframe(srcdoc="<script>alert(1)</script>"), "the 'srcdoc' attribute is not allowed"),
        (lambda: html.iframe(attrs={"SRCDOC": "<b>x</b>"}), "the 'srcdoc' attribute is not allowed"),
        (lambda: html.div(is_="x-y"), r"html\.div\(is_=\.\.\.\): the 'is' attribute is not allowed"),
        # a <meta http-equiv="refresh"> inserted into the page navigates it to its unchecked content
        (lambda: html.meta(http_equiv="refresh", content="0;url=https://evil.example"), "'http-equiv'"),
        (lambda: html.meta(attrs={"HTTP-EQUIV": "refresh", "content": "0"}), "'http-equiv' attribute is not"),
        # the prerender's hydration markers: an app's copy would come first and win
        (lambda: html.div(data_tw="1"), "'data-tw' attribute is not allowed"),
        (lambda: html.button("x", data_tw_on="click:0"), "'data-tw-on' attribute is not allowed"),
        (lambda: html.input(attrs={"data-tw-props": "{}"}), "'data-tw-props' attribute is not allowed"),
        (lambda: html.style("x", data_tw_text="-"), "'data-tw-text' attribute is not allowed"),
        (lambda: html.div(attrs={"on:click": "x"}), "attribute names starting with 'on' are not allowed"),
        (lambda: html.div(attrs={"onfoo-bar": "x"}), "attribute names starting with 'on' are not allowed"),
        (lambda: html.div(ON_="x"), "attribute names starting with 'on' are not allowed"),
        (lambda: html.div(ONCLICK="alert(1)"), "pass a callable as on_click=..."),
        (lambda: loose.div(**{'x" onclick="alert(1)': "y"}), "invalid attribute name"),
        (lambda: loose.div(**{"a b": "y"}), r"html\.div\(a b=\.\.\.\): invalid attribute name 'a b'"),
        (lambda: loose.div(**{"\u00f1": "y"}), "invalid attribute name"),
        (lambda: loose.div(**{"1x": "y"}), "invalid attribute name"),
    ],
)
def test_names_the_client_refuses_are_refused_when_built(build: Callable[[], Element], message: str) -> None:
    for _ in range(2):  # the second call would take the keyword fast path if the first had passed
        with pytest.raises(WidgetError, match=message):
            build()


# -- tags --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["script", "object", "embed", "base"])
def test_tags_the_client_never_creates_are_refused(tag: str) -> None:
    factory = getattr(html, tag)
    with pytest.raises(WidgetError, match=rf"html\.{tag}\(\.\.\.\): <{tag}> elements are not allowed"):
        factory()
    with pytest.raises(WidgetError, match="not allowed"):
        getattr(html, tag + "_")("x", src="/a.js")
    assert tag not in dir(html)


# -- SVG animation of a URL attribute --------------------------------------------------------------


@pytest.mark.parametrize("target", ["href", "xlink:href", "HREF", " href ", "src"])
@pytest.mark.parametrize("element", [svg.animate, svg.set])
def test_animating_a_url_attribute_is_refused(element: Callable[..., Element], target: str) -> None:
    with pytest.raises(WidgetError, match="an animation may not set the URL attribute"):
        svg.a(element(attributeName=target, values="javascript:alert(1)", to="javascript:alert(1)"))
    assert element(attributeName="opacity", to="0.5").attrs["attributeName"] == "opacity"


# -- @template parameters get the same checks per instance ------------------------------------


def test_template_parameters_are_checked_in_every_case_of_the_name() -> None:
    @template
    def link(url: Any, target: Any) -> Element:
        return html.a("x", HREF=url, data_t=target)

    @template
    def anim(name: Any) -> Element:
        return svg.animate(attributeName=name, to="#a")

    assert link("/ok", "t").values == ("/ok", "t")
    with pytest.raises(WidgetError, match="javascript:/vbscript: URLs are not allowed"):
        link("javascript:alert(1)", "t")
    with pytest.raises(WidgetError, match="data: URLs are not allowed"):
        link("data:text/html,x", "t")
    with pytest.raises(WidgetError, match="an animation may not set the URL attribute"):
        anim("href")


# -- the prerendered page never holds what the client refuses ----------------------------------


_URL_NAMES = frozenset(
    ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "to", "values")
)
_BAD_STARTS = ("javascript:", "vbscript:", "data:text", "data:image/svg")


class _Audit(HTMLParser):
    """Collects what a browser would parse out of prerendered markup and should not run."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "object", "embed", "base", "frame", "meta", "link", "style"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            text = "".join(ch for ch in (value or "") if ord(ch) > 0x20).lower()
            if name.startswith("on") or name in ("srcdoc", "is", "attributename"):
                self.problems.append(f"{tag} {name}")
            if name in _URL_NAMES and text.startswith(_BAD_STARTS):
                self.problems.append(f"{tag} {name}={value}")


_PAYLOADS = SCRIPT_URLS + OTHER_BAD_URLS + ['"><script>alert(1)</script>', "<img src=x onerror=alert(1)>"]
_BUILDERS: list[Callable[[str], Element]] = [
    lambda p: html.a(p, HREF=p, title=p),
    lambda p: html.a(p, attrs={"Href": p}),
    lambda p: html.svg(svg.a(svg.text(p), attrs={"XLINK:HREF": p})),
    lambda p: html.svg(svg.a(svg.animate(attributeName="href", values=p), svg.text("x"))),
    lambda p: html.svg(svg.a(svg.set(attributeName="href", to=p), svg.text("x"))),
    lambda p: html.iframe(srcdoc=p),
    lambda p: html.iframe(src=p),
    lambda p: html.object(data=p),
    lambda p: html.embed(src=p),
    lambda p: html.script(p, type="module"),
    lambda p: html.base(href=p),
    lambda p: html.div(p, is_=p, attrs={"onfoo-bar": p}),
    lambda p: html.form(html.button(p, formaction=p), action=p),
    lambda p: html.noscript(html.p(title=f"</noscript>{p}")),
    lambda p: html.textarea(value=p, placeholder=p),
]


def _built(payload: str) -> Iterator[Element]:
    for build in _BUILDERS:
        try:
            yield build(payload)
        except WidgetError:
            continue


def test_prerendered_markup_holds_nothing_the_client_would_refuse() -> None:
    audit = _Audit()
    placed = 0
    for payload in _PAYLOADS:
        for element in _built(payload):
            audit.feed(prerender(html.div(element)))
            placed += 1
    audit.close()
    assert placed >= 2 * len(_PAYLOADS)  # the noscript title and textarea placements are always kept
    assert audit.problems == []


# -- Markdown: nesting bound, time ---------------------------------------------------------------


def _depth(node: Node) -> int:
    best = 0
    stack: list[tuple[Node, int]] = [(node, 0)]
    while stack:
        item, level = stack.pop()
        best = max(best, level)
        if isinstance(item, Element):
            stack.extend((child, level + 1) for child in item.children)
    return best


def _text(node: Node) -> str:
    if isinstance(node, Text):
        return node.text
    if isinstance(node, Element):
        return "".join(_text(child) for child in node.children)
    return ""


@pytest.mark.parametrize(
    "source",
    [
        "*" * 10_000 + "a" + "*" * 10_000,
        "_" * 10_000 + "a" + "_" * 10_000,
        "*a **b " * 2_000 + "c** d*" * 2_000,
        "~~*" * 300 + "a" + "*~~" * 300,
        "> - " * 6 + "*" * 600 + "[x](/a)" + "*" * 600,
    ],
)
def test_deeply_nested_markdown_keeps_its_text_and_mounts(source: str) -> None:
    doc = Markdown(source)
    assert _depth(doc) <= MARKDOWN_MAX_DEPTH + 3  # the div, the nested elements, a leaf of two
    page = prerender(html.main(html.section(doc)))  # the view mounts (MAX_DEPTH is 256)
    assert "<em" in page or "<strong" in page or "<s " in page


def test_text_under_the_bound_is_kept() -> None:
    doc = Markdown("*" * 10_000 + "deep" + "*" * 10_000)
    assert _text(doc) == "deep"
    shallow = Markdown("***a*** [**b**](/x)")
    assert _depth(shallow) == 4  # div > p > em > strong (and p > a > strong): nothing cut
    paragraph = shallow.children[0]
    assert isinstance(paragraph, Element)
    assert [child.tag for child in paragraph.children if isinstance(child, Element)] == ["em", "a"]


def test_many_left_out_levels_take_linear_time() -> None:
    """Each left-out level shares its parent's children (copying them was quadratic).

    CPU time of this process (``process_time``), best of two: other processes on a loaded
    machine slow it far less than wall time. With the quadratic copying, 8 times the input took
    about 25 times as long (and grows as the square); linear work takes about 8 to 10 times.
    """

    def seconds(n: int) -> float:
        source = "*a **b " * n + "c** d*" * n
        best = float("inf")
        for _ in range(2):
            _render.cache_clear()
            start = time.process_time()
            Markdown(source)
            best = min(best, time.process_time() - start)
        return best

    small, large = seconds(2_000), seconds(16_000)
    assert large < 16 * max(small, 0.01), (small, large)
