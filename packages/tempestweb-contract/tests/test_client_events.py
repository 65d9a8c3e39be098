"""Browser tests of event delegation, payloads, controlled inputs and focus preservation."""

from __future__ import annotations

from typing import Any

import pytest
from client_harness import Harness, MakeHarness

from tempestweb_contract import (
    EVENT_PREVENT_DEFAULT,
    EVENT_STOP_PROPAGATION,
    Create,
    ElementNode,
    Move,
    SetAttrs,
    SetProps,
    TextNode,
)
from tempestweb_contract.names import ATTR_KEYS

pytestmark = pytest.mark.browser

PREVENT = EVENT_PREVENT_DEFAULT
STOP = EVENT_STOP_PROPAGATION


def _form(h: Harness) -> None:
    h.init(
        Create(
            0,
            None,
            ElementNode(
                1,
                "div",
                events={"click": 0},
                children=(
                    ElementNode(
                        2, "button", {"id": "inner"}, events={"click": STOP}, children=(TextNode(3, "in"),)
                    ),
                    ElementNode(4, "span", {"id": "plain"}, children=(TextNode(5, "plain"),)),
                    ElementNode(
                        6,
                        "a",
                        {"id": "link", "href": "#moved"},
                        events={"click": PREVENT},
                        children=(TextNode(7, "link"),),
                    ),
                    ElementNode(
                        8,
                        "input",
                        {"id": "text", "name": "title"},
                        events={"input": 0, "keydown": 0, "focus": 0, "blur": 0},
                    ),
                    ElementNode(
                        9, "input", {"id": "check", "type": "checkbox"}, events={"change": 0, "input": 0}
                    ),
                    ElementNode(
                        10,
                        "select",
                        {"id": "multi", "multiple": ""},
                        events={"change": 0},
                        children=(
                            ElementNode(11, "option", {"value": "a"}, children=(TextNode(12, "A"),)),
                            ElementNode(13, "option", {"value": "b"}, children=(TextNode(14, "B"),)),
                        ),
                    ),
                    ElementNode(
                        15,
                        "form",
                        {"id": "form"},
                        events={"submit": PREVENT},
                        children=(
                            ElementNode(16, "input", {"name": "who", "value": "ann"}),
                            ElementNode(
                                17, "input", {"name": "tag", "type": "checkbox", "value": "x", "checked": ""}
                            ),
                            ElementNode(
                                18, "input", {"name": "tag", "type": "checkbox", "value": "y", "checked": ""}
                            ),
                            ElementNode(
                                19,
                                "button",
                                {"id": "submit", "type": "submit"},
                                children=(TextNode(20, "go"),),
                            ),
                        ),
                    ),
                ),
            ),
        )
    )


def _events(h: Harness, count: int) -> list[dict[str, Any]]:
    return h.wait_sent("event", count)


def test_synthetic_and_real_clicks_walk_up_to_the_root(make: MakeHarness) -> None:
    h = make()
    _form(h)
    h.js("() => document.getElementById('plain').click()")
    h.page.click("#plain", modifiers=["Shift"])
    events = _events(h, 2)
    assert [(e["node"], e["name"]) for e in events] == [(1, "click"), (1, "click")]
    assert events[0]["data"] == {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
    assert events[1]["data"]["shift"] is True
    assert [e["eid"] for e in events] == [1, 2]


def test_stop_propagation_flag_ends_the_walk(make: MakeHarness) -> None:
    h = make()
    _form(h)
    h.js(
        "() => { window.__outer = 0;"
        " document.body.addEventListener('click', () => { window.__outer += 1; }); }"
    )
    h.page.click("#inner")
    h.js("() => document.getElementById('plain').click()")
    events = _events(h, 2)
    assert [e["node"] for e in events] == [2, 1]  # the div never saw the inner click
    assert h.js("() => window.__outer") == 1  # only the plain click bubbled past the root


def test_prevent_default_flag(make: MakeHarness) -> None:
    h = make()
    _form(h)
    h.page.click("#link")
    events = _events(h, 2)
    assert [(e["node"], e["name"]) for e in events] == [(6, "click"), (1, "click")]
    assert h.js("() => location.hash") == ""


def test_modified_click_on_handled_link_keeps_browser_behaviour(make: MakeHarness) -> None:
    h = make()
    _form(h)
    prevented = h.js(
        "() => { const e = new MouseEvent('click', {bubbles: true, cancelable: true, ctrlKey: true});"
        " document.getElementById('link').dispatchEvent(e); return e.defaultPrevented; }"
    )
    assert prevented is False  # ctrl-click opens a new tab instead of routing in place
    h.js("() => document.getElementById('plain').click()")
    events = _events(h, 1)
    assert [(e["node"], e["name"]) for e in events] == [(1, "click")]  # the ctrl-click sent nothing


def test_input_keydown_focus_blur_payloads(make: MakeHarness) -> None:
    h = make()
    _form(h)
    h.page.click("#text")
    h.page.keyboard.type("hi")
    h.page.keyboard.press("Control+a")
    h.page.click("#plain")
    events = _events(h, 9)
    named = [(e["name"], e["data"]) for e in events if e["node"] == 8]
    assert named[0] == ("focus", {"value": ""})
    assert ("input", {"value": "h"}) in named and ("input", {"value": "hi"}) in named
    keydown = next(data for name, data in named if name == "keydown")
    assert keydown == {
        "key": "h",
        "code": "KeyH",
        "alt": False,
        "ctrl": False,
        "shift": False,
        "meta": False,
        "repeat": False,
        "value": "",
    }
    ctrl = [data for name, data in named if name == "keydown" and data["ctrl"]]
    assert ctrl and ctrl[-1]["value"] == "hi"
    assert named[-1] == ("blur", {"value": "hi"})


def test_checkbox_and_select_multiple(make: MakeHarness) -> None:
    h = make()
    _form(h)
    h.page.click("#check")
    h.page.select_option("#multi", ["a", "b"])
    events = _events(h, 4)
    check = [e for e in events if e["node"] == 9]
    assert {"name": "input", "data": {"value": "on", "checked": True}}.items() <= {
        "name": check[0]["name"],
        "data": check[0]["data"],
    }.items()
    assert next(e for e in check if e["name"] == "change")["data"] == {"value": "on", "checked": True}
    multi = next(e for e in events if e["node"] == 10)
    assert multi["data"] == {"value": "a", "values": ["a", "b"]}


def test_submit_sends_form_fields(make: MakeHarness) -> None:
    h = make()
    _form(h)
    url = h.page.url
    h.page.click("#submit")
    (submit,) = [e for e in _events(h, 2) if e["name"] == "submit"]
    assert submit["node"] == 15
    assert submit["data"] == {"form.who": "ann", "form.tag": "y"}  # one string per name, last wins
    assert h.page.url == url  # preventDefault kept the page


def test_controlled_input_keeps_typing_and_caret(make: MakeHarness) -> None:
    h = make()
    _form(h)
    h.page.click("#text")
    h.page.keyboard.type("abc")
    focus_and_inputs = _events(h, 7)  # focus + 3 x (keydown, input)
    last_input = max(e["eid"] for e in focus_and_inputs if e["name"] == "input")
    # a render computed before the user's latest input arrives with an older value
    h.patch(SetProps(8, {"value": "a"}), SetAttrs(8, {"title": "applied"}), ack=last_input - 1)
    assert h.js("() => document.getElementById('text').value") == "abc"
    assert h.js("() => document.getElementById('text').title") == "applied"  # the rest still applies
    h.page.keyboard.type("def")
    assert h.js("() => document.getElementById('text').value") == "abcdef"
    h.page.keyboard.press("ArrowLeft")
    h.page.keyboard.press("ArrowLeft")
    inputs = [e for e in _events(h, 13) if e["name"] == "input"]
    ack = inputs[-1]["eid"]
    h.patch(SetProps(8, {"value": "abcdef"}), ack=ack)  # same value: nothing happens
    assert h.js("() => [document.activeElement.id, document.getElementById('text').selectionStart]") == [
        "text",
        4,
    ]
    h.patch(SetProps(8, {"value": "ABCDEF"}), ack=ack)  # a real change from the host wins, caret kept
    assert h.js(
        "() => [document.getElementById('text').value, document.getElementById('text').selectionStart]"
    ) == [
        "ABCDEF",
        4,
    ]


def test_stale_patch_while_typing(make: MakeHarness) -> None:
    h = make()
    _form(h)
    h.page.click("#text")
    h.page.keyboard.type("abc")
    h.patch(SetProps(8, {"value": ""}), ack=0)
    h.page.keyboard.type("def")
    assert h.js("() => document.getElementById('text').value") == "abcdef"
    assert h.js("() => document.getElementById('text').selectionStart") == 6


def test_focus_survives_a_move(make: MakeHarness) -> None:
    h = make()
    h.init(
        Create(
            0,
            None,
            ElementNode(
                1,
                "ul",
                children=(
                    ElementNode(2, "li", children=(ElementNode(3, "input", {"id": "first"}),)),
                    ElementNode(
                        4,
                        "li",
                        children=(ElementNode(5, "input", {"id": "second"}, events={"focus": 0, "blur": 0}),),
                    ),
                ),
            ),
        )
    )
    h.page.click("#second")
    h.page.keyboard.type("hello")
    h.page.keyboard.press("ArrowLeft")
    assert [e["name"] for e in h.wait_sent("event", 1)] == ["focus"]
    h.patch(Move(4, 1, 2))
    assert h.js("() => Array.from(document.querySelectorAll('input'), i => i.id)") == ["second", "first"]
    assert h.js("() => [document.activeElement.id, document.activeElement.selectionStart]") == ["second", 4]
    h.page.keyboard.type("!")
    assert h.js("() => document.getElementById('second').value") == "hell!o"
    h.page.click("#first")
    events = h.wait_sent("event", 2)
    assert [e["name"] for e in events] == ["focus", "blur"]  # the move itself sent no focus/blur


def test_url_scheme_check(make: MakeHarness) -> None:
    h = make()
    h.init(
        Create(
            0,
            None,
            ElementNode(
                1,
                "div",
                children=(
                    ElementNode(2, "a", {"href": "javascript:alert(1)", "title": "kept"}),
                    ElementNode(3, "a", {"href": " JaVa\tScRiPt:alert(1)"}),
                    ElementNode(4, "a", {"href": "https://example.invalid/x"}),
                    ElementNode(5, "a", {"href": "#top"}),
                    ElementNode(6, "img", {"src": "data:image/png;base64,iVBORw0KGgo="}),
                    ElementNode(7, "iframe", {"src": "data:text/html,<script>1</script>"}),
                    ElementNode(8, "a", {"href": "relative/path?x=1", "onclick": "alert(1)"}),
                    ElementNode(9, "a", {"href": "vbscript:x"}),
                ),
            ),
        )
    )
    hrefs = h.js(
        """() => [2, 3, 4, 5, 8, 9].map(
            id => window.__tw_harness.session.dom.nodes.get(id).getAttribute('href'))"""
    )
    assert hrefs == [None, None, "https://example.invalid/x", "#top", "relative/path?x=1", None]
    assert h.js(f"() => {h.node(2)}.title") == "kept"
    assert h.js(f"() => {h.node(6)}.getAttribute('src')").startswith("data:image/png")
    assert h.js(f"() => {h.node(7)}.getAttribute('src')") is None
    assert h.js(f"() => {h.node(8)}.hasAttribute('onclick')") is False
    assert len(h.errors()) == 5
    h.patch(SetAttrs(4, {"href": "javascript:void(0)"}))
    assert h.js(f"() => {h.node(4)}.getAttribute('href')") == "https://example.invalid/x"
    assert len(h.errors()) == 6


def test_key_filter_sends_only_its_keys_and_applies_flags_to_them_only(make: MakeHarness) -> None:
    """``ATTR_KEYS`` (``handler(fn, keys=...)``): real key presses on a filtered listener."""
    h = make()
    h.init(
        Create(
            0,
            None,
            ElementNode(
                1,
                "div",
                events={"keydown": 0},
                children=(
                    ElementNode(
                        2,
                        "input",
                        {"id": "filtered", ATTR_KEYS: '{"keydown":["Enter","ArrowDown"," "]}'},
                        events={"keydown": PREVENT | STOP, "keyup": 0},
                    ),
                    ElementNode(3, "input", {"id": "broken", ATTR_KEYS: "not json"}, events={"keydown": 0}),
                ),
            ),
        )
    )
    h.js(
        "() => { window.__prevented = [];"  # read once the dispatch is over (STOP ends the bubbling)
        " window.addEventListener('keydown', e => setTimeout("
        " () => { if (e.defaultPrevented) window.__prevented.push(e.key); }), {capture: true}); }"
    )
    h.page.click("#filtered")
    for key in ("a", "Enter", "Tab"):
        h.page.keyboard.press(key)
    h.page.click("#filtered")
    h.page.keyboard.press("ArrowDown")
    h.page.keyboard.press("Space")
    # the Enter that commits an input method's composition is the IME's, not the listener's
    h.js(
        "() => { const input = document.getElementById('filtered');"
        " for (const init of [{isComposing: true}, {keyCode: 229}])"
        " input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, ...init})); }"
    )
    h.page.click("#broken")
    h.page.keyboard.press("b")
    h.page.wait_for_function(
        "() => window.__tw_harness.ofType('event').filter(e => e.name === 'keydown').length >= 9"
    )
    keydowns = [(e["node"], e["data"]["key"]) for e in h.sent("event") if e["name"] == "keydown"]
    # 'a' and Tab pass the input by (the div gets them, nothing prevented, Tab moved focus); Enter,
    # ArrowDown and Space stop at the input; the filter that does not parse filters nothing
    assert keydowns == [
        (1, "a"),
        (2, "Enter"),
        (1, "Tab"),
        (2, "ArrowDown"),
        (2, " "),
        (1, "Enter"),  # composing: passes the input by, the unfiltered div gets it
        (1, "Enter"),
        (3, "b"),
        (1, "b"),
    ]
    assert h.js("() => window.__prevented") == ["Enter", "ArrowDown", " "]
    keyups = {e["data"]["key"] for e in h.sent("event") if e["name"] == "keyup"}
    assert {"a", "Enter", "ArrowDown", " "} <= keyups  # keyup has no filter on this node
