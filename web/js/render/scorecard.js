// The end of a drill: score, verdict, outcome, the real reason, strengths, gaps, a model answer.
import { arr, el, iconText, str, textBlock } from "../dom.js";
import { has, label, t } from "../i18n.js";
import { appendChips, bulletList, card, section } from "./parts.js";

function scoreTop(c, lang) {
  const top = el("div", "score-top");
  const score = el("p", "score");
  score.append(el("span", "score-num", str(c.score)), el("span", "score-of", "/100"));
  const badge = iconText("p", "badge " + (c.passed ? "badge-pass" : "badge-fail"), c.passed ? "check" : "cross",
    t(c.passed ? "verdict_passed" : "verdict_failed", null, lang));
  const side = el("div", "score-side");
  side.append(badge, el("p", "pass-mark", t("page_pass_mark", { pass_mark: str(c.pass_mark) }, lang)));
  top.append(score, side);
  return top;
}

function truth(c, lang) {
  const found = !!c.truth_uncovered;
  const box = el("div", "truth " + (found ? "truth-found" : "truth-missed"));
  box.append(iconText("p", "truth-head", found ? "check" : "cross", t(found ? "page_truth_found" : "page_truth_missed", null, lang)));
  if (str(c.truth)) box.append(el("p", "truth-text", c.truth));
  return box;
}

// The server words it with the reason (assigned, due for review, weakest) when it knows one.
export function nextDrill(box, c, lang) {
  if (c.next_drill && str(c.next_drill.title)) {
    const title = c.next_drill.title, reason = str(c.next_drill.reason_text);
    const text = reason ? t("next_drill_why", { title, reason }, lang) : t("next_drill", { title }, lang);
    box.append(el("p", "next-drill", text));
  }
}

export function scorecard(node, msg, c, lang) {
  const box = card(node, t("page_score", null, lang), null, "clipboard");
  box.classList.add(c.passed ? "card-passed" : "card-failed");
  box.append(scoreTop(c, lang));
  const key = "outcome_" + c.outcome;
  if (c.outcome) box.append(el("p", "outcome", has(key, lang) ? t(key, null, lang) : str(c.outcome)));
  box.append(truth(c, lang));
  const marks = (items) => bulletList(arr(items).map((m) => (m && m.text) || str(m && m.label)));
  if (arr(c.strengths).length) box.append(section(label("strengths", lang), marks(c.strengths), "section-strengths"));
  if (arr(c.gaps).length) box.append(section(label("gaps", lang), marks(c.gaps), "section-gaps"));
  if (str(c.model_answer)) box.append(section(label("model_answer", lang), textBlock(c.model_answer, "model-answer")));
  nextDrill(box, c, lang);
  appendChips(box, msg.buttons);
}
