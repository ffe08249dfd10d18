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
const QUICK_TYPES = new Set(["objection_card", "strategy", "objection_detail", "objection_menu", "drill_menu",
                             "scorecard", "drill_end"]);

// The mode is read from the transcript, so it is right again after a reload.
export function currentMode() {
  let mode = "quick";
  for (const r of state.records) {
    if (r.kind === "user") {
      if (r.payload === STOP_PAYLOAD) mode = "quick"; // stop always ends the drill (scorecard or "none running")
      continue;
    }
    const c = r.msg && r.msg.custom;
    if (!c) continue;
    if (c.type === "drill_intro" || (c.type === "customer_line" && !c.ended)) mode = "drill";
    else if (QUICK_TYPES.has(c.type)) mode = "quick";
  }
  return mode;
}

export function refreshChrome() {
  const drill = currentMode() === "drill";
  const indicator = $("mode-indicator");
  indicator.dataset.mode = drill ? "drill" : "quick";
  indicator.replaceChildren(icon(drill ? "mask" : "bolt"), t(drill ? "page_mode_drill" : "page_mode_quick"));
  $("stop-drill").hidden = !drill;
  $("composer-input").placeholder = t(drill ? "page_placeholder_drill" : "page_placeholder_quick");
  $("empty-state").hidden = state.records.length > 0;
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
