// What the desk's views share: a titled panel with its CSV button, tables, dates, error text, SVG.
// As everywhere on the page, server text reaches the page only as text (el(), textContent).
import { el, str } from "../dom.js";
import { currentLang, t } from "../i18n.js";
import { DeskError, download } from "./api.js";

const SVG_NS = "http://www.w3.org/2000/svg";

// A panel with a heading and, for a table that can be exported, a CSV button.
export function panel(parent, heading, csv) {
  const box = el("div", "card desk-panel");
  const head = el("div", "desk-panel-head");
  head.append(el("h2", "desk-h2", heading));
  if (csv) {
    const button = el("button", "hbtn desk-csv", t("desk_csv"));
    button.type = "button";
    button.dataset.csv = csv.file;
    button.addEventListener("click", () => download(csv.path, csv.file).catch((e) => showError(box, e)));
    head.append(button);
  }
  box.append(head);
  parent.append(box);
  return box;
}

// rows: arrays of cells, each a string, a number or a node.
export function table(columns, rows, className) {
  const wrap = el("div", "desk-table-wrap");
  const tableEl = el("table", "desk-table " + (className || ""));
  const head = el("tr");
  for (const c of columns) head.append(el("th", null, c));
  tableEl.append(el("thead"), el("tbody"));
  tableEl.tHead.append(head);
  for (const row of rows) {
    const tr = el("tr");
    for (const cell of row) {
      const td = el("td");
      if (cell instanceof Node) td.append(cell);
      else td.textContent = str(cell);
      tr.append(td);
    }
    tableEl.tBodies[0].append(tr);
  }
  wrap.append(tableEl);
  return wrap;
}

export function button(text, onClick, className) {
  const b = el("button", className || "chip", text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

export function errorText(error) {
  if (error instanceof DeskError && error.status === 0) return t("desk_offline");
  return t("desk_error", { error: error && error.message ? error.message : String(error) });
}

export function showError(parent, error) {
  const p = el("p", "form-error desk-error", errorText(error));
  p.setAttribute("role", "alert");
  parent.append(p);
  return p;
}

export function day(unix) {
  if (typeof unix !== "number") return "";
  return new Date(unix * 1000).toLocaleDateString(currentLang(), { year: "numeric", month: "2-digit", day: "2-digit" });
}

export function when(unix) {
  if (typeof unix !== "number") return "";
  return new Date(unix * 1000).toLocaleString(currentLang(), { month: "2-digit", day: "2-digit", hour: "2-digit",
                                                               minute: "2-digit" });
}

export const pct = (v) => (typeof v === "number" ? Math.round(v * 100) + "%" : "–");
export const num = (v) => (typeof v === "number" ? String(Math.round(v * 10) / 10) : "–");
export const list = (items) => (Array.isArray(items) && items.length ? items.map(str).join(t("desk_list_sep"))
  : t("desk_none"));
export const label = (labels, intent) => str((labels && labels[intent]) || intent);

// An SVG element with attributes (presentation attributes only: the CSP forbids style attributes).
export function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}
