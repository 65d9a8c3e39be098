"""Markdown: CommonMark structure, and output sanitised by construction (an XSS corpus)."""

from __future__ import annotations

import doctest
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tempest_core._widgets_markdown as markdown_module
from tempest_core import App, render_to_html
from tempest_core.errors import WidgetError
from tempest_core.nodes import Element, Node, Text
from tempest_core.style import Style
from tempest_core.widgets import Markdown

ALLOWED_TAGS = {
    "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
    "table", "thead", "tbody", "tr", "th", "td", "a", "img", "em", "strong", "s", "br", "hr",
}  # fmt: skip
ALLOWED_ATTRS = {"href", "title", "src", "alt", "start", "class"}

XSS_CORPUS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#x3A;alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![img](data:image/png;base64,iVBORw0KGgo=)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<div onmouseover=alert(1)>hover</div>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<style>body{display:none}</style>",
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    '```js" onclick="alert(1)\ncode\n```',
    "<javascript:alert(1)>",
    "<!-- comment --><b onclick=alert(1)>b</b>",
]


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Element):
        for child in node.children:
            yield from walk(child)


def assert_sanitised(root: Element) -> None:
    for node in walk(root):
        if not isinstance(node, Element):
            continue
        assert node.tag in ALLOWED_TAGS, node.tag
        assert not node.events
        assert set(node.attrs) <= ALLOWED_ATTRS, node.attrs
        for name in ("href", "src"):
            if name in node.attrs:
                assert markdown_module.is_safe_url(node.attrs[name]), node.attrs
                compact = "".join(node.attrs[name].split()).lower()
                assert not compact.startswith(("javascript:", "vbscript:", "data:", "file:"))
        if "class" in node.attrs:
            assert node.tag == "code" and node.attrs["class"].startswith("language-")
            assert '"' not in node.attrs["class"] and " " not in node.attrs["class"]


def texts(root: Element) -> str:
    return "".join(node.text for node in walk(root) if isinstance(node, Text))


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_xss_corpus_yields_only_safe_elements(source: str) -> None:
    assert_sanitised(Markdown(source))


class TagCollector(HTMLParser):
    """Collects the real start tags and attributes of prerendered HTML (text stays text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_xss_corpus_prerenders_without_live_markup(source: str) -> None:
    page = render_to_html(App(view=lambda _state: Markdown(source)))
    parser = TagCollector()
    parser.feed(page[page.index('<div data-tw="1"') :])
    assert parser.tags
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, (tag, page)
        assert set(attrs) <= ALLOWED_ATTRS | {"data-tw"}, (tag, attrs)
        for name in ("href", "src"):
            assert markdown_module.is_safe_url(attrs.get(name) or ""), attrs


def test_raw_html_is_shown_as_text() -> None:
    doc = Markdown("<script>alert(1)</script>\n\nhello <b>x</b>")
    assert "<script>alert(1)</script>" in texts(doc)
    assert "hello <b>x</b>" in texts(doc)
    assert all(n.tag != "script" for n in walk(doc) if isinstance(n, Element))


def test_unsafe_link_keeps_its_text_without_a_link() -> None:
    doc = Markdown("see [docs](javascript:alert(1)) now")
    assert not any(isinstance(n, Element) and n.tag == "a" for n in walk(doc))
    assert "docs" in texts(doc)


def test_unsafe_image_keeps_nothing_live() -> None:
    doc = Markdown("![a cat](data:image/png;base64,iVBORw0KGgo=)")
    assert not any(isinstance(n, Element) and n.tag == "img" for n in walk(doc))


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a?b#c", True),
        ("http://x", True),
        ("mailto:a@example.org", True),
        ("page.html", True),
        ("/abs/path", True),
        ("#anchor", True),
        ("?q=1", True),
        ("//cdn.example/x.png", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("java\x00script:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
        ("file:///etc/passwd", False),
        ("ftp://example.org", False),
        ("tel:123", False),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert markdown_module.is_safe_url(url) is safe


def test_commonmark_structure() -> None:
    doc = Markdown(
        '# Title\n\nSome *em* **strong** `code` ~~gone~~ [link](https://a.example "T")  \n'
        "next\n\n- a\n- b\n\n3. c\n\n> quote\n\n```python\nx = 1\n```\n\n---\n\n"
        "| L | R |\n|:--|--:|\n| 1 | 2 |\n\n![alt text](/img.png)\n"
    )
    tags = [n.tag for n in doc.children if isinstance(n, Element)]
    assert tags == ["h1", "p", "ul", "ol", "blockquote", "pre", "hr", "table", "p"]
    para = doc.children[1]
    assert isinstance(para, Element)
    inline = [n.tag for n in para.children if isinstance(n, Element)]
    assert inline == ["em", "strong", "code", "s", "a", "br"]
    link = next(n for n in walk(doc) if isinstance(n, Element) and n.tag == "a")
    assert link.attrs == {"href": "https://a.example", "title": "T"}
    ul = doc.children[2]
    assert isinstance(ul, Element)
    assert texts(ul) == "ab"
    ol = doc.children[3]
    assert isinstance(ol, Element) and ol.attrs == {"start": "3"}
    code = next(n for n in walk(doc) if isinstance(n, Element) and n.tag == "code" and n.attrs)
    assert code.attrs == {"class": "language-python"} and texts(code) == "x = 1\n"
    cells = [n for n in walk(doc) if isinstance(n, Element) and n.tag in ("th", "td")]
    assert [c.style for c in cells] == [Style(text_align="left"), Style(text_align="right")] * 2
    img = next(n for n in walk(doc) if isinstance(n, Element) and n.tag == "img")
    assert img.attrs == {"src": "/img.png", "alt": "alt text"}


def test_same_source_reuses_rendered_children() -> None:
    first, second = Markdown("# same"), Markdown("# same")
    assert first.children[0] is second.children[0]


def test_style_and_common_arguments() -> None:
    doc = Markdown("x", key="k", class_="prose", id="doc", style=Style(max_width=600))
    assert doc.key == "k" and doc.attrs == {"class": "prose", "id": "doc"}
    assert doc.style is not None and doc.style.max_width == 600
    assert doc.style.color == "var(--tw-color-text)"


def test_errors_name_the_argument() -> None:
    with pytest.raises(WidgetError, match=r"Markdown\(source=...\): expected str, got int \(42\)"):
        Markdown(42)  # type: ignore[arg-type]
    with pytest.raises(
        WidgetError, match=r"Markdown\(stlye=...\): unknown keyword argument; did you mean 'style'"
    ):
        Markdown("x", stlye=Style())  # type: ignore[call-arg]


@given(st.text(alphabet=st.sampled_from(list("<>[]()!*_`#-|:\"' \nabjsvcript=&;x/\\~")), max_size=80))
def test_any_source_renders_sanitised(source: str) -> None:
    assert_sanitised(Markdown(source))


def test_docstring_examples() -> None:
    result = doctest.testmod(markdown_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_import_tempest_core_does_not_load_markdown_it() -> None:
    code = "import sys, tempest_core; print('markdown_it' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
