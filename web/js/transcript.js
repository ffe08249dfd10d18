// The conversation on screen and on the phone: rep messages with their sending state, and the
// coach's replies placed right after the message they answer.
import { refreshChrome } from "./chrome.js";
import { $, el, iconText } from "./dom.js";
import { hooks } from "./hooks.js";
import { ensureAll, t } from "./i18n.js";
import { renderBot, replyLang } from "./render/registry.js";
import { CAP, loadTranscript, saveTranscript, state } from "./store.js";

export function newId() {
  // crypto.randomUUID needs a secure context; a phone on a LAN address has none.
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Date.now().toString(36) + "-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Drop the oldest records beyond `cap`, but never a message that has not been sent.
function trim(cap) {
  let excess = state.records.length - cap;
  if (excess <= 0) return;
  state.records = state.records.filter((r) => {
    if (excess > 0 && !(r.kind === "user" && r.state !== "sent")) {
      excess--;
      const node = state.els.get(r.rid);
      if (node) node.remove();
      state.els.delete(r.rid);
      return false;
    }
    return true;
  });
}

export function persist() {
  if (!saveTranscript()) {
    trim(Math.floor(CAP / 2)); // storage full: keep the recent half rather than nothing
    saveTranscript();
  }
}

function action(text, onClick) {
  const button = el("button", "linkish status-action", text);
  button.type = "button";
  button.addEventListener("click", onClick);
  return button;
}

// Marker under a rep bubble: pending / failed (with retry and edit), nothing once sent or sending.
export function updateUserNode(node, rec) {
  for (const name of ["pending", "sending", "failed"]) node.classList.toggle(name, rec.state === name);
  const old = node.querySelector(".msg-status");
  if (old) old.remove();
  if (rec.state === "sent" || rec.state === "sending") return;
  const status = el("div", "msg-status");
  if (rec.state === "pending") {
    status.append(iconText("span", null, "clock", t("page_pending")));
  } else if (rec.state === "failed") {
    const reason = rec.error ? t("page_failed_reason", { reason: rec.error }) : t("page_failed");
    const actions = el("span", "status-actions");
    actions.append(action(t("page_retry"), () => hooks.retry(rec)), action(t("page_edit"), () => hooks.edit(rec)));
    status.append(iconText("span", "status-failed", "warning", reason), actions);
  }
  node.append(status);
}

function renderRecord(rec) {
  let node;
  if (rec.kind === "user") {
    node = el("div", "msg msg-user");
    node.append(el("div", "bubble", rec.text));
    updateUserNode(node, rec);
  } else {
    node = renderBot(rec);
  }
  node.dataset.rid = rec.rid;
  state.els.set(rec.rid, node);
  return node;
}

// The sending markers follow the page's language.
export function relabelPending() {
  for (const r of state.records) {
    const node = state.els.get(r.rid);
    if (r.kind === "user" && r.state !== "sent" && node) updateUserNode(node, r);
  }
}

async function renderAll() {
  await ensureAll(state.records.map((r) => replyLang(r.msg))); // old cards may be in another language
  const box = $("messages");
  box.replaceChildren();
  state.els.clear();
  const frag = document.createDocumentFragment();
  state.records.forEach((r) => frag.append(renderRecord(r)));
  box.append(frag);
  refreshChrome();
}

export function openTranscript(sender) {
  state.records = loadTranscript(sender);
  // A request cut off by a reload is resent with its id; the server replays its answer.
  for (const r of state.records) if (r.kind === "user" && r.state === "sending") r.state = "pending";
  return renderAll();
}

export function addUser(display, payload) {
  const id = newId();
  const rec = { rid: id, kind: "user", id, text: display, payload, state: "pending", at: Date.now() };
  state.records.push(rec);
  $("messages").append(renderRecord(rec));
  trim(CAP);
  persist();
  refreshChrome();
  scrollToBottom();
  return rec;
}

export function setUserState(rec, next, error) {
  rec.state = next;
  rec.error = error || "";
  const node = state.els.get(rec.rid);
  if (node) {
    updateUserNode(node, rec);
    const status = node.querySelector(".msg-status");
    if (next === "failed" && status) status.scrollIntoView({ block: "nearest" }); // the reason must be seen
  }
  persist();
}

// Replies go right after the message they answer (later queued messages stay below them).
// Resolves to the language the coach answered in, or null.
export async function addReplies(rec, messages) {
  const fresh = messages.filter((m) => m && typeof m === "object").map((m, i) => ({ rid: rec.id + ":" + i, kind: "bot", msg: m, replyTo: rec.id }));
  const langs = fresh.map((r) => replyLang(r.msg)).filter(Boolean);
  await ensureAll(langs);
  let at = state.records.indexOf(rec);
  if (at < 0) return null; // the rep switched name meanwhile: that transcript is no longer shown
  at += 1;
  while (at < state.records.length && state.records[at].kind === "bot") at++;
  const before = at < state.records.length ? state.els.get(state.records[at].rid) : null;
  state.records.splice(at, 0, ...fresh);
  const nodes = fresh.map(renderRecord);
  nodes.forEach((node) => $("messages").insertBefore(node, before));
  trim(CAP);
  persist();
  refreshChrome();
  if (nodes.length) revealReplies(nodes[0]);
  return langs.length ? langs[langs.length - 1] : null;
}

// A note from the page itself, not an answer to a message (render/resume.js: the drill the coach
// runs for this rep). Resolves to its record.
export async function addNote(msg) {
  await ensureAll([replyLang(msg), msg.custom && msg.custom.customer_lang]);
  const rec = { rid: "page-" + newId(), kind: "bot", msg, at: Date.now() };
  state.records.push(rec);
  const node = renderRecord(rec);
  $("messages").append(node);
  trim(CAP);
  persist();
  refreshChrome();
  revealReplies(node);
  return rec;
}

// A card changed what it stores (a choice made on it): save it and draw it again.
export function redraw(rid) {
  const rec = state.records.find((r) => r.rid === rid);
  const old = state.els.get(rid);
  if (!rec || !old) return;
  old.replaceWith(renderRecord(rec));
  persist();
  refreshChrome();
}

export function scrollToBottom() {
  const s = $("scroller");
  requestAnimationFrame(() => (s.scrollTop = s.scrollHeight));
}

// Long cards: show the start of the answer rather than its last line.
function revealReplies(first) {
  const s = $("scroller");
  requestAnimationFrame(() => {
    const top = first.getBoundingClientRect().top - s.getBoundingClientRect().top + s.scrollTop - 8;
    s.scrollTop = Math.min(top, s.scrollHeight - s.clientHeight);
  });
}
