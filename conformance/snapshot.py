"""DOM snapshots: the in-page serializer, the normalized text form, golden files and the comparer.

Normalization (what a snapshot keeps and drops):

- elements: tag (lower case, ``svg:`` prefix in the SVG namespace), attributes sorted by name;
  ``data-tw*`` attributes (hydration markers, client bookkeeping) are dropped;
- ``class``: tokens kept in document order; a generated style class ``tw-<10 hex>`` is replaced by
  ``tw{<declarations>}``, the CSS text of its rule in the page's style sheets (so a snapshot shows
  the *style*, not a hash, and a missing rule shows up as ``tw{?}``);
- properties that are not attributes: ``:value`` of input/textarea/select, ``:checked`` and
  ``:indeterminate`` of checkboxes/radios, ``:selected`` of options, and ``:focus`` on the
  ``document.activeElement``; a focused element outside the case is recorded on the header line;
- text nodes: JSON-quoted data, one line each (empty and whitespace-only ones included); comments
  are dropped;
- the location (``pathname + search + hash``) heads every snapshot.

A snapshot is a list of lines; long ones (more than ``BIG_LINES``) are stored condensed: a SHA-256
of the full text plus its first and last ``EDGE_LINES`` lines.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BIG_LINES",
    "SERIALIZE_JS",
    "GoldenFormatError",
    "StepSnapshot",
    "condense",
    "diff_lines",
    "format_dump",
    "read_golden",
    "write_golden",
]

BIG_LINES = 3_000
EDGE_LINES = 60
_STEP_RE = re.compile(r"^## step (\d+): (.*)$")

SERIALIZE_JS = r"""
(rootSelector) => {
  const rules = new Map();
  for (const sheet of document.styleSheets) {
    let list;
    try { list = sheet.cssRules; } catch (e) { continue; }
    for (const rule of list) {
      if (rule.selectorText === undefined) continue;
      const m = /^\.(tw-[0-9a-f]{10})(.*)$/.exec(rule.selectorText);
      if (m === null) continue;
      const body = rule.style.cssText;
      const prev = rules.get(m[1]);
      const part = m[2] ? m[2] + "{" + body + "}" : body;
      rules.set(m[1], prev === undefined ? part : prev + " " + part);
    }
  }
  const active = document.activeElement;
  const root = document.querySelector(rootSelector);
  const nodes = [];
  const walk = (node, depth) => {
    if (node.nodeType === Node.TEXT_NODE) {
      nodes.push([depth, "t", node.data]);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const svg = node.namespaceURI === "http://www.w3.org/2000/svg";
    const tag = (svg ? "svg:" : "") + node.localName;
    const attrs = [];
    for (const a of node.attributes) {
      if (a.name.startsWith("data-tw")) continue;
      let value = a.value;
      if (a.name === "class") {
        value = value.split(/\s+/).filter(Boolean).map(
          (c) => /^tw-[0-9a-f]{10}$/.test(c) ? "tw{" + (rules.get(c) ?? "?") + "}" : c).join(" ");
      }
      attrs.push([a.name, value]);
    }
    attrs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const props = [];
    const t = node.localName;
    if (!svg && (t === "input" || t === "textarea" || t === "select")) props.push(["value", node.value]);
    if (!svg && t === "input" && (node.type === "checkbox" || node.type === "radio")) {
      props.push(["checked", node.checked]);
      props.push(["indeterminate", node.indeterminate]);
    }
    if (!svg && t === "option") props.push(["selected", node.selected]);
    if (node === active) props.push(["focus", true]);
    nodes.push([depth, "e", tag, attrs, props]);
    for (const child of node.childNodes) walk(child, depth + 1);
  };
  let focus = "none";
  if (active !== null && active !== document.body && root !== null && !root.contains(active)) {
    focus = "outside:" + active.localName + (active.id ? "#" + active.id : "");
  }
  if (root !== null) for (const child of root.childNodes) walk(child, 0);
  return {
    location: location.pathname + location.search + location.hash,
    focus,
    root: root !== null,
    nodes,
  };
}
"""
"""``page.evaluate(SERIALIZE_JS, "#conf-case")`` returns the structured dump :func:`format_dump` reads."""


class GoldenFormatError(ValueError):
    """A golden file is not in the format :func:`write_golden` writes."""


def _format_node(node: Sequence[Any]) -> str:
    pad: str = "  " * int(node[0])
    if node[1] == "t":
        return pad + json.dumps(node[2], ensure_ascii=False)
    _, _, tag, attrs, props = node
    parts: list[str] = [str(tag)]
    parts += [f"{name}={json.dumps(value, ensure_ascii=False)}" for name, value in attrs]
    parts += [f":{name}={json.dumps(value, ensure_ascii=False)}" for name, value in props]
    return f"{pad}<{' '.join(parts)}>"


def format_dump(dump: dict[str, Any]) -> list[str]:
    """Turn the serializer's structured dump into snapshot lines.

    Args:
        dump: The object returned by :data:`SERIALIZE_JS`: ``location``, ``focus``, ``root``
            and ``nodes``, the nodes in document order, flat (Playwright cannot return deeply
            nested values): ``[depth, "e", tag, [[name, value]], [[prop, value]]]`` and
            ``[depth, "t", text]``.

    Returns:
        The snapshot: a header line (location, focus outside the case) then one line per node,
        indented two spaces per level.

    Raises:
        KeyError: ``dump`` lacks one of the keys above.
    """
    out = [f"location {dump['location']} focus {dump['focus']}" + ("" if dump["root"] else " NO-ROOT")]
    out.extend(_format_node(node) for node in dump["nodes"])
    return out


def condense(lines: Sequence[str]) -> list[str]:
    """Return ``lines`` itself when short, else a digest line and the first and last lines.

    Args:
        lines: A full snapshot.

    Returns:
        ``lines`` (as a list) when at most ``BIG_LINES`` long; else ``["digest sha256:<hex> lines
        <n>", <first EDGE_LINES>, "...", <last EDGE_LINES>]``.
    """
    if len(lines) <= BIG_LINES:
        return list(lines)
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return [f"digest sha256:{digest} lines {len(lines)}", *lines[:EDGE_LINES], "...", *lines[-EDGE_LINES:]]


def diff_lines(expected: Sequence[str], actual: Sequence[str], *, label: str, left: str, right: str) -> str:
    """Return a unified diff of two snapshots, or ``""`` when equal.

    Both sides are condensed first (:func:`condense`) when long, so a big snapshot's diff shows the
    digest line and the differing edges.

    Args:
        expected: Snapshot lines (full or already condensed).
        actual: Snapshot lines (full or already condensed).
        label: What is compared, e.g. ``"keyed_move step 3: click #swap"``.
        left: Name of the expected side (``"golden"``, ``"mode A"``).
        right: Name of the actual side.

    Returns:
        The diff text headed by ``label``; empty when the snapshots are equal.
    """
    a = list(expected) if _is_condensed(expected) else condense(expected)
    b = list(actual) if _is_condensed(actual) else condense(actual)
    if a == b:
        return ""
    body = difflib.unified_diff(a, b, fromfile=f"{left}", tofile=f"{right}", lineterm="", n=3)
    return f"{label}\n" + "\n".join(body)


def _is_condensed(lines: Sequence[str]) -> bool:
    return bool(lines) and lines[0].startswith("digest sha256:")


@dataclass(frozen=True, slots=True)
class StepSnapshot:
    """One step's label and snapshot lines (full, or condensed in a golden file)."""

    label: str
    lines: tuple[str, ...]


def write_golden(path: Path, case: str, steps: Sequence[StepSnapshot]) -> None:
    """Write a case's golden file (long snapshots condensed).

    Args:
        path: ``golden/<case>.snap``.
        case: The case name (header line).
        steps: Step 0 (entry) and every step, in order.

    Raises:
        OSError: The file cannot be written.
    """
    out = [f"# conformance golden: {case} (rewrite with --update-golden)"]
    for i, step in enumerate(steps):
        out.append(f"## step {i}: {step.label}")
        out.extend(condense(step.lines))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def read_golden(path: Path) -> list[StepSnapshot]:
    """Read a golden file written by :func:`write_golden`.

    Args:
        path: ``golden/<case>.snap``.

    Returns:
        The steps in order.

    Raises:
        FileNotFoundError: There is no golden file (run with ``--update-golden`` to create it).
        GoldenFormatError: A step header is missing or out of order.
    """
    steps: list[StepSnapshot] = []
    label: str | None = None
    lines: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if n == 0 and line.startswith("# "):
            continue
        m = _STEP_RE.match(line)
        if m is not None:
            if label is not None:
                steps.append(StepSnapshot(label, tuple(lines)))
            if int(m.group(1)) != len(steps):
                raise GoldenFormatError(f"{path}:{n + 1}: expected step {len(steps)}, found {line!r}")
            label, lines = m.group(2), []
        elif label is None:
            raise GoldenFormatError(f"{path}:{n + 1}: content before the first '## step' header")
        else:
            lines.append(line)
    if label is not None:
        steps.append(StepSnapshot(label, tuple(lines)))
    return steps
