"""Element names of the HTML Living Standard and SVG 2 (private tables for :mod:`tempest_core.html`).

Sources: https://html.spec.whatwg.org/multipage/indices.html#elements-3 and
https://www.w3.org/TR/SVG2/eltindex.html.
"""

from __future__ import annotations

from typing import Final

from tempestweb_contract.names import FORBIDDEN_TAGS


def _words(text: str) -> list[str]:
    return text.split()


__all__ = [
    "CONTROLLED_PROPS",
    "HTML_TAGS",
    "MATHML_NS",
    "REFUSED_TAGS",
    "SVG_NS",
    "SVG_TAGS",
    "VOID_TAGS",
]

SVG_NS: Final = "http://www.w3.org/2000/svg"
"""Namespace URI of SVG elements (``document.createElementNS``)."""
MATHML_NS: Final = "http://www.w3.org/1998/Math/MathML"
"""Namespace URI of MathML elements."""

HTML_TAGS: Final = frozenset(
    _words(
        """
        a abbr address area article aside audio b bdi bdo blockquote body br button canvas
        caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em
        fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
        img input ins kbd label legend li link main map mark menu meta meter nav noscript ol
        optgroup option output p picture pre progress q rp rt ruby s samp search section
        select slot small source span strong style sub summary sup table tbody td template textarea
        tfoot th thead time title tr track u ul var video wbr
        """
    )
)
"""Every element of the HTML Living Standard but :data:`REFUSED_TAGS` (``svg`` and ``math`` are
added with their namespace)."""

REFUSED_TAGS: Final = frozenset(FORBIDDEN_TAGS)
"""Elements the client never creates (the contract's ``FORBIDDEN_TAGS``): ``html.script``
and the others raise WidgetError when called, so a view cannot hold one (a prerendered page would
run or load it before the client sees it)."""

VOID_TAGS: Final = frozenset(
    _words(
        """
        area br col hr img input link meta source track wbr
        """
    )
)
"""HTML void elements that ``html.*`` builds: they never have children (HTML, 13.1.2 Elements;
``base`` and ``embed`` are void too, and in :data:`REFUSED_TAGS`)."""

SVG_TAGS: Final = frozenset(
    _words(
        """
        a animate animateMotion animateTransform circle clipPath defs desc ellipse feBlend
        feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
        feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR
        feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight
        feSpecularLighting feSpotLight feTile feTurbulence filter foreignObject g image line
        linearGradient marker mask metadata mpath path pattern polygon polyline radialGradient rect
        set stop svg switch symbol text textPath title tspan use view
        """
    )
)
"""Every element of SVG 2 (camelCase names as in the spec)."""

CONTROLLED_PROPS: Final[dict[str, frozenset[str]]] = {
    "input": frozenset(("value", "checked", "indeterminate")),
    "textarea": frozenset(("value",)),
    "select": frozenset(("value",)),
    "option": frozenset(("selected",)),
}
"""Tag -> keyword arguments that become DOM properties (``Element.props``) instead of attributes."""
