// Who is signed in: the person's own sign-in code (typed once per phone, or from the #code= link
// their trainer sent) gives a token; the server says whose it is (id, name, role, team).
// Nothing is pre-filled and no name is asked: the code names its person.
import { refreshAssigned } from "./assigned.js";
import { refreshChrome, showWho } from "./chrome.js";
import { $, str } from "./dom.js";
import { currentLang, DEFAULT_LANG, t } from "./i18n.js";
import { switchLanguage } from "./language.js";
import { postJson, readJson } from "./net.js";
import { pump } from "./outbox.js";
import { checkState } from "./resume.js";
import { dropTranscript, forget, KEY_AUTH, save, state } from "./store.js";
import { openTranscript, scrollToBottom } from "./transcript.js";

const LOGIN_TIMEOUT_MS = 15000;
const LINK_PREFIX = "#code=";
const MAX_CODE = 100; // as the server's coach/people/codes.py

export function askLogin(expired) {
  state.needLogin = !!expired;
  $("login-view").hidden = false;
  $("chat-view").hidden = true;
  $("chat-controls").hidden = true;
  $("whoami").hidden = true;
  $("login-error").textContent = expired ? t("page_login_expired") : "";
  $("login-code").value = "";
  $("login-code").focus();
}

export function showChat() {
  $("login-view").hidden = true;
  $("chat-view").hidden = false;
  $("chat-controls").hidden = false;
  showWho();
  refreshChrome();
  refreshAssigned($("assigned"), state.auth.token);
  scrollToBottom();
  // Laptops get the cursor in the input; phones don't get a keyboard thrown at them.
  if (matchMedia("(pointer: fine)").matches) $("composer-input").focus();
}

// The person as the page keeps them, from the server's sign-in answer (or an earlier visit's copy).
export function authFrom(body) {
  return { token: str(body.token), sender: str(body.sender), name: str(body.name || body.sender),
           role: str(body.role || "rep"), team: str(body.team || "") };
}

async function signedIn(auth) {
  const samePerson = state.auth && state.auth.sender === auth.sender;
  state.auth = auth;
  state.needLogin = false;
  save(KEY_AUTH, auth);
  $("login-code").value = ""; // the code is not kept, not even in the hidden form
  if (!samePerson) await openTranscript(auth.sender);
  showChat();
  // A drill this person runs elsewhere is shown first; a language switch sent now would be its reply.
  await checkState();
  // Someone who picked a language before signing in gets replies in it from the first message.
  if (!state.records.length && currentLang() !== DEFAULT_LANG) switchLanguage(currentLang());
  pump();
}

// The form's message for a refused sign-in.
function loginError(res, body) {
  if (res.status === 401) return t("page_err_code_wrong");
  if (res.status === 400 || res.status === 413) return t("page_err_code_format");
  if (res.status === 429) {
    const seconds = Number(res.headers.get("Retry-After")) || 60;
    return t("page_err_throttled", { minutes: Math.max(1, Math.ceil(seconds / 60)) });
  }
  return t("page_err_server") + (body && body.error ? " " + str(body.error) : "");
}

async function signInWith(code) {
  const button = $("login-submit");
  const error = $("login-error");
  button.disabled = true;
  error.textContent = "";
  try {
    const res = await postJson("login", { code }, LOGIN_TIMEOUT_MS);
    const body = await readJson(res);
    if (res.ok && body && body.token && body.sender) {
      await signedIn(authFrom(body));
    } else {
      error.textContent = loginError(res, body);
    }
  } catch (e) {
    error.textContent = t("page_err_network");
  } finally {
    button.disabled = false;
  }
}

export function onLogin(event) {
  event.preventDefault();
  const code = $("login-code").value.trim();
  if (!code || code.length > MAX_CODE) {
    $("login-error").textContent = t(code ? "page_err_code_format" : "page_err_code_empty");
    $("login-code").focus();
    return;
  }
  signInWith(code);
}

// A sign-in link (…/webhooks/coach/#code=…): its code, taken out of the address bar and history
// at once, so it is neither bookmarked nor shown to the next person using the phone.
export function codeFromLink() {
  const hash = location.hash;
  if (!hash.startsWith(LINK_PREFIX)) return "";
  history.replaceState(null, "", location.pathname + location.search);
  try {
    return decodeURIComponent(hash.slice(LINK_PREFIX.length)).trim();
  } catch (e) {
    return ""; // a broken %-escape: not a code
  }
}

// Sign in with a link's code; the form shows why if it is refused.
export function signInFromLink(code) {
  askLogin(false);
  $("login-code").value = code.slice(0, MAX_CODE);
  return signInWith(code);
}

// Sign out: this phone forgets the token and the conversation (the coach keeps the person's
// drills and results); the next person signs in with their own code.
export function signOut() {
  if (state.auth) dropTranscript(state.auth.sender);
  forget(KEY_AUTH);
  state.auth = null;
  state.records = [];
  state.els.clear();
  $("messages").replaceChildren();
  askLogin(false);
}
