// Reps: invite one (the code and link are shown once, to hand over), give a new code, revoke.
import { el, str } from "../dom.js";
import { t } from "../i18n.js";
import { getJson, postJson } from "./api.js";
import { button, clear, day, errorText, panel, showError, table } from "./view.js";

function field(form, id, key, maxLength) {
  const label = el("label", null, t(key));
  label.htmlFor = id;
  const input = el("input");
  Object.assign(input, { id, type: "text", maxLength, autocomplete: "off" });
  form.append(label, input);
  return input;
}

// The code and link of a new or renewed sign-in, shown once.
function handOver(box, body) {
  const old = box.querySelector(".desk-handover");
  if (old) old.remove();
  const part = el("div", "desk-handover");
  part.setAttribute("role", "status");
  part.append(el("p", null, t("desk_invite_done", { name: str(body.person && body.person.name) })));
  part.append(el("p", "desk-label", t("desk_code")), el("code", "desk-code", str(body.code)));
  part.append(el("p", "desk-label", t("desk_link")), el("code", "desk-link", str(body.link)));
  box.append(part);
}

function inviteForm(view, refresh) {
  const box = panel(view, t("desk_invite_heading"));
  const form = el("form", "desk-form");
  form.noValidate = true;
  const name = field(form, "invite-name", "desk_col_name", 40);
  const team = field(form, "invite-team", "desk_col_team", 40);
  const error = el("p", "form-error");
  error.setAttribute("role", "alert");
  const submit = el("button", "big-button", t("desk_invite_submit"));
  submit.type = "submit";
  submit.id = "invite-submit";
  form.append(error, submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      handOver(box, await postJson("trainer/reps", { name: name.value, team: team.value }));
      name.value = "";
      refresh();
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      submit.disabled = false;
    }
  });
  box.append(form);
  return box;
}

function actions(person, notice, refresh) {
  const wrap = el("span", "desk-actions");
  if (person.role !== "rep") return wrap;
  const act = async (path, confirmKey) => {
    if (confirmKey && !window.confirm(t(confirmKey, { name: str(person.name) }))) return;
    try {
      const body = await postJson("trainer/reps/" + encodeURIComponent(person.person_id) + "/" + path, {});
      clear(notice);
      if (body.code) handOver(notice, body);
      refresh();
    } catch (e) {
      showError(clear(notice), e);
    }
  };
  wrap.append(button(t("desk_new_code"), () => act("code"), "chip desk-new-code"));
  if (person.active) wrap.append(button(t("desk_revoke"), () => act("revoke", "desk_revoke_confirm"), "chip chip-secondary desk-revoke"));
  return wrap;
}

async function listPeople(box, notice, refresh) {
  const body = await getJson("trainer/reps");
  const rows = (body.reps || []).map((p) => [
    str(p.name), str(p.team), p.role === "trainer" ? t("desk_role_trainer") : "",
    t(p.active ? "desk_active" : "desk_revoked"), day(p.created_at), actions(p, notice, refresh),
  ]);
  box.append(table([t("desk_col_name"), t("desk_col_team"), "", t("desk_col_status"), t("desk_col_when"), ""],
                   rows, "desk-people"));
}

export async function showPeople(view) {
  clear(view);
  const listBox = el("div");
  const notice = el("div", "desk-notice");
  const refresh = async () => {
    clear(listBox);
    const box = panel(listBox, t("desk_people_heading"));
    try {
      await listPeople(box, notice, refresh);
    } catch (e) {
      showError(box, e);
    }
  };
  inviteForm(view, refresh).append(notice);
  view.append(listBox);
  await refresh();
}
