// Payload type -> renderer: the one place that says how each kind of reply is drawn.
// Renderers get (node, msg, custom, lang); a type not listed, or a card that fails, is drawn as text.
import { el, str } from "../dom.js";
import { currentLang, known } from "../i18n.js";
import { customerLine, drillFeedback, drillIntro } from "./drill.js";
import { nextLine, objectionDetail, twoObjections } from "./followups.js";
import { objectionCard } from "./objection.js";
import { plain, serviceUnavailable } from "./plain.js";
import { progress } from "./progress.js";
import { drillResume } from "./resume.js";
import { scorecard } from "./scorecard.js";
import { strategy } from "./strategy.js";

const RENDERERS = new Map([
  ["objection_card", objectionCard],
  ["strategy", strategy],
  ["objection_detail", objectionDetail], // compact: the case in play as a card; full: its text
  ["two_objections", twoObjections],
  ["next_line", nextLine],
  ["did_you_mean", plain], // a prompt and the likeliest objections as chips
  ["objection_menu", plain], // menus: a prompt and one button per choice
  ["drill_menu", plain],
  ["language_menu", plain],
  ["language", plain],
  ["drill_intro", drillIntro],
  ["customer_line", customerLine],
  ["drill_feedback", drillFeedback],
  ["scorecard", scorecard],
  ["drill_end", plain],
  ["progress", progress],
  ["service_unavailable", serviceUnavailable],
  // Added by the page itself after asking the coach for the rep's state (js/resume.js).
  ["drill_resume", drillResume],
  ["drill_closed", plain],
]);

// The language a stored reply was written in (its card's), or null for plain text.
export function replyLang(msg) {
  const custom = msg && msg.custom;
  return custom && known(custom.lang) ? custom.lang : null;
}

export function renderBot(rec) {
  const msg = rec.msg && typeof rec.msg === "object" ? rec.msg : { text: str(rec.msg) };
  const custom = msg.custom && typeof msg.custom === "object" ? msg.custom : null;
  const type = custom && typeof custom.type === "string" ? custom.type : "text";
  const node = el("div", "msg msg-bot");
  node.dataset.type = type;
  const lang = replyLang(msg);
  if (lang) node.lang = lang;
  try {
    const render = (custom && RENDERERS.get(type)) || plain;
    render(node, msg, custom, lang || currentLang());
  } catch (e) {
    node.replaceChildren(); // a malformed card still shows its plain text
    plain(node, msg);
  }
  return node;
}
