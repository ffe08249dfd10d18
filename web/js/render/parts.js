// Building blocks shared by the renderers: cards, labelled sections, chips, quotes, sources.
import { arr, appendInline, el, str } from "../dom.js";
import { hooks } from "../hooks.js";
import { t } from "../i18n.js";
import { icon, splitLeadingIcon } from "../icons.js";

// Buttons as chips: tapping sends the payload and shows the title as the rep's bubble.
export function chips(buttons, secondaryPayloads) {
  const valid = arr(buttons).filter((b) => b && str(b.title) && str(b.payload));
  if (!valid.length) return null;
  const box = el("div", "chips");
  for (const b of valid) {
    const [iconName, text] = splitLeadingIcon(str(b.title));
    const chip = el("button", "chip", text);
    if (iconName) chip.prepend(icon(iconName));
    chip.type = "button";
    if (secondaryPayloads && secondaryPayloads.has(b.payload)) chip.classList.add("chip-secondary");
    chip.addEventListener("click", () => hooks.send(str(b.title), str(b.payload)));
    box.append(chip);
  }
  return box;
}

export function appendChips(parent, buttons) {
  const box = chips(buttons);
  if (box) parent.append(box);
}

export function section(label, content, className) {
  const box = el("div", "section" + (className ? " " + className : ""));
  box.append(el("h4", "section-label", label));
  if (content) box.append(content);
  return box;
}

export function quoteText(text, lang) {
  return t("quote", { text: str(text) }, lang);
}

export function quoteBlock(text, lang) {
  return el("blockquote", "say", quoteText(text, lang));
}

export function bulletList(items, className) {
  const ul = el("ul", className || "fmt-list");
  for (const item of items) {
    const li = el("li");
    appendInline(li, str(item));
    ul.append(li);
  }
  return ul;
}

// A card in the message `node`; `iconName` goes before the kicker, or the title when there is none.
export function card(node, kicker, title, iconName) {
  const box = el("article", "card");
  const head = [kicker && el("p", "kicker", kicker), title && el("h3", "card-title", title)].filter(Boolean);
  if (iconName && head.length) head[0].prepend(icon(iconName));
  box.append(...head);
  node.append(box);
  return box;
}

const payloadsOf = (items) => new Set(arr(items).map((i) => i && i.payload).filter(Boolean));

// A card's branches as chips under `label`, then whatever else the server offered (more detail,
// another objection) as secondary chips, then the source.
export function branchesAndSource(box, msg, c, label, lang) {
  const branchChips = chips(arr(c.branches).map((b) => ({ title: b.label, payload: b.payload })));
  if (branchChips) box.append(section(label, branchChips));
  const branchPayloads = payloadsOf(c.branches);
  const rest = arr(msg.buttons).filter((b) => b && !branchPayloads.has(b.payload));
  const restChips = chips(rest, payloadsOf(rest));
  if (restChips) box.append(restChips);
  box.append(...sourceLine(c.source, lang));
}

// Where the advice comes from, as the server wrote it for a reader: `cite` is the seed's title and
// section (《如何开发OTC市场空白点客户》三、(六) 价格太高 › 1、分析). A card stored before `cite` existed
// shows its section alone: a reader should never see a seed's file name.
export function sourceLine(source, lang) {
  if (!source || typeof source !== "object") return [];
  const where = str(source.cite) || str(source.section);
  return where ? [el("p", "source", t("source", null, lang) + where)] : [];
}

export function avatar(name) {
  const a = el("span", "avatar", Array.from(str(name).trim())[0] || "?");
  a.setAttribute("aria-hidden", "true");
  return a;
}
