// The rep's own figures per objection: a table and a bar per objection for the best score.
import { arr, el, str } from "../dom.js";
import { t } from "../i18n.js";
import { icon } from "../icons.js";
import { appendChips, card, section } from "./parts.js";
import { plain } from "./plain.js";
import { nextDrill } from "./scorecard.js";

const COLUMNS = ["page_col_objection", "page_col_attempts", "page_col_first", "page_col_best", "page_col_latest"];

// Rows carry a localized label; older transcripts (stored before it existed) fall back to the text.
function progressNames(text, rows) {
  const lines = str(text).split("\n").filter((l) => l.startsWith("• "));
  return rows.map((r, i) => {
    if (r.label) return str(r.label);
    const m = lines.length === rows.length && /^•\s*(.+?)(?:：|:\s)/.exec(lines[i]);
    return m ? m[1] : str(r.objection).replace(/^objection_/, "").replace(/_/g, " ");
  });
}

function table(rows, names, lang) {
  const tbl = el("table", "progress-table");
  const headRow = el("tr");
  for (const key of COLUMNS) {
    const th = el("th", null, t(key, null, lang));
    th.scope = "col";
    headRow.append(th);
  }
  tbl.append(el("thead"), el("tbody"));
  tbl.tHead.append(headRow);
  rows.forEach((r, i) => {
    const tr = el("tr");
    const th = el("th", null, names[i]);
    if (r.passed) th.append(" ", icon("check"));
    th.scope = "row";
    tr.append(th);
    for (const v of [r.attempts, r.first, r.best, r.latest]) tr.append(el("td", null, str(v)));
    tbl.tBodies[0].append(tr);
  });
  const wrap = el("div", "table-wrap");
  wrap.append(tbl);
  return wrap;
}

function bars(rows, names, lang) {
  const box = el("div", "bars");
  rows.forEach((r, i) => {
    const best = Math.max(0, Math.min(100, Number(r.best) || 0));
    const row = el("div", "bar-row");
    row.setAttribute("role", "img");
    row.setAttribute("aria-label", t("page_bar_label", { name: names[i], best }, lang));
    const track = el("div", "bar-track");
    const fill = el("div", "bar-fill" + (r.passed ? " bar-pass" : ""));
    fill.style.width = best + "%"; // CSSOM, allowed by the page's CSP (unlike style attributes)
    track.append(fill);
    row.append(el("span", "bar-name", names[i]), track, el("span", "bar-value", String(best)));
    box.append(row);
  });
  return box;
}

export function progress(node, msg, c, lang) {
  const rows = arr(c.rows);
  if (!rows.length) return plain(node, msg);
  const box = card(node, null, t("button_progress", null, lang), "chart");
  const names = progressNames(msg.text, rows);
  box.append(table(rows, names, lang), section(t("page_best_bars", null, lang), bars(rows, names, lang)));
  nextDrill(box, c, lang);
  appendChips(box, msg.buttons);
}
