// @ts-check
// Reference TodoMVC (vanilla JS) used only to validate the behaviour suite itself.
// `?broken=<name>` switches on one deliberate defect so the suite's self-check can prove it fails:
//   plural       -> the counter says "1 items left"
//   escape_blur  -> Escape is forgotten when the edit input later loses focus (the typed text is saved)
//   toggle_all   -> #toggle-all is not updated after adding a todo
//   trim         -> titles are not trimmed
"use strict";

const broken = new URLSearchParams(location.search).get("broken") || "";

/** @type {{todos: {id: number, title: string, done: boolean}[], editing: number | null, nextId: number}} */
const state = { todos: [], editing: null, nextId: 1 };
let escaped = false;

const $ = (/** @type {string} */ s) => /** @type {HTMLElement} */ (document.querySelector(s));
const newTodo = /** @type {HTMLInputElement} */ ($(".new-todo"));
const main = $(".main");
const footer = $(".footer");
const list = $(".todo-list");
const toggleAll = /** @type {HTMLInputElement} */ ($("#toggle-all"));
const count = $(".todo-count");
const clearBtn = $(".clear-completed");

function filter() {
  if (location.hash === "#/active") return "active";
  if (location.hash === "#/completed") return "completed";
  return "all";
}

function render() {
  const f = filter();
  list.textContent = "";
  /** @type {HTMLInputElement | null} */
  let toFocus = null;
  for (const todo of state.todos) {
    if ((f === "active" && todo.done) || (f === "completed" && !todo.done)) continue;
    const li = document.createElement("li");
    if (todo.done) li.classList.add("completed");
    const view = document.createElement("div");
    view.className = "view";
    const toggle = document.createElement("input");
    toggle.className = "toggle";
    toggle.type = "checkbox";
    toggle.checked = todo.done;
    toggle.addEventListener("change", () => { todo.done = toggle.checked; render(); });
    const label = document.createElement("label");
    label.textContent = todo.title;
    label.addEventListener("dblclick", () => { state.editing = todo.id; escaped = false; render(); });
    const destroy = document.createElement("button");
    destroy.className = "destroy";
    destroy.textContent = "x";
    destroy.addEventListener("click", () => { remove(todo.id); render(); });
    view.append(toggle, label, destroy);
    li.append(view);
    if (state.editing === todo.id) {
      li.classList.add("editing");
      view.hidden = true;
      const edit = document.createElement("input");
      edit.className = "edit";
      edit.value = todo.title;
      edit.addEventListener("keydown", (e) => {
        if (e.key === "Enter") commit(todo.id, edit.value);
        else if (e.key === "Escape") {
          escaped = true;
          if (broken !== "escape_blur") { state.editing = null; render(); }
          else { li.classList.remove("editing"); view.hidden = false; edit.style.position = "absolute";
                 edit.style.left = "-9999px"; }
        }
      });
      edit.addEventListener("blur", () => {
        if (state.editing !== todo.id) return;
        if (escaped && broken !== "escape_blur") return;
        commit(todo.id, edit.value);
      });
      li.append(edit);
      toFocus = edit;
    }
    list.append(li);
  }
  const active = state.todos.filter((t) => !t.done).length;
  const done = state.todos.length - active;
  main.hidden = footer.hidden = state.todos.length === 0;
  count.textContent = "";
  const strong = document.createElement("strong");
  strong.textContent = String(active);
  const plural = broken === "plural" ? active === 0 || active > 0 : active !== 1;
  count.append(strong, plural ? " items left" : " item left");
  clearBtn.hidden = done === 0;
  for (const a of document.querySelectorAll(".filters a")) {
    const href = a.getAttribute("href");
    a.classList.toggle("selected", (href === "#/" && f === "all") || href === "#/" + f);
  }
  if (toFocus) toFocus.focus();
}

function syncToggleAll() {
  toggleAll.checked = state.todos.length > 0 && state.todos.every((t) => t.done);
}

/** @param {number} id */
function remove(id) {
  state.todos = state.todos.filter((t) => t.id !== id);
  syncToggleAll();
}

/** @param {number} id @param {string} text */
function commit(id, text) {
  state.editing = null;
  const title = text.trim();
  if (title === "") remove(id);
  else for (const t of state.todos) if (t.id === id) t.title = title;
  render();
}

newTodo.addEventListener("keydown", (e) => {
  if (e.key !== "Enter") return;
  const title = broken === "trim" ? newTodo.value : newTodo.value.trim();
  if (title.trim() === "") return;
  state.todos.push({ id: state.nextId++, title, done: false });
  newTodo.value = "";
  if (broken !== "toggle_all") syncToggleAll();
  render();
});
toggleAll.addEventListener("change", () => {
  const target = state.todos.some((t) => !t.done);
  for (const t of state.todos) t.done = target;
  syncToggleAll();
  render();
});
clearBtn.addEventListener("click", () => { state.todos = state.todos.filter((t) => !t.done); syncToggleAll(); render(); });
list.addEventListener("change", () => syncToggleAll());
window.addEventListener("hashchange", render);
render();
