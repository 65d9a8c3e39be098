// @ts-check
// NON-keyed jsfb variant, a test fixture only: it recycles row nodes and rewrites their texts in place
// (run over existing rows, remove, swap), so the keyed checks K1, K2 and K3 must fail on it.
"use strict";

const A = ["pretty", "large", "big", "small", "tall", "short", "long", "handsome", "plain", "quaint", "clean",
  "elegant", "easy", "angry", "crazy", "helpful", "mushy", "odd", "unsightly", "adorable", "important",
  "inexpensive", "cheap", "expensive", "fancy"];
const C = ["red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white", "black", "orange"];
const N = ["table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich", "burger", "pizza",
  "mouse", "keyboard"];
const pick = (/** @type {number} */ n) => Math.round(Math.random() * 1000) % n;

/** @type {{id: number, label: string}[]} */
let data = [];
/** @type {number | null} */
let selectedId = null;
let nextId = 1;
const tbody = /** @type {HTMLElement} */ (document.getElementById("tbody"));

function newRow() {
  const tr = document.createElement("tr");
  tr.innerHTML = '<td class="col-md-1"></td><td class="col-md-4"><a class="lbl"></a></td>' +
    '<td class="col-md-1"><a class="remove"><span class="glyphicon glyphicon-remove" aria-hidden="true"></span>' +
    '</a></td><td class="col-md-6"></td>';
  return tr;
}

/** Render by position: reuse the i-th tr for the i-th row, rewriting its texts. */
function render() {
  const trs = tbody.children;
  while (trs.length > data.length) /** @type {Element} */ (tbody.lastElementChild).remove();
  while (trs.length < data.length) tbody.appendChild(newRow());
  for (let i = 0; i < data.length; i++) {
    const tr = /** @type {HTMLElement} */ (trs[i]);
    const row = data[i];
    /** @type {HTMLElement} */ (tr.children[0]).textContent = String(row.id);
    /** @type {HTMLElement} */ (tr.querySelector("a.lbl")).textContent = row.label;
    if (row.id === selectedId) tr.className = "danger"; else tr.removeAttribute("class");
  }
}

/** @param {number} n */
function build(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push({ id: nextId++, label: `${A[pick(A.length)]} ${C[pick(C.length)]} ${N[pick(N.length)]}` });
  }
  return out;
}

/** @type {Record<string, () => void>} */
const actions = {
  run: () => { data = build(1000); selectedId = null; },
  runlots: () => { data = build(10000); selectedId = null; },
  add: () => { data = data.concat(build(1000)); selectedId = null; },
  update: () => { for (let i = 0; i < data.length; i += 10) data[i].label += " !!!"; selectedId = null; },
  clear: () => { data = []; selectedId = null; },
  swaprows: () => {
    if (data.length < 999) return;
    const t = data[1]; data[1] = data[998]; data[998] = t;
  },
};
for (const [id, fn] of Object.entries(actions)) {
  const b = /** @type {HTMLButtonElement} */ (document.getElementById(id));
  b.addEventListener("click", () => { fn(); render(); });
  b.disabled = false;
}
tbody.addEventListener("click", (e) => {
  const a = /** @type {Element} */ (e.target).closest("a");
  if (!a) return;
  const tr = /** @type {Element} */ (a.closest("tr"));
  const index = [...tbody.children].indexOf(tr);
  const id = data[index].id;
  if (a.classList.contains("lbl")) selectedId = id;
  else { data.splice(index, 1); if (selectedId === id) selectedId = null; }
  render();
});
