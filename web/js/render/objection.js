// Quick answers: the objection card (what it may mean, what to say first, which case it is).
import { arr, str } from "../dom.js";
import { label, t } from "../i18n.js";
import { branchesAndSource, bulletList, card, quoteBlock, section } from "./parts.js";

export function objectionCard(node, msg, c, lang) {
  const box = card(node, t("page_kicker_objection", null, lang), c.title);
  if (arr(c.analysis).length) box.append(section(label("may_mean", lang), bulletList(c.analysis)));
  if (str(c.opener)) box.append(section(label("say_first", lang), quoteBlock(c.opener, lang), "section-say"));
  branchesAndSource(box, msg, c, label("pick_branch", lang), lang);
}
