"""Browser tests of client/src/upload.js against the in-page test transport: the tw-upload
events a drop zone sends (their payload is the CustomEvent's detail), the page-side size and
``accept`` checks, the picker button, and the typed ``not_supported`` error of a desktop window
(IPC transport: no path carries file bytes)."""

from __future__ import annotations

from typing import Any

import pytest
from client_harness import Harness, MakeHarness

from tempestweb_contract import Create, ElementNode, TextNode
from tempestweb_contract.constants import MAX_ERROR_MESSAGE_CHARS
from tempestweb_contract.names import (
    ATTR_TRANSPORT,
    ATTR_UPLOAD,
    ATTR_UPLOAD_MAX,
    ATTR_UPLOAD_PICK,
    EVENT_UPLOAD,
    UPLOAD_ERROR,
    UPLOAD_PHASE,
)

pytestmark = pytest.mark.browser


def _zone(h: Harness, *, accept: str = ".txt,image/*", max_bytes: int = 10) -> None:
    h.init(
        Create(
            0,
            None,
            ElementNode(
                1,
                "div",
                {"id": "zone", ATTR_UPLOAD: "", ATTR_UPLOAD_MAX: str(max_bytes)},
                events={EVENT_UPLOAD: 0},
                children=(
                    ElementNode(
                        2, "input", {"id": "files", "type": "file", "accept": accept, "multiple": ""}
                    ),
                    ElementNode(
                        3,
                        "button",
                        {"id": "pick", "type": "button", ATTR_UPLOAD_PICK: ""},
                        children=(TextNode(4, "Choose"),),
                    ),
                ),
            ),
        )
    )


def _uploads(h: Harness, count: int) -> list[dict[str, Any]]:
    events = [e for e in h.wait_sent("event", count) if e["name"] == EVENT_UPLOAD]
    assert all(e["node"] == 1 for e in events)
    return [e["data"] for e in events]


def test_refused_files_are_errors_without_bytes_sent(make: MakeHarness) -> None:
    h = make()
    _zone(h)
    h.page.set_input_files(
        "#files",
        [
            {"name": "big.txt", "mimeType": "text/plain", "buffer": b"x" * 11},
            {"name": "doc.pdf", "mimeType": "application/pdf", "buffer": b"%PDF"},
        ],
    )
    data = _uploads(h, 4)
    by_name: dict[str, list[dict[str, Any]]] = {}
    for item in data:
        by_name.setdefault(item["name"], []).append(item)
    big, pdf = by_name["big.txt"], by_name["doc.pdf"]
    assert [d["phase"] for d in big] == [UPLOAD_PHASE["PROGRESS"], UPLOAD_PHASE["ERROR"]]
    assert big[0] == {
        "id": big[0]["id"],
        "phase": "progress",
        "name": "big.txt",
        "size": 11,
        "type": "text/plain",
        "loaded": 0,
    }
    assert (
        big[1]["code"] == UPLOAD_ERROR["TOO_LARGE"]
        and big[1]["message"] == "the file is larger than 10 bytes"
    )
    assert pdf[1]["code"] == UPLOAD_ERROR["NOT_ACCEPTED"]
    assert big[0]["id"] == big[1]["id"] != pdf[0]["id"]
    assert h.js("() => document.getElementById('files').value") == ""  # the same file can be chosen again


def test_desktop_window_has_no_path_for_the_bytes(make: MakeHarness) -> None:
    h = make()
    _zone(h)
    h.js(f"() => document.getElementById('tw-root').setAttribute('{ATTR_TRANSPORT}', 'ipc')")
    h.page.set_input_files("#files", {"name": "a.txt", "mimeType": "text/plain", "buffer": b"hi"})
    progress, error = _uploads(h, 2)
    assert progress["phase"] == "progress"
    assert error["phase"] == "error" and error["code"] == UPLOAD_ERROR["NOT_SUPPORTED"]
    assert "desktop window" in error["message"]


def test_pick_button_opens_the_file_chooser(make: MakeHarness) -> None:
    h = make()
    _zone(h)
    with h.page.expect_file_chooser() as chooser:
        h.page.click("#pick")
    assert chooser.value.element.get_attribute("id") == "files"
    assert chooser.value.is_multiple()


def test_dropped_files_are_taken_and_dragover_is_marked(make: MakeHarness) -> None:
    h = make()
    _zone(h)
    transfer = h.page.evaluate_handle(
        """() => {
            const dt = new DataTransfer();
            dt.items.add(new File(["12345678901"], "d.txt", { type: "text/plain" }));
            return dt;
        }"""
    )
    h.page.dispatch_event("#zone", "dragover", {"dataTransfer": transfer})
    assert h.js("() => document.getElementById('zone').hasAttribute('data-tw-dragover')") is True
    h.page.dispatch_event("#zone", "drop", {"dataTransfer": transfer})
    progress, error = _uploads(h, 2)
    assert progress["name"] == "d.txt" and error["code"] == "too_large"
    assert h.js("() => document.getElementById('zone').hasAttribute('data-tw-dragover')") is False


def test_long_messages_are_clipped_to_what_the_host_accepts(make: MakeHarness) -> None:
    h = make()
    _zone(h, accept=".txt")
    name = "n" * 400 + ".pdf"
    h.page.set_input_files("#files", {"name": name, "mimeType": "application/pdf", "buffer": b"%PDF"})
    _progress, error = _uploads(h, 2)
    assert error["code"] == UPLOAD_ERROR["NOT_ACCEPTED"]
    assert len(error["message"]) == MAX_ERROR_MESSAGE_CHARS
