// Switching the page's language: fetch its strings (once), relabel the page, tell the coach.
import { applyStrings } from "./chrome.js";
import { currentLang, ensure, known, LANG_NAMES, setCurrentLang } from "./i18n.js";
import { relabelBanner, submit } from "./outbox.js";
import { KEY_LANG, save, state } from "./store.js";
import { relabelPending } from "./transcript.js";

let wanted = null; // the last language asked for: a slower earlier request must not win

// Resolves false when the strings could not be had (offline, never fetched): the page stays as it is.
export async function setLang(lang, remember = true) {
  if (!known(lang)) return false;
  wanted = lang;
  const ready = await ensure(lang);
  if (!ready || wanted !== lang) return false;
  setCurrentLang(lang);
  if (remember) save(KEY_LANG, lang);
  applyStrings();
  relabelPending();
  relabelBanner();
  return true;
}

// The rep picked a language: the page follows and the coach is told, so its replies follow too.
export async function switchLanguage(lang) {
  await setLang(lang);
  if (state.auth && !state.needLogin) submit(LANG_NAMES[lang], '/switch_language{"language": "' + lang + '"}');
}

// The coach answered in another language (pinned by a switch, or the rep's own): the switch shows it.
export function followReply(lang) {
  if (lang !== currentLang()) setLang(lang);
}
