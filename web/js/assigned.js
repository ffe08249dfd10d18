// The rep's "assigned to you" list on the chat page: their own assignments (GET me/assignments),
// open ones first, each with its due date and a start button per drill that is not done yet.
// The button says /start_drill through the chat like any other chip (hooks.send).
import { el, str } from "./dom.js";
import { currentLang, t } from "./i18n.js";
import { hooks } from "./hooks.js";
import { readJson, request } from "./net.js";

const TIMEOUT_MS = 10000;

function dueText(a) {
  const date = new Date(Number(a.due_at) * 1000).toLocaleDateString(currentLang());
  return t("desk_plan_due_on", { date }) + (a.overdue ? " · " + t("desk_plan_overdue") : "");
}

function drillChip(drill, isNext) {
  const title = str(drill.title || drill.drill_id);
  if (drill.done) return el("span", "chip chip-secondary assigned-done", title + " · " + t("desk_assigned_done"));
  const chip = el("button", "chip assigned-start", t("desk_assigned_start", { title }));
  chip.type = "button";
  chip.dataset.drill = str(drill.drill_id);
  if (isNext) chip.dataset.next = "true";
  const payload = "/start_drill" + JSON.stringify({ drill_id: str(drill.drill_id) });
  chip.addEventListener("click", () => hooks.send(title, payload));
  return chip;
}

function item(a) {
  const box = el("div", "card assigned-item" + (a.overdue ? " assigned-overdue" : ""));
  box.dataset.assignment = str(a.assignment_id);
  box.append(el("p", "card-title", str(a.title)), el("p", "meta", dueText(a)));
  const chips = el("div", "chips");
  for (const drill of Array.isArray(a.drills) ? a.drills : []) chips.append(drillChip(drill, drill.drill_id === a.next_drill));
  box.append(chips);
  return box;
}

// Fills `container` with the list, open ones first (empty when nothing is assigned); resolves to the
// number shown.
// Fails quietly: the chat works without it, and a 401 is the chat's own business.
export async function refreshAssigned(container, token) {
  let body = null;
  try {
    const res = await request("me/assignments?lang=" + encodeURIComponent(currentLang()),
                              { method: "GET", headers: { Authorization: "Bearer " + token } }, TIMEOUT_MS);
    body = res.ok ? await readJson(res) : null;
  } catch (e) {
    body = null;
  }
  const items = body && Array.isArray(body.assignments) ? body.assignments : [];
  const isOpen = (a) => (Array.isArray(a.drills) ? a.drills : []).some((d) => !d.done);
  const sorted = [...items.filter(isOpen), ...items.filter((a) => !isOpen(a))];
  container.replaceChildren();
  if (!sorted.length) return 0;
  container.append(el("p", "kicker", t("desk_assigned_heading")), ...sorted.map(item));
  return sorted.length;
}
