// Text and buttons: every reply without a card of its own (menus, confirmations, errors).
import { el, formatWithIcon, str } from "../dom.js";
import { icon } from "../icons.js";
import { appendChips } from "./parts.js";

export function plain(node, msg) {
  if (str(msg.text)) {
    const bubble = el("div", "bubble");
    bubble.append(formatWithIcon(msg.text));
    node.append(bubble);
  }
  appendChips(node, msg.buttons);
}

// "The coach is restarting, send that again": a notice, with its one-tap resend chip.
export function serviceUnavailable(node, msg) {
  plain(node, msg);
  const bubble = node.querySelector(".bubble");
  if (!bubble) return;
  bubble.classList.add("bubble-notice");
  (bubble.querySelector(".fmt-p") || bubble).prepend(icon("warning"));
}
