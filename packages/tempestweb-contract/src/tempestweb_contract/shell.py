"""The HTML shell: the one page template of every mode (Mode B's shell, Mode A's ``index.html``).

The page holds the prerendered first view inside the root element
(:data:`~tempestweb_contract.names.ROOT_ELEMENT_ID`, configured by ``data-tw-*`` attributes), the
generated style rules in
:data:`~tempestweb_contract.names.STYLE_ELEMENT_ID`, the project's scripts (``[wasm].scripts``,
classic ``<script src>``, in order) and the entry module. Nothing is inline but the style rules,
so the page works under ``script-src 'self'`` and Trusted Types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from tempestweb_contract.names import ROOT_ELEMENT_ID, STYLE_ELEMENT_ID

__all__ = ["render_page", "style_text"]


def style_text(rules: Sequence[str], /) -> str:
    r"""Join CSS rules for a ``<style>`` element so that no rule can close it early.

    Args:
        rules: CSS rules, e.g. ``(".tw-1{color:red}",)``.

    Returns:
        The rules, one per line, with ``</`` written ``<\/`` (``</`` is not valid CSS outside
        strings, and inside strings ``<\/`` is the same text to the CSS parser).

    """
    return "\n".join(rule.replace("</", "<\\/") for rule in rules)


def render_page(
    *,
    title: str,
    body: str,
    styles: Sequence[str] = (),
    root_attributes: Mapping[str, str] | None = None,
    scripts: Sequence[str] = (),
    modules: Sequence[str] = (),
    head: str = "",
    csp: str | None = None,
    early: str | None = None,
) -> str:
    """Render the page document.

    Args:
        title: Document title (escaped here).
        body: Prerendered, hydratable HTML of the first view (trusted: from the reconciler).
        styles: CSS rules of the first view, for ``<style id="tw-styles">``.
        root_attributes: Attributes of the root element (``data-tw-*`` names from
            :mod:`tempestweb_contract.names` -> value; escaped here), in order.
        scripts: URLs of classic scripts loaded in order before the entry modules (the
            project's ``[wasm].scripts``).
        modules: URLs of the module scripts to run (the client's entry), in order.
        head: Trusted markup appended to ``<head>`` after the styles (links, metas).
        csp: A Content-Security-Policy for a ``<meta http-equiv>`` (static hosting); ``None``
            writes none (a server sends it as a header).
        early: URL of the client's early-input script (:data:`~tempestweb_contract.names.CLIENT_EARLY_FILE`),
            loaded as a classic script in ``<head>``, before the body paints, so what a person
            does before the client module runs is recorded and replayed (issue 12). ``None``:
            none (such input is lost, except text typed into controls).

    Returns:
        The complete document (``<!doctype html>``, UTF-8).

    Example:
        >>> page = render_page(title="Hi", body="<p>hi</p>", modules=("/_tw/client/boot.js",))
        >>> '<div id="tw-root"><p>hi</p></div>' in page
        True

    """
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in (root_attributes or {}).items())
    policy = escape(csp or "", quote=False).replace('"', "&quot;")  # quotes stay readable
    csp_meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n' if csp else ""
    classic = "".join(f'<script src="{escape(src)}"></script>\n' for src in scripts)
    entry = "".join(f'<script type="module" src="{escape(src)}"></script>\n' for src in modules)
    extra = f"{head}\n" if head and not head.endswith("\n") else head
    early_script = f'<script src="{escape(early)}"></script>\n' if early else ""
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{csp_meta}"
        f"<title>{escape(title)}</title>\n"
        f"{early_script}"
        f'<style id="{STYLE_ELEMENT_ID}">{style_text(styles)}</style>\n'
        f"{extra}"
        "</head>\n<body>\n"
        f'<div id="{ROOT_ELEMENT_ID}"{attributes}>{body}</div>\n'
        f"{classic}"
        f"{entry}"
        "</body>\n</html>\n"
    )
