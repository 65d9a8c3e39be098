"""Router: the session's location, navigation, and path patterns mapped to views.

The location is ``pathname + search + hash`` as the client reports it (the WHATWG URL parts,
https://url.spec.whatwg.org/#api). Path routes (``/users/{id}``) and hash routes (TodoMVC's
``#/active``) both read :func:`use_location`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from tempest_core._internal.frame import CURRENT_SESSION, current_frame
from tempest_core.errors import TempestError
from tempest_core.nodes import Node
from tempestweb_contract.constants import MAX_LOCATION_CHARS

__all__ = [
    "Location",
    "NoSessionError",
    "RouteView",
    "match_route",
    "navigate",
    "parse_location",
    "routes",
    "use_location",
    "use_navigate",
]

RouteView = Callable[..., Node]
"""A route's view: called with the pattern's parameters as keyword ``str`` arguments."""


class NoSessionError(TempestError, RuntimeError):
    """An API that needs the current session was used outside one (outside a handler/render)."""


@dataclass(frozen=True)
class Location:
    """Where the session is.

    Attributes:
        path: The pathname, always starting with ``/`` (e.g. ``"/users/7"``).
        query: Query parameters (first value of each name), e.g. ``{"q": "x"}``.
        hash: The fragment including ``#`` (``"#/active"``), or ``""``.
        search: The raw query string including ``?``, or ``""``.

    """

    path: str = "/"
    query: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    hash: str = ""
    search: str = ""

    @property
    def href(self) -> str:
        """``path + search + hash``, the form ``navigate`` and the wire use."""
        return f"{self.path}{self.search}{self.hash}"


_C0_CONTROL_OR_SPACE: Final = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE: Final = str.maketrans("", "", "\t\n\r")


def _as_browsers_read(href: str) -> str:
    r"""``href`` as the WHATWG URL parser sees it before its states run, ``\`` read as ``/``.

    https://url.spec.whatwg.org/#concept-basic-url-parser (the input's leading and trailing C0
    control or space stripped, ASCII tab or newline removed) and
    https://url.spec.whatwg.org/#relative-slash-state (a ``\`` is a ``/`` for a special scheme).
    """
    return href.strip(_C0_CONTROL_OR_SPACE).translate(_TAB_OR_NEWLINE).replace("\\", "/")


def parse_location(href: str) -> Location:
    """Parse ``pathname + search + hash`` into a :class:`Location`.

    Args:
        href: e.g. ``"/users/7?tab=posts#top"``; a relative or empty path becomes ``/...``.

    Returns:
        The parsed location.

    Raises:
        ValueError: ``href`` is longer than ``MAX_LOCATION_CHARS`` (a session keeps copies of
            it), is not a ``str``, or carries a scheme or host (only same-document locations are
            allowed), also as a browser reads it (a backslash is a slash there, so ``/`` +
            backslash + ``evil.example`` names the host ``evil.example``:
            https://url.spec.whatwg.org/#relative-slash-state).

    """
    if not isinstance(href, str):
        raise ValueError(f"location must be a str, got {type(href).__name__}")
    if len(href) > MAX_LOCATION_CHARS:  # a session keeps copies of it: bounded in bytes
        raise ValueError(f"location is longer than {MAX_LOCATION_CHARS} characters ({len(href)})")
    parts = urlsplit(href)
    # The browser resolves the location with the WHATWG URL parser: it strips leading and
    # trailing C0 controls and spaces, removes every tab and newline, and reads a "\\" as a "/"
    # in an http(s) URL; then two slashes at the start begin a host, however many follow
    # ("///evil.example" and "/\\evil.example" both name evil.example).
    if parts.scheme or _as_browsers_read(href).startswith("//"):
        raise ValueError(f"location must be a path (no scheme or host): {href!r}")
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    search = f"?{parts.query}" if parts.query else ""
    hash_ = f"#{parts.fragment}" if parts.fragment else ""
    query: dict[str, str] = {}
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(k, v)
    return Location(path, MappingProxyType(query), hash_, search)


def _session(api: str) -> object:
    session = CURRENT_SESSION.get()
    if session is None:
        raise NoSessionError(
            f"{api} needs a running session: call it from an event handler, an effect or a view"
        )
    return session


def navigate(path: str, *, replace: bool = False) -> None:
    """Go to ``path`` in the current session: re-render and tell the client to push history.

    Args:
        path: ``pathname + search + hash``, e.g. ``"/users/7"`` or ``"#/active"`` (a bare hash
            keeps the current path).
        replace: ``history.replaceState`` instead of ``pushState``.

    Raises:
        NoSessionError: Called outside a session.
        ValueError: ``path`` is not a same-document location.

    """
    _session("navigate()").push_location(path, replace)  # type: ignore[attr-defined]


def use_location() -> Location:
    """Return the session's location; the calling component re-renders when it changes.

    Returns:
        The current :class:`Location`.

    Raises:
        HookError: Called outside a render.

    """
    frame = current_frame("use_location")
    session = frame.owner.session
    if not frame.subscribed:
        frame.subscribed = True
        session.subscribers.add(frame)
    return session.location


def use_navigate() -> Callable[..., None]:
    """Return :func:`navigate` bound to the rendering component's session.

    Returns:
        ``go(path, *, replace=False)``, callable from handlers and effects.

    Raises:
        HookError: Called outside a render.

    """
    session = current_frame("use_navigate").owner.session

    def go(path: str, *, replace: bool = False) -> None:
        session.push_location(path, replace)

    return go


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    if not pattern.startswith("/"):
        raise ValueError(f"route pattern must start with '/': {pattern!r}")
    out = []
    pos = 0
    for m in re.finditer(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::(path))?\}", pattern):
        out.append(re.escape(pattern[pos : m.start()]))
        out.append(f"(?P<{m.group(1)}>.+)" if m.group(2) else f"(?P<{m.group(1)}>[^/]+)")
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("".join(out) + "/?")


def match_route(pattern: str, path: str) -> dict[str, str] | None:
    """Match ``path`` against ``pattern`` (``/users/{id}``, ``/files/{rest:path}``).

    Args:
        pattern: Literal segments and ``{name}`` (one segment) or ``{name:path}`` (the rest).
        path: A pathname (no query, no hash); a trailing ``/`` is ignored.

    Returns:
        The parameters by name, or ``None`` when it does not match.

    Raises:
        ValueError: ``pattern`` does not start with ``/``.

    """
    m = _compile(pattern).fullmatch(path)
    return None if m is None else m.groupdict()


def routes(table: Mapping[str, RouteView], *, fallback: RouteView | None = None, hash: bool = False) -> Node:
    """Render the view of the first pattern matching the current location (call in a view).

    Args:
        table: Pattern -> view, tried in order; the view gets the parameters as keywords.
        fallback: View for no match (called with no arguments).
        hash: Route on the hash (``#/active`` is matched as ``/active``) instead of the path.

    Returns:
        The matched view's node.

    Raises:
        HookError: Called outside a render.
        LookupError: Nothing matches and there is no ``fallback``.

    """
    loc = use_location()
    target = (loc.hash[1:] or "/") if hash else loc.path
    for pattern, view in table.items():
        params = match_route(pattern, target)
        if params is not None:
            return view(**params)
    if fallback is None:
        raise LookupError(f"no route matches {target!r} and no fallback was given")
    return fallback()
