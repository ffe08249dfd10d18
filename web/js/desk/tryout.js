// The dry-run panel: choose a drill, add the rep's lines one at a time; each try replays the drill
// from its start over every line (same seed, same customer) and shows what each line did. Nothing
// is stored. The first try trains the move model on the server: the panel says it is warming up.
import { el, str } from "../dom.js";
import { currentLang, has, LANG_NAMES, LANGS, t } from "../i18n.js";
import { getJson, postJson } from "./api.js";
import { button, clear, errorText, list, panel, showError } from "./view.js";

const WARMING_AFTER_MS = 700;

// A customer state (warmer, reveal, pushes...) in words; one the strings don't name is shown as it is.
const stateName = (state) => (has("desk_state_" + state) ? t("desk_state_" + state) : str(state));

function turnView(turn, persona, names) {
  const named = (move) => str(names[move] || move);
  const item = el("li", "desk-turn desk-try-turn");
  item.append(el("p", "desk-turn-who", t("desk_speaker_rep")), el("p", "desk-turn-text", str(turn.text)));
  item.append(el("p", "meta", t("desk_moves", { list: list((turn.moves || []).map(named)) })));
  item.append(el("p", "meta", t("desk_try_credited", { list: list((turn.credited || []).map(named)) })));
  const penalties = (turn.penalties || []).map((p) => `${named(p.move)} ${str(p.points)}`);
  if (penalties.length) item.append(el("p", "desk-penalty", t("desk_penalties", { list: list(penalties) })));
  if ((turn.red_lines || []).length) {
    item.append(el("p", "desk-penalty", t("desk_try_red_lines", { list: list((turn.red_lines || []).map(named)) })));
  }
  item.append(el("p", "meta", t("desk_try_state", { state: stateName(turn.state), trust: str(turn.trust),
                                                    stage: Number(turn.stage) + 1 })));
  item.append(el("p", "desk-turn-who", persona), el("p", "desk-turn-text desk-customer", str(turn.customer)));
  const fb = el("div", "desk-feedback-box");
  fb.append(el("p", "desk-label", t("desk_feedback")), el("p", "desk-pre", str(turn.feedback)));
  item.append(fb);
  return item;
}

function drawRun(out, run) {
  clear(out);
  const persona = str(run.persona);
  out.append(el("p", "desk-turn-who", persona), el("p", "desk-turn-text desk-customer", str(run.opening)));
  const turns = el("ol", "desk-turns");
  const names = run.move_labels && typeof run.move_labels === "object" ? run.move_labels : {};
  for (const turn of run.turns || []) turns.append(turnView(turn, persona, names));
  out.append(turns);
  if (run.ended) out.append(el("p", "desk-ended", t("desk_try_ended", { outcome: str(run.ended) })));
  if (run.ignored) out.append(el("p", "meta", t("desk_try_ignored", { count: run.ignored })));
  if (run.scorecard) out.append(el("p", "desk-pre desk-scorecard", str(run.scorecard)));
  // The newest line's result is at the bottom: bring it into view (the form stays above).
  const last = out.querySelector(".desk-try-turn:last-of-type");
  if (last) last.scrollIntoView({ block: "nearest" });
}

function controls(form, drills) {
  const pick = (id, key, options, value) => {
    const label = el("label", null, t(key));
    label.htmlFor = id;
    const select = el("select");
    select.id = id;
    for (const [v, text] of options) {
      const o = el("option", null, text);
      o.value = v;
      select.append(o);
    }
    select.value = value;
    form.append(label, select);
    return select;
  };
  const drill = pick("try-drill", "desk_try_drill", drills.map((d) => [d.drill_id, `${str(d.title)} (${str(d.drill_id)})`]),
                     drills.length ? drills[0].drill_id : "");
  const lang = pick("try-lang", "desk_try_lang", LANGS.map((l) => [l, LANG_NAMES[l]]), currentLang());
  const label = el("label", null, t("desk_try_line"));
  label.htmlFor = "try-line";
  const line = el("textarea", "desk-textarea");
  Object.assign(line, { id: "try-line", rows: 2, maxLength: 2000 });
  form.append(label, line);
  return { drill, lang, line };
}

export async function showTry(view) {
  clear(view);
  const box = panel(view, t("desk_try_heading"));
  box.append(el("p", "meta", t("desk_try_help")));
  let drills = [];
  try {
    drills = (await getJson("trainer/choices?lang=" + encodeURIComponent(currentLang()))).drills || [];
  } catch (e) {
    return showError(box, e);
  }
  const form = el("form", "desk-form");
  const { drill, lang, line } = controls(form, drills);
  const status = el("p", "desk-status");
  status.setAttribute("role", "status");
  const send = el("button", "big-button", t("desk_try_send"));
  Object.assign(send, { type: "submit", id: "try-send" });
  const lines = [];
  const out = el("div", "desk-try-out");
  const play = async () => {
    send.disabled = true;
    const warming = setTimeout(() => (status.textContent = t("desk_try_warming")), WARMING_AFTER_MS);
    try {
      drawRun(out, await postJson("trainer/try", { drill_id: drill.value, lang: lang.value, lines }, true));
      status.textContent = "";
      return true;
    } catch (e) {
      status.textContent = errorText(e);
      return false;
    } finally {
      clearTimeout(warming);
      send.disabled = false;
    }
  };
  const reset = () => { lines.splice(0); play(); };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!line.value.trim()) return;
    lines.push(line.value);
    if (await play()) line.value = "";
    else lines.pop();
  });
  drill.addEventListener("change", reset);
  lang.addEventListener("change", reset);
  form.append(status, send, button(t("desk_try_reset"), reset, "linkish desk-try-reset"));
  box.append(form, out);
  if (drills.length) play();
}
