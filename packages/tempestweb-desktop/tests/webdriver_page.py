"""A page object with the part of Playwright's sync ``Page`` the example suites use, over W3C WebDriver.

The TodoMVC behaviour checks and the jsfb keyed checks (``examples/tests/*_checks.py``) are written
against Playwright; this adapter lets them drive a desktop window through WebKitWebDriver
unchanged. Input is real: clicks, double-clicks, hovers and keystrokes are W3C actions that
WebKit dispatches as trusted events. Waits poll; a timeout raises Playwright's ``TimeoutError``
so the suites' own ``except`` clauses keep working.

Supported: ``evaluate``, ``wait_for_function``, ``wait_for_selector``, ``get_attribute``,
``locator`` (CSS plus Playwright's ``:visible``; ``nth``, ``first``, ``count``, ``click``,
``dblclick``, ``hover``, ``focus``, ``press``, ``press_sequentially``, ``select_option``,
``locator``, ``wait_for``, ``evaluate``), ``keyboard.type/press``, ``mouse.click``,
``set_viewport_size``, ``set_default_timeout``, ``goto`` (the app is already open), ``go_back``,
``go_forward``.
"""

from __future__ import annotations

import json
import time
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tempestweb_desktop.testing import ELEMENT_KEY, KEYS, WebDriverError, WebDriverSession

POLL_S = 0.025
_TYPED_KEYS = {"\n": KEYS["Enter"], "\r": KEYS["Enter"], "\t": KEYS["Tab"]}
DEFAULT_TIMEOUT_MS = 30_000

# Resolves a locator chain to its elements: each step is [css|null, nth|null, visibleOnly]; a step
# whose css is null narrows the elements found so far (Locator.nth / .first) instead of querying
# inside them.
_RESOLVE_JS = """
const visible = (el) => {
  if (!el || !el.isConnected) return false;
  if (!el.checkVisibility({visibilityProperty: true})) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};
const resolve = (steps) => {
  let scopes = [document];
  for (const [css, nth, onlyVisible] of steps) {
    let found = css === null ? scopes : scopes.flatMap((scope) => [...scope.querySelectorAll(css)]);
    if (onlyVisible) found = found.filter(visible);
    if (nth !== null) found = nth < found.length ? [found[nth]] : [];
    scopes = found;
  }
  return scopes;
};
"""


# As Playwright: scroll only when the element is not in view (a sticky table header clicked in a
# scrolled region must not scroll it); scrollIntoViewIfNeeded is WebKit's and Chromium's.
_SCROLL_INTO_VIEW_JS = """
const element = arguments[0];
if (typeof element.scrollIntoViewIfNeeded === "function") element.scrollIntoViewIfNeeded(true);
else element.scrollIntoView({block: "center"});
"""


def _function_call(source: str, *, arg_count: int) -> str:
    """A WebDriver script body calling the Playwright-style function ``source`` with the script args."""
    args = ", ".join(f"arguments[{i}]" for i in range(arg_count))
    return f"const f = ({source}); return typeof f === 'function' ? f({args}) : f;"


class Keyboard:
    """``page.keyboard``: ``type`` and ``press`` through W3C key actions."""

    def __init__(self, session: WebDriverSession) -> None:
        self._session = session

    def _actions(self, actions: list[dict[str, str]]) -> None:
        self._session.command(
            "POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}
        )
        self._session.command("DELETE", "/actions")

    def type(self, text: str) -> None:
        """Type ``text`` one key at a time."""
        actions: list[dict[str, str]] = []
        for char in text:
            key = _TYPED_KEYS.get(char, char)  # as Playwright types them: "\n" is Enter
            actions += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        if actions:
            self._actions(actions)

    def press(self, combo: str) -> None:
        """Press a key or chord in Playwright's notation (``"Enter"``, ``"Control+A"``)."""
        parts = [" " if part == "Space" else part for part in combo.split("+")]  # Playwright's name
        keys = [KEYS.get(part, part.lower() if len(part) == 1 else part) for part in parts]
        for key in keys:
            if len(key) != 1:
                raise ValueError(f"unsupported key {combo!r}")
        down = [{"type": "keyDown", "value": key} for key in keys]
        up = [{"type": "keyUp", "value": key} for key in reversed(keys)]
        self._actions(down + up)


class Mouse:
    """``page.mouse``: ``click(x, y)`` at viewport coordinates."""

    def __init__(self, session: WebDriverSession) -> None:
        self._session = session

    def click(self, x: float, y: float) -> None:
        """Move the pointer to ``(x, y)`` and click."""
        _pointer(self._session, {"origin": "viewport", "x": int(x), "y": int(y)}, clicks=1)


def _pointer(session: WebDriverSession, move: dict[str, Any], *, clicks: int) -> None:
    actions: list[dict[str, Any]] = [{"type": "pointerMove", "duration": 0, **move}]
    for _ in range(clicks):
        actions += [{"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]
    session.command(
        "POST",
        "/actions",
        {
            "actions": [
                {"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": actions}
            ]
        },
    )
    session.command("DELETE", "/actions")


class Locator:
    """A lazily resolved element query (a chain of CSS steps), as Playwright's ``Locator``."""

    def __init__(self, page: WebDriverPage, steps: list[list[Any]]) -> None:
        self._page = page
        self._steps = steps

    @staticmethod
    def _step(selector: str, nth: int | None = None) -> list[Any]:
        only_visible = selector.endswith(":visible")
        return [selector.removesuffix(":visible"), nth, only_visible]

    @staticmethod
    def _chain(selector: str) -> list[list[Any]]:
        """Steps of a selector in Playwright's chain syntax (``css >> nth=1 >> css``)."""
        steps: list[list[Any]] = []
        for part in (p.strip() for p in selector.split(">>")):
            if part.startswith("nth="):
                if not steps:
                    raise ValueError(f"selector {selector!r}: nth= needs a selector before it")
                steps[-1][1] = int(part.removeprefix("nth="))
            else:
                steps.append(Locator._step(part))
        return steps

    def locator(self, selector: str) -> Locator:
        """Return the elements matching ``selector`` inside these."""
        return Locator(self._page, [*self._steps, *self._chain(selector)])

    def nth(self, index: int) -> Locator:
        """Return the ``index``-th of the elements this locator matches.

        As Playwright: it narrows this locator's matches, so ``locator("li >> nth=2").first`` is
        the third ``li``, not the first (an explicit ``nth=`` in the chain is kept).
        """
        return Locator(self._page, [*self._steps, [None, index, False]])

    @property
    def first(self) -> Locator:
        """Return the first match."""
        return self.nth(0)

    def count(self) -> int:
        """Return the number of matches now."""
        value = self._page.session.execute(_RESOLVE_JS + "return resolve(arguments[0]).length;", self._steps)
        return int(value) if isinstance(value, (int, float)) else 0

    def _element(self, timeout_ms: float | None = None) -> dict[str, str]:
        deadline = time.monotonic() + (timeout_ms or self._page.timeout_ms) / 1000
        while True:
            value = self._page.session.execute(
                _RESOLVE_JS + "return resolve(arguments[0])[0] ?? null;", self._steps
            )
            if isinstance(value, dict) and ELEMENT_KEY in value:
                return value
            if time.monotonic() > deadline:
                raise PlaywrightTimeoutError(f"no element for {json.dumps(self._steps)}")
            time.sleep(POLL_S)

    def click(self, *, timeout: float | None = None) -> None:
        """Scroll into view if needed and click the element's centre."""
        element = self._element(timeout)
        self._page.session.execute(_SCROLL_INTO_VIEW_JS, element)
        _pointer(self._page.session, {"origin": element, "x": 0, "y": 0}, clicks=1)

    def dblclick(self, *, timeout: float | None = None) -> None:
        """Double-click the element's centre."""
        element = self._element(timeout)
        self._page.session.execute(_SCROLL_INTO_VIEW_JS, element)
        _pointer(self._page.session, {"origin": element, "x": 0, "y": 0}, clicks=2)

    def hover(self) -> None:
        """Move the pointer over the element's centre."""
        element = self._element()
        _pointer(self._page.session, {"origin": element, "x": 0, "y": 0}, clicks=0)

    def focus(self, *, timeout: float | None = None) -> None:
        """Focus the element (``HTMLElement.focus()``, as Playwright does) unless it has focus already.

        Chromium's ``focus()`` on the focused element changes nothing; WebKit's moves a date
        field's focus back to its first segment (month), so a key pressed after typing a year
        would step the month. A person's next key goes where focus is: it is left there.
        """
        self._page.session.execute(
            "if (document.activeElement !== arguments[0]) arguments[0].focus();", self._element(timeout)
        )

    def press(self, key: str, *, timeout: float | None = None) -> None:
        """Focus the element and press ``key`` (Playwright notation)."""
        self.focus(timeout=timeout)
        self._page.keyboard.press(key)

    def press_sequentially(self, text: str, *, timeout: float | None = None) -> None:
        """Focus the element and type ``text`` one key at a time."""
        self.focus(timeout=timeout)
        self._page.keyboard.type(text)

    def select_option(self, value: str | None, *, timeout: float | None = None) -> None:
        """Select the option with ``value`` (or label); fire ``input`` and ``change`` as Playwright does."""
        self._page.session.execute(
            "const [select, wanted] = arguments;"
            "const option = [...select.options].find((o) => o.value === wanted || o.label === wanted);"
            "if (!option) throw new Error('no option ' + wanted);"
            "select.value = option.value;"
            "select.dispatchEvent(new Event('input', {bubbles: true}));"
            "select.dispatchEvent(new Event('change', {bubbles: true}));",
            self._element(timeout),
            value,
        )

    def evaluate(self, source: str, arg: Any = None) -> Any:
        """Call ``source(element, arg)`` in the page."""
        return self._page.session.execute(_function_call(source, arg_count=2), self._element(), arg)

    def wait_for(self, *, state: str = "visible", timeout: float | None = None) -> None:
        """Wait until an element matches (and is visible for ``state="visible"``).

        Raises:
            ValueError: ``state`` is not ``"visible"`` or ``"attached"`` (the states supported).
            PlaywrightTimeoutError: No such element after ``timeout`` milliseconds.

        """
        if state not in ("visible", "attached"):
            raise ValueError(f"unsupported state {state!r}: 'visible' or 'attached'")
        steps = [*self._steps, [None, None, True]] if state == "visible" else self._steps
        self._page.wait_for_function(
            "(steps) => { " + _RESOLVE_JS + " return resolve(steps).length > 0; }", arg=steps, timeout=timeout
        )


class WebDriverPage:
    """The subset of ``playwright.sync_api.Page`` the example suites call, on a WebDriver session.

    Args:
        session: A session on the desktop window (the app already loaded).

    """

    def __init__(self, session: WebDriverSession) -> None:
        self.session = session
        self.keyboard = Keyboard(session)
        self.mouse = Mouse(session)
        self.timeout_ms: float = DEFAULT_TIMEOUT_MS

    def set_default_timeout(self, timeout_ms: float) -> None:
        """Set the default wait of locators, in milliseconds."""
        self.timeout_ms = timeout_ms

    def set_viewport_size(self, size: dict[str, int]) -> None:
        """Resize the window so that the page's viewport is ``size``."""
        width, height = size["width"], size["height"]
        for _ in range(3):
            inner = self.session.execute("return [window.innerWidth, window.innerHeight];")
            assert isinstance(inner, list)
            if inner == [width, height]:
                return
            rect = self.session.command("GET", "/window/rect")
            assert isinstance(rect, dict)
            self.session.command(
                "POST",
                "/window/rect",
                {"width": rect["width"] + width - inner[0], "height": rect["height"] + height - inner[1]},
            )
            self.wait_for_function(
                "(s) => window.innerWidth === s[0] && window.innerHeight === s[1]",
                arg=[width, height],
                timeout=2000,
            )

    def goto(self, url: str, **_options: object) -> None:
        """Do nothing: the desktop window opens the app itself (each test launches a fresh app)."""

    def evaluate(self, source: str, arg: Any = None) -> Any:
        """Call the JS function ``source`` with ``arg`` (or evaluate an expression) and return its value."""
        return self.session.execute(_function_call(source, arg_count=1), arg)

    def wait_for_function(
        self, source: str, *, arg: Any = None, timeout: float | None = None, polling: object = None
    ) -> Any:
        """Poll ``source(arg)`` until it returns a truthy value.

        Raises:
            PlaywrightTimeoutError: Still falsy after ``timeout`` milliseconds.

        """
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout_ms) / 1000
        script = _function_call(source, arg_count=1)
        while True:
            try:
                value = self.session.execute(script, arg)
            except WebDriverError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise PlaywrightTimeoutError(f"wait_for_function timed out: {source[:80]}")
            time.sleep(POLL_S)

    def wait_for_selector(
        self, selector: str, *, state: str = "visible", timeout: float | None = None
    ) -> None:
        """Wait until ``selector`` matches an element (a visible one for ``state="visible"``)."""
        Locator(self, Locator._chain(selector)).wait_for(state=state, timeout=timeout)

    def get_attribute(self, selector: str, name: str) -> str | None:
        """Return attribute ``name`` of the first element matching ``selector``."""
        value = self.session.execute(
            "const el = document.querySelector(arguments[0]);"
            "if (!el) throw new Error('no element ' + arguments[0]);"
            "return el.getAttribute(arguments[1]);",
            selector,
            name,
        )
        return None if value is None else str(value)

    def locator(self, selector: str) -> Locator:
        """Return a locator for a CSS selector (``:visible`` allowed at the end)."""
        return Locator(self, Locator._chain(selector))

    def go_back(self, **_options: object) -> None:
        """Traverse history back."""
        self.session.back()

    def go_forward(self, **_options: object) -> None:
        """Traverse history forward."""
        self.session.forward()
