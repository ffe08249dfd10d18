"""The trainer's desk over HTTP against the real coach: who may read and change what, and hostile input.

A rep reaches neither the desk's data nor another rep's results; a missing or forged token gets 401,
another site 403; SQL and HTML in every field the desk takes are kept and shown as plain data.
Route logic in detail: tests/unit/server/channels/test_desk.py.
"""
from __future__ import annotations

import time
import urllib.request
from typing import Any, Dict, List, Tuple

import pytest

from coach.people import PeopleStore
from coach.practice.assignments import AssignmentStore
from coach.results.store import DrillResult, ResultsStore
from tests.conftest import HTML_NAME, SQL_NAMES
from tests.integration.test_sign_in import PAGE, http, signed_in

HOSTILE = [*SQL_NAMES, HTML_NAME]
# Every trainer endpoint, with a body for the POSTs that would be valid from a trainer.
TRAINER_CALLS: List[Tuple[str, str, Any]] = [
    ("GET", "trainer/team", None), ("GET", "trainer/reps", None), ("GET", "trainer/drills", None),
    ("GET", "trainer/choices", None), ("GET", "trainer/assignments", None),
    ("POST", "trainer/reps", {"name": "Intruder", "team": "x"}),
    ("POST", "trainer/assignments", {"title": "t", "drill_ids": ["price_margin"], "due_at": "2030-01-01",
                                     "team": "华东"}),
    ("POST", "trainer/try", {"drill_id": "price_margin", "lines": ["您好"]}),
    ("GET", "trainer/export/team.csv", None), ("GET", "trainer/export/drills.csv", None),
    ("GET", "trainer/export/assignments.csv", None),
]


@pytest.fixture(scope="module")
def team(servers) -> Dict[str, Any]:
    """A trainer and two reps of one team, signed in; rep B has a finished attempt and an assignment."""
    trainer = signed_in(servers, "Trainer Tan", team="", role="trainer")
    rep_a, rep_b = signed_in(servers, "Rep A", team="华东"), signed_in(servers, "Rep B", team="华东")
    now = time.time()
    result = DrillResult(f"desk-access-{now}", rep_b["sender"], "price_margin", "objection_price", 1, 55,
                         False, "out_of_turns", False, [["probe"]],
                         [{"turn": 1, "speaker": "rep", "text": "B's secret line"}], now - 60, now)
    with ResultsStore(servers.results_db) as store:
        store.add(result)
    with AssignmentStore(servers.results_db) as plans:
        plan = plans.add("For B only", ["price_margin"], time.time() + 86400, trainer["sender"],
                         rep_id=rep_b["sender"])
    return {"trainer": trainer, "a": rep_a, "b": rep_b, "result_id": result.result_id,
            "assignment_id": plan.assignment_id}


def _rep_paths(team: Dict[str, Any]) -> List[Tuple[str, str, Any]]:
    b = team["b"]["sender"]
    return [*TRAINER_CALLS, ("GET", f"trainer/reps/{b}", None), ("POST", f"trainer/reps/{b}/revoke", {}),
            ("POST", f"trainer/reps/{b}/code", {}), ("GET", f"trainer/attempts/{team['result_id']}", None),
            ("GET", f"trainer/export/rep.csv?rep={b}", None),
            ("POST", f"trainer/assignments/{team['assignment_id']}/remove", {})]


def test_a_rep_reaches_no_trainer_endpoint_and_nothing_changes(servers, team):
    for method, path, body in _rep_paths(team):
        status, answer, _ = http(servers.port, method, path, body, token=team["a"]["token"])
        assert status == 403 and "trainer" in answer["error"].lower(), (path, status, answer)
    with PeopleStore(servers.results_db) as people:
        assert people.get(team["b"]["sender"]).active
        assert "Intruder" not in [p.name for p in people.people()]
    with AssignmentStore(servers.results_db) as plans:
        assert team["assignment_id"] in [a.assignment_id for a in plans.all()]


def test_a_rep_sees_their_own_assignments_and_nobody_elses(servers, team):
    status, mine, headers = http(servers.port, "GET", "me/assignments", token=team["a"]["token"])
    assert status == 200 and mine == {"assignments": []} and headers["cache-control"] == "no-store"
    status, theirs, _ = http(servers.port, "GET", "me/assignments", token=team["b"]["token"])
    assert [a["title"] for a in theirs["assignments"]] == ["For B only"]
    assert "B's secret line" not in str(mine)


@pytest.mark.parametrize("token", [None, "", "forged.token", "a.b.c", "x" * 3000])
def test_no_or_a_forged_token_gets_401_everywhere(servers, team, token):
    for method, path, body in [*_rep_paths(team), ("GET", "me/assignments", None)]:
        status, answer, _ = http(servers.port, method, path, body, token=token)
        assert status == 401 and answer["error"], (path, status)


def test_another_sites_page_is_refused_even_with_a_trainers_token(servers, team):
    for method, path, body in [*TRAINER_CALLS[:6], ("GET", "me/assignments", None)]:
        status, _, _ = http(servers.port, method, path, body, token=team["trainer"]["token"],
                            headers={"Origin": "https://evil.example"})
        assert status == 403, path


def test_the_desk_page_has_the_strict_content_policy(servers):
    with urllib.request.urlopen(f"http://127.0.0.1:{servers.port}{PAGE}desk", timeout=30) as page:
        policy = page.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert b"static/js/desk/main.js" in page.read()


@pytest.mark.parametrize("text", HOSTILE)
def test_sql_and_html_in_names_and_teams_are_kept_as_data(servers, team, text):
    token = team["trainer"]["token"]
    status, body, _ = http(servers.port, "POST", "trainer/reps", {"name": text[:40], "team": text[:40]},
                           token=token)
    assert status == 200 and body["person"]["name"] == text[:40] and body["link"].endswith(body["code"])
    reps = http(servers.port, "GET", "trainer/reps", token=token)[1]["reps"]
    assert {"name": text[:40], "team": text[:40]}.items() <= next(
        p for p in reps if p["person_id"] == body["person"]["person_id"]).items()
    rows = http(servers.port, "GET", "trainer/team", token=token)[1]["rows"]
    assert text[:40] in [row["name"] for row in rows]
    status, plan, _ = http(servers.port, "POST", "trainer/assignments", token=token, body={
        "title": text, "drill_ids": ["price_margin"], "due_at": "2030-01-01", "team": text[:40]})
    assert status == 200 and plan["assignment"]["title"] == text
    listed = http(servers.port, "GET", "trainer/assignments", token=token)[1]["assignments"]
    assert text in [a["title"] for a in listed]


@pytest.mark.parametrize("text", HOSTILE)
def test_sql_and_html_in_ids_dates_and_lines_get_a_clear_answer(servers, team, text):
    token = team["trainer"]["token"]
    plan = {"title": "x", "drill_ids": ["price_margin"], "due_at": "2030-01-01",
            "rep_id": team["b"]["sender"]}
    status, body, _ = http(servers.port, "POST", "trainer/assignments", {**plan, "drill_ids": [text]},
                           token=token)
    assert status == 404 and "unknown drill id" in body["error"]
    status, body, _ = http(servers.port, "POST", "trainer/assignments", {**plan, "due_at": text}, token=token)
    assert status == 400 and "due_at" in body["error"]
    status, body, _ = http(servers.port, "POST", "trainer/assignments", {**plan, "rep_id": text}, token=token)
    assert status == 404 and "No rep" in body["error"]
    status, body, _ = http(servers.port, "POST", "trainer/try", {"drill_id": text, "lines": []}, token=token)
    assert status == 404 and "No drill" in body["error"]
    status, body, _ = http(servers.port, "POST", "trainer/try", {"drill_id": "price_margin", "lines": [text]},
                           token=token)
    assert status == 200 and body["turns"][0]["text"] == text
    for path in (f"trainer/reps/{text}", f"trainer/attempts/{text}"):
        quoted = urllib.request.quote(path)
        assert http(servers.port, "GET", quoted, token=token)[0] == 404


@pytest.mark.parametrize("body, status", [
    (b'{"name": "\\ud800", "team": ""}', 400), (b'{"name": "' + b"x" * 5000 + b'"}', 400),
    (b'{"name": "a\\u0000b"}', 400), (b'{"name": ["x"]}', 400), (b"not json", 400), (b"[]", 400),
])
def test_odd_unicode_and_odd_bodies_are_a_clear_4xx(servers, team, body, status):
    got, answer, _ = http(servers.port, "POST", "trainer/reps", body, token=team["trainer"]["token"])
    assert got == status and answer["error"]


def test_a_csv_export_downloads_as_an_attachment(servers, team):
    request = urllib.request.Request(f"http://127.0.0.1:{servers.port}{PAGE}trainer/export/team.csv",
                                     headers={"Authorization": f"Bearer {team['trainer']['token']}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert answer.headers["Content-Disposition"] == 'attachment; filename="coach-team.csv"'
        # A byte-order mark first, so that Excel reads the Chinese names as UTF-8.
        assert answer.read().decode().startswith("\ufeffrep_id,name,team,objection,best")
