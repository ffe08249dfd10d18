"""The trainer's desk engines: heatmap, one rep's detail, one attempt turn by turn; all JSON-ready."""
from __future__ import annotations

import json

from coach.desk.analytics import attempt_detail, drill_table, heatmap, rep_detail
from tests.unit.practice.attempts import DAY, T0, Person, attempt
from tests.unit.service.conftest import ALL

PEOPLE = [Person("rep-wang", "王小明", "north"), Person("rep-li", "李丽", "north"),
          Person("rep-new", "New Rep", "north"), Person("rep-zhao", "赵强", "south")]
RESULTS = [
    attempt("w1", "rep-wang", "price_margin", 40, day=0),
    attempt("w2", "rep-wang", "price_comparable", 85, day=1),
    attempt("w3", "rep-wang", "price_margin", 72, day=2),
    attempt("w4", "rep-wang", "policy_needs", 30, day=2),
    attempt("we", "rep-wang", "no_money_small", 0, day=3, turns=0),  # no reply: left out everywhere
    attempt("l1", "rep-li", "price_margin", 95, day=1),
    attempt("x1", "rep-gone", "price_margin", 10, day=1),  # not among the people shown
]
COLUMNS = ["objection_price", "objection_policy", "objection_no_money"]


def _json_ready(value) -> bool:
    return json.loads(json.dumps(value)) == value


def test_heatmap_one_row_per_person_one_cell_per_attempted_objection():
    body = heatmap(RESULTS, PEOPLE, COLUMNS, now=T0 + 2.5 * DAY)
    assert body["objections"] == COLUMNS and _json_ready(body)
    assert [(r["team"], r["rep_id"]) for r in body["rows"]] == [
        ("north", "rep-new"), ("north", "rep-li"), ("north", "rep-wang"), ("south", "rep-zhao")]
    wang = next(r for r in body["rows"] if r["rep_id"] == "rep-wang")
    assert wang["name"] == "王小明" and set(wang["cells"]) == {"objection_price", "objection_policy"}
    # price: failed on day 0, passed its reviews on days 1 and 2: next review 7 days after day 2
    price = {"best": 85, "latest": 72, "attempts": 3, "last_at": T0 + 2 * DAY, "overdue": False,
             "due_at": T0 + 9 * DAY}
    assert wang["cells"]["objection_price"] == price
    assert wang["cells"]["objection_policy"]["overdue"] is False
    assert next(r for r in body["rows"] if r["rep_id"] == "rep-new")["cells"] == {}


def test_heatmap_marks_overdue_reviews_and_adds_unlisted_objections():
    body = heatmap(RESULTS, PEOPLE[:1], ["objection_policy"], now=T0 + 3 * DAY)
    assert body["objections"] == ["objection_policy", "objection_price"]
    cells = body["rows"][0]["cells"]
    assert cells["objection_policy"]["overdue"] is True
    assert cells["objection_policy"]["due_at"] == T0 + 3 * DAY


def test_rep_detail_trend_weakest_due_and_attempts_newest_first():
    body = rep_detail("rep-wang", RESULTS, now=T0 + 3 * DAY)
    assert _json_ready(body) and body["rep_id"] == "rep-wang"
    assert [p["result_id"] for p in body["trend"]["objection_price"]] == ["w1", "w2", "w3"]
    assert body["trend"]["objection_price"][0] == {"at": T0, "score": 40, "passed": False,
                                                   "drill_id": "price_margin", "result_id": "w1"}
    assert body["weakest"] == "objection_policy"
    assert [d["objection"] for d in body["due"]] == ["objection_policy", "objection_price"]
    assert body["due"][0]["overdue"] is True
    assert [a["result_id"] for a in body["attempts"]] == ["w4", "w3", "w2", "w1"]
    assert body["attempts"][0] == {"result_id": "w4", "drill_id": "policy_needs",
                                   "objection": "objection_policy", "difficulty": 2, "score": 30,
                                   "passed": False, "outcome": "out_of_turns",
                                   "truth_uncovered": False, "turns": 3, "finished_at": T0 + 2 * DAY}


def test_rep_detail_pass_mark_raises_the_bar():
    strict = rep_detail("rep-wang", RESULTS, now=T0, pass_mark=80)
    assert [p["passed"] for p in strict["trend"]["objection_price"]] == [False, True, False]


def test_rep_detail_of_a_rep_without_attempts():
    assert rep_detail("rep-new", RESULTS, now=T0) == {"rep_id": "rep-new", "trend": {}, "weakest": None,
                                                     "due": [], "attempts": []}


def test_attempt_detail_reads_each_turn():
    body = attempt_detail(RESULTS[0])
    assert _json_ready(body)
    assert {k: body[k] for k in ("result_id", "rep_id", "drill_id", "score", "passed", "outcome")} == \
        {"result_id": "w1", "rep_id": "rep-wang", "drill_id": "price_margin", "score": 40, "passed": False,
         "outcome": "out_of_turns"}
    assert body["started_at"] == T0 - 300 and body["finished_at"] == T0 and body["truth_uncovered"] is False
    opening, first, _, second = body["turns"][:4]
    assert opening == {"turn": 0, "speaker": "customer", "text": "你们的价格太贵了。", "moves": [],
                       "penalties": [], "feedback": None}
    assert first["moves"] == ["acknowledge", "compare"]
    assert first["feedback"] == "你说：「理解，您跟哪家比的？」"
    assert second["penalties"] == [["concession", 15]]


def test_attempt_detail_of_an_older_result_takes_moves_from_the_result():
    older = attempt("old", detailed=False)
    rep_turns = [t for t in attempt_detail(older)["turns"] if t["speaker"] == "rep"]
    assert [t["moves"] for t in rep_turns] == older.moves
    assert all(t["penalties"] == [] and t["feedback"] is None for t in rep_turns)


def test_drill_table_is_the_reports_and_json_ready():
    rows = drill_table(RESULTS, ALL, "zh-Hans")
    assert _json_ready(rows)
    margin = next(r for r in rows if r["drill_id"] == "price_margin")
    assert margin["attempts"] == 4 and margin["top_penalty"] == "concession"
    # the attempt without a reply is left out
    assert next(r for r in rows if r["drill_id"] == "no_money_small")["attempts"] == 0
