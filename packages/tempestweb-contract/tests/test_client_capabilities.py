"""Capability modules linked in the page's head answer native_call by name (client/src/capabilities.js)."""

from __future__ import annotations

from client_harness import MakeHarness

from tempestweb_contract import NativeCall
from tempestweb_contract.plugins import CAPABILITY_ATTR

LINK = f'<link rel="modulepreload" href="/fixtures/echo_capability.js" {CAPABILITY_ATTR}="echo">'


def test_a_linked_module_answers_native_calls_with_its_exported_functions(make: MakeHarness) -> None:
    h = make(head=LINK)
    h.init()
    h.feed(NativeCall(id=1, capability="echo", method="echo", args={"a": [1, "x"]}))
    h.feed(NativeCall(id=2, capability="echo", method="quota"))
    h.feed(NativeCall(id=3, capability="echo", method="notAMethod"))
    h.feed(NativeCall(id=4, capability="echo", method="missing"))
    results = {r["id"]: r for r in h.wait_sent("native_result", 4)}
    assert results[1] == {"type": "native_result", "id": 1, "ok": True, "value": {"a": [1, "x"]}}
    assert results[2]["error"]["code"] == "quota_exceeded"
    assert results[3]["error"]["code"] == "not_supported"
    assert results[4]["error"]["code"] == "not_supported"


def test_only_same_origin_links_in_head_count(make: MakeHarness) -> None:
    # no rel: the browser fetches nothing (a cross-origin modulepreload would be a CSP violation)
    foreign = f'<link href="http://localhost:9/evil.js" {CAPABILITY_ATTR}="evil">'
    in_body = f'<link rel="modulepreload" href="/fixtures/echo_capability.js" {CAPABILITY_ATTR}="body">'
    h = make(in_body, head=foreign)
    h.init()
    h.feed(NativeCall(id=1, capability="evil", method="echo"))
    h.feed(NativeCall(id=2, capability="body", method="echo"))
    results = {r["id"]: r for r in h.wait_sent("native_result", 2)}
    assert results[1]["error"]["code"] == "not_supported"
    assert results[2]["error"]["code"] == "not_supported"
