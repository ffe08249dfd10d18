// A drill the coach is running for this rep that the page did not show (started, or continued, on
// another device), found by the state check (js/resume.js): who the customer is, what he said
// last, and two choices. "Go on" switches the page to drill mode (the next message is a reply);
// "End it" sends the stop payload and shows whatever the coach answers. The choice is kept on the
// card, so a reload shows it made.
import { STOP_PAYLOAD } from "../chrome.js";
import { $, el, iconText, str } from "../dom.js";
import { hooks } from "../hooks.js";
import { t } from "../i18n.js";
import { persona } from "./drill.js";
import { card, quoteBlock, section } from "./parts.js";

function choose(node, c, choice) {
  c.choice = choice; // c is the stored record's payload: redraw saves it
  hooks.redraw(node.dataset.rid);
}

function choiceButton(text, className, onClick) {
  const b = el("button", "chip " + className, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function choices(node, c, lang) {
  const box = el("div", "chips");
  const goOn = choiceButton(t("page_resume_go_on", null, lang), "chip-resume-go", () => {
    choose(node, c, "go_on");
    $("composer-input").focus();
  });
  const end = choiceButton(t("page_resume_end", null, lang), "chip-secondary chip-resume-end", () => {
    choose(node, c, "end");
    // Naming the drill confirms the stop: this card already asked, so the coach does not ask again.
    const named = `${STOP_PAYLOAD}${JSON.stringify({ drill_id: str(c.drill_id) })}`;
    hooks.send(t("page_resume_end", null, lang), named);
  });
  box.append(goOn, end);
  return box;
}

export function drillResume(node, msg, c, lang) {
  const box = card(node, t("page_resume_kicker", null, lang), str(c.title), "mask");
  if (!c.choice) box.append(el("p", "meta", t("page_resume_intro", null, lang)));
  if (c.persona && str(c.persona.name)) box.append(persona(c.persona, lang));
  if (str(c.last_customer_line)) {
    const said = quoteBlock(c.last_customer_line, c.customer_lang);
    if (c.customer_lang) said.lang = str(c.customer_lang);
    box.append(section(t("page_resume_last", null, lang), said));
  }
  if (!c.choice) box.append(choices(node, c, lang));
  else if (c.choice === "go_on") box.append(iconText("p", "resume-went-on", "mask", t("page_resume_went_on", null, lang)));
}
