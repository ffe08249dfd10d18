// Who the rep is: a name (their scores are kept under it) and the team's access code.
import { refreshChrome } from "./chrome.js";
import { $, str } from "./dom.js";
import { currentLang, DEFAULT_LANG, t } from "./i18n.js";
import { switchLanguage } from "./language.js";
import { postJson, readJson } from "./net.js";
import { pump } from "./outbox.js";
import { checkState } from "./resume.js";
import { KEY_AUTH, save, state } from "./store.js";
import { openTranscript, scrollToBottom } from "./transcript.js";

const LOGIN_TIMEOUT_MS = 15000;
const MAX_NAME = 40;

export function askLogin(expired) {
  state.needLogin = !!expired;
  $("login-view").hidden = false;
  $("chat-view").hidden = true;
  $("chat-controls").hidden = true;
  $("whoami").hidden = true;
  $("login-error").textContent = expired ? t("page_login_expired") : "";
  $("login-name").value = state.auth ? state.auth.name : "";
  $("login-cancel").hidden = !state.auth || expired; // after a 401 the old token is no use
  if (!expired || !state.auth) $("login-name").focus();
}

export function showChat() {
  $("login-view").hidden = true;
  $("chat-view").hidden = false;
  $("chat-controls").hidden = false;
  $("whoami").hidden = false;
  $("whoami-name").textContent = state.auth.name;
  refreshChrome();
  scrollToBottom();
  // Laptops get the cursor in the input; phones don't get a keyboard thrown at them.
  if (matchMedia("(pointer: fine)").matches) $("composer-input").focus();
}

async function signedIn(auth) {
  const sameRep = state.auth && state.auth.sender === auth.sender;
  state.auth = auth;
  state.needLogin = false;
  save(KEY_AUTH, auth);
  if (!sameRep) await openTranscript(auth.sender);
  showChat();
  // A drill this rep runs elsewhere is shown first; a language switch sent now would be its reply.
  await checkState();
  // A rep who picked a language before logging in gets replies in it from the first message.
  if (!state.records.length && currentLang() !== DEFAULT_LANG) switchLanguage(currentLang());
  pump();
}

// The form's message for a refused login.
function loginError(res, body) {
  if (res.status === 401) {
    $("login-code").focus();
    return t("page_err_code");
  }
  if (res.status === 400) return t("page_err_name");
  return t("page_err_server") + (body && body.error ? " " + str(body.error) : "");
}

export async function onLogin(event) {
  event.preventDefault();
  const name = $("login-name").value.trim();
  const error = $("login-error");
  if (!name || Array.from(name).length > MAX_NAME) {
    error.textContent = t("page_err_name");
    $("login-name").focus();
    return;
  }
  const button = $("login-submit");
  button.disabled = true;
  error.textContent = "";
  try {
    const res = await postJson("login", { name, code: $("login-code").value }, LOGIN_TIMEOUT_MS);
    const body = await readJson(res);
    if (res.ok && body && body.token) {
      await signedIn({ token: str(body.token), sender: str(body.sender || name), name: str(body.name || name) });
    } else {
      error.textContent = loginError(res, body);
    }
  } catch (e) {
    error.textContent = t("page_err_network");
  } finally {
    button.disabled = false;
  }
}
