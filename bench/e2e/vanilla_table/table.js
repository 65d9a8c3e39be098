// @ts-check
/**
 * The anchor of bench/e2e/virtual_table_bench.py: a hand-written virtual list of the same 100,000
 * rows as examples/tests/apps/table, with the same window maths (tempest_core table_window and
 * scroll_lead: one 32 px header row, 5 overscan rows each side, and during a continuous scroll up
 * to two viewports more ahead of it), keyed row reuse and two spacer rows. The window is re-rendered
 * synchronously in the scroll listener (no framework, no round trip).
 */

const ROWS = 100_000;
const ROW_PX = 32;
const OVERSCAN = 5;
const LEAD_FRAMES = 4;
const LEAD_VIEWPORTS = 2;

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

/** scrollTop of the last scroll event, and the move it made (px). */
let lastTop = 0;
let lastDelta = 0;

/**
 * Px of rows ahead of a continuous scroll (tempest_core scroll_lead).
 * @param {number} delta @param {number} previous @param {number} viewport @returns {number}
 */
function leadOf(delta, previous, viewport) {
  const most = LEAD_VIEWPORTS * viewport;
  if (delta * previous <= 0 || Math.abs(delta) < ROW_PX || Math.max(Math.abs(delta), Math.abs(previous)) > most) {
    return 0;
  }
  return Math.sign(delta) * Math.min(LEAD_FRAMES * Math.abs(delta), most);
}

/** @param {number} scrollTop @param {number} viewport @param {number} lead @returns {[number, number]} */
function windowOf(scrollTop, viewport, lead) {
  const topPx = Math.min(Math.max(0, scrollTop), Math.max(0, (ROWS + 1) * ROW_PX - viewport));
  const first = Math.floor(topPx / ROW_PX);
  const last = Math.ceil((topPx + Math.max(viewport, ROW_PX)) / ROW_PX) - 1;
  const ahead = Math.floor(Math.abs(lead) / ROW_PX);
  return [
    Math.max(0, Math.min(first - OVERSCAN - (lead < 0 ? ahead : 0), ROWS)),
    Math.max(0, Math.min(last + OVERSCAN + (lead > 0 ? ahead : 0), ROWS)),
  ];
}

function render() {
  const scrollTop = region.scrollTop;
  const viewport = region.clientHeight;
  const delta = scrollTop - lastTop;
  const lead = leadOf(delta, lastDelta, viewport);
  lastTop = scrollTop;
  lastDelta = delta;
  const [start, end] = windowOf(scrollTop, viewport, lead);
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
