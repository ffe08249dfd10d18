"""The trainer's desk routes (coach/server/channels/desk.py) called directly with a stand-in request.

The people, assignments and the results are real stores on a fresh database; the sign-in check is a
fake (a token names its person), the clock is fixed. The real server, with real tokens and Origin
checks: tests/integration/test_desk_access.py.
"""
from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import shutil
import threading
from types import SimpleNamespace
from typing import Any, Dict, List, Optional

import pytest

from coach.errors import InboundError
from coach.people import PeopleStore
from coach.practice.assignments import AssignmentStore
from coach.results.store import DrillResult, ResultsStore
from coach.server.channels import desk_input
from coach.server.channels.desk import Desk
from coach.server.channels.desk_data import Sources
from tests.conftest import HTML_NAME, SQL_NAMES

NOW = 1_790_000_000.0
DAY = 86400.0
PREFIX = "/webhooks/coach"


class Request(SimpleNamespace):
    """What the handlers read of a Sanic request."""


def request(path: str, body: Any = None, token: str = "", args: Optional[Dict[str, str]] = None,
            content_type: str = "application/json") -> Request:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else b""
    headers = {"content-type": content_type, "host": "coach.test"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return Request(path=PREFIX + path, body=raw, headers=headers, args=args or {}, scheme="http",
                   host="coach.test")


class Desks:
    """The desk with real stores on `results_db`; a token is "t:<person_id>"."""

    def __init__(self, db: Any) -> None:
        self.people = PeopleStore(db)
        self.plans = AssignmentStore(db, clock=lambda: NOW - 10 * DAY)
        self.results: List[DrillResult] = []
        self.threads: List[int] = []
        from coach.content.library import default_library

        self.sources = Sources(lambda: self.people, self._results, default_library, lambda: self.plans,
                               lambda: NOW)
        self.desk = Desk(self._person, self._trainer, self.sources)
        self.trainer, _ = self.people.invite("Trainer Tan", role="trainer", team="")

    def _results(self, rep_id: Optional[str] = None) -> List[DrillResult]:
        self.threads.append(threading.get_ident())
        return [r for r in self.results if rep_id is None or r.rep_id == rep_id]

    def _person(self, req: Request) -> Any:
        header = req.headers.get("authorization", "")
        found = self.people.get(header[9:]) if header.startswith("Bearer t:") else None
        if found is None or not found.active:
            raise InboundError(401, "Sign in again.")
        return found

    def _trainer(self, req: Request) -> Any:
        found = self._person(req)
        if found.role != "trainer":
            raise InboundError(403, "Trainers only.")
        return found

    def token(self, person: Any = None) -> str:
        return f"t:{(person or self.trainer).person_id}"

    def call(self, handler: str, path: str, body: Any = None, token: Optional[str] = None,
             **params: Any) -> Any:
        """(status, JSON or text) of one handler; an InboundError becomes its status and message."""
        req = request(path, body, self.token() if token is None else token, params.pop("args", None))
        try:
            answer = asyncio.run(getattr(self.desk, handler)(req, **params))
        except InboundError as exc:
            return exc.status, {"error": exc.message}
        is_json = answer.content_type.startswith("application/json")
        return answer.status, json.loads(answer.body.decode()) if is_json else answer

    def attempt(self, rep: Any, drill_id: str, score: int, days_ago: float, passed: Optional[bool] = None,
                objection: str = "objection_price") -> DrillResult:
        result = DrillResult(f"r{len(self.results)}", rep.person_id, drill_id, objection, 1, score,
                             score >= 60 if passed is None else passed, "goal", True, [["probe"]],
                             [{"turn": 1, "speaker": "customer", "text": "太贵了"},
                              {"turn": 1, "speaker": "rep", "text": "您是怕卖不动吗？", "moves": ["probe"],
                               "penalties": [["concession", -10]], "feedback": "识别到：探询"}],
                             NOW - days_ago * DAY - 600, NOW - days_ago * DAY)
        self.results.append(result)
        return result


@pytest.fixture
def desks(results_db) -> Desks:
    return Desks(results_db)


@pytest.fixture
def rep(desks):
    return desks.people.invite("王芳", team="华东")[0]


def _params(path: str) -> Dict[str, str]:
    return {name: "x" for name in re.findall(r"<(\w+)>", path)}


def test_every_trainer_route_refuses_a_rep_and_every_route_a_missing_token(desks, rep):
    routes = desks.desk.routes()
    trainer_routes = [r for r in routes if r.path.startswith("/trainer/")]
    assert len(trainer_routes) == 14
    for route in trainer_routes:
        req = request(route.path, {}, desks.token(rep))
        with pytest.raises(InboundError) as refused:
            asyncio.run(route.handler(req, **_params(route.path)))
        assert refused.value.status == 403, route.path
    for route in routes:
        if route.path == "/desk":
            continue
        with pytest.raises(InboundError) as refused:
            asyncio.run(route.handler(request(route.path, {}), **_params(route.path)))
        assert refused.value.status == 401, route.path


def test_the_desk_page_is_served_with_the_security_headers(desks):
    page = asyncio.run(desks.desk.desk_page(request("/desk")))
    assert page.status == 200 and "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_the_heat_map_shows_each_rep_and_reads_the_results_off_the_event_loop(desks, rep):
    other = desks.people.invite("Li Lei", team="华北")[0]
    desks.attempt(rep, "price_margin", 40, days_ago=20)
    desks.attempt(rep, "price_margin", 80, days_ago=2)
    status, body = desks.call("team", "/trainer/team")
    assert status == 200
    assert [row["name"] for row in body["rows"]] == ["王芳", "Li Lei"]  # by team (华东 < 华北), then name
    cell = body["rows"][0]["cells"]["objection_price"]
    assert (cell["best"], cell["latest"], cell["attempts"]) == (80, 80, 2)
    assert body["rows"][1]["cells"] == {} and other.person_id == body["rows"][1]["rep_id"]
    assert "objection_price" in body["objections"] and body["labels"]["objection_price"]
    assert desks.threads and threading.get_ident() not in desks.threads


@pytest.mark.parametrize("name", [*SQL_NAMES, HTML_NAME, "=HYPERLINK(\"x\")"])
def test_an_invite_gives_a_working_code_and_link_and_keeps_odd_names_as_data(desks, name):
    status, body = desks.call("invite", "/trainer/reps", {"name": name, "team": "<b>华东</b>"})
    assert status == 200
    assert body["person"]["name"] == name and body["person"]["team"] == "<b>华东</b>"
    assert body["link"] == f"http://coach.test{PREFIX}/#code={body['code']}"
    assert desks.people.sign_in(body["code"]).person_id == body["person"]["person_id"]
    assert desks.people.get(body["person"]["person_id"]).created_by == desks.trainer.person_id


@pytest.mark.parametrize("body, status, words", [
    ({}, 400, '"name" field is missing'), ({"name": 7}, 400, "must be text"), ({"name": "  "}, 400, "empty"),
    ({"name": "x" * 41}, 400, "at most 40"), ({"name": "a\u0000b"}, 400, "control characters"),
    ({"name": "Anna", "team": ["x"]}, 400, "must be text"), ({"name": "\ud800"}, 400, "broken Unicode"),
])
def test_an_invite_with_a_bad_field_says_what_to_fix(desks, body, status, words):
    got, answer = desks.call("invite", "/trainer/reps", body)
    assert got == status and words in answer["error"]
    assert [p.role for p in desks.people.people()] == ["trainer"]


def test_a_body_that_is_not_json_is_refused(desks):
    req = request("/trainer/reps", b"name=Anna", desks.token(), content_type="text/plain")
    with pytest.raises(InboundError) as refused:
        asyncio.run(desks.desk.invite(req))
    assert refused.value.status == 415


def test_revoke_and_new_code(desks, rep):
    status, body = desks.call("revoke", "/trainer/reps/x/revoke", {}, rep_id=rep.person_id)
    assert status == 200 and body["person"]["active"] is False
    status, body = desks.call("new_code", "/trainer/reps/x/code", {}, rep_id=rep.person_id)
    assert status == 200 and body["person"]["active"] is True
    assert desks.people.sign_in(body["code"]).person_id == rep.person_id
    for handler in ("revoke", "new_code"):
        assert desks.call(handler, "/trainer/reps/x", {}, rep_id="rep-nobody")[0] == 404
        # a trainer is not a rep: the desk does not revoke trainers (the CLI does)
        assert desks.call(handler, "/trainer/reps/x", {}, rep_id=desks.trainer.person_id)[0] == 404


def test_a_reps_detail_and_an_attempts_transcript(desks, rep):
    first = desks.attempt(rep, "price_margin", 40, days_ago=9)
    desks.attempt(rep, "no_money_small", 75, days_ago=3, objection="objection_no_money")
    status, body = desks.call("rep", "/trainer/reps/x", rep_id=rep.person_id)
    assert status == 200 and body["person"]["name"] == "王芳" and body["weakest"] == "objection_price"
    assert [a["drill_id"] for a in body["attempts"]] == ["no_money_small", "price_margin"]  # newest first
    assert body["trend"]["objection_price"][0]["score"] == 40 and body["pass_mark"] == 60
    status, body = desks.call("attempt", "/trainer/attempts/x", result_id=first.result_id)
    assert status == 200 and body["name"] == "王芳"
    rep_turn = [t for t in body["turns"] if t["speaker"] == "rep"][0]
    assert rep_turn["penalties"] == [["concession", -10]] and rep_turn["feedback"] == "识别到：探询"
    # Moves are named as the rep read them, in the desk's language; the title too.
    assert body["move_labels"]["concession"] == "让步" and body["title"] != "price_margin"
    english = desks.call("attempt", "/trainer/attempts/x", args={"lang": "en"}, result_id=first.result_id)[1]
    assert english["move_labels"]["concession"].lower().startswith("concession")
    assert set(english["move_labels"]) >= set(rep_turn["moves"])
    assert desks.call("rep", "/trainer/reps/x", rep_id="nobody")[0] == 404
    assert desks.call("attempt", "/trainer/attempts/x", result_id="' OR 1=1 --")[0] == 404


def test_the_drill_table_has_every_drill_of_the_library(desks, rep):
    desks.attempt(rep, "price_margin", 90, days_ago=1)
    status, body = desks.call("drills", "/trainer/drills", args={"lang": "en"})
    rows = {row["drill_id"]: row for row in body["drills"]}
    assert status == 200 and rows["price_margin"]["attempts"] == 1 and rows["price_margin"]["title"]
    assert isinstance(body["files"], list)
    assert desks.call("drills", "/trainer/drills", args={"lang": "fr"})[0] == 400


def test_the_drill_table_lists_broken_drill_files_with_where_and_how_to_fix(desks, tmp_path):
    from coach.content.library import DrillLibrary
    from coach.settings import DRILLS_DIR

    shutil.copy(DRILLS_DIR / "price_margin.yml", tmp_path / "price_margin.yml")
    (tmp_path / "broken.yml").write_text("schema_version: 1\nid: broken\n", encoding="utf-8")
    library = DrillLibrary(tmp_path)
    desks.sources.library = lambda: library
    status, body = desks.call("drills", "/trainer/drills")
    assert status == 200 and [row["drill_id"] for row in body["drills"]] == ["price_margin"]
    assert [f["file"] for f in body["files"]] == ["broken.yml"]
    problem = body["files"][0]["problems"][0]
    assert problem["code"] and problem["message"] and problem["fix"]


def _assign(desks: Desks, **fields: Any) -> Any:
    body = {"title": "本周练习", "drill_ids": ["price_margin", "no_money_small"], "due_at": "2026-12-31",
            **fields}
    return desks.call("assign", "/trainer/assignments", body)


def test_an_assignment_for_a_rep_shows_completion_and_only_that_rep_sees_it(desks, rep):
    other = desks.people.invite("Li Lei", team="华东")[0]
    status, body = _assign(desks, rep_id=rep.person_id)
    assert status == 200 and body["assignment"]["due_at"] == 1798761599.0  # the day's end, UTC
    desks.attempt(rep, "price_margin", 70, days_ago=1)
    status, body = desks.call("assignments", "/trainer/assignments")
    completion = body["assignments"][0]["completion"]
    assert completion["reps"][0]["done"] == ["price_margin"] and completion["total"] == 1
    status, mine = desks.call("my_assignments", "/me/assignments", token=desks.token(rep))
    assert [d["done"] for d in mine["assignments"][0]["drills"]] == [True, False]
    assert mine["assignments"][0]["next_drill"] == "no_money_small"
    assert mine["assignments"][0]["drills"][1]["title"]
    assert desks.call("my_assignments", "/me/assignments", token=desks.token(other))[1] == {"assignments": []}


def test_a_team_assignment_reaches_every_rep_of_the_team_and_can_be_removed(desks, rep):
    status, body = _assign(desks, team="华东", due_at=NOW - DAY)
    assert status == 200
    mine = desks.call("my_assignments", "/me/assignments", token=desks.token(rep))[1]["assignments"]
    assert mine[0]["overdue"] is True
    aid = body["assignment"]["assignment_id"]
    assert desks.call("unassign", "/trainer/assignments/x/remove", {}, assignment_id=aid)[0] == 200
    assert desks.call("unassign", "/trainer/assignments/x/remove", {}, assignment_id=aid)[0] == 404
    assert desks.call("my_assignments", "/me/assignments", token=desks.token(rep))[1] == {"assignments": []}


@pytest.mark.parametrize("fields, status, words", [
    ({"drill_ids": ["price_margin", "'; DROP TABLE assignments; --"]}, 404, "DROP TABLE"),
    ({"drill_ids": []}, 400, "list of drill ids"), ({"drill_ids": "price_margin"}, 400, "list of drill ids"),
    ({"drill_ids": ["price_margin", "price_margin"]}, 400, "twice"),
    ({"due_at": "next friday"}, 400, "2026-12-31"), ({"due_at": True}, 400, "due_at"),
    ({"due_at": 1_790_000_000_000}, 400, "seconds"), ({"title": "<script>" * 20}, 400, "at most 80"),
    ({"team": "华东"}, 400, "not both"), ({"rep_id": None}, 400, "either"),
    ({"rep_id": "rep-nobody"}, 404, "No rep"),
])
def test_a_bad_assignment_says_what_to_fix_and_stores_nothing(desks, rep, fields, status, words):
    got, body = _assign(desks, **{"rep_id": rep.person_id, **fields})
    assert got == status and words in body["error"]
    assert desks.plans.all() == []


def test_an_unknown_team_and_a_revoked_rep_get_no_assignment(desks, rep):
    assert _assign(desks, team="<img src=x>")[0] == 404
    desks.people.revoke(rep.person_id)
    assert _assign(desks, rep_id=rep.person_id)[0] == 409


def _csv(answer: Any) -> List[Dict[str, str]]:
    assert answer.content_type == "text/csv; charset=utf-8"
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=")
    assert answer.body.startswith("\ufeff".encode())  # a BOM: Excel then reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(answer.body.decode("utf-8-sig"))))


def test_each_table_exports_as_csv_with_formulas_defused(desks):
    rep, _ = desks.people.invite("=cmd|' /C calc'!A0", team="华东")
    desks.attempt(rep, "price_margin", 65, days_ago=1)
    _assign(desks, rep_id=rep.person_id)
    team = _csv(desks.call("export", "/trainer/export/x", name="team.csv")[1])
    assert team[0]["name"] == "'=cmd|' /C calc'!A0" and team[0]["best"] == "65"
    rows = _csv(desks.call("export", "/trainer/export/x", name="rep.csv", args={"rep": rep.person_id})[1])
    assert rows[0]["drill_id"] == "price_margin" and rows[0]["score"] == "65"
    assert rows[0]["finished_at"].endswith(" UTC")  # a date a trainer can read, not a unix time
    drills = _csv(desks.call("export", "/trainer/export/x", name="drills.csv")[1])
    assert any(r["drill_id"] == "price_margin" and r["attempts"] == "1" for r in drills)
    plans = _csv(desks.call("export", "/trainer/export/x", name="assignments.csv")[1])
    assert plans[0]["title"] == "本周练习" and plans[0]["done"] == "price_margin"
    assert desks.call("export", "/trainer/export/x", name="people.csv")[0] == 404
    assert desks.call("export", "/trainer/export/x", name="rep.csv")[0] == 400


def test_a_dry_run_replays_every_line_and_stores_nothing(desks, results_db):
    from coach.content.library import default_library
    from coach.service.dry_run import strategy_lines

    drill = default_library().get("exclusivity_volume")
    lines = strategy_lines(drill, "en") + ["one more line"]
    status, body = desks.call("try_drill", "/trainer/try",
                              {"drill_id": "exclusivity_volume", "lang": "en", "lines": lines})
    assert status == 200 and body["ended"] == "goal" and body["passed"] is True and body["ignored"] == 1
    assert body["turns"][0]["moves"] and body["turns"][0]["feedback"] and body["scorecard"]
    again = desks.call("try_drill", "/trainer/try", {"drill_id": "exclusivity_volume", "lang": "en",
                                                      "lines": lines[:1]})[1]
    assert again["turns"] == body["turns"][:1] and again["ended"] is None and again["scorecard"] is None
    with ResultsStore(results_db) as store:
        assert store.count() == 0


@pytest.mark.parametrize("body, status, words", [
    ({"drill_id": "no_such"}, 404, "No drill"), ({"drill_id": 3}, 400, "drill_id"),
    ({"drill_id": "price_margin", "lines": "hi"}, 400, "list"),
    ({"drill_id": "price_margin", "lines": ["ok", 5]}, 400, "Line 2"),
    ({"drill_id": "price_margin", "lines": ["x" * 2001]}, 400, "Line 1"),
    ({"drill_id": "price_margin", "lines": ["hi"] * 41}, 400, "at most 40"),
    ({"drill_id": "price_margin", "lang": "<b>"}, 400, "lang"),
])
def test_a_bad_dry_run_says_what_to_fix(desks, body, status, words):
    got, answer = desks.call("try_drill", "/trainer/try", body)
    assert got == status and words in answer["error"]


def test_a_dry_run_shows_html_in_a_line_back_as_the_same_text(desks):
    status, body = desks.call("try_drill", "/trainer/try", {"drill_id": "price_margin", "lines": [HTML_NAME]})
    assert status == 200 and body["turns"][0]["text"] == HTML_NAME


@pytest.mark.parametrize("value, expected", [
    ("2026-12-31", 1798761599.0), (1798761599, 1798761599.0), ("2026-12-31T08:00:00+08:00", 1798675200.0),
])
def test_due_dates_read(value, expected):
    assert desk_input.due_at(value) == expected


@pytest.mark.parametrize("value", [None, "", "31/12/2026", False, 12, float("nan"), "2026-02-30"])
def test_bad_due_dates_are_refused(value):
    with pytest.raises(InboundError):
        desk_input.due_at(value)
