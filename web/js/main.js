// Objection Coach chat page: start-up and wiring. Modules: i18n (strings from the server),
// store (the phone's copy), transcript (messages on screen), outbox (sending, offline),
// login, chrome (labels, mode), render/ (one renderer per reply type, see render/registry.js).
import { refreshAssigned } from "./assigned.js";
import { STOP_PAYLOAD } from "./chrome.js";
import { $ } from "./dom.js";
import { hooks } from "./hooks.js";
import { DEFAULT_LANG, known, t } from "./i18n.js";
import { followReply, setLang, switchLanguage } from "./language.js";
import { askLogin, authFrom, codeFromLink, onLogin, showChat, signInFromLink, signOut } from "./login.js";
import { checkHealth, goOffline, isSending, pump, resume, retry, submit } from "./outbox.js";
import { checkState } from "./resume.js";
import { isLogKey, KEY_AUTH, KEY_LANG, load, state } from "./store.js";
import { openTranscript, redraw } from "./transcript.js";

const STRINGS_RETRY_MS = 3000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function autosize() {
  const input = $("composer-input");
  input.style.height = ""; // CSSOM: fine under the CSP
  if (input.value) input.style.height = Math.min(input.scrollHeight + 4, 140) + "px"; // + the 2 px borders
}

function sendTyped() {
  const input = $("composer-input");
  const text = input.value;
  if (!text.trim()) return;
  input.value = "";
  autosize();
  submit(text, text);
}

function editFailed(rec) {
  const input = $("composer-input");
  input.value = rec.payload;
  autosize();
  input.focus();
}

function wireComposer() {
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    sendTyped();
  });
  $("composer-input").addEventListener("keydown", (e) => {
    // Enter sends, Shift+Enter is a new line; Enter that confirms a Chinese IME candidate is not a send.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      sendTyped();
    }
  });
  $("composer-input").addEventListener("input", autosize);
}

function wireHeader() {
  $("login-form").addEventListener("submit", onLogin);
  $("sign-out").addEventListener("click", signOut);
  for (const b of document.querySelectorAll(".lang-switch button")) {
    b.addEventListener("click", () => switchLanguage(b.dataset.lang).then(refreshList));
  }
  $("stop-drill").addEventListener("click", () => submit(t("page_stop"), STOP_PAYLOAD));
  $("progress-button").addEventListener("click", () => submit(t("button_progress"), "/my_progress"));
  $("drills-button").addEventListener("click", () => submit(t("page_drills"), "/list_drills"));
}

// A finished drill may complete an assignment: the list at the top follows.
function afterReplies(messages) {
  if (messages.some((m) => m && m.custom && m.custom.type === "scorecard")) refreshList();
}

const refreshList = () => state.auth && refreshAssigned($("assigned"), state.auth.token);

function wireWindow() {
  window.addEventListener("online", checkHealth);
  window.addEventListener("offline", goOffline);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    resume();
    checkState(); // the rep may have gone on with a drill on another device meanwhile
    refreshList(); // or a trainer assigned something
  });
  // Another tab of the same rep wrote the transcript: show its version.
  window.addEventListener("storage", (e) => {
    if (isLogKey(e.key) && !isSending()) openTranscript(state.auth.sender);
  });
}

// Nothing is drawn before the strings are here; with neither server nor a saved copy, keep trying.
async function loadStrings() {
  const stored = load(KEY_LANG, null);
  const lang = known(stored) ? stored : DEFAULT_LANG;
  while (!(await setLang(lang, false))) await sleep(STRINGS_RETRY_MS);
  document.body.dataset.ready = "true";
}

async function init() {
  Object.assign(hooks, { send: submit, retry, edit: editFailed, expired: () => askLogin(true), replyLang: followReply,
                         redraw, replied: afterReplies });
  wireComposer();
  wireHeader();
  wireWindow();
  const linkCode = codeFromLink(); // out of the address bar before anything else can fail
  await loadStrings();
  const auth = load(KEY_AUTH, null);
  if (linkCode) return signInFromLink(linkCode);
  if (!auth || !auth.token || !auth.sender) return askLogin(false);
  state.auth = authFrom(auth);
  await openTranscript(state.auth.sender);
  showChat();
  if (navigator.onLine === false) return goOffline();
  await checkState(); // before anything queued goes out: the page must know if a drill is running
  pump();
}

init();
