// Quick answers around the card: two objections at once, the next line, the compact "more".
// "Did you mean…" is a prompt with chips, drawn by plain().
import { arr, el, str, textBlock } from "../dom.js";
import { label, t } from "../i18n.js";
import { card, chips, quoteBlock, section } from "./parts.js";
import { plain } from "./plain.js";

const payloadsOf = (items) => new Set(arr(items).map((i) => i && i.payload).filter(Boolean));

// The buttons the card did not draw itself, as secondary chips (another objection, more detail).
function restChips(box, msg, drawn) {
  const rest = arr(msg.buttons).filter((b) => b && !drawn.has(b.payload));
  const box2 = chips(rest, payloadsOf(rest));
  if (box2) box.append(box2);
}

function principleKey(c) {
  return { seed: "principle_seed", coach: "principle_coach" }[c.principle_source] || "principle";
}

// Several objections in one message: each with its title, what to say first and a chip to open it.
export function twoObjections(node, msg, c, lang) {
  const items = arr(c.items).filter((i) => i && str(i.title));
  const box = card(node, t("page_kicker_objection", null, lang), label("two_objections_intro", lang,
    { count: items.length }));
  items.forEach((item, n) => {
    const part = el("div", "section section-say objection-part");
    part.append(el("h4", "section-label", `${n + 1}. ${str(item.title)}`));
    if (str(item.opener)) part.append(quoteBlock(item.opener, lang));
    const open = chips([{ title: str(item.title), payload: str(item.payload) }]);
    if (open) part.append(open);
    box.append(part);
  });
  restChips(box, msg, payloadsOf(items));
}

// "What do I say now?": the one line to say, the principle, and the cases a tap away.
export function nextLine(node, msg, c, lang) {
  const title = str(c.case) ? `${str(c.title)} › ${str(c.case)}` : str(c.title);
  const box = card(node, t("page_kicker_strategy", null, lang), title);
  const heading = c.branch
    ? label("next_line", lang, { n: (Number(c.index) || 0) + 1, total: Number(c.total) || 1 })
    : label("next_line_first", lang);
  if (str(c.line)) box.append(section(heading, quoteBlock(c.line, lang), "section-say"));
  if (str(c.principle)) box.append(section(label(principleKey(c), lang), textBlock(c.principle)));
  const cases = chips(arr(c.branches).map((b) => ({ title: b.label, payload: b.payload })));
  if (cases) {
    box.append(section(label(c.branch ? "next_line_other_case" : "pick_branch", lang), cases));
  }
  restChips(box, msg, payloadsOf(c.branches));
}

// "More": the compact form shows the case in play (strategy, one or two lines, the principle) and the
// other cases as chips, in one phone screen (no kicker, the lines without a heading); a full
// detail (older replies) stays text.
export function objectionDetail(node, msg, c, lang) {
  const focus = c.compact && c.focus && typeof c.focus === "object" ? c.focus : null;
  if (!focus) return plain(node, msg);
  const box = card(node, null, `${str(c.title)} › ${str(focus.label)}`);
  box.classList.add("card-compact");
  if (str(focus.strategy)) box.append(section(label("strategy", lang), textBlock(focus.strategy)));
  if (arr(focus.lines).length) {
    const lines = el("div", "says section section-say");
    focus.lines.forEach((line) => lines.append(quoteBlock(line, lang)));
    box.append(lines);
  }
  if (str(focus.principle)) {
    const key = principleKey(focus);
    box.append(section(str(focus.principle_label).replace(/\s*[：:]\s*$/, "") || label(key, lang),
      textBlock(focus.principle)));
  }
  const others = chips(arr(c.others).map((b) => ({ title: b.label, payload: b.payload })));
  if (others) {
    others.setAttribute("aria-label", label("compact_other_cases", lang));
    box.append(others);
  }
  restChips(box, msg, payloadsOf(c.others));
}
