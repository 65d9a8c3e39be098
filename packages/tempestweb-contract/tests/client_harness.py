"""Python side of fixtures/harness.js: open a page, feed frames, read what the client sent."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

from tempestweb_contract import PROTOCOL_VERSION, Init, Message, Op, Patch, encode

_PAGE_IDS = itertools.count()


def page_html(body: str, *, session: str | None = None, mark: bool = False, head: str = "") -> str:
    """Build a test page: CSP watcher, ``head`` markup, a ``#tw-root`` with ``body``, the harness module."""
    attrs = f' data-tw-session="{session}" data-tw-token="tok"' if session else ""
    marker = '<script src="/fixtures/mark.js"></script>' if mark else ""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>t</title>'
        f'<script src="/fixtures/csp_watch.js"></script><style id="tw-styles"></style>{head}</head><body>'
        f'<div id="tw-root"{attrs}>{body}</div>{marker}'
        '<script type="module" src="/fixtures/harness.js"></script></body></html>'
    )


class Harness:
    """A page running the client against the in-page test transport."""

    def __init__(
        self,
        page: Any,
        server: Any,
        body: str = "",
        *,
        session: str | None = None,
        mark: bool = False,
        head: str = "",
    ):
        self.page = page
        self.console: list[str] = []
        page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: self.console.append(f"pageerror: {exc}"))
        path = f"/page{next(_PAGE_IDS)}"
        server.pages[path] = page_html(body, session=session, mark=mark, head=head)
        page.goto(server.url(path))
        page.wait_for_function("() => window.__tw_harness && window.__tw_harness.ofType('hello').length > 0")
        self.seq = 0

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def feed(self, message: Message) -> None:
        self.page.evaluate("t => window.__tw_harness.feed(t)", encode(message).decode("utf-8"))

    def feed_text(self, text: str) -> None:
        self.page.evaluate("t => window.__tw_harness.feed(t)", text)

    def init(self, *ops: Op, reset: bool = False, seq: int = 0, session: str = "S") -> None:
        self.seq = seq
        self.feed(Init(v=PROTOCOL_VERSION, session=session, seq=seq, ops=ops, reset=reset, token="tok2"))
        self.page.wait_for_function("() => document.getElementById('tw-root').dataset.twStatus === 'open'")

    def patch(self, *ops: Op, ack: int = 0) -> None:
        self.seq += 1
        self.feed(Patch(seq=self.seq, ops=ops, ack=ack))

    def patches_in_one_task(self, batches: list[tuple[Op, ...]], kind: str) -> list[dict[str, Any]]:
        """Feed one patch per item of ``batches`` (numbered on from the last) in a single page task.

        No timer of the client can fire between them, so what it sent comes from the frames
        alone. Returns the frames of ``kind`` it had sent when that task ended.
        """
        frames = []
        for ops in batches:
            self.seq += 1
            frames.append(encode(Patch(seq=self.seq, ops=ops)).decode("utf-8"))
        result: list[dict[str, Any]] = self.js(
            "async ([frames, kind]) => { for (const f of frames) window.__tw_harness.feed(f);"
            " await Promise.resolve(); return window.__tw_harness.ofType(kind); }",
            [frames, kind],
        )
        return result

    def sent(self, kind: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.js("k => window.__tw_harness.ofType(k)", kind)
        return result

    def wait_sent(self, kind: str, count: int) -> list[dict[str, Any]]:
        self.page.wait_for_function(
            "([k, n]) => window.__tw_harness.ofType(k).length >= n", arg=[kind, count]
        )
        return self.sent(kind)

    def errors(self) -> list[dict[str, str]]:
        result: list[dict[str, str]] = self.js("() => window.__tw_harness.errors")
        return result

    def violations(self) -> list[str]:
        result: list[str] = self.js("() => window.__tw_violations")
        return result

    def node(self, node_id: int) -> str:
        """A JS expression for the node with wire id ``node_id``."""
        return f"window.__tw_harness.session.dom.nodes.get({json.dumps(node_id)})"

    def html(self) -> str:
        """Serialised markup of the root's children (for assertions), built without any HTML sink."""
        result: str = self.js(
            """() => {
                const out = [];
                const walk = (n) => {
                    if (n.nodeType === 3) { out.push(n.data); return; }
                    if (n.nodeType === 8) { out.push('<!--' + n.data + '-->'); return; }
                    const attrs = Array.from(n.attributes).map(a => ` ${a.name}="${a.value}"`).join('');
                    out.push(`<${n.localName}${attrs}>`);
                    n.childNodes.forEach(walk);
                    out.push(`</${n.localName}>`);
                };
                document.getElementById('tw-root').childNodes.forEach(walk);
                return out.join('');
            }"""
        )
        return result


MakeHarness = Callable[..., Harness]
"""Fixture type: ``make(body="", *, session=None, mark=False) -> Harness``."""
