// The trainer's desk: start-up, the sign-in gate, the language switch and the views (tabs).
// Views: team (heat map) → rep (trend, attempts, transcripts); people; drills; assignments; dry run.
import { $, str } from "../dom.js";
import { DEFAULT_LANG, ensure, known, setCurrentLang, t } from "../i18n.js";
import { KEY_LANG, load, save } from "../store.js";
import { readAuth, session } from "./api.js";
import { showDrills } from "./drills.js";
import { showTeam } from "./heatmap.js";
import { showPeople } from "./people.js";
import { showPlans } from "./plans.js";
import { showRep } from "./rep.js";
import { showTry } from "./tryout.js";

const VIEWS = { team: showTeam, people: showPeople, drills: showDrills, plans: showPlans, try: showTry };
let current = { view: "team", rep: null };

function applyStrings() {
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.title = t("desk_title");
}

function gate(key) {
  $("gate-text").textContent = t(key);
  $("gate").hidden = false;
  $("desk-tabs").hidden = true;
  for (const view of document.querySelectorAll(".desk-view")) view.hidden = true;
}

function openRep(repId) {
  current = { view: "team", rep: repId };
  show();
}

async function show() {
  const name = current.rep ? "rep" : current.view;
  for (const view of document.querySelectorAll(".desk-view")) view.hidden = view.dataset.view !== name;
  for (const tab of document.querySelectorAll(".desk-tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.view === current.view));
  }
  if (current.rep) return showRep($("view-rep"), current.rep, () => { current.rep = null; show(); });
  return VIEWS[current.view]($("view-" + current.view), openRep);
}

async function setLang(lang) {
  if (!known(lang) || !(await ensure(lang))) return false;
  setCurrentLang(lang);
  save(KEY_LANG, lang);
  document.documentElement.lang = lang;
  for (const b of document.querySelectorAll(".lang-switch button")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  }
  applyStrings();
  return true;
}

function wire() {
  for (const b of document.querySelectorAll(".lang-switch button")) {
    b.addEventListener("click", async () => {
      if ((await setLang(b.dataset.lang)) && session.auth && $("gate").hidden) show();
    });
  }
  for (const tab of document.querySelectorAll(".desk-tab")) {
    tab.addEventListener("click", () => {
      current = { view: tab.dataset.view, rep: null };
      show();
    });
  }
  session.onRefused = (status) => gate(status === 401 ? "desk_gate_signin" : "desk_gate_not_trainer");
}

async function init() {
  wire();
  const stored = load(KEY_LANG, null);
  if (!(await setLang(known(stored) ? stored : DEFAULT_LANG))) await setLang(DEFAULT_LANG);
  document.body.dataset.ready = "true";
  const auth = readAuth();
  if (!auth) return gate("desk_gate_signin");
  if (auth.role !== "trainer") return gate("desk_gate_not_trainer");
  session.auth = auth;
  $("whoami-name").textContent = str(auth.name);
  $("whoami").hidden = false;
  $("desk-tabs").hidden = false;
  show();
}

init();
