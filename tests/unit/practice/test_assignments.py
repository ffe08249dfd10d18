"""Assignments: the store (add, remove, per rep), the checks, completion and the rep's own list."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterator

import pytest

from coach import cache
from coach.practice import assignments as plans
from coach.practice.assignments import AssignmentStore, check_drill_ids, completion, my_assignments
from coach.results.store import ResultsStore
from tests.unit.practice.attempts import DAY, T0, Person, attempt

CREATED = T0 - DAY
PEOPLE = [Person("rep-wang", "王小明", "north"), Person("rep-li", "李丽", "north"),
          Person("rep-zhao", "赵强", "south")]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AssignmentStore]:
    with AssignmentStore(tmp_path / "results.db", clock=lambda: CREATED) as opened:
        yield opened


def test_add_list_and_remove(store: AssignmentStore) -> None:
    later = store.add("价格异议工作坊", ["price_margin", "price_comparable"], T0 + 7 * DAY, "trainer-1",
                      team="north")
    sooner = store.add("Follow-up", ["policy_needs"], T0 + 2 * DAY, "trainer-1", rep_id="rep-zhao")
    assert later.drill_ids == ("price_margin", "price_comparable") and later.created_at == CREATED
    assert [a.assignment_id for a in store.all()] == [sooner.assignment_id, later.assignment_id]
    assert store.all()[1] == later  # every field reads back
    assert store.for_rep("rep-wang", "north") == [later]
    assert store.for_rep("rep-zhao", "south") == [sooner]
    assert store.for_rep("rep-new", "") == []
    assert store.remove(later.assignment_id) is True
    assert store.remove(later.assignment_id) is False and store.remove("nope") is False
    assert store.all() == [sooner]


@pytest.mark.parametrize("changes, message", [
    ({"drill_ids": []}, "drill_ids must be a list of 1 to"),
    ({"drill_ids": "price_margin"}, "drill_ids must be a list"),
    ({"drill_ids": ["price_margin", "price_margin"]}, "lists a drill twice"),
    ({"title": "x" * 81}, "title must be text of 1 to 80 characters"),
    ({"title": "   "}, "title must be text"),
    ({"rep_id": "rep-wang", "team": "north"}, "exactly one of rep_id and team"),
    ({"team": None}, "exactly one of rep_id and team"),
    ({"due_at": "tomorrow"}, "due_at must be a unix time"),
    ({"created_by": ""}, "created_by must be"),
])
def test_bad_assignments_are_refused_with_what_to_fix(store: AssignmentStore, changes, message) -> None:
    arguments = {"title": "Workshop", "drill_ids": ["price_margin"], "due_at": T0, "created_by": "trainer-1",
                 "rep_id": None, "team": "north", **changes}
    with pytest.raises(ValueError, match=message):
        store.add(**arguments)
    assert store.all() == []


def test_every_problem_is_listed_at_once(store: AssignmentStore) -> None:
    with pytest.raises(ValueError) as caught:
        store.add("", [], T0, "trainer-1")
    text = str(caught.value)
    assert "title" in text and "drill_ids" in text and "rep_id and team" in text


def test_check_drill_ids_names_the_unknown_ones() -> None:
    check_drill_ids(["price_margin"], ["price_margin", "policy_needs"])
    with pytest.raises(ValueError, match="'nope', 'gone'") as caught:
        check_drill_ids(["price_margin", "nope", "gone"], ["price_margin"])
    assert "price_margin" not in str(caught.value)


def test_team_of_reads_the_people_table(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    ResultsStore(path).close()  # creates the tables
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO people VALUES ('rep-wang', '王小明', 'rep', 'north', 'h', 1, 0, 't', NULL)")
        conn.execute("INSERT INTO people VALUES ('rep-gone', 'Gone', 'rep', 'south', 'h', 1, 0, 't', 5)")
    with AssignmentStore(path) as store:
        assert store.team_of("rep-wang") == "north"
        assert store.team_of("rep-gone") == "" and store.team_of("nobody") == ""


def test_the_default_store_follows_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COACH_RESULTS_DB", str(tmp_path / "one.db"))
    first = plans.default_assignments()
    assert first is plans.default_assignments() and plans.team_of("rep-wang") == ""
    monkeypatch.setenv("COACH_RESULTS_DB", str(tmp_path / "two.db"))
    second = plans.default_assignments()
    assert second is not first and first.closed
    cache.reset_all()
    assert second.closed


def test_completion_per_targeted_rep(store: AssignmentStore) -> None:
    plan = store.add("Price week", ["price_margin", "price_comparable"], T0 + 7 * DAY, "trainer-1",
                     team="north")
    results = [attempt("w1", "rep-wang", "price_margin", 85, day=1),
               attempt("w2", "rep-wang", "price_comparable", 50, day=2),
               attempt("l1", "rep-li", "price_margin", 40, day=1),
               attempt("l0", "rep-li", "price_comparable", 90, day=-3),  # before the assignment
               attempt("le", "rep-li", "price_comparable", 0, day=2, turns=0),  # no reply
               attempt("z1", "rep-zhao", "price_margin", 90, day=1)]  # another team
    body = completion(plan, results, PEOPLE)
    assert body["assignment_id"] == plan.assignment_id and body["target"] == {"team": "north"}
    assert body["drill_ids"] == ["price_margin", "price_comparable"] and body["due_at"] == T0 + 7 * DAY
    assert body["reps"] == [
        {"rep_id": "rep-wang", "name": "王小明", "done": ["price_margin", "price_comparable"],
         "passed": ["price_margin"], "complete": True},
        {"rep_id": "rep-li", "name": "李丽", "done": ["price_margin"], "passed": [], "complete": False},
    ]
    assert (body["complete"], body["total"]) == (1, 2)


def test_completion_of_a_rep_assignment_names_an_unknown_rep_by_id(store: AssignmentStore) -> None:
    plan = store.add("Retry", ["policy_needs"], T0, "trainer-1", rep_id="rep-old")
    body = completion(plan, [attempt("o1", "rep-old", "policy_needs", 60, day=0)], PEOPLE)
    assert body["target"] == {"rep_id": "rep-old"}
    assert body["reps"] == [{"rep_id": "rep-old", "name": "rep-old", "done": ["policy_needs"], "passed": [],
                             "complete": True}]


def test_my_assignments_lists_open_ones_by_due_date(store: AssignmentStore) -> None:
    team = store.add("Team plan", ["price_margin", "price_comparable"], T0 + 5 * DAY, "trainer-1",
                     team="north")
    mine = store.add("Yours", ["policy_needs"], T0 + 1 * DAY, "trainer-1", rep_id="rep-wang")
    done = store.add("Done", ["no_money_small"], T0, "trainer-1", rep_id="rep-wang")
    store.add("Theirs", ["policy_excuse"], T0, "trainer-1", team="south")
    results = [attempt("w1", "rep-wang", "price_margin", 50, day=0.5),
               attempt("w2", "rep-wang", "no_money_small", 90, day=0.5)]
    rows = my_assignments("rep-wang", "north", store.all(), results, now=T0 + 2 * DAY)
    assert [r["assignment_id"] for r in rows] == [mine.assignment_id, team.assignment_id]
    assert done.assignment_id not in [r["assignment_id"] for r in rows]
    assert rows[0] == {"assignment_id": mine.assignment_id, "title": "Yours", "due_at": T0 + DAY,
                       "overdue": True, "drills": [{"drill_id": "policy_needs", "done": False}],
                       "next_drill": "policy_needs"}
    assert rows[1]["overdue"] is False and rows[1]["next_drill"] == "price_comparable"
    assert rows[1]["drills"] == [{"drill_id": "price_margin", "done": True},
                                 {"drill_id": "price_comparable", "done": False}]
