// A drill follows the rep across devices. When the page opens, the rep logs in, or the tab comes
// back, the page asks the coach what is running for this rep (GET state) and puts its transcript
// right: a drill it did not show, or one that went on elsewhere, gets a resume card
// (render/resume.js); a drill it shows but the coach no longer runs gets a note. So a lookup typed
// in quick mode is never scored as a drill turn, and a reply is never taken for a lookup.
import { pageMode } from "./chrome.js";
import { hooks } from "./hooks.js";
import { currentLang, t } from "./i18n.js";
import { readJson, request } from "./net.js";
import { isSending } from "./outbox.js";
import { state } from "./store.js";
import { addNote } from "./transcript.js";

const STATE_TIMEOUT_MS = 10000;

// The coach's answer: a drill object, null (none running), or undefined (could not ask).
async function fetchDrill(auth) {
  const headers = { Authorization: "Bearer " + auth.token };
  const path = "state?lang=" + encodeURIComponent(currentLang());
  const res = await request(path, { method: "GET", headers }, STATE_TIMEOUT_MS);
  if (res.status === 401) {
    hooks.expired();
    return undefined;
  }
  const body = await readJson(res);
  if (!res.ok || !body || typeof body !== "object" || !("drill" in body)) return undefined;
  return body.drill && typeof body.drill === "object" ? body.drill : null;
}

const lastRid = () => (state.records.length ? state.records[state.records.length - 1].rid : "");

function shows(known, drill) {
  return known.mode === "drill" && !!known.drill && known.drill.drill_id === drill.drill_id &&
    known.drill.turn === Number(drill.turn);
}

// Resolves once the page agrees with the coach; when the coach can't be asked, or a message went
// out meanwhile (the answer may be stale), the page keeps what it knows.
export async function checkState() {
  const auth = state.auth;
  if (!auth || state.needLogin || isSending()) return;
  const mark = lastRid();
  let drill;
  try {
    drill = await fetchDrill(auth);
  } catch (e) {
    return; // offline or timed out: the outbox's banner says so
  }
  if (drill === undefined || state.auth !== auth || isSending() || lastRid() !== mark) return;
  const known = pageMode();
  if (drill === null) {
    if (known.mode === "drill") await addNote({ text: t("page_drill_closed"), custom: { type: "drill_closed", lang: currentLang() } });
  } else if (!shows(known, drill)) {
    await addNote({ custom: { ...drill, type: "drill_resume" } });
  }
}
