// One rep: a score trend per objection (SVG line chart), the weakest objection, what is due, and the
// attempts list; an attempt opens its transcript with each turn's moves, penalties and feedback.
import { el, str } from "../dom.js";
import { currentLang, t } from "../i18n.js";
import { getJson } from "./api.js";
import { button, clear, label, list, panel, showError, svg, table, when } from "./view.js";

// Drawn at about the size it is shown, so its text stays readable on a phone and a laptop alike.
const chartWidth = () => Math.max(300, Math.min(1100, window.innerWidth - 80));
const H = 220;
const PAD = { left: 34, right: 10, top: 10, bottom: 26 };
const SERIES = 9; // colour classes .series-0 … .series-8 in desk.css

function scale(points, W) {
  const times = points.map((p) => p.at);
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const span = hi - lo || 1;
  return {
    x: (at) => PAD.left + ((at - lo) / span) * (W - PAD.left - PAD.right),
    y: (score) => PAD.top + (1 - score / 100) * (H - PAD.top - PAD.bottom),
    lo, hi,
  };
}

function axes(root, s, passMark, W) {
  for (const v of [0, 50, 100]) {
    root.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: s.y(v), y2: s.y(v), class: "trend-grid" }));
    root.append(svg("text", { x: PAD.left - 4, y: s.y(v) + 4, class: "trend-axis trend-axis-y" }, v));
  }
  if (typeof passMark === "number") {
    root.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: s.y(passMark), y2: s.y(passMark),
                              class: "trend-pass" }));
  }
  const day = (u) => new Date(u * 1000).toLocaleDateString(currentLang(), { month: "2-digit", day: "2-digit" });
  root.append(svg("text", { x: PAD.left, y: H - 6, class: "trend-axis" }, day(s.lo)));
  root.append(svg("text", { x: W - PAD.right, y: H - 6, class: "trend-axis trend-axis-end" }, day(s.hi)));
}

// trend: {intent: [{at, score, passed}]} -> an SVG chart and its legend.
export function drawTrend(trend, labels, passMark) {
  const series = Object.entries(trend || {}).filter(([, pts]) => Array.isArray(pts) && pts.length);
  const box = el("div", "trend");
  if (!series.length) return box.append(el("p", "desk-empty", t("desk_trend_empty"))), box;
  const W = chartWidth();
  const s = scale(series.flatMap(([, pts]) => pts), W);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "trend-chart", role: "img",
                            "aria-label": t("desk_trend_heading") });
  axes(root, s, passMark, W);
  const legendBox = el("div", "trend-legend");
  series.forEach(([intent, pts], i) => {
    const cls = "series-" + (i % SERIES);
    const sorted = [...pts].sort((a, b) => a.at - b.at);
    root.append(svg("polyline", { points: sorted.map((p) => `${s.x(p.at)},${s.y(p.score)}`).join(" "),
                                  class: "trend-line " + cls }));
    for (const p of sorted) {
      const dot = svg("circle", { cx: s.x(p.at), cy: s.y(p.score), r: 4, class: "trend-dot " + cls +
                                  (p.passed ? "" : " trend-dot-fail") });
      dot.append(svg("title", {}, `${label(labels, intent)}: ${p.score}`));
      root.append(dot);
    }
    const key = el("span", "trend-key");
    key.append(el("span", "trend-swatch " + cls), document.createTextNode(label(labels, intent)));
    legendBox.append(key);
  });
  box.append(root, legendBox);
  return box;
}

function turnView(turn, names) {
  const named = (move) => str(names[move] || move);
  const rep = turn.speaker === "rep";
  const item = el("li", "desk-turn " + (rep ? "desk-turn-rep" : "desk-turn-customer"));
  item.append(el("p", "desk-turn-who", t(rep ? "desk_speaker_rep" : "desk_speaker_customer")));
  item.append(el("p", "desk-turn-text", str(turn.text)));
  if (rep) {
    item.append(el("p", "meta", t("desk_moves", { list: list((Array.isArray(turn.moves) ? turn.moves : []).map(named)) })));
    const penalties = (Array.isArray(turn.penalties) ? turn.penalties : []).map((p) =>
      Array.isArray(p) ? `${named(p[0])} ${str(p[1])}` : str(p));
    if (penalties.length) item.append(el("p", "desk-penalty", t("desk_penalties", { list: list(penalties) })));
    if (turn.feedback) {
      const fb = el("details", "desk-feedback");
      fb.append(el("summary", null, t("desk_feedback")), el("p", "desk-pre", str(turn.feedback)));
      item.append(fb);
    }
  }
  return item;
}

export async function showAttempt(box, resultId) {
  const old = box.querySelector(".desk-transcript");
  if (old) old.remove();
  const part = el("div", "desk-transcript");
  box.append(part);
  try {
    const body = await getJson("trainer/attempts/" + encodeURIComponent(resultId) + "?lang=" + encodeURIComponent(currentLang()));
    part.append(el("h3", "desk-h3", t("desk_transcript_heading", { drill: str(body.title || body.drill_id),
                                                                      score: str(body.score) })));
    const turns = el("ol", "desk-turns");
    const names = body.move_labels && typeof body.move_labels === "object" ? body.move_labels : {};
    for (const turn of Array.isArray(body.turns) ? body.turns : []) turns.append(turnView(turn, names));
    part.append(turns);
    part.scrollIntoView({ block: "start" });
  } catch (e) {
    showError(part, e);
  }
}

function attemptsTable(box, body) {
  const rows = (body.attempts || []).map((a) => [
    when(a.finished_at), str(a.drill_id), label(body.labels, a.objection), str(a.score),
    t(a.passed ? "desk_passed" : "desk_failed"), str(a.turns),
    button(t("desk_open"), () => showAttempt(box, a.result_id), "chip desk-open"),
  ]);
  box.append(table([t("desk_col_when"), t("desk_col_drill"), t("desk_col_objection"), t("desk_col_score"),
                    t("desk_col_result"), t("desk_col_turns"), ""], rows, "desk-attempts"));
}

export async function showRep(view, repId, back) {
  clear(view);
  view.append(button(t("desk_back"), back, "linkish desk-back"));
  const query = "?lang=" + encodeURIComponent(currentLang());
  try {
    const body = await getJson("trainer/reps/" + encodeURIComponent(repId) + query);
    const person = body.person || {};
    view.append(el("h2", "desk-h2 desk-rep-name", t("desk_rep_heading", { name: str(person.name),
                                                                         team: str(person.team) || "–" })));
    const trend = panel(view, t("desk_trend_heading"));
    if (body.weakest) trend.append(el("p", "desk-weakest", t("desk_weakest", { objection: label(body.labels, body.weakest) })));
    const due = (body.due || []).filter((d) => d && d.overdue).map((d) => label(body.labels, d.objection));
    if (due.length) trend.append(el("p", "desk-due", t("desk_due", { list: list(due) })));
    trend.append(drawTrend(body.trend, body.labels, body.pass_mark));
    const path = "trainer/export/rep.csv?rep=" + encodeURIComponent(repId);
    attemptsTable(panel(view, t("desk_attempts_heading"), { path, file: "coach-rep.csv" }), body);
  } catch (e) {
    showError(view, e);
  }
}
