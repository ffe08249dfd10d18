// The outbox: the rep's messages go out one at a time, in order, each with an id the server uses
// to answer a retry without running it twice. Offline, they wait on the phone; a health poll
// sends them when the coach is reachable again.
import { $, str } from "./dom.js";
import { hooks } from "./hooks.js";
import { currentLang, t } from "./i18n.js";
import { icon } from "./icons.js";
import { postJson, readJson, request } from "./net.js";
import { state } from "./store.js";
import { addReplies, addUser, setUserState } from "./transcript.js";

const POLL_MS = 3000; // health poll while offline
const SEND_TIMEOUT_MS = 30000; // a hung request on a phone counts as a network error (retry is safe)
const HEALTH_TIMEOUT_MS = 5000;
const net = { sending: false, offline: false, pollTimer: null, checking: false };

export const isSending = () => net.sending;

// The rep says something (typed, or a chip/header button): queue it, show it, send when possible.
export function submit(display, payload) {
  if (!str(payload).trim() || !state.auth) return;
  addUser(display, payload);
  pump();
}

function rejectReason(status, body) {
  if (status === 413) return t("page_err_too_long");
  return (body && str(body.error)) || t("page_err_rejected", { status });
}

// What one answer means for the message: sent (with replies), wait and retry, or refused.
async function settle(rec, res, body) {
  if (res.ok && body && Array.isArray(body.messages)) {
    setUserState(rec, "sent");
    const lang = await addReplies(rec, body.messages);
    if (lang) hooks.replyLang(lang);
    hooks.replied(body.messages);
    return true;
  }
  if (res.status === 401) {
    setUserState(rec, "pending");
    hooks.expired();
    return false;
  }
  if (res.ok || res.status >= 500 || res.status === 408 || res.status === 429) {
    setUserState(rec, "pending"); // the server is struggling: retry later with the same id
    goOffline();
    return false;
  }
  setUserState(rec, "failed", rejectReason(res.status, body));
  return true;
}

// Send the oldest unsent message, then the next; stop when offline or logged out.
export async function pump() {
  if (net.sending || !state.auth || state.needLogin) return;
  if (navigator.onLine === false) return goOffline();
  if (net.offline) return;
  const rec = state.records.find((r) => r.kind === "user" && r.state === "pending");
  if (!rec) return;
  net.sending = true;
  setUserState(rec, "sending");
  let again;
  try {
    // The page's language: the coach answers a first button (a /payload, no words to go by) in it.
    const body = { message: rec.payload, id: rec.id, lang: currentLang() };
    const res = await postJson("message", body, SEND_TIMEOUT_MS, state.auth.token);
    again = await settle(rec, res, await readJson(res));
  } catch (e) {
    setUserState(rec, "pending"); // network error or timeout
    again = false;
    goOffline();
  } finally {
    net.sending = false;
  }
  if (again) pump();
}

export function retry(rec) {
  setUserState(rec, "pending"); // same id: the server never runs a message twice
  pump();
}

function showBanner(text) {
  const banner = $("connection-banner");
  banner.hidden = false;
  banner.dataset.state = "offline";
  banner.replaceChildren(icon("warning"), text || t("page_offline"));
}

// The banner follows the page's language.
export function relabelBanner() {
  if (net.offline) showBanner();
}

export function goOffline() {
  net.offline = true;
  showBanner();
  if (!net.pollTimer) net.pollTimer = setInterval(checkHealth, POLL_MS);
}

function goOnline() {
  net.offline = false;
  clearInterval(net.pollTimer);
  net.pollTimer = null;
  const banner = $("connection-banner");
  banner.hidden = true;
  banner.dataset.state = "online";
  banner.replaceChildren();
  pump();
}

export async function checkHealth() {
  if (net.checking) return;
  if (navigator.onLine === false) return goOffline();
  net.checking = true;
  if (net.offline) showBanner(t("page_reconnecting"));
  try {
    const res = await request("health", { method: "GET" }, HEALTH_TIMEOUT_MS);
    const body = await readJson(res);
    if (res.ok && body && body.status === "ok") goOnline();
    else if (net.offline) showBanner();
  } catch (e) {
    if (net.offline) showBanner();
  } finally {
    net.checking = false;
  }
}

// Back to a visible tab: check the connection if it was lost, else send what waits.
export function resume() {
  if (net.offline) checkHealth();
  else pump();
}
