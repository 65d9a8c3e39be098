"""What the client patch fuzz (examples/tests/test_client_patch_fuzz.py) found in core.

- A select's ``value`` was sent before its options' ops: a ``selected`` reset or a new option
  after it changed the selection, and the page showed another option than a fresh mount.
- The prerender wrote a carriage return as is (the parser makes it a line feed), a textarea value
  starting with a line feed as is (the parser drops it), and a select's ``value`` as a ``value``
  attribute, which means nothing on a select (the page showed its first option).
"""

from __future__ import annotations

from treegen import Harness

from tempest_core import App, Node, html, render_to_html
from tempest_core.testing import DomModel
from tempestweb_contract import Create, Op, SetProps


def _options(*values: str, selected: str | None = None, mark: bool = False) -> list[Node]:
    return [html.option(v.upper(), value=v, selected=(v == selected) if mark else None) for v in values]


def _select_id(dom: DomModel) -> int:
    return next(e.id for e in dom.root.iter_descendants() if e.tag == "select")


def _last_touching(ops: tuple[Op, ...], ids: set[int]) -> int:
    return max(i for i, op in enumerate(ops) if getattr(op, "id", getattr(op, "parent", None)) in ids)


async def test_select_value_is_sent_again_after_its_options_selected_reset() -> None:
    h = Harness(html.select(_options("v0", "v1", "v2", selected="v2", mark=True), value="v2"))
    select = _select_id(h.dom)
    ops = await h.show(html.select(_options("v0", "v1", "v2"), value="v2"))
    options = {e.id for e in h.dom.nodes[select].iter_descendants()}  # type: ignore[union-attr]
    value_at = ops.index(SetProps(select, {"value": "v2"}))
    assert value_at > _last_touching(ops, options)
    # nothing changed: nothing sent
    assert await h.show(html.select(_options("v0", "v1", "v2"), value="v2")) == ()


async def test_select_value_goes_after_the_option_it_names_is_created() -> None:
    h = Harness(html.div(html.select(_options("v0", "v1"), value="v0")))
    select = _select_id(h.dom)
    ops = await h.show(html.div(html.select(_options("v0", "v1", "v2"), value="v2")))
    value_at = ops.index(SetProps(select, {"value": "v2"}))
    creates = [i for i, op in enumerate(ops) if isinstance(op, Create) and op.parent == select]
    assert creates and value_at > max(creates)


async def test_select_with_unchanged_options_gets_no_extra_value() -> None:
    h = Harness(html.select(_options("v0", "v1"), value="v0"))
    select = _select_id(h.dom)
    assert await h.show(html.select(_options("v0", "v1"), value="v1")) == (SetProps(select, {"value": "v1"}),)


def _html(view: Node) -> str:
    return render_to_html(App(view=lambda _: view, theme=None))


def test_prerender_escapes_carriage_returns() -> None:
    out = _html(html.p("a\r\nb", title="x\ry"))
    assert 'title="x&#13;y"' in out and "a&#13;\nb" in out and "\r" not in out


def test_prerender_keeps_a_textarea_values_leading_newline() -> None:
    assert '<textarea data-tw="1">\n\nx</textarea>' in _html(html.textarea(value="\nx"))
    assert '<textarea data-tw="1">x\n</textarea>' in _html(html.textarea(value="x\n"))


def test_prerender_writes_a_selects_value_as_its_options_selected() -> None:
    out = _html(
        html.select(
            html.option("A", value="a", selected=True),  # the select's value wins, as in the client
            html.optgroup(html.option(" b  c "), html.option("b c", value="b c")),  # text value
            value="b c",
        )
    )
    assert out == (
        '<select data-tw="1"><option data-tw="2" value="a"><!--3-->A</option>'
        '<optgroup data-tw="4"><option data-tw="5" selected><!--6--> b  c </option>'
        '<option data-tw="7" value="b c"><!--8-->b c</option></optgroup></select>'
    )
    # without a value the options' own selected props are written
    assert '<option data-tw="2" value="a" selected>' in _html(
        html.select(html.option("A", value="a", selected=True))
    )
