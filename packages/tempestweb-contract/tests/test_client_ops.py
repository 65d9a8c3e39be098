"""Browser tests of the JS client: every op, hydration, styles, resync, session messages."""

from __future__ import annotations

import pytest
from client_harness import Harness, MakeHarness

from tempestweb_contract import (
    AddStyles,
    Create,
    DefineTemplate,
    ElementNode,
    Error,
    Listen,
    Move,
    NativeCall,
    Navigate,
    Op,
    Patch,
    Ping,
    Remove,
    RemoveAttrs,
    SetAttrs,
    SetProps,
    SetText,
    TemplateNode,
    TextNode,
    Unlisten,
    encode,
    expand_template,
)
from tempestweb_contract.constants import ACK_INTERVAL_MS, ACK_MAX_PENDING

pytestmark = pytest.mark.browser

LIST = ElementNode(
    1,
    "ul",
    {"class": "list", "data-x": "1"},
    children=(
        ElementNode(2, "li", children=(TextNode(3, "one"),)),
        ElementNode(4, "li", children=(TextNode(5, "two"),)),
        ElementNode(6, "li", children=(TextNode(7, "<b>three</b>"),)),
    ),
)


def test_hello_on_connect(make: MakeHarness) -> None:
    h = make()
    (hello,) = h.sent("hello")
    assert hello == {
        "type": "hello",
        "v": 1,
        "path": hello["path"],
        "session": None,
        "last_seq": None,
        "token": None,
    }
    assert hello["path"].startswith("/page")


def test_create_builds_subtree_and_text_is_never_markup(make: MakeHarness) -> None:
    h = make("<p>placeholder</p>")
    h.init(Create(0, None, LIST))
    assert h.html() == (
        '<ul class="list" data-x="1"><li>one</li><li>two</li><li>&lt;b&gt;three&lt;/b&gt;</li></ul>'.replace(
            "&lt;b&gt;three&lt;/b&gt;", "<b>three</b>"
        )
    )
    assert h.js("() => document.querySelector('#tw-root b')") is None
    h.patch(Create(1, 4, ElementNode(8, "li", children=(TextNode(9, "1.5"),))))
    assert h.js("() => Array.from(document.querySelectorAll('li'), li => li.textContent)") == [
        "one",
        "1.5",
        "two",
        "<b>three</b>",
    ]


def test_svg_namespace(make: MakeHarness) -> None:
    h = make()
    svg = "http://www.w3.org/2000/svg"
    h.init(
        Create(
            0,
            None,
            ElementNode(
                1,
                "svg",
                {"viewBox": "0 0 1 1"},
                ns=svg,
                children=(ElementNode(2, "circle", {"r": "1"}, ns=svg),),
            ),
        )
    )
    assert h.js(f"() => [{h.node(2)}.namespaceURI, {h.node(1)}.getAttribute('viewBox')]") == [svg, "0 0 1 1"]


def test_attrs_rmattrs_props_text(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, LIST), Create(0, None, ElementNode(10, "input", {"type": "checkbox"})))
    original = h.js(f"() => {{ {h.node(3)}.__keep = 1; return {h.node(3)}.data; }}")
    assert original == "one"
    h.patch(
        SetAttrs(1, {"class": "changed", "title": "t"}),
        RemoveAttrs(1, ("data-x",)),
        SetText(3, "uno"),
        SetProps(10, {"checked": True, "disabled": True}),
    )
    assert h.js(f"() => {h.node(3)}.__keep") == 1  # text updated in place
    assert h.html().startswith('<ul class="changed" title="t"><li>uno</li>')
    assert h.js(f"() => [{h.node(10)}.checked, {h.node(10)}.disabled]") == [True, True]
    h.patch(SetProps(10, {"checked": None, "disabled": None}))
    assert h.js(f"() => [{h.node(10)}.checked, {h.node(10)}.disabled]") == [False, False]


def test_move_and_remove_forget_the_subtree(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, LIST))
    h.patch(Move(6, 1, 2), Move(2, 1, None))
    assert h.js("() => Array.from(document.querySelectorAll('li'), li => li.textContent)") == [
        "<b>three</b>",
        "two",
        "one",
    ]
    h.patch(Remove(4))
    assert h.js("() => document.querySelectorAll('li').length") == 2
    assert h.js("() => [4, 5, 6].map(id => window.__tw_harness.session.dom.nodes.has(id))") == [
        False,
        False,
        True,
    ]
    h.patch(Remove(1))
    assert h.js("() => Array.from(window.__tw_harness.session.dom.nodes.keys())") == [0]
    assert h.html() == ""


def _texts(h: Harness) -> list[str]:
    texts: list[str] = h.js("() => Array.from(document.querySelectorAll('li'), li => li.textContent)")
    return texts


def _li(nid: int, text: str) -> ElementNode:
    return ElementNode(nid, "li", children=(TextNode(nid + 1, text),))


def test_create_runs_keep_order_appended_and_right_to_left(make: MakeHarness) -> None:
    """A run of creates (appended in order, or chained right to left) lands exactly as one by one."""
    h = make()
    h.init(Create(0, None, ElementNode(1, "ul", children=(_li(2, "a"), _li(4, "z")))))
    # appended in order before one sibling, then a right-to-left chain before the previous one
    h.patch(Create(1, 4, _li(10, "b")), Create(1, 4, _li(12, "c")))
    h.patch(Create(1, None, _li(20, "3")), Create(1, 20, _li(22, "2")), Create(1, 22, _li(24, "1")))
    assert _texts(h) == ["a", "b", "c", "z", "1", "2", "3"]
    # a chain broken by another parent, then an op naming a sibling outside the run
    h.patch(Create(1, 2, _li(30, "x")), Create(0, None, ElementNode(32, "p")), Create(1, 30, _li(34, "w")))
    assert _texts(h) == ["w", "x", "a", "b", "c", "z", "1", "2", "3"]
    assert h.js("() => document.querySelectorAll('#tw-root > p').length") == 1
    assert h.js("() => [10, 11, 24, 25, 34].every(id => window.__tw_harness.session.dom.nodes.has(id))")


def test_create_run_stops_at_a_bad_op_and_keeps_the_earlier_ones(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, ElementNode(1, "ul")))
    h.patch(Create(1, None, _li(2, "ok")), Create(1, None, _li(2, "duplicate id")))
    h.page.wait_for_function("() => window.__tw_harness.ofType('hello').length === 2")
    assert any("already in use" in e["message"] for e in h.errors())


def test_removing_every_child_empties_the_parent_and_forgets_ids(make: MakeHarness) -> None:
    """jsfb clear: a run of removes of all children of one parent, and runs that are not all."""
    h = make()
    h.init(Create(0, None, ElementNode(1, "ul", children=tuple(_li(n, str(n)) for n in range(2, 12, 2)))))
    h.patch(Remove(4), Remove(8))  # some children only
    assert _texts(h) == ["2", "6", "10"]
    h.patch(Remove(2), Remove(6), Remove(10), SetAttrs(1, {"class": "empty"}))
    assert h.html() == '<ul class="empty"></ul>'
    assert h.js("() => Array.from(window.__tw_harness.session.dom.nodes.keys()).sort()") == [0, 1]


def test_remove_run_with_a_repeated_id_fails_like_one_by_one(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, ElementNode(1, "ul", children=(_li(2, "a"), _li(4, "b")))))
    h.patch(Remove(2), Remove(2))
    h.page.wait_for_function("() => window.__tw_harness.ofType('hello').length === 2")
    assert any("unknown node id 2" in e["message"] for e in h.errors())
    assert _texts(h) == ["b"]


def test_styles_go_into_the_session_sheet(make: MakeHarness) -> None:
    h = make()
    h.init(
        AddStyles((".tw-1{color:rgb(255, 0, 0)}",)), Create(0, None, ElementNode(1, "p", {"class": "tw-1"}))
    )
    h.patch(AddStyles((".tw-1{color:rgb(255, 0, 0)}", ".tw-2{margin:3px}")))
    assert h.js("() => document.getElementById('tw-styles').sheet.cssRules.length") == 2
    assert h.js(f"() => getComputedStyle({h.node(1)}).color") == "rgb(255, 0, 0)"
    h.patch(AddStyles(("@@@ {",)))
    assert h.errors()[-1]["code"] == "malformed_frame"


def test_ack_is_coalesced(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, LIST))
    # Fewer than ACK_MAX_PENDING wait, so nothing is sent yet (the timer, or the next event, will
    # carry the acknowledgement).
    assert h.patches_in_one_task([(SetText(3, text),) for text in "abc"], "ack") == []
    # One frame for the three, ACK_INTERVAL_MS after the first.
    assert h.wait_sent("ack", 1) == [{"type": "ack", "seq": 3}]


def test_ack_goes_at_once_when_ack_max_pending_batches_wait(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, LIST))
    # In one task no timer can fire in between: what is sent comes from the count alone.
    sent = h.patches_in_one_task(
        [(SetText(3, str(seq)),) for seq in range(1, 2 * ACK_MAX_PENDING + 2)], "ack"
    )
    assert sent == [{"type": "ack", "seq": ACK_MAX_PENDING}, {"type": "ack", "seq": 2 * ACK_MAX_PENDING}]
    # The one batch left waits for the timer.
    assert h.wait_sent("ack", 3)[-1] == {"type": "ack", "seq": 2 * ACK_MAX_PENDING + 1}


def test_an_event_carries_the_pending_ack_instead_of_a_frame_of_its_own(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, ElementNode(1, "button", children=(TextNode(2, "b"),))), Listen(1, {"click": 0}))
    h.seq = 1
    patch = encode(Patch(seq=1, ops=(SetText(2, "c"),))).decode("utf-8")
    # The click comes before the coalescing timer (ACK_INTERVAL_MS) would send the ack.
    h.js(
        "async (t) => { window.__tw_harness.feed(t); await new Promise(r => setTimeout(r, 0));"
        f" {h.node(1)}.click(); }}",
        patch,
    )
    (event,) = h.wait_sent("event", 1)
    assert event["eid"] == 1 and event["ack"] == 1
    h.js(f"() => new Promise(r => setTimeout(r, {ACK_INTERVAL_MS + 300}))")  # past the coalescing timer
    assert h.sent("ack") == []  # the event carried it
    # Nothing new to acknowledge: the next event carries no ack.
    h.js(f"() => {h.node(1)}.click()")
    events = h.wait_sent("event", 2)
    assert "ack" not in events[1]
    # A patch with no event after it is acknowledged by its own frame, once.
    h.patch(SetText(2, "d"))
    assert h.wait_sent("ack", 1) == [{"type": "ack", "seq": 2}]


def test_hydration_maps_prerendered_nodes_without_recreating_them(make: MakeHarness) -> None:
    body = (
        '<div data-tw="1" data-tw-on="click:0 input:1" class="c"><!--2-->hello'
        '<span data-tw="3"><!--4--></span><b data-tw="5"><!--6-->x<!--7-->y</b></div>'
    )
    h = make(body, session="S1", mark=True)
    (hello,) = h.sent("hello")
    assert hello["session"] == "S1" and hello["last_seq"] == 0 and hello["token"] == "tok"
    assert h.html() == '<div class="c">hello<span></span><b>xy</b></div>'
    assert (
        h.js(
            "() => [1, 2, 5, 6, 7].map(id => window.__tw_harness.session.dom.nodes.get(id))"
            ".map(n => document.getElementById('tw-root').contains(n) && n.__tw_mark)"
        )
        == ["original"] * 5
    )
    assert h.js(
        f"() => [{h.node(4)}.nodeType, {h.node(4)}.data, {h.node(4)}.parentNode === {h.node(3)}]"
    ) == [3, "", True]
    h.init(session="S1")
    h.patch(SetText(4, "filled"), SetText(7, "z"))
    assert h.html() == '<div class="c">hello<span>filled</span><b>xz</b></div>'
    h.js(f"() => {h.node(3)}.click()")
    (event,) = h.wait_sent("event", 1)
    assert event["node"] == 1 and event["name"] == "click"


def test_create_focuses_an_autofocus_element(make: MakeHarness) -> None:
    """TodoMVC editing: the edit input created on dblclick gets keyboard focus."""
    h = make()
    h.init(Create(0, None, ElementNode(1, "input", {"id": "first"})))
    h.js("() => document.getElementById('first').focus()")
    h.patch(
        Create(
            0,
            None,
            ElementNode(2, "li", children=(ElementNode(3, "input", {"class": "edit", "autofocus": ""}),)),
        )
    )
    assert h.js("() => document.activeElement.className") == "edit"


ROW = DefineTemplate(
    7,
    ElementNode(
        0,
        "tr",
        {"class": "row"},
        children=(
            ElementNode(1, "td", children=(TextNode(2, ""),)),
            ElementNode(3, "td", children=(ElementNode(4, "a", {"class": "lbl"}, events={"click": 0}),)),
            ElementNode(
                5, "td", children=(ElementNode(6, "input", {"type": "checkbox"}), TextNode(7, "static"))
            ),
        ),
    ),
    (
        (2, "text", ""),
        (0, "attr", "aria-selected"),
        (4, "attr", "href"),
        (6, "prop", "checked"),
        (6, "event", "change"),
    ),
)


def test_template_instances_build_what_their_expansion_builds(make: MakeHarness) -> None:
    """A ``template`` op and ``i`` specs give the DOM, ids, listeners and properties of the
    ``ElementNode`` each instance stands for (``expand_template``), nested in a created parent too."""
    one = TemplateNode(10, 7, ("<b>one</b>", "true", "/a", True, 0))
    two = TemplateNode(20, 7, ("two", None, None, None, None))
    t, e = make(), make()
    t.init(ROW, Create(0, None, ElementNode(1, "table", children=(one,))), Create(1, None, two))
    e.init(Create(0, None, ElementNode(1, "table", children=(expand_template(ROW, one),))))
    e.patch(Create(1, None, expand_template(ROW, two)))
    assert t.html() == e.html()
    assert t.js("() => document.querySelector('#tw-root b')") is None  # a text slot is never markup
    for h in (t, e):
        assert h.js(f"() => {h.node(16)}.checked") is True
        assert h.js(f"() => {h.node(26)}.checked") is False
        assert h.js(f"() => {h.node(12)}.data") == "<b>one</b>"
        h.js(f"() => {h.node(16)}.click()")
        h.js(f"() => {h.node(26)}.click()")  # no listener: nothing sent
    assert [ev["node"] for ev in t.sent("event")] == [ev["node"] for ev in e.sent("event")] == [16]
    # later ops address the instance's nodes by base + offset
    t.patch(SetText(22, "deux"), Remove(10))
    assert t.js("() => Array.from(document.querySelectorAll('tr'), tr => tr.textContent)") == ["deuxstatic"]
    assert not t.errors()


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        ((Create(1, None, TemplateNode(30, 99, ())),), "template 99 is not defined"),
        ((ROW, Create(1, None, TemplateNode(40, 7, ("x",)))), "needs 5 slot values"),
        (
            (
                DefineTemplate(8, ElementNode(0, "div", children=(ElementNode(1, "script"),))),
                Create(1, None, TemplateNode(50, 8, ())),
            ),
            "creating <script> is not allowed",
        ),
        ((DefineTemplate(9, ElementNode(3, "div")),), "node 0 has id 3"),
    ],
)
def test_template_errors_are_malformed_batches(make: MakeHarness, ops: tuple[Op, ...], message: str) -> None:
    """An instance of an undefined template, a wrong slot count, a forbidden tag, bad offsets."""
    h = make()
    h.init(Create(0, None, ElementNode(1, "p")))
    h.patch(*ops)
    h.page.wait_for_function("() => window.__tw_harness.ofType('hello').length === 2")
    assert message in h.errors()[0]["message"]
    assert h.errors()[0]["code"] == "malformed_frame"


def test_template_attribute_slots_are_checked_like_attributes(make: MakeHarness) -> None:
    h = make()
    h.init(ROW, Create(0, None, TemplateNode(60, 7, ("x", None, "javascript:alert(1)", None, None))))
    assert h.js(f"() => {h.node(64)}.hasAttribute('href')") is False
    assert any("unsafe URL in href" in e["message"] for e in h.errors())


def test_unknown_id_reports_and_resyncs(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, LIST))
    h.patch(SetText(999, "x"))
    h.page.wait_for_function("() => window.__tw_harness.ofType('hello').length === 2")
    assert any("unknown node id 999" in e["message"] for e in h.errors())
    assert h.sent("hello")[1]["last_seq"] is None
    assert h.js("() => window.__tw_harness.closes") >= 1
    h.init(Create(0, None, ElementNode(1, "p", children=(TextNode(2, "fresh"),))), reset=True, seq=5)
    assert h.html() == "<p>fresh</p>"


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        '{"type":"patch","seq":1,"ops":[["bogus",1]]}',
        '{"type":"patch","seq":1,"ops":[["text",2]]}',
        '{"type":"patch","seq":1,"ops":[["create",0,null,["e",1,"script"]]]}',
        '{"type":"patch","seq":1,"ops":[["remove",0]]}',
    ],
)
def test_malformed_frames_request_a_resync(make: MakeHarness, frame: str) -> None:
    h = make()
    h.init(Create(0, None, ElementNode(1, "p", children=(TextNode(2, "x"),))))
    h.feed_text(frame)
    h.page.wait_for_function("() => window.__tw_harness.ofType('hello').length === 2")
    assert h.errors() and h.errors()[0]["code"] == "malformed_frame"
    assert h.js("() => document.querySelector('script[src=\"x\"]')") is None


def test_seq_gap_resumes_with_last_seq(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, LIST), seq=4)
    h.feed(Patch(seq=5, ops=(SetText(3, "five"),)))
    h.feed(Patch(seq=7, ops=(SetText(3, "seven"),)))
    h.page.wait_for_function("() => window.__tw_harness.ofType('hello').length === 2")
    assert h.sent("hello")[1]["last_seq"] == 5
    assert h.sent("hello")[1]["session"] == "S"
    assert h.sent("hello")[1]["token"] == "tok2"
    assert h.js(f"() => {h.node(3)}.data") == "five"


def test_error_frame_is_logged_and_dispatched(make: MakeHarness) -> None:
    h = make()
    h.init()
    h.feed(Error(code="unknown_handler", message="no such handler"))
    (error,) = h.errors()
    assert error == {"code": "unknown_handler", "message": "no such handler", "id": None, "detail": None}
    assert any("no such handler" in line for line in h.console if line.startswith("error"))


def test_ping_navigate_and_popstate(make: MakeHarness) -> None:
    h = make()
    h.init()
    h.feed(Ping(ts=12.5))
    assert h.wait_sent("pong", 1) == [{"type": "pong", "ts": 12.5}]
    h.feed(Navigate(path="/next?q=1#h"))
    assert h.js("() => location.pathname + location.search + location.hash") == "/next?q=1#h"
    assert h.sent("navigate") == []  # a host navigation is not echoed
    h.js("() => history.back()")
    (nav,) = h.wait_sent("navigate", 1)
    assert nav["path"].startswith("/page")
    h.js("() => { location.hash = 'frag'; }")
    navs = h.wait_sent("navigate", 2)
    assert navs[1]["path"].endswith("#frag")


def test_native_call_unknown_and_registered_capability(make: MakeHarness) -> None:
    h = make()
    h.init()
    h.feed(NativeCall(id=1, capability="clipboard", method="write_text", args={"text": "x"}))
    (result,) = h.wait_sent("native_result", 1)
    assert result["ok"] is False and result["error"]["code"] == "not_supported"
    h.js(
        """() => window.__tw_harness.session.registerCapability('math', {
            add: ({a, b}) => a + b,
            deny: () => { throw new DOMException('no', 'NotAllowedError'); },
            slow: () => new Promise(() => {}),
        })"""
    )
    h.feed(NativeCall(id=2, capability="math", method="add", args={"a": 2, "b": 3}))
    h.feed(NativeCall(id=3, capability="math", method="deny"))
    h.feed(NativeCall(id=4, capability="math", method="slow", timeout_ms=50))
    h.feed(NativeCall(id=5, capability="math", method="constructor"))
    results = {r["id"]: r for r in h.wait_sent("native_result", 5)}
    assert results[2] == {"type": "native_result", "id": 2, "ok": True, "value": 5}
    assert results[3]["error"]["code"] == "permission_denied"
    assert results[4]["error"]["code"] == "timeout"
    assert results[5]["error"]["code"] == "not_supported"


def test_listen_and_unlisten(make: MakeHarness) -> None:
    h = make()
    h.init(Create(0, None, ElementNode(1, "button", children=(TextNode(2, "b"),))))
    h.js(f"() => {h.node(1)}.click()")
    h.patch(Listen(1, {"click": 0}))
    h.js(f"() => {h.node(1)}.click()")
    h.patch(Unlisten(1, ("click",)))
    h.js(f"() => {h.node(1)}.click()")
    h.page.wait_for_function("() => window.__tw_harness.ofType('ack').length > 0")
    assert [e["eid"] for e in h.sent("event")] == [1]


def test_csp_watch_sees_a_real_violation(make: MakeHarness) -> None:
    h = make()
    blocked = h.js(
        """() => { try { const s = document.createElement('script'); s.textContent = '1'; return 'no'; }
                   catch (e) { return e.name; } }"""
    )
    assert blocked == "TypeError"  # Trusted Types are enforced on this page
    h.page.wait_for_function("() => window.__tw_violations.length > 0")
    h.js("() => { window.__tw_violations.length = 0; }")
