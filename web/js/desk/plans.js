// Assignments: create one (drills in order, for a rep or a team, with a due date) and see completion.
import { el, str } from "../dom.js";
import { currentLang, t } from "../i18n.js";
import { getJson, postJson } from "./api.js";
import { button, clear, day, errorText, panel, showError, table } from "./view.js";

function labelled(form, id, key, input) {
  const label = el("label", null, t(key));
  label.htmlFor = id;
  input.id = id;
  form.append(label, input);
  return input;
}

function option(value, text) {
  const o = el("option", null, text);
  o.value = value;
  return o;
}

// "rep:<id>" or "team:<name>" options, from the people list.
function targets(reps) {
  const select = el("select");
  const teams = new Set();
  for (const p of reps) {
    if (p.role !== "rep" || !p.active) continue;
    select.append(option("rep:" + p.person_id, t("desk_plan_for_rep", { name: str(p.name) })));
    if (p.team) teams.add(str(p.team));
  }
  for (const team of teams) select.append(option("team:" + team, t("desk_plan_for_team", { team })));
  return select;
}

// The ordered drill list of the plan being made.
function drillPicker(form, drills) {
  const chosen = [];
  const select = labelled(form, "plan-drill", "desk_plan_drills", el("select"));
  for (const d of drills) select.append(option(d.drill_id, `${str(d.title)} (${str(d.drill_id)})`));
  const listEl = el("ol", "desk-plan-drills");
  const draw = () => {
    clear(listEl);
    chosen.forEach((id, i) => {
      const li = el("li", null, id + " ");
      li.append(button(t("desk_plan_remove_drill"), () => { chosen.splice(i, 1); draw(); }, "linkish"));
      listEl.append(li);
    });
  };
  const add = button(t("desk_plan_add_drill"), () => {
    if (select.value && !chosen.includes(select.value)) chosen.push(select.value);
    draw();
  }, "hbtn desk-add-drill");
  add.id = "plan-add-drill";
  form.append(add, listEl);
  return { chosen, reset: () => { chosen.splice(0); draw(); } };
}

function targetBody(value) {
  const cut = value.indexOf(":");
  return value.slice(0, cut) === "rep" ? { rep_id: value.slice(cut + 1) } : { team: value.slice(cut + 1) };
}

async function newPlanForm(view, refresh) {
  const box = panel(view, t("desk_plan_new"));
  const [people, choices] = await Promise.all([getJson("trainer/reps"),
                                              getJson("trainer/choices?lang=" + encodeURIComponent(currentLang()))]);
  const form = el("form", "desk-form");
  form.noValidate = true;
  const title = labelled(form, "plan-title", "desk_plan_title", el("input"));
  title.maxLength = 120;
  const target = labelled(form, "plan-target", "desk_plan_for", targets(people.reps || []));
  const { chosen, reset } = drillPicker(form, choices.drills || []);
  const due = labelled(form, "plan-due", "desk_plan_due", el("input"));
  due.type = "date";
  due.value = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
  const error = el("p", "form-error");
  error.setAttribute("role", "alert");
  const submit = el("button", "big-button", t("desk_plan_submit"));
  Object.assign(submit, { type: "submit", id: "plan-submit" });
  form.append(error, submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = chosen.length ? "" : t("desk_plan_need_drill");
    if (!chosen.length) return;
    try {
      await postJson("trainer/assignments", { title: title.value, drill_ids: chosen, due_at: due.value,
                                              ...targetBody(target.value) });
      title.value = "";
      reset();
      refresh();
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
  box.append(form);
}

// Completion (coach.practice.assignments.completion): reps done of those targeted, then each rep's drills.
function completion(c, drillCount) {
  const part = el("div", "desk-completion");
  if (!c || typeof c !== "object") return part;
  part.append(el("p", "desk-plan-done", t("desk_plan_completion", { done: str(c.complete), total: str(c.total) })));
  const rows = (Array.isArray(c.reps) ? c.reps : []).map((rep) => [
    str(rep.name || rep.rep_id), `${Array.isArray(rep.done) ? rep.done.length : 0}/${drillCount}`,
    t(rep.complete ? "desk_assigned_done" : "desk_plan_open")]);
  if (rows.length) part.append(table([t("desk_col_name"), t("desk_tab_drills"), t("desk_col_status")], rows));
  return part;
}

function planItem(a, refresh, box) {
  const item = el("li", "desk-plan");
  item.append(el("p", "desk-plan-title", str(a.title)));
  const named = a.completion && Array.isArray(a.completion.reps) && a.completion.reps[0];
  const who = a.rep_id ? t("desk_plan_for_rep", { name: str((named && named.name) || a.rep_id) })
    : t("desk_plan_for_team", { team: str(a.team) });
  item.append(el("p", "meta", `${who} · ${t("desk_plan_due_on", { date: day(a.due_at) })}`));
  item.append(el("p", "meta", (a.drill_ids || []).map(str).join(" → ")));
  item.append(completion(a.completion, (a.drill_ids || []).length));
  item.append(button(t("desk_plan_delete"), async () => {
    if (!window.confirm(t("desk_plan_remove_confirm", { title: str(a.title) }))) return;
    try {
      await postJson("trainer/assignments/" + encodeURIComponent(a.assignment_id) + "/remove", {});
      refresh();
    } catch (e) {
      showError(box, e);
    }
  }, "chip chip-secondary desk-plan-delete"));
  return item;
}

export async function showPlans(view) {
  clear(view);
  const listBox = el("div");
  const refresh = async () => {
    clear(listBox);
    const box = panel(listBox, t("desk_plans_heading"),
                      { path: "trainer/export/assignments.csv", file: "coach-assignments.csv" });
    try {
      const body = await getJson("trainer/assignments");
      const items = el("ul", "desk-plans");
      for (const a of body.assignments || []) items.append(planItem(a, refresh, box));
      box.append(items.children.length ? items : el("p", "desk-empty", t("desk_plan_none")));
    } catch (e) {
      showError(box, e);
    }
  };
  try {
    await newPlanForm(view, refresh);
  } catch (e) {
    showError(view, e);
  }
  view.append(listBox);
  await refresh();
}
