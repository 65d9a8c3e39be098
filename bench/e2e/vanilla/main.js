// @ts-check
// Vanilla-JS keyed implementation of shared/specs/jsfb.md: the anchor of the end-to-end benchmark.
// Direct DOM manipulation, one template row cloned per created row, delegated click handling on tbody.
"use strict";

const ADJECTIVES = ["pretty", "large", "big", "small", "tall", "short", "long", "handsome", "plain", "quaint",
  "clean", "elegant", "easy", "angry", "crazy", "helpful", "mushy", "odd", "unsightly", "adorable", "important",
  "inexpensive", "cheap", "expensive", "fancy"];
const COLOURS = ["red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white", "black", "orange"];
const NOUNS = ["table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich", "burger", "pizza",
  "mouse", "keyboard"];

/** @param {number} n */
const pick = (n) => Math.round(Math.random() * 1000) % n;

/** @typedef {{id: number, label: string, tr: HTMLTableRowElement, labelNode: Text}} Row */

/** @type {Row[]} */
let rows = [];
/** @type {Row | null} */
let selected = null;
let nextId = 1;

const tbody = /** @type {HTMLTableSectionElement} */ (document.getElementById("tbody"));
/** @type {Map<HTMLTableRowElement, Row>} */
const byNode = new Map();

const template = document.createElement("tr");
{
  const td1 = document.createElement("td");
  td1.className = "col-md-1";
  td1.appendChild(document.createTextNode(""));
  const td2 = document.createElement("td");
  td2.className = "col-md-4";
  const a1 = document.createElement("a");
  a1.className = "lbl";
  a1.appendChild(document.createTextNode(""));
  td2.appendChild(a1);
  const td3 = document.createElement("td");
  td3.className = "col-md-1";
  const a2 = document.createElement("a");
  a2.className = "remove";
  const span = document.createElement("span");
  span.className = "glyphicon glyphicon-remove";
  span.setAttribute("aria-hidden", "true");
  a2.appendChild(span);
  td3.appendChild(a2);
  const td4 = document.createElement("td");
  td4.className = "col-md-6";
  template.append(td1, td2, td3, td4);
}

/** @param {number} count @returns {Row[]} */
function build(count) {
  /** @type {Row[]} */
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    const id = nextId++;
    const label = ADJECTIVES[pick(ADJECTIVES.length)] + " " + COLOURS[pick(COLOURS.length)] + " " +
      NOUNS[pick(NOUNS.length)];
    const tr = /** @type {HTMLTableRowElement} */ (template.cloneNode(true));
    const td1 = /** @type {HTMLElement} */ (tr.firstChild);
    /** @type {Text} */ (td1.firstChild).nodeValue = String(id);
    const labelNode = /** @type {Text} */ (/** @type {HTMLElement} */ (td1.nextSibling).firstChild.firstChild);
    labelNode.nodeValue = label;
    const row = { id, label, tr, labelNode };
    byNode.set(tr, row);
    out[i] = row;
  }
  return out;
}

/** @param {Row[]} list */
function appendRows(list) {
  const frag = document.createDocumentFragment();
  for (const row of list) frag.appendChild(row.tr);
  tbody.appendChild(frag);
}

function unselect() {
  if (selected) selected.tr.removeAttribute("class");
  selected = null;
}

function clearRows() {
  tbody.textContent = "";
  byNode.clear();
  rows = [];
  selected = null;
}

/** @param {number} count */
function create(count) {
  if (rows.length) clearRows();
  rows = build(count);
  appendRows(rows);
}

const actions = {
  run: () => create(1000),
  runlots: () => create(10000),
  add: () => {
    unselect();
    const more = build(1000);
    rows = rows.concat(more);
    appendRows(more);
  },
  update: () => {
    unselect();
    for (let i = 0; i < rows.length; i += 10) {
      const row = rows[i];
      row.label += " !!!";
      row.labelNode.nodeValue = row.label;
    }
  },
  clear: () => clearRows(),
  swaprows: () => {
    if (rows.length < 999) return;
    const a = rows[1];
    const b = rows[998];
    const afterB = b.tr.nextSibling;
    tbody.insertBefore(b.tr, a.tr);
    tbody.insertBefore(a.tr, afterB);
    rows[1] = b;
    rows[998] = a;
  },
};

for (const [id, fn] of Object.entries(actions)) {
  const button = /** @type {HTMLButtonElement} */ (document.getElementById(id));
  button.addEventListener("click", (e) => { e.preventDefault(); fn(); });
  button.disabled = false;
}

tbody.addEventListener("click", (e) => {
  const target = /** @type {Element} */ (e.target);
  const a = target.closest("a");
  if (!a) return;
  const tr = /** @type {HTMLTableRowElement} */ (a.closest("tr"));
  const row = byNode.get(tr);
  if (!row) return;
  e.preventDefault();
  if (a.classList.contains("lbl")) {
    if (selected === row) return;
    if (selected) selected.tr.removeAttribute("class");
    row.tr.className = "danger";
    selected = row;
  } else if (a.classList.contains("remove")) {
    tr.remove();
    byNode.delete(tr);
    rows.splice(rows.indexOf(row), 1);
    if (selected === row) selected = null;
  }
});
