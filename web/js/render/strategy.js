// One case of an objection: how to tell, the strategy, lines to say, the principle.
import { arr, el, str, textBlock } from "../dom.js";
import { label, t } from "../i18n.js";
import { branchesAndSource, card, quoteBlock, section } from "./parts.js";

export function strategy(node, msg, c, lang) {
  const box = card(node, t("page_kicker_strategy", null, lang), c.title);
  if (str(c.signal)) box.append(section(label("how_to_tell", lang), textBlock(c.signal)));
  if (str(c.strategy)) box.append(section(label("strategy", lang), textBlock(c.strategy)));
  if (arr(c.lines).length) {
    const lines = el("div", "says");
    c.lines.forEach((line) => lines.append(quoteBlock(line, lang)));
    box.append(section(label("sample_lines", lang), lines, "section-say"));
  }
  // Whose words the principle is: the seed's 注解 or the coach's own advice (older cards: "principle").
  const principleKey = { seed: "principle_seed", coach: "principle_coach" }[c.principle_source] || "principle";
  if (str(c.principle)) {
    box.append(section(label(principleKey, lang), textBlock(c.principle), principleKey.replace("_", "-")));
  }
  branchesAndSource(box, msg, c, label("then_which", lang), lang);
}
