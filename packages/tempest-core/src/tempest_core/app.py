"""``App``: the view function, the initial state and the title of a tempestweb application."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from tempest_core._internal.frame import CURRENT_SESSION
from tempest_core.errors import WidgetError
from tempest_core.nodes import Node
from tempest_core.router import NoSessionError
from tempest_core.style import Style
from tempest_core.theme import COLOR_SCHEMES, DEFAULT_THEME, ColorScheme, Theme

__all__ = ["App"]

S = TypeVar("S")


class App(Generic[S]):
    """A tempestweb application; every session runs its own copy of the state.

    Args:
        view: ``view(state) -> Node``; may call hooks (it renders like a component).
        state: The initial state, or a zero-argument factory called once per session. A plain
            value is deep-copied per session so sessions never share mutable state.
        title: Document title used by hosts.
        page_style: Style of the document's ``body`` (background, font, margin...), sent to every
            session and written into prerendered pages like every other style rule.
        theme: Design tokens and the default look of the widgets (:mod:`tempest_core.theme`);
            ``None`` sends no theme rules at all (browser defaults, for apps with their own CSS).
        color_scheme: The colour scheme a session starts with: ``"system"`` follows the user's
            ``prefers-color-scheme``, ``"light"``/``"dark"`` force one. Switch a running session
            with :meth:`set_color_scheme`.

    Raises:
        WidgetError: ``view`` is not callable, ``title`` is not a ``str``, ``page_style`` is
            not a :class:`~tempest_core.style.Style`, ``theme`` is neither a
            :class:`~tempest_core.theme.Theme` nor ``None``, or ``color_scheme`` is unknown.

    Example:
        >>> from tempest_core.nodes import Text
        >>> app = App(view=lambda n: Text(str(n)), state=0)
        >>> app.title
        'tempestweb'

    """

    def __init__(
        self,
        *,
        view: Callable[[S], Node],
        state: S | Callable[[], S] | None = None,
        title: str = "tempestweb",
        page_style: Style | None = None,
        theme: Theme | None = DEFAULT_THEME,
        color_scheme: ColorScheme = "system",
    ) -> None:
        if not callable(view):
            raise WidgetError(
                f"App(view=...): expected a callable view(state) -> Node, got {type(view).__name__}"
            )
        if not isinstance(title, str):
            raise WidgetError(f"App(title=...): expected str, got {type(title).__name__} ({title!r})")
        if page_style is not None and not isinstance(page_style, Style):
            raise WidgetError(f"App(page_style=...): expected Style, got {type(page_style).__name__}")
        if theme is not None and not isinstance(theme, Theme):
            raise WidgetError(f"App(theme=...): expected Theme or None, got {type(theme).__name__}")
        if color_scheme not in COLOR_SCHEMES:
            raise WidgetError(
                f"App(color_scheme=...): expected 'system', 'light' or 'dark', got {color_scheme!r}"
            )
        self.theme = theme
        self.color_scheme: ColorScheme = color_scheme
        self.view = view
        self.title = title
        self.page_style = page_style
        self._state = state

    def initial_state(self) -> S:
        """Return a fresh initial state for a new session.

        Returns:
            ``state()`` when ``state`` is callable (a class or a factory), else a deep copy.

        """
        state = self._state
        if callable(state):
            return state()
        return cast(S, copy.deepcopy(state))

    def _session(self, api: str) -> Any:
        session = CURRENT_SESSION.get()
        if session is None:
            raise NoSessionError(
                f"App.{api} needs a running session: use it inside an event handler, an effect or the view"
            )
        if session.app is not self:
            raise NoSessionError(f"App.{api}: the current session runs another app ({session.app!r})")
        return session

    def set_state(self, fn: Callable[[S], S | None], /) -> None:
        """Replace the current session's state with ``fn(state)`` and schedule one render.

        Every ``set_state`` of the same event-loop tick coalesces into one render. When ``fn``
        returns ``None`` it mutated the state in place (``lambda s: setattr(s, "center", c)``):
        the state object stays the same and one render is scheduled all the same.

        Args:
            fn: Function from the old state to the new one, or a mutation returning ``None``.

        Raises:
            NoSessionError: Called outside a session of this app.
            WidgetError: ``fn`` is not callable.

        """
        if not callable(fn):
            raise WidgetError(
                f"App.set_state(fn): expected a function of the old state, got {type(fn).__name__}"
            )
        self._session("set_state").set_state(fn)

    def set_color_scheme(self, scheme: ColorScheme, /) -> None:
        """Switch the current session's colour scheme (``"system"``, ``"light"`` or ``"dark"``).

        The session sets :data:`~tempestweb_contract.names.ATTR_COLOR_SCHEME` on the mount
        element in the next patch; the theme's token rules select it, so the switch looks the
        same in every mode and survives a resync. The view renders again, so it can show the
        current choice through :attr:`current_color_scheme`.

        Args:
            scheme: The scheme to show from now on.

        Raises:
            NoSessionError: Called outside a session of this app.
            WidgetError: ``scheme`` is not one of ``"system"``, ``"light"``, ``"dark"``.

        """
        if scheme not in COLOR_SCHEMES:
            raise WidgetError(
                f"App.set_color_scheme(scheme): expected 'system', 'light' or 'dark', got {scheme!r}"
            )
        self._session("set_color_scheme").set_color_scheme(scheme)

    @property
    def current_color_scheme(self) -> ColorScheme:
        """The current session's colour scheme (the app's ``color_scheme`` until switched).

        Raises:
            NoSessionError: Read outside a session of this app.

        """
        return cast(ColorScheme, self._session("current_color_scheme").color_scheme)

    @property
    def state(self) -> S:
        """The current session's state.

        Raises:
            NoSessionError: Read outside a session of this app.

        """
        return cast(S, self._session("state").state)

    def __repr__(self) -> str:
        return f"App(view={getattr(self.view, '__qualname__', self.view)!r}, title={self.title!r})"
