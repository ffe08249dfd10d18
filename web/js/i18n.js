// Interface strings come from the server (GET strings?lang=…, built from coach/i18n/ui.yml), so the
// page and the coach never disagree. Each language is fetched once; the last copy is kept on the
// phone for a visit without a connection. Cards use the language the server wrote them in.
import { readJson, request } from "./net.js";
import { load, save } from "./store.js";

export const LANGS = ["zh-Hans", "zh-Hant", "en"];
export const DEFAULT_LANG = "zh-Hans";
// Each language named in itself (as the server's LANGUAGE_NAMES): the same in every interface language.
export const LANG_NAMES = { "zh-Hans": "简体中文", "zh-Hant": "繁體中文", en: "English" };
const FETCH_TIMEOUT_MS = 10000;
const cacheKey = (lang) => "coach.strings." + lang;

const catalogues = new Map(); // lang -> {key: text}
const inFlight = new Map(); // lang -> Promise<boolean>
let pageLang = DEFAULT_LANG;

export const known = (lang) => LANGS.includes(lang);
export const currentLang = () => pageLang;

async function fetchStrings(lang) {
  try {
    const res = await request("strings?lang=" + encodeURIComponent(lang), { method: "GET" }, FETCH_TIMEOUT_MS);
    const body = await readJson(res);
    if (res.ok && body && body.strings && typeof body.strings === "object") {
      save(cacheKey(lang), body.strings);
      return body.strings;
    }
  } catch (e) {
    // offline or timed out: fall back to the copy from an earlier visit
  }
  return load(cacheKey(lang), null);
}

// Resolves true once `lang`'s strings are here (from the server or the phone's copy), else false.
export function ensure(lang) {
  if (catalogues.has(lang)) return Promise.resolve(true);
  if (!inFlight.has(lang)) {
    const loading = fetchStrings(lang).then((strings) => {
      inFlight.delete(lang);
      if (strings) catalogues.set(lang, strings);
      return !!strings;
    });
    inFlight.set(lang, loading);
  }
  return inFlight.get(lang);
}

export function ensureAll(langs) {
  return Promise.all([...new Set(langs)].filter(known).map(ensure));
}

// Call once ensure(lang) has resolved true.
export function setCurrentLang(lang) {
  pageLang = lang;
}

function catalogue(lang) {
  return catalogues.get(lang) || catalogues.get(pageLang) || {};
}

export function has(key, lang) {
  return Object.prototype.hasOwnProperty.call(catalogue(lang), key);
}

// A string in `lang` (default: the page's), with {placeholders} filled in.
export function t(key, vars, lang) {
  let text = has(key, lang) ? String(catalogue(lang)[key]) : key;
  for (const [name, value] of Object.entries(vars || {})) text = text.split("{" + name + "}").join(String(value));
  return text;
}

// A server prompt used as a heading: "策略：" / "Strategy: " -> "策略" / "Strategy".
export function label(key, lang, vars) {
  return t(key, vars, lang).replace(/\s*[：:]\s*$/, "");
}
