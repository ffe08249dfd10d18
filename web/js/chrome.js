// The page around the messages: labels in the chosen language, the mode, the input's hint.
import { $, el } from "./dom.js";
import { hooks } from "./hooks.js";
import { currentLang, t } from "./i18n.js";
import { icon } from "./icons.js";
import { state } from "./store.js";

export const STOP_PAYLOAD = "/stop_drill";
const EXAMPLES = ["page_example_price", "page_example_agent", "page_example_drill"];
// Replies that only come outside a drill: seeing one means no drill is running.
// drill_end: a drill ended without a scorecard (its file was removed on the server).
// drill_closed: the page's note that the server has no drill running (ended on another device).
const QUICK_TYPES = new Set(["objection_card", "strategy", "objection_detail", "objection_menu", "drill_menu",
                             "scorecard", "drill_end", "drill_closed"]);

// The mode is read from the transcript, so it is right again after a reload. `drill` is the drill
// the page last knew of ({drill_id, turn}); `waiting`: a resume card (render/resume.js) not yet
// answered, so typing waits for the rep's choice rather than being scored as a turn.
export function pageMode() {
  let mode = { mode: "quick", drill: null, waiting: false };
  // A Stop press does not end the drill by itself: the coach asks first (drill_confirm), and only
  // the scorecard or drill_end that follows a confirmation switches the page back.
  for (const r of state.records) {
    if (r.kind === "user") continue;
    const c = r.msg && r.msg.custom;
    if (!c) continue;
    const drill = { drill_id: c.drill_id, turn: Number(c.turn) || 0 };
    // drill_confirm: the coach asks before it ends or replaces a drill, which runs until answered.
    const running = c.type === "drill_intro" || c.type === "drill_confirm" || (c.type === "customer_line" && !c.ended);
    if (running) mode = { mode: "drill", drill, waiting: false };
    else if (c.type === "drill_resume") mode = { mode: c.choice === "end" ? "quick" : "drill", drill, waiting: !c.choice };
    else if (QUICK_TYPES.has(c.type)) mode = { mode: "quick", drill: null, waiting: false };
  }
  return mode;
}

export const currentMode = () => pageMode().mode;

export function refreshChrome() {
  const { mode, waiting } = pageMode();
  const drill = mode === "drill";
  const indicator = $("mode-indicator");
  indicator.dataset.mode = drill ? "drill" : "quick";
  indicator.replaceChildren(icon(drill ? "mask" : "bolt"), t(drill ? "page_mode_drill" : "page_mode_quick"));
  $("stop-drill").hidden = !drill;
  const input = $("composer-input");
  input.placeholder = t(waiting ? "page_resume_choose" : drill ? "page_placeholder_drill" : "page_placeholder_quick");
  input.disabled = waiting;
  $("composer-send").disabled = waiting;
  $("empty-state").hidden = state.records.length > 0;
}

// Who is signed in, and for a trainer the way to the desk (the desk checks the role again itself).
export function showWho() {
  const auth = state.auth;
  $("whoami").hidden = !auth;
  $("whoami-name").textContent = auth ? (auth.team ? auth.name + " · " + auth.team : auth.name) : "";
  $("desk-link").hidden = !auth || auth.role !== "trainer";
}

function exampleChips() {
  const examples = $("examples");
  examples.replaceChildren();
  for (const key of EXAMPLES) {
    const text = t(key);
    const chip = el("button", "chip chip-example", text);
    chip.type = "button";
    chip.addEventListener("click", () => hooks.send(text, text));
    examples.append(chip);
  }
}

// Every label on the page, in the page's language (data-i18n names the ui.yml key).
export function applyStrings() {
  const lang = currentLang();
  document.documentElement.lang = lang;
  document.title = t("page_title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const b of document.querySelectorAll(".lang-switch button")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  $("lang-switch").setAttribute("aria-label", t("page_lang_group"));
  $("messages").setAttribute("aria-label", t("page_log_label"));
  exampleChips();
  refreshChrome();
}
