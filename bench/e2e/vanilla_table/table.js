// @ts-check
/**
 * The anchor of bench/e2e/virtual_table_bench.py: a hand-written virtual list of the same 100,000
 * rows as examples/tests/apps/table, with the same window maths (tempest_core table_window: one
 * 32 px header row, 5 overscan rows each side), keyed row reuse and two spacer rows. The window is
 * re-rendered synchronously in the scroll listener (no framework, no round trip).
 */

const ROWS = 100_000;
const ROW_PX = 32;
const OVERSCAN = 5;

const region = /** @type {HTMLElement} */ (document.querySelector("#big [role=region]"));
const body = /** @type {HTMLElement} */ (document.getElementById("body"));
const top = document.createElement("div");
const bottom = document.createElement("div");
top.setAttribute("aria-hidden", "true");
bottom.setAttribute("aria-hidden", "true");
body.append(top, bottom);

/** @type {Map<number, HTMLElement>} row index -> row element */
const shown = new Map();

/** @param {number} i @returns {HTMLElement} */
function makeRow(i) {
  const row = document.createElement("div");
  row.setAttribute("role", "row");
  row.setAttribute("aria-rowindex", String(i + 2));
  row.className = "row";
  const box = document.createElement("div");
  box.setAttribute("role", "cell");
  box.className = "cell c";
  const input = document.createElement("input");
  input.type = "checkbox";
  input.setAttribute("aria-label", `Select row ${i}`);
  box.append(input);
  row.append(box);
  for (const [text, cls] of [[String(i), "cell e"], [`Row ${i}`, "cell"], [String((i * 7919) % ROWS), "cell e"]]) {
    const cell = document.createElement("div");
    cell.setAttribute("role", "cell");
    cell.className = cls;
    cell.textContent = text;
    row.append(cell);
  }
  return row;
}

/** @param {number} scrollTop @param {number} viewport @returns {[number, number]} */
function windowOf(scrollTop, viewport) {
  const topPx = Math.min(Math.max(0, scrollTop), Math.max(0, (ROWS + 1) * ROW_PX - viewport));
  const first = Math.floor(topPx / ROW_PX);
  const last = Math.ceil((topPx + Math.max(viewport, ROW_PX)) / ROW_PX) - 1;
  return [Math.max(0, Math.min(first - OVERSCAN, ROWS)), Math.max(0, Math.min(last + OVERSCAN, ROWS))];
}

function render() {
  const [start, end] = windowOf(region.scrollTop, region.clientHeight);
  for (const [i, row] of shown) {
    if (i < start || i >= end) {
      row.remove();
      shown.delete(i);
    }
  }
  /** @type {Element} */
  let before = bottom;
  for (let i = end - 1; i >= start; i--) {
    let row = shown.get(i);
    if (row === undefined) {
      row = makeRow(i);
      shown.set(i, row);
      body.insertBefore(row, before);
    }
    before = row;
  }
  top.style.height = `${start * ROW_PX}px`;
  bottom.style.height = `${(ROWS - end) * ROW_PX}px`;
}

region.addEventListener("scroll", render, { passive: true });
render();
document.documentElement.dataset.ready = "1";
