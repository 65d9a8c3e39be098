"""Accessibility checks in a real page: axe-core plus a text contrast sweep (reusable by any suite).

axe-core comes from npm, pinned in ``client/package.json`` (``npm ci --prefix client`` installs
it; ``nox -s e2e`` does so). :func:`run_axe` injects ``axe.min.js`` into a Playwright page and
runs it with the WCAG 2.x A/AA and best-practice rules (https://github.com/dequelabs/axe-core,
API: ``axe.run``). :func:`low_contrast_text` checks every visible text node's colour against the
first opaque background behind it (WCAG 2.2 relative luminance) with one threshold, 4.5:1, for
all text sizes (stricter than WCAG's 3:1 for large text).

Pages under a Content-Security-Policy (every tempestweb page) need a context created with
``bypass_csp=True`` (see :func:`a11y_context_options`) for the injected script to run.

Example::

    context = browser.new_context(**a11y_context_options("dark"))
    page = context.new_page()
    page.goto(url)
    report = run_axe(page)
    assert not report.blocking(), report.describe()
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from playwright.sync_api import Page

__all__ = [
    "AXE_JS",
    "AxeReport",
    "AxeViolation",
    "BLOCKING_IMPACTS",
    "MIN_TEXT_CONTRAST",
    "a11y_context_options",
    "low_contrast_text",
    "run_axe",
]

AXE_JS: Final = Path(__file__).resolve().parents[2] / "client" / "node_modules" / "axe-core" / "axe.min.js"
"""``axe.min.js`` of the axe-core version pinned in ``client/package.json``."""

AXE_TAGS: Final = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
"""axe rule tags run: WCAG 2.0/2.1/2.2 levels A and AA, and Deque's best practices."""

BLOCKING_IMPACTS: Final = frozenset({"serious", "critical"})
"""Violation impacts a test fails on."""

MIN_TEXT_CONTRAST: Final = 4.5
"""Lowest contrast ratio accepted for any text (WCAG 2.2 SC 1.4.3 AA, normal-size text)."""


@dataclass(frozen=True)
class AxeViolation:
    """One failed axe rule: its id, impact, help text and the CSS targets of the failing nodes."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class AxeReport:
    """The violations of one axe run and the axe-core version that produced them."""

    version: str
    violations: tuple[AxeViolation, ...]

    def blocking(self) -> tuple[AxeViolation, ...]:
        """Return the serious and critical violations."""
        return tuple(v for v in self.violations if v.impact in BLOCKING_IMPACTS)

    def describe(self) -> str:
        """Return a readable list of every violation (for an assertion message)."""
        lines = [f"axe-core {self.version}: {len(self.violations)} violation(s)"]
        for v in self.violations:
            lines.append(f"- [{v.impact}] {v.rule}: {v.help}")
            lines.extend(f"    {t}" for t in v.targets[:8])
            if v.summary:
                lines.append("    " + v.summary.replace("\n", "\n    ")[:600])
        return "\n".join(lines)


def a11y_context_options(color_scheme: Literal["light", "dark"]) -> dict[str, Any]:
    """Return ``browser.new_context`` options for an accessibility run in ``color_scheme``.

    ``prefers-color-scheme`` is emulated (Media Queries Level 5); ``bypass_csp`` lets the
    injected axe script run under the page's Content-Security-Policy.
    """
    return {
        "viewport": {"width": 1000, "height": 900},
        "color_scheme": color_scheme,
        "bypass_csp": True,
        "reduced_motion": "reduce",
    }


def _inject(page: Page) -> str:
    if not AXE_JS.is_file():
        raise FileNotFoundError(
            f"{AXE_JS} is missing: install the client's npm dev tools with `npm ci --prefix client`"
        )
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    return str(page.evaluate("() => window.axe.version"))


_RUN = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact || "minor",
    help: v.help,
    targets: v.nodes.map((n) => JSON.stringify(n.target)),
    summary: v.nodes.map((n) => n.failureSummary || "").slice(0, 3).join("\\n"),
  }));
}"""


def run_axe(page: Page, *, tags: tuple[str, ...] = AXE_TAGS) -> AxeReport:
    """Run axe-core on the whole document of ``page``.

    Args:
        page: A loaded page (its context created with :func:`a11y_context_options` when the page
            has a CSP).
        tags: The axe rule tags to run.

    Returns:
        The violations (every impact; see :meth:`AxeReport.blocking`).

    Raises:
        FileNotFoundError: ``axe.min.js`` is not installed.

    """
    version = _inject(page)
    raw = page.evaluate(_RUN, list(tags))
    violations = tuple(
        AxeViolation(v["rule"], v["impact"], v["help"], tuple(v["targets"]), v["summary"]) for v in raw
    )
    return AxeReport(version, violations)


_CONTRAST = """(minimum) => {
  const parse = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const lum = (c) => {
    const ch = [c.r, c.g, c.b].map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== "none") return null;  // a gradient or image: not decidable here
      const c = parse(style.backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let base = { r: 255, g: 255, b: 255, a: 1 };
    const canvas = parse(getComputedStyle(document.documentElement).backgroundColor);
    if (canvas && canvas.a > 0) base = canvas;
    else if (matchMedia("(prefers-color-scheme: dark)").matches &&
             getComputedStyle(document.documentElement).colorScheme.includes("dark")) {
      base = { r: 18, g: 18, b: 18, a: 1 };  // Chromium's dark canvas
    }
    for (let i = layers.length - 1; i >= 0; i--) base = over(layers[i], base);
    return base;
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.textContent.trim()) continue;
    const el = t.parentElement;
    if (!el || el.closest("[aria-hidden=true], [hidden], option, script, style")) continue;
    if (el.closest(":disabled, [aria-disabled=true]")) continue;  // WCAG 1.4.3 exempts inactive components
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility !== "visible" || box.width <= 1 || box.height <= 1) continue;
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
    if (opacity === 0) continue;
    const bg = background(el);
    if (!bg) continue;
    let fg = parse(style.color);
    if (!fg) continue;
    fg = over({ ...fg, a: fg.a * opacity }, bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < minimum) {
      failures.push({ text: t.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100,
        color: style.color, tag: el.tagName.toLowerCase(), cls: el.getAttribute("class") || "" });
    }
  }
  // Placeholders are text too (WCAG 1.4.3): each shown one against its field's background.
  const fields = "input[placeholder]:placeholder-shown, textarea[placeholder]:placeholder-shown";
  for (const el of document.querySelectorAll(fields)) {
    if (el.closest("[aria-hidden=true], [hidden], :disabled") || !el.placeholder.trim()) continue;
    const box = el.getBoundingClientRect();
    if (getComputedStyle(el).visibility !== "visible" || box.width <= 1 || box.height <= 1) continue;
    const bg = background(el);
    const color = getComputedStyle(el, "::placeholder").color;
    let fg = parse(color);
    if (!bg || !fg) continue;
    fg = over(fg, bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < minimum) {
      failures.push({ text: el.placeholder.slice(0, 40), ratio: Math.round(ratio * 100) / 100,
        color, tag: el.tagName.toLowerCase() + "::placeholder", cls: el.getAttribute("class") || "" });
    }
  }
  return failures;
}"""


def low_contrast_text(page: Page, *, minimum: float = MIN_TEXT_CONTRAST) -> list[dict[str, object]]:
    """Return every visible text run whose contrast with its background is below ``minimum``.

    Shown placeholders (``::placeholder`` of an empty ``input``/``textarea``) are checked against
    their field's background too (``tag`` ends in ``::placeholder``). Text over a background image
    or gradient is skipped (axe's ``color-contrast`` reports it as needing review); hidden,
    ``aria-hidden`` and disabled (``:disabled``, ``aria-disabled="true"``) text is exempt, as in
    WCAG 1.4.3.

    Args:
        page: A loaded page.
        minimum: The lowest acceptable ratio.

    Returns:
        ``{"text", "ratio", "color", "tag", "cls"}`` per failing text run; empty when all pass.

    """
    failures: list[dict[str, object]] = page.evaluate(_CONTRAST, minimum)
    return failures


def describe_contrast(failures: list[dict[str, object]]) -> str:
    """Return the failures of :func:`low_contrast_text` as readable lines."""
    return "\n".join(json.dumps(f) for f in failures[:20])
