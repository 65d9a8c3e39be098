"""``tempestweb_contract.dev``: the dev event stream's text, its log, and which saves are stylesheets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tempestweb_contract.dev import DevEventLog, changed_stylesheets, format_event
from tempestweb_contract.names import DEV_EVENT


def _data(frame: str) -> str:
    lines = dict(line.split(": ", 1) for line in frame.strip("\n").split("\n"))
    return lines["data"]


def test_changed_stylesheets_maps_saved_files_to_their_served_paths(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    css, other, logo = (tmp_path / "static" / name for name in ("app.css", "other.css", "logo.svg"))
    served = {"/static/app.css": css, "/static/other.css": other, "/static/logo.svg": logo}
    assert changed_stylesheets([str(css), str(logo), str(tmp_path / "app.py")], served) == ["/static/app.css"]
    # The watcher's path and the served path may differ in spelling (a symlinked folder).
    (tmp_path / "link").symlink_to(tmp_path / "static")
    assert changed_stylesheets([tmp_path / "link" / "other.css", css], served) == [
        "/static/app.css",
        "/static/other.css",
    ]
    assert changed_stylesheets([tmp_path / "unserved.css"], served) == []
    assert changed_stylesheets([], served) == []


def test_format_event_is_one_sse_event_per_kind() -> None:
    assert format_event("reload", "b2") == "event: reload\ndata: b2\n\n"
    assert format_event("update", "b3") == "event: update\ndata: b3\n\n"
    frame = format_event("stylesheets", "b3", paths=["static/app.css", "css/x y.css"])
    assert frame.startswith("event: stylesheets\ndata: {") and frame.endswith("}\n\n")
    assert json.loads(_data(frame)) == {"build": "b3", "paths": ["static/app.css", "css/x y.css"]}
    assert set(DEV_EVENT.values()) == {"hello", "reload", "update", "stylesheets"}


@pytest.mark.parametrize(
    ("event", "build", "paths", "message"),
    [
        ("restyle", "b", (), "unknown dev event 'restyle'"),
        ("reload", "", (), "non-empty single line"),
        ("reload", "a\nb", (), "non-empty single line"),
        ("reload", "b", ("static/app.css",), "only a 'stylesheets' event carries paths"),
        ("stylesheets", "b", (), "at least one stylesheet path"),
        ("stylesheets", "b", ("/static/app.css",), "relative to the site root"),
        ("stylesheets", "b", ("",), "relative to the site root"),
        ("stylesheets", "b", ("a.css\ndata: x",), "relative to the site root"),
    ],
)
def test_format_event_rejects_bad_input(event: str, build: str, paths: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        format_event(event, build, paths=paths)


def test_log_sends_every_event_once_and_in_order() -> None:
    log = DevEventLog("b1")
    generation, hello = log.hello()
    assert (generation, hello) == (0, "event: hello\ndata: b1\n\n")
    assert log.since(generation) == (0, [])
    log.publish("reload", "b2")  # two saves before the stream's writer wakes up
    log.publish("stylesheets", "b2", paths=["static/app.css"])
    generation, frames = log.since(generation)
    assert generation == 2 and log.build == "b2"
    assert frames == [
        format_event("reload", "b2"),
        format_event("stylesheets", "b2", paths=["static/app.css"]),
    ]
    assert log.since(generation) == (2, [])
    assert log.hello() == (2, "event: hello\ndata: b2\n\n")  # a new stream starts from here


def test_log_sends_a_reload_to_a_stream_that_fell_behind() -> None:
    log = DevEventLog("b0", length=2)
    for number in range(1, 4):
        log.publish("update", f"b{number}")
    assert log.since(0) == (3, [format_event("reload", "b3")])  # event 1 was dropped
    assert log.since(1) == (3, [format_event("update", "b2"), format_event("update", "b3")])


def test_log_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="non-empty single line"):
        DevEventLog("")
    with pytest.raises(ValueError, match="positive number of events"):
        DevEventLog("b", length=0)
    log = DevEventLog("b")
    with pytest.raises(ValueError, match="sends hello itself"):
        log.publish("hello", "b")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        log.publish("stylesheets", "b")
    assert log.generation == 0  # nothing recorded
