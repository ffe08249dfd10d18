// Per drill: attempts, pass rate, average score, truth found, turns, the most common penalty and a
// too-hard / too-easy flag; below it, the drill files that don't load and how to fix them.
import { el, str } from "../dom.js";
import { currentLang, t } from "../i18n.js";
import { getJson } from "./api.js";
import { clear, label, num, panel, pct, showError, table } from "./view.js";

function flag(value) {
  if (value !== "too_hard" && value !== "too_easy") return "";
  return el("span", "desk-flag desk-flag-" + value, t(value === "too_hard" ? "desk_flag_too_hard" : "desk_flag_too_easy"));
}

function files(box, status) {
  const part = el("div", "desk-files");
  part.append(el("h3", "desk-h3", t("desk_files_heading")));
  if (!status.length) part.append(el("p", "meta", t("desk_files_none")));
  for (const file of status) {
    const item = el("div", "desk-file");
    const serving = file.serving ? ` · ${str(file.serving)}` : "";
    item.append(el("p", "desk-file-name", `${str(file.file)} (${str(file.state)}${serving})`));
    const problems = el("ul", "desk-problems");
    for (const p of Array.isArray(file.problems) ? file.problems : []) {
      const li = el("li");
      li.append(el("span", "desk-problem", `${p.line ? "line " + p.line + ": " : ""}[${str(p.code)}] ${str(p.message)}`));
      if (p.fix) li.append(el("span", "desk-fix", t("desk_file_fix", { fix: str(p.fix) })));
      problems.append(li);
    }
    item.append(problems);
    part.append(item);
  }
  box.append(part);
}

export async function showDrills(view) {
  clear(view);
  const box = panel(view, t("desk_drills_heading"), { path: "trainer/export/drills.csv", file: "coach-drills.csv" });
  try {
    const body = await getJson("trainer/drills?lang=" + encodeURIComponent(currentLang()));
    const names = body.penalty_labels && typeof body.penalty_labels === "object" ? body.penalty_labels : {};
    const penalty = (d) => (d.top_penalty ? str(names[d.drill_id + ":" + d.top_penalty] || d.top_penalty) : "–");
    const rows = (body.drills || []).map((d) => [
      str(d.title || d.drill_id), label(body.labels, d.objection), str(d.difficulty), str(d.attempts),
      pct(d.pass_rate), num(d.avg_score), pct(d.truth_rate), num(d.avg_turns), penalty(d),
      flag(d.flag),
    ]);
    box.append(table([t("desk_col_drill"), t("desk_col_objection"), t("desk_col_difficulty"),
                      t("desk_col_attempts"), t("desk_col_pass_rate"), t("desk_col_avg_score"),
                      t("desk_col_truth_rate"), t("desk_col_avg_turns"), t("desk_col_top_penalty"),
                      t("desk_col_flag")], rows, "desk-drills"));
    files(box, Array.isArray(body.files) ? body.files : []);
  } catch (e) {
    showError(box, e);
  }
}
