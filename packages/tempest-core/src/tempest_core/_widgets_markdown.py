"""Markdown: CommonMark text rendered to elements, sanitised by construction (private).

The source is parsed by markdown-it-py (pure Python, so it runs under Pyodide as under CPython)
with raw HTML disabled, and its token stream is turned into :mod:`tempest_core.html` elements,
never into an HTML string: text is always a text node, so markup in the source (``<script>``,
``<img onerror=...>``) shows as literal text. Only a fixed set of tags is produced and the only
attributes are ``href``/``title`` on links, ``src``/``alt``/``title`` on images, ``start`` on
ordered lists, a ``language-*`` class on fenced code and ``text-align`` on table cells (as a
:class:`~tempest_core.style.Style`). Link and image URLs must be relative or use ``http``,
``https`` or ``mailto`` (:data:`SAFE_URL_SCHEMES`): a link with any other URL keeps its text
and loses the link, an image keeps its ``alt`` text.

References: CommonMark 0.31 (https://spec.commonmark.org/0.31.2/), GFM tables and
strikethrough (https://github.github.com/gfm/), markdown-it-py
(https://markdown-it-py.readthedocs.io/en/latest/using.html#the-token-stream).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from tempest_core._widgets_base import check_common, check_keywords, check_type, merge_styles
from tempest_core.html import ElementFactory, html
from tempest_core.nodes import Element, Node, Text
from tempest_core.style import Style

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["MARKDOWN_MAX_DEPTH", "SAFE_URL_SCHEMES", "Markdown", "is_safe_url"]

SAFE_URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})
"""URL schemes a Markdown link or image may use; URLs without a scheme (relative) are allowed too."""
MARKDOWN_CACHE_SIZE: Final = 256
"""Distinct Markdown sources whose rendered elements are kept (elements are immutable)."""
MARKDOWN_MAX_DEPTH: Final = 32
"""Nesting of the elements a source opens (blocks, emphasis, links) kept under the ``<div>``.

An element that would sit deeper is left out and its content goes to its parent: the text of
``*`` * 10_000 + ``a`` + ``*`` * 10_000 stays, its 5,000 nested ``em``/``strong`` do not. Without
the bound such a source made the whole view fail, as a view may nest at most ``MAX_DEPTH`` (256)
elements in one update. Blocks nest at most 20 deep (markdown-it's ``maxNesting``), so the bound
only ever cuts inline formatting nested a dozen levels or more; a leaf (``pre``/``code``, ``img``,
``br``, ``hr``) adds at most two levels.
"""

_SCHEME_RE: Final = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_URL_CHARS_RE: Final = re.compile(r"[\x00-\x20\x7f]+")
_LANGUAGE_RE: Final = re.compile(r"^[A-Za-z0-9_+#.-]{1,40}$")
_ALIGN_RE: Final = re.compile(r"text-align:(left|right|center)")
_BLOCK_TAGS: Final = {
    "paragraph": "p",
    "blockquote": "blockquote",
    "bullet_list": "ul",
    "ordered_list": "ol",
    "list_item": "li",
    "table": "table",
    "thead": "thead",
    "tbody": "tbody",
    "tr": "tr",
    "th": "th",
    "td": "td",
    "em": "em",
    "strong": "strong",
    "s": "s",
}
"""Token type prefix (``<name>_open``/``<name>_close``) -> element tag; headings use ``token.tag``."""
_HEADINGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ALIGN_STYLES: Final = {a: Style(text_align=a) for a in ("left", "right", "center")}

_BASE_STYLE: Final = Style(
    color="var(--tw-color-text)",
    font_family="var(--tw-font-sans)",
    line_height="var(--tw-leading)",
    overflow_wrap="anywhere",
)
"""The container's look (theme tokens); element spacing comes from the browser's defaults."""
_CODE_BLOCK_STYLE: Final = Style(white_space="pre-wrap")
"""A code block keeps its line breaks and indentation and wraps a line wider than the room it
has (anywhere, ``overflow-wrap`` being inherited from the container): with ``white-space: pre``
such a line widened the whole page, which then scrolled sideways (WCAG 1.4.10 Reflow at 320 CSS
px). Wrapping, not a sideways scroll box: that one would need a tab stop of its own (axe-core's
``scrollable-region-focusable``) in every code block."""


def is_safe_url(url: str, /) -> bool:
    r"""Tell whether a Markdown link or image URL may be emitted.

    Browsers ignore ASCII whitespace and control characters inside a scheme
    (https://url.spec.whatwg.org/#url-parsing), so they are removed before the scheme is read.

    Args:
        url: The URL as written (after markdown-it's normalisation).

    Returns:
        True for a URL without a scheme (``page.html``, ``/a``, ``#top``, ``//host/x``) or with
        one of :data:`SAFE_URL_SCHEMES`; False otherwise (``javascript:``, ``data:``, ``file:``...).

    Example:
        >>> is_safe_url("https://example.org"), is_safe_url(" java\tscript:alert(1)")
        (True, False)

    """
    match = _SCHEME_RE.match(_IGNORED_URL_CHARS_RE.sub("", url))
    return match is None or match.group(1).lower() in SAFE_URL_SCHEMES


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """Return the parser, built on first use.

    ``import tempest_core`` does not import markdown-it, so a Mode A page that renders no
    Markdown does not pay for it at boot.
    """
    from markdown_it import MarkdownIt

    class SafeMarkdownIt(MarkdownIt):
        """markdown-it whose link check is :func:`is_safe_url`: an unsafe ``[x](url)`` is no link."""

        def validateLink(self, url: str) -> bool:
            return is_safe_url(url)

    options = {"html": False, "linkify": False, "typographer": False}
    return SafeMarkdownIt("commonmark", options).enable(["table", "strikethrough"])


class _Open:
    """An element being built: its tag, attributes, optional style and children so far."""

    __slots__ = ("attrs", "children", "style", "tag")

    def __init__(self, tag: str, attrs: dict[str, str] | None = None, style: Style | None = None) -> None:
        self.tag = tag
        self.attrs = attrs or {}
        self.style = style
        self.children: list[Node] = []


def _pop(stack: list[_Open]) -> int:
    """Close the innermost open item; return 1 if it was an element, 0 if it was left out."""
    item = stack.pop()
    if not item.tag:
        return 0  # its content is in the parent already (shared child list)
    factory: ElementFactory = getattr(html, item.tag)
    stack[-1].children.append(factory(*item.children, attrs=item.attrs or None, style=item.style))
    return 1


def _cell_style(token: Token) -> Style | None:
    match = _ALIGN_RE.search(str(token.attrGet("style") or ""))
    return _ALIGN_STYLES[match.group(1)] if match else None


def _open_item(token: Token) -> _Open:
    name = token.type.removesuffix("_open")
    if name == "heading" and token.tag in _HEADINGS:
        return _Open(token.tag)
    if name == "link":
        href = str(token.attrGet("href") or "")
        if not is_safe_url(href):
            return _Open("")
        attrs = {"href": href}
        if title := token.attrGet("title"):
            attrs["title"] = str(title)
        return _Open("a", attrs)
    if name == "ordered_list":
        start = token.attrGet("start")
        return _Open("ol", {"start": str(start)} if start is not None else None)
    if name in ("th", "td"):
        return _Open(name, style=_cell_style(token))
    return _Open(_BLOCK_TAGS.get(name, ""))


def _leaf(token: Token) -> list[Node]:
    """Return the nodes of a self-contained token (text, code, breaks, rules, images)."""
    kind = token.type
    if kind in ("text", "html_inline", "html_block"):
        return [Text(token.content)] if token.content else []
    if kind == "softbreak":
        return [Text("\n")]
    if kind == "hardbreak":
        return [html.br()]
    if kind == "code_inline":
        return [html.code(token.content)]
    if kind in ("fence", "code_block"):
        language = token.info.strip().split(" ", 1)[0] if token.info else ""
        class_ = f"language-{language}" if _LANGUAGE_RE.match(language) else None
        return [html.pre(html.code(token.content, class_=class_), style=_CODE_BLOCK_STYLE)]
    if kind == "hr":
        return [html.hr()]
    if kind == "image":
        alt = "".join(child.content for child in token.children or ())
        src = str(token.attrGet("src") or "")
        if not is_safe_url(src):
            return [Text(alt)] if alt else []
        title = token.attrGet("title")
        return [html.img(src=src, alt=alt, title=str(title) if title else None)]
    return []


def _convert(tokens: Sequence[Token], root: _Open, depth: int = 0) -> None:
    """Append the nodes of ``tokens`` (a flat open/close stream) to ``root``.

    ``depth`` is how deep ``root`` sits under the container. An item left out (an unsafe link,
    an element deeper than :data:`MARKDOWN_MAX_DEPTH`) shares its parent's child list, so its
    content lands in the parent as it comes: nothing is copied when it closes (copying made a
    source of many left-out levels take quadratic time).
    """
    stack = [root]
    for token in tokens:
        if token.type == "inline":
            _convert(token.children or (), stack[-1], depth)
        elif token.hidden:
            continue  # a tight list's paragraphs: their content goes straight into the <li>
        elif token.nesting == 1:
            item = _Open("") if depth >= MARKDOWN_MAX_DEPTH else _open_item(token)
            if item.tag:
                depth += 1
            else:
                item.children = stack[-1].children
            stack.append(item)
        elif token.nesting == -1 and len(stack) > 1:
            depth -= _pop(stack)
        elif token.nesting == 0:
            stack[-1].children.extend(_leaf(token))
    while len(stack) > 1:  # never for markdown-it's balanced streams; kept total for safety
        _pop(stack)


@lru_cache(maxsize=MARKDOWN_CACHE_SIZE)
def _render(source: str) -> tuple[Node, ...]:
    root = _Open("div")
    _convert(_parser().parse(source), root)
    return tuple(root.children)


@check_keywords
def Markdown(
    source: str,
    /,
    *,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    r"""Render CommonMark (plus GFM tables and strikethrough) as elements in a ``<div>``.

    Raw HTML in ``source`` is shown as text, never interpreted; links and images with a URL
    outside :data:`SAFE_URL_SCHEMES` (``javascript:``, ``data:``, ``vbscript:``...) lose their
    URL (see :func:`is_safe_url`). The same source renders to the same elements in every mode
    (markdown-it-py is pure Python and is shipped to Pyodide in Mode A).

    Args:
        source: Markdown text.
        key: Identity among keyed siblings.
        style: A Style laid over the default (theme colour, font and line height).
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        A ``<div>`` holding ``p``, ``h1``-``h6``, ``ul``/``ol``/``li``, ``blockquote``,
        ``pre``/``code``, ``table``, ``a``, ``img``, ``em``, ``strong``, ``s``, ``br`` and ``hr``.

    Raises:
        WidgetError: If ``source`` is not a str, or on a bad common argument.

    Example:
        >>> doc = Markdown("# Hi\n\n[x](javascript:alert(1)) <b>bold</b>")
        >>> tuple(child.tag for child in doc.children)
        ('h1', 'p')
        >>> doc.children[1].children
        (Text('[x](javascript:alert(1)) <b>bold</b>'),)

    """
    check_type("Markdown", "source", source, str, "str")
    check_common("Markdown", key, style, class_, id)
    return html.div(_render(source), key=key, style=merge_styles(_BASE_STYLE, style), class_=class_, id=id)
