// The team × objection heat map: one row per rep, one column per objection, drawn as inline SVG.
// A cell's colour is its best score; it shows the best score and "latest · attempts"; an overdue cell
// gets an orange frame. Tapping a rep (name or cell) opens the rep view.
import { el, str } from "../dom.js";
import { currentLang, t } from "../i18n.js";
import { getJson } from "./api.js";
import { clear, label, panel, showError, svg } from "./view.js";

const NAME_W = 116;
const CELL_W = 56;
const CELL_H = 44;
const HEAD_H = 96;

// The colour class of a best score: not tried, below the pass mark, a pass, a strong pass.
export function band(best, passMark) {
  if (typeof best !== "number") return "hm-none";
  if (best < passMark) return "hm-low";
  return best >= 85 ? "hm-high" : "hm-pass";
}

function header(root, objections, labels) {
  objections.forEach((intent, i) => {
    const x = NAME_W + i * CELL_W + CELL_W / 2;
    const text = svg("text", { x, y: HEAD_H - 6, class: "hm-head", transform: `rotate(-40 ${x} ${HEAD_H - 6})` },
                     label(labels, intent));
    root.append(text);
  });
}

function cell(row, intent, i, y, body, openRep) {
  const c = row.cells[intent] || {};
  const x = NAME_W + i * CELL_W;
  const g = svg("g", { class: "hm-cell", "data-rep": row.rep_id, "data-objection": intent });
  g.append(svg("rect", { x: x + 2, y: y + 2, width: CELL_W - 4, height: CELL_H - 4, rx: 6,
                         class: band(c.best, body.pass_mark) + (c.overdue ? " hm-overdue" : "") }));
  const tried = typeof c.best === "number";
  g.append(svg("text", { x: x + CELL_W / 2, y: y + 20, class: "hm-best" }, tried ? c.best : "·"));
  if (tried) g.append(svg("text", { x: x + CELL_W / 2, y: y + 35, class: "hm-small" }, `${c.latest} · ${c.attempts}`));
  g.append(svg("title", {}, t("desk_cell_title", { rep: str(row.name), objection: label(body.labels, intent),
                                                   best: tried ? c.best : "–", latest: tried ? c.latest : "–",
                                                   attempts: c.attempts || 0 })));
  g.addEventListener("click", () => openRep(row.rep_id));
  return g;
}

// Text cut to fit the name column (the full text is the row's tooltip).
function fit(text, max) {
  const chars = Array.from(str(text));
  return chars.length > max ? chars.slice(0, max - 1).join("") + "…" : chars.join("");
}

// The rep's name and team, a button (keyboard too) over a hit area as wide as the name column.
function repName(row, y, openRep) {
  const g = svg("g", { class: "hm-rep", "data-rep": row.rep_id, role: "button", tabindex: 0 });
  g.append(svg("title", {}, `${str(row.name)} · ${str(row.team)}`));
  g.append(svg("rect", { x: 0, y: y + 2, width: NAME_W - 4, height: CELL_H - 4, class: "hm-hit" }));
  g.append(svg("text", { x: 4, y: y + 19, class: "hm-name" }, fit(row.name, 8)));
  g.append(svg("text", { x: 4, y: y + 35, class: "hm-team" }, fit(row.team, 12)));
  g.addEventListener("click", () => openRep(row.rep_id));
  g.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      openRep(row.rep_id);
    }
  });
  return g;
}

export function drawHeatmap(body, openRep) {
  const objections = Array.isArray(body.objections) ? body.objections : [];
  const rows = Array.isArray(body.rows) ? body.rows : [];
  const width = NAME_W + objections.length * CELL_W + 40;
  const height = HEAD_H + rows.length * CELL_H + 4;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "heatmap", role: "img",
                            "aria-label": t("desk_heatmap_heading") });
  header(root, objections, body.labels);
  rows.forEach((row, r) => {
    const y = HEAD_H + r * CELL_H;
    root.append(repName(row, y, openRep));
    objections.forEach((intent, i) => root.append(cell(row, intent, i, y, body, openRep)));
  });
  return root;
}

function legend() {
  const box = el("div", "hm-legend");
  for (const [cls, key] of [["hm-none", "desk_legend_none"], ["hm-low", "desk_legend_low"],
                            ["hm-pass", "desk_legend_pass"], ["hm-high", "desk_legend_high"],
                            ["hm-none hm-overdue", "desk_legend_overdue"]]) {
    const item = el("span", "hm-key");
    const swatch = svg("svg", { width: 18, height: 18, "aria-hidden": "true" });
    swatch.append(svg("rect", { x: 2, y: 2, width: 14, height: 14, rx: 3, class: cls }));
    item.append(swatch, document.createTextNode(t(key)));
    box.append(item);
  }
  return box;
}

export async function showTeam(view, openRep) {
  clear(view);
  const box = panel(view, t("desk_heatmap_heading"), { path: "trainer/export/team.csv", file: "coach-team.csv" });
  box.append(el("p", "meta", t("desk_heatmap_help")));
  try {
    const body = await getJson("trainer/team?lang=" + encodeURIComponent(currentLang()));
    if (!body.rows || !body.rows.length) return box.append(el("p", "desk-empty", t("desk_heatmap_empty")));
    const scroll = el("div", "hm-scroll");
    scroll.append(drawHeatmap(body, openRep));
    box.append(scroll, legend());
  } catch (e) {
    showError(box, e);
  }
}
