"""Reports of failures in app code: an error id and a traceback that shows the app's frames first.

Every failure of app code (a handler, the view, an effect, a hot reload) is logged once, with its
traceback and an error id; the host sends the id to the page (and, when it shows error details,
the traceback from :func:`format_detail`), so what a person sees can be found in the log.
"""

from __future__ import annotations

import os
import secrets
import sys
import sysconfig
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Final

__all__ = [
    "ERROR_ID_BYTES",
    "clip_detail",
    "describe_function",
    "format_detail",
    "new_error_id",
    "too_deep_to_update",
]

ERROR_ID_BYTES: Final = 4
"""Random bytes of an error id (8 hex characters: enough to find one line in a day of logs)."""

_FRAMEWORK_MODULES: Final = (
    "tempest_core",
    "tempestweb_contract",
    "tempestweb_server",
    "tempestweb_wasm",
    "tempestweb_desktop",
    "tempestweb_cli",
    "tempestweb.native",
)
"""Packages whose frames are not the app's (only those already imported are looked up)."""


def new_error_id() -> str:
    """Return a new error id, e.g. ``"3f9c2a71"`` (random, lower-case hex)."""
    return secrets.token_hex(ERROR_ID_BYTES)


def _library_dirs() -> tuple[str, ...]:
    dirs = {sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    for name in _FRAMEWORK_MODULES:
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        if file:
            dirs.add(str(Path(file).parent))
    return tuple(os.path.join(d, "") for d in dirs if d)


def describe_function(fn: Callable[..., object], /) -> str:
    """Name an app function the way its author wrote it, with the file and line it starts on.

    Args:
        fn: A view function, component or handler (decorated wrappers are unwrapped through
            ``__wrapped__``).

    Returns:
        E.g. ``"'view' (app.py:12)"``: the qualified name quoted, then the path relative to the
        working directory when under it (else absolute) and its first line (the decorator's, if
        any). Callables without code (a builtin, a ``functools.partial``) give their name or
        ``repr`` alone.

    """
    inner: object = fn
    while (wrapped := getattr(inner, "__wrapped__", None)) is not None:
        inner = wrapped
    name = getattr(inner, "__qualname__", None) or repr(inner)
    code = getattr(inner, "__code__", None)
    if code is None:
        return repr(name)
    return f"{name!r} ({_shown_path(code.co_filename)}:{code.co_firstlineno})"


def _is_app_frame(filename: str, library: tuple[str, ...]) -> bool:
    return not filename.startswith("<") and not filename.startswith(library)


def _shown_path(filename: str) -> str:
    try:
        relative = os.path.relpath(filename)
    except ValueError:  # another drive (Windows)
        return filename
    return filename if relative.startswith("..") else relative


def _app_places(exc: BaseException, library: tuple[str, ...]) -> list[traceback.FrameSummary]:
    """The app's frames of ``exc``, outermost first, through the exceptions tempestweb wrapped.

    An exception raised by tempestweb's own code (or a library's) from another one (its
    ``__cause__``, or the ``__context__`` it was raised while handling) wraps it: the app's frames
    are in that one, deeper in the stack, so they follow. The walk stops at an exception raised
    in the app's own code. A ``SyntaxError`` in an app file adds its ``filename:lineno``: no frame
    of that file ran.
    """
    places: list[traceback.FrameSummary] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        places.extend(frame for frame in frames if _is_app_frame(frame.filename, library))
        if isinstance(current, SyntaxError) and current.filename and current.lineno:
            where = current.filename
            if _is_app_frame(where, library):
                line = current.text or ""
                places.append(traceback.FrameSummary(where, current.lineno, "", lookup_line=False, line=line))
        if frames and _is_app_frame(frames[-1].filename, library):
            break  # the app raised it: what it was handling is its own business
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return places


def format_detail(exc: BaseException, /) -> str:
    """Format ``exc`` for a developer: the app's frames first (``file:line``), then the traceback.

    Frames of the standard library, of installed libraries and of tempestweb's own packages are
    not the app's. When tempestweb's code raised ``exc`` from an exception of the app's (a failed
    import: ``raise AppLoadError(...) from exc``), the app's frames of that one follow; a
    ``SyntaxError`` in an app file shows as its ``filename:lineno``. When no frame is the app's,
    the innermost frame is shown in their place.

    Args:
        exc: A raised exception (with its ``__traceback__``).

    Returns:
        Text: ``ValueError: boom``, a blank line, ``Your code (most recent call last):`` with one
        ``path:line in function`` line (``path:line`` for a syntax error) and the source line per
        app frame, then ``Traceback`` as Python prints it (chained exceptions included).

    """
    library = _library_dirs()
    mine = _app_places(exc, library) or traceback.extract_tb(exc.__traceback__)[-1:]
    lines = [*traceback.format_exception_only(type(exc), exc)]
    if mine:
        lines.append("\nYour code (most recent call last):\n")
        for frame in mine:
            where = f"{_shown_path(frame.filename)}:{frame.lineno}"
            lines.append(f"  {where} in {frame.name}\n" if frame.name else f"  {where}\n")
            if frame.line:
                lines.append(f"    {frame.line.strip()}\n")
    lines.append("\n")
    lines.extend(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return "".join(lines).rstrip("\n")


_INTERNAL_DIR: Final = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
"""This package's folder: a frame here is the reconciler's (or another internal) own."""
KEPT_FRAMES: Final = 24
"""Frames kept at each end of a :func:`too_deep_to_update` traceback."""


def too_deep_to_update(exc: BaseException, /) -> str:
    """Explain a ``RecursionError`` of the reconciler's own recursion, and shorten its traceback.

    The reconciler follows the tree of elements recursively, a few Python frames per level, so
    a view nested a few hundred levels deep (grown by updates: one update creates at most
    ``MAX_DEPTH`` levels) exceeds ``sys.getrecursionlimit()`` there. Its traceback then holds
    about a thousand frames of the same three functions, logged on every render. When the
    innermost frame of ``exc`` is in ``tempest_core._internal``, the traceback is cut to its
    first and last :data:`KEPT_FRAMES` frames (``tb_next`` relinked; the app's frames, which
    come first, stay).

    Args:
        exc: The exception a render raised.

    Returns:
        A sentence to append to the error's message (``"; ..."``), or ``""`` when ``exc`` is
        not such a ``RecursionError`` (a view that recursed without end in its own code, say).

    """
    if not isinstance(exc, RecursionError) or exc.__traceback__ is None:
        return ""
    tbs: list[TracebackType] = []
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        tbs.append(tb)
        tb = tb.tb_next
    if not tbs[-1].tb_frame.f_code.co_filename.startswith(_INTERNAL_DIR):
        return ""
    if len(tbs) > 2 * KEPT_FRAMES:
        tbs[KEPT_FRAMES - 1].tb_next = tbs[-KEPT_FRAMES]
    limit = sys.getrecursionlimit()
    return f"; elements nested too deep to update (recursion limit {limit} frames): make the tree flatter"


def clip_detail(text: str, limit: int, /) -> str:
    """Return ``text`` cut to at most ``limit`` characters, keeping its start and its end.

    Args:
        text: A formatted traceback.
        limit: Most characters kept, >= 16.

    Returns:
        ``text`` itself when short enough, else its head and tail around a ``[...]`` line.

    """
    if len(text) <= limit:
        return text
    cut = "\n[...]\n"
    head = (limit - len(cut)) // 2
    tail = limit - len(cut) - head
    return text[:head] + cut + text[len(text) - tail :]
