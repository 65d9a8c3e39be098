"""Card, Badge, Progress, Spinner and Icon: markup, semantics, errors and the vendored icon data."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from tempest_core import App, Badge, Card, Icon, Progress, Spinner, Text, WidgetError, render_to_html
from tempest_core.html import SVG_NS, html
from tempest_core.icons import icon_names, lucide_version
from tempest_core.nodes import Element
from tempest_core.theme import DEFAULT_THEME


def el(node: object) -> Element:
    assert isinstance(node, Element), node
    return node


def test_card_slots() -> None:
    card = Card(Text("body"), header="Title", footer=html.button("OK"), class_="mine", id="c")
    assert (card.tag, card.attrs) == ("div", {"class": "tw-card mine", "id": "c"})
    header, body, footer = (el(c) for c in card.children)
    assert [header.attrs["class"], body.attrs["class"], footer.attrs["class"]] == [
        "tw-card-header",
        "tw-card-body",
        "tw-card-footer",
    ]
    assert el(footer.children[0]).tag == "button"
    only_body = Card("x")
    assert [el(c).attrs["class"] for c in only_body.children] == ["tw-card-body"]
    with pytest.raises(
        WidgetError, match=r"^Card\(header=\.\.\.\): expected str, Node or None, got int \(3\)"
    ):
        Card(header=3)  # type: ignore[arg-type]


def test_badge_tones() -> None:
    assert Badge("New").attrs == {"class": "tw-badge tw-badge-neutral"}
    assert Badge("Failed", tone="danger", class_="x").attrs == {"class": "tw-badge tw-badge-danger x"}
    with pytest.raises(
        WidgetError, match=r"^Badge\(tone=\.\.\.\): expected one of 'neutral', .*got str \('red'\)"
    ):
        Badge("x", tone="red")  # type: ignore[arg-type]
    with pytest.raises(WidgetError, match=r"^Badge\(text=\.\.\.\): expected str, got int"):
        Badge(5)  # type: ignore[arg-type]
    rules = "\n".join(DEFAULT_THEME.stylesheet().rules)
    for tone in ("primary", "success", "warning", "danger", "info"):
        assert (
            f":where(.tw-badge-{tone}){{color:var(--tw-color-on-{tone});background:var(--tw-color-{tone})}}"
            in rules
        )


def test_progress_determinate_and_indeterminate() -> None:
    bar = Progress(label="Upload", value=30, max=120)
    assert bar.tag == "progress"
    assert bar.attrs == {"class": "tw-progress", "value": "30", "max": "120", "aria-label": "Upload"}
    busy = Progress(label="Working")
    assert "value" not in busy.attrs and busy.attrs["aria-label"] == "Working"
    with pytest.raises(
        WidgetError, match=r"^Progress\(value=\.\.\.\): expected a number from 0 to max \(1\.0\), got 2"
    ):
        Progress(label="x", value=2)
    with pytest.raises(WidgetError, match=r"^Progress\(max=\.\.\.\): expected a positive number, got 0"):
        Progress(label="x", max=0)
    with pytest.raises(WidgetError, match=r"^Progress\(value=\.\.\.\): expected a finite number"):
        Progress(label="x", value=float("nan"))
    with pytest.raises(WidgetError, match=r"^Progress\(label=\.\.\.\): an accessible name is required"):
        Progress(label=" ")
    with pytest.raises(TypeError, match="label"):
        Progress(value=1)  # type: ignore[call-arg]


def test_spinner_is_a_status_with_a_hidden_label() -> None:
    spin = Spinner(label="Loading results", size=24)
    assert spin.attrs == {"class": "tw-spinner", "role": "status"}
    ring, label = (el(c) for c in spin.children)
    assert ring.attrs == {"class": "tw-spinner-ring", "aria-hidden": "true"}
    assert ring.style is not None and ring.style.width == 24
    assert "Loading results" in render_to_html(App(view=lambda _: spin, theme=None))
    assert label.style is not None and label.style.position == "absolute"  # visually hidden
    shown = Spinner(show_label=True)
    assert el(shown.children[1]).style is None
    rules = DEFAULT_THEME.stylesheet().rules
    assert (
        "@media (prefers-reduced-motion: reduce)"
        "{:where(.tw-spinner-ring){border-style:dotted;animation:none}}" in rules
    )
    assert any(r.startswith("@keyframes tw-spin{") for r in rules)
    with pytest.raises(
        WidgetError, match=r"^Spinner\(size=\.\.\.\): expected CSS pixels in \(0, 512\], got 0"
    ):
        Spinner(size=0)
    with pytest.raises(WidgetError, match=r"^Spinner\(label=\.\.\.\)"):
        Spinner(label="")


def test_icon_markup_from_the_vendored_set() -> None:
    icon = Icon("check", size=20)
    assert icon.tag == "svg" and icon.ns == SVG_NS
    assert icon.attrs["viewBox"] == "0 0 24 24" and icon.attrs["width"] == icon.attrs["height"] == "20"
    assert icon.attrs["aria-hidden"] == "true" and "role" not in icon.attrs
    (path,) = (el(c) for c in icon.children)
    assert (path.tag, path.ns, path.attrs) == ("path", SVG_NS, {"d": "M20 6 9 17l-5-5"})
    named = Icon("trash", label="Delete")
    assert named.attrs["role"] == "img" and named.attrs["aria-label"] == "Delete"
    assert "aria-hidden" not in named.attrs
    assert Icon("circle").children[0].tag == "circle"  # type: ignore[union-attr]
    with pytest.raises(
        WidgetError, match=r"^Icon\(name=\.\.\.\): unknown Lucide icon 'chek'; did you mean 'check'"
    ):
        Icon("chek")
    with pytest.raises(WidgetError, match=r"^Icon\(size=\.\.\.\)"):
        Icon("check", size=-1)
    with pytest.raises(WidgetError, match=r"^Icon\(stroke_width=\.\.\.\)"):
        Icon("check", stroke_width=9)
    with pytest.raises(WidgetError, match=r"^Icon\(label=\.\.\.\): use None"):
        Icon("check", label="")


def test_only_the_icons_used_are_sent() -> None:
    app: App[None] = App(view=lambda _: html.div(Icon("check"), Icon("x", label="Close")), theme=None)
    out = render_to_html(app)
    assert out.count("<svg") == 2 and "M20 6 9 17l-5-5" in out
    assert out.count("<path") == 3  # check: 1 path, x: 2 paths; nothing else of the set


def test_icon_data_is_package_data_with_its_licence() -> None:
    root = resources.files("tempest_core").joinpath("_icons")
    data = json.loads(root.joinpath("lucide.json").read_text(encoding="ascii"))
    assert data["version"] == lucide_version() == "1.62.0" and data["license"] == "ISC"
    assert "ISC License" in root.joinpath("LICENSE.lucide").read_text(encoding="utf-8")
    names = icon_names()
    assert len(names) > 1500 and list(names) == sorted(names) and "check" in names
