// A role-play drill: its intro card, the customer's lines and the feedback on each of the rep's turns.
import { arr, el, iconText, str, textBlock } from "../dom.js";
import { has, label, t } from "../i18n.js";
import { icon } from "../icons.js";
import { state } from "../store.js";
import { appendChips, avatar, card, quoteBlock, quoteText, section } from "./parts.js";

const MOODS = new Set(["opens", "pushes", "cools"]);

function stars(level, lang) {
  const box = el("span", "stars");
  box.setAttribute("role", "img");
  box.setAttribute("aria-label", t("page_difficulty", { level }, lang));
  for (let i = 1; i <= 3; i++) box.append(icon(i <= level ? "star" : "star-empty"));
  return box;
}

function introMeta(c, lang) {
  const meta = el("p", "meta");
  const level = Math.max(1, Math.min(3, Number(c.difficulty) || 1));
  meta.append(stars(level, lang), document.createTextNode(" · " + t(c.mode === "exam" ? "mode_exam" : "mode_practice", null, lang)));
  if (c.max_turns) meta.append(document.createTextNode(" · " + t("page_max_turns", { turns: c.max_turns }, lang)));
  return meta;
}

export function persona(p, lang) {
  const who = el("div", "persona");
  const about = el("div");
  about.append(el("p", "persona-name", p.name), el("p", "persona-about", p.about));
  who.append(avatar(p.name), about);
  return section(t("page_customer", null, lang), who);
}

function rubricList(rubric) {
  const items = el("ul", "rubric");
  for (const r of arr(rubric.required)) {
    const li = el("li");
    li.append(el("span", "rubric-label", r.label), el("span", "rubric-weight", "+" + str(r.weight)));
    items.append(li);
  }
  for (const f of arr(rubric.forbidden)) {
    const li = el("li", "rubric-forbidden");
    li.append(iconText("span", "rubric-label", "cross", f.label), el("span", "rubric-weight", "−" + str(f.penalty)));
    items.append(li);
  }
  return items;
}

export function drillIntro(node, msg, c, lang) {
  const box = card(node, t("page_kicker_drill", null, lang), c.title, "mask");
  box.append(introMeta(c, lang));
  if (c.persona && str(c.persona.name)) box.append(persona(c.persona, lang));
  if (str(c.goal)) box.append(section(t("page_goal", null, lang), textBlock(c.goal)));
  const rubric = c.rubric || {};
  const items = rubricList(rubric);
  if (items.childElementCount) box.append(section(label("drill_rubric", lang, { pass_mark: str(rubric.pass_mark) }), items));
  appendChips(box, msg.buttons);
}

export function customerLine(node, msg, c, lang) {
  node.classList.add("msg-customer");
  node.append(avatar(c.persona));
  const bubble = el("div", "customer-bubble");
  const head = el("p", "customer-head");
  head.append(el("span", "customer-name", c.persona));
  if (MOODS.has(c.mood)) head.append(iconText("span", "mood mood-" + c.mood, "mood-" + c.mood, t("page_mood_" + c.mood, null, lang)));
  bubble.append(head, quoteBlock(c.text, lang));
  if (c.ended) {
    const key = "outcome_" + c.ended;
    bubble.append(el("p", "customer-ended", t("page_ended", null, lang) + (has(key, lang) ? " · " + t(key, null, lang) : "")));
  }
  node.append(bubble);
  appendChips(node, msg.buttons);
}

// Penalties carry only the move name: find its label in this feedback or the drill's rubric.
function moveLabel(move, moves) {
  const found = moves.find((m) => m && m.name === move);
  if (found && found.label) return found.label;
  for (let i = state.records.length - 1; i >= 0; i--) {
    const c = state.records[i].msg && state.records[i].msg.custom;
    if (c && c.type === "drill_intro" && c.rubric) {
      const f = arr(c.rubric.forbidden).find((x) => x.move === move);
      if (f) return f.label;
      break;
    }
  }
  return str(move);
}

function moveTags(c, lang) {
  const tags = el("p", "tags");
  const moves = arr(c.moves);
  if (moves.length) moves.forEach((m) => tags.append(el("span", "tag", m.label || m.name)));
  else tags.append(el("span", "tag tag-none", t("page_moves_none", null, lang)));
  for (const p of arr(c.penalties)) {
    tags.append(iconText("span", "tag tag-penalty", "warning", moveLabel(p.move, moves) + " −" + str(p.penalty)));
  }
  return tags;
}

function labelled(className, labelText, text) {
  const p = el("p", className);
  p.append(el("strong", null, labelText), document.createTextNode(text));
  return p;
}

export function drillFeedback(node, msg, c, lang) {
  const box = el("aside", "feedback");
  const head = t("page_feedback", null, lang) + (c.turn ? " · " + t("turn_n", { turn: c.turn }, lang) : "");
  box.append(iconText("p", "feedback-head", "note", head), moveTags(c, lang));
  if (c.next) {
    box.append(labelled("feedback-next", t("page_next", null, lang), str(c.next.tip)));
    if (str(c.next.line)) box.append(labelled("feedback-try", t("model_line", null, lang), quoteText(c.next.line, lang)));
  }
  node.append(box);
}
