// DOM helpers. Safety rule for the whole page: server and user text only ever reaches the page
// through textContent / createTextNode (el(), formatText()); innerHTML is never used.
import { icon, splitLeadingIcon } from "./icons.js";

export const $ = (id) => document.getElementById(id);
export const str = (v) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
export const arr = (v) => (Array.isArray(v) ? v : []);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// An element holding an icon and a text: <tag class><svg/>text</tag>.
export function iconText(tag, className, iconName, text) {
  const node = el(tag, className);
  node.append(icon(iconName), document.createTextNode(str(text)));
  return node;
}

// **bold** inside one line, as text nodes and <strong>.
export function appendInline(parent, line) {
  line.split(/\*\*(.+?)\*\*/).forEach((part, i) => {
    if (part) parent.append(i % 2 ? el("strong", null, part) : document.createTextNode(part));
  });
}

function listItem(frag, list, bullet, numbered) {
  const tag = bullet ? "UL" : "OL";
  if (!list || list.tagName !== tag) {
    list = el(tag.toLowerCase(), "fmt-list");
    if (numbered && numbered[1] !== "1") list.start = Number(numbered[1]);
    frag.append(list);
  }
  const li = el("li");
  appendInline(li, bullet ? bullet[1] : numbered[2]);
  list.append(li);
  return list;
}

// Plain text -> paragraphs, line breaks, "• " bullet lists and "1. " numbered lists.
export function formatText(text) {
  const frag = document.createDocumentFragment();
  let list = null;
  let para = null;
  for (const line of str(text).split("\n")) {
    const bullet = /^\s*•\s+(.*)$/.exec(line);
    const numbered = /^\s*(\d+)\.\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      list = listItem(frag, list, bullet, numbered);
      para = null;
    } else if (!line.trim()) {
      list = null;
      para = null;
    } else {
      list = null;
      if (para) para.append(el("br"));
      else frag.append((para = el("p", "fmt-p")));
      appendInline(para, line);
    }
  }
  return frag;
}

// Server text that starts with a symbol (ui.yml's "📋 …") gets the matching SVG icon instead.
export function formatWithIcon(text) {
  const [name, rest] = splitLeadingIcon(str(text));
  const frag = formatText(rest);
  if (name) {
    const first = frag.firstChild && frag.firstChild.tagName === "P" ? frag.firstChild : frag;
    first.prepend(icon(name));
  }
  return frag;
}

export function textBlock(text, className) {
  const div = el("div", className || "text");
  div.append(formatText(text));
  return div;
}
