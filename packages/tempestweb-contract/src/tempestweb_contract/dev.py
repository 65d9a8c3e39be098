"""What ``tempestweb dev`` tells the open pages, the same in every mode.

Mode A's dev server (``tempestweb dev --mode wasm``) and Mode B's (``tempestweb dev``) stream
Server-Sent Events at ``/_tw/dev/events`` (:data:`~tempestweb_contract.names.DEV_EVENTS_PATH`);
the page's ``client/src/dev.js`` listens. The events (names in
:data:`~tempestweb_contract.names.DEV_EVENT`):

- ``hello``, data the build id the server runs, sent on every (re)connect;
- ``reload``, data the new build id: the page reloads (pages that show a build, see below);
- ``update``, data the new build id: only the app's Python changed; a page that can apply it in
  place does (Mode A's bootstrap), any other showing a build reloads;
- ``stylesheets``, data ``{"build": id, "paths": ["static/app.css"]}`` (JSON): the files of these
  linked stylesheets changed (paths relative to the site root, as
  :func:`~tempestweb_contract.project.resolve_assets` names assets); the page loads each
  ``<link rel="stylesheet">`` naming one again under a new URL, keeping the old sheet until the
  new one has loaded (``client/src/stylesheets.js``), so the DOM, the session's state and what a
  person typed stay and nothing flashes.

A page "shows a build" when it names it in ``<meta name="tw-dev-build">`` (Mode A's dev builds,
Mode B's error page of a failed first render); a live Mode B page gets new Python by hot reload
over its session and only listens for ``stylesheets``. The desktop host has no event stream: it
calls ``stylesheets.js`` in each window through ``eval_js``, with the same
:func:`changed_stylesheets`.

:class:`DevEventLog` keeps the last events so that each stream sends every one, once and in
order, however late its writer wakes up (two saves in a row: the page reloads *and* restyles);
a stream that fell further behind than the log holds gets one ``reload`` instead. Each host
wraps it in its own lock and wake-up (a thread condition in Mode A's stdlib server, an asyncio
condition in Mode B's).

https://html.spec.whatwg.org/multipage/server-sent-events.html
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final, Literal

import msgspec

from tempestweb_contract.names import DEV_EVENT

__all__ = ["DEV_EVENT_LOG_LENGTH", "DevEventLog", "PublishedEvent", "changed_stylesheets", "format_event"]

PublishedEvent = Literal["reload", "update", "stylesheets"]
"""The events a dev server announces after a save (``hello`` is sent by each stream itself)."""

DEV_EVENT_LOG_LENGTH: Final = 64
"""Events :class:`DevEventLog` keeps for streams whose writer has not sent them yet."""

_STYLESHEET_SUFFIX: Final = ".css"


def changed_stylesheets(
    changed: Iterable[str | os.PathLike[str]], served: Mapping[str, Path], /
) -> list[str]:
    """Return the served stylesheets among a batch of changed files.

    Args:
        changed: Paths of the files a watcher reported (absolute, as ``watchfiles`` gives them).
        served: The page's files by URL path, e.g. ``{"static/app.css": Path(...)}`` (Mode A,
            :func:`~tempestweb_contract.project.resolve_assets`) or ``{"/static/app.css": ...}``
            (Mode B, desktop).

    Returns:
        The keys of ``served`` naming a ``.css`` file among ``changed``, sorted; ``[]`` when none.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> served = {"static/app.css": folder / "app.css", "static/logo.svg": folder / "logo.svg"}
        >>> changed_stylesheets([folder / "app.css", folder / "logo.svg", folder / "app.py"], served)
        ['static/app.css']

    """
    files = {Path(path).resolve() for path in changed if Path(path).suffix == _STYLESHEET_SUFFIX}
    if not files:
        return []
    return sorted(
        url for url, file in served.items() if file.suffix == _STYLESHEET_SUFFIX and file.resolve() in files
    )


def format_event(event: str, build: str, /, *, paths: Sequence[str] = ()) -> str:
    r"""Return one event of the dev stream as Server-Sent Events text (ending with a blank line).

    Args:
        event: A :data:`~tempestweb_contract.names.DEV_EVENT` value.
        build: The build id it carries (one non-empty line).
        paths: ``stylesheets`` only: the changed stylesheets, relative to the site root
            (``"static/app.css"``, no leading ``/``), at least one.

    Returns:
        E.g. ``"event: reload\ndata: 3f2a\n\n"``.

    Raises:
        ValueError: An unknown event, a ``build`` that is empty or spans lines, ``paths`` given
            for another event than ``stylesheets`` or missing for it, or a path that is empty,
            absolute or spans lines.

    Example:
        >>> format_event("stylesheets", "b1", paths=["static/app.css"])
        'event: stylesheets\ndata: {"build":"b1","paths":["static/app.css"]}\n\n'

    """
    if event not in DEV_EVENT.values():
        raise ValueError(f"unknown dev event {event!r}; expected one of {sorted(DEV_EVENT.values())}")
    if not build or "\n" in build or "\r" in build:
        raise ValueError(f"build id must be a non-empty single line, got {build!r}")
    if event != DEV_EVENT["STYLESHEETS"]:
        if paths:
            raise ValueError(f"only a {DEV_EVENT['STYLESHEETS']!r} event carries paths, not {event!r}")
        return f"event: {event}\ndata: {build}\n\n"
    if not paths:
        raise ValueError(f"a {event!r} event needs at least one stylesheet path")
    for path in paths:
        if not path or path.startswith("/") or "\n" in path or "\r" in path:
            raise ValueError(f"stylesheet path must be relative to the site root and one line, got {path!r}")
    data = msgspec.json.encode({"build": build, "paths": list(paths)}).decode("utf-8")
    return f"event: {event}\ndata: {data}\n\n"


class DevEventLog:
    r"""The build a dev server runs and its last announced events, as stream text.

    Not thread-safe: the host serializes calls (its lock) and wakes its streams after
    :meth:`publish`. A stream starts from :meth:`hello` and then asks :meth:`since` for what
    came after the generation it has sent.

    Args:
        build: Id of the build served now (non-empty, one line).
        length: How many events to keep (> 0); see :data:`DEV_EVENT_LOG_LENGTH`.

    Raises:
        ValueError: A bad ``build`` or ``length``.

    Example:
        >>> log = DevEventLog("b1")
        >>> generation, hello = log.hello()
        >>> hello
        'event: hello\ndata: b1\n\n'
        >>> log.publish("stylesheets", "b1", paths=["static/app.css"])
        1
        >>> generation, frames = log.since(generation)
        >>> frames
        ['event: stylesheets\ndata: {"build":"b1","paths":["static/app.css"]}\n\n']

    """

    def __init__(self, build: str, /, *, length: int = DEV_EVENT_LOG_LENGTH) -> None:
        if not isinstance(length, int) or length < 1:
            raise ValueError(f"length must be a positive number of events, got {length!r}")
        format_event(DEV_EVENT["HELLO"], build)  # validates the build id
        self._build = build
        self._generation = 0
        self._events: deque[tuple[int, str]] = deque(maxlen=length)

    @property
    def build(self) -> str:
        """Id of the build served now."""
        return self._build

    @property
    def generation(self) -> int:
        """How many events were published so far."""
        return self._generation

    def publish(self, event: PublishedEvent, build: str, /, *, paths: Sequence[str] = ()) -> int:
        """Record an event; ``build`` becomes the build served now.

        Args:
            event: ``"reload"``, ``"update"`` or ``"stylesheets"``.
            build: The build id it announces (for ``stylesheets``, the build now served, which
                is the previous one where stylesheets are served from the source files).
            paths: ``stylesheets`` only: the changed stylesheets, relative to the site root.

        Returns:
            The new generation.

        Raises:
            ValueError: As for :func:`format_event`, or ``event`` is ``hello``.

        """
        if event == DEV_EVENT["HELLO"]:
            raise ValueError("a stream sends hello itself; publish reload, update or stylesheets")
        frame = format_event(event, build, paths=paths)
        self._generation += 1
        self._build = build
        self._events.append((self._generation, frame))
        return self._generation

    def hello(self) -> tuple[int, str]:
        """Return the generation now and the ``hello`` a new stream starts with."""
        return self._generation, format_event(DEV_EVENT["HELLO"], self._build)

    def since(self, generation: int, /) -> tuple[int, list[str]]:
        """Return the events after ``generation``, in order, and the generation they reach.

        Args:
            generation: The last generation the stream has sent.

        Returns:
            ``(generation now, frames)``: no frame when nothing is new; a single ``reload`` of
            the build served now when some of the events were already dropped from the log.

        """
        if generation >= self._generation:
            return self._generation, []
        if not self._events or self._events[0][0] > generation + 1:
            return self._generation, [format_event(DEV_EVENT["RELOAD"], self._build)]
        return self._generation, [frame for number, frame in self._events if number > generation]
