"""The next drill and why: overdue assignment, due review, open assignment, weakest objection; and the
service saying why on the scorecard and in "my progress"."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from coach.i18n import EN, HANS, ui
from coach.practice.assignments import Assignment
from coach.practice.next_drill import suggest_next
from coach.results.store import ResultsStore
from coach.service.drills import DrillService
from tests.unit.practice.attempts import DAY, T0, attempt
from tests.unit.service.conftest import ALL, FakeLibrary


def plan(assignment_id: str, drill_ids, due_day: float, rep_id=None, team=None, created_day=-1.0):
    return Assignment(assignment_id, rep_id, team, f"plan {assignment_id}", tuple(drill_ids),
                      T0 + due_day * DAY, "trainer-1", T0 + created_day * DAY)


def _next(results=(), assignments=(), now=T0, exclude=None, rep="rep-wang", team="north"):
    found = suggest_next(rep, team, list(results), list(assignments), ALL, now, exclude=exclude)
    assert found is not None
    return found.drill.id, found.reason


def test_an_overdue_assignment_comes_first():
    assignments = [plan("later", ["policy_needs"], 5, team="north"),
                   plan("late", ["price_margin", "no_money_small"], 1, rep_id="rep-wang")]
    failed = [attempt("f", drill_id="policy_excuse", score=30, day=-3)]  # a review is due too
    done = [attempt("d", drill_id="price_margin", score=90, day=0)]
    assert _next(failed + done, assignments, now=T0 + 2 * DAY) == ("no_money_small", "overdue_assignment")


def test_a_due_retry_brings_back_the_failed_drill_before_an_open_assignment():
    assignments = [plan("open", ["no_money_small"], 9, team="north")]
    failed = [attempt("f", drill_id="price_comparable", score=30, day=0)]
    assert _next(failed, assignments, now=T0 + DAY - 1) == ("no_money_small", "assignment")  # not due yet
    assert _next(failed, assignments, now=T0 + DAY) == ("price_comparable", "due_retry")


def test_a_review_after_passes_picks_the_easiest_drill_not_yet_passed():
    history = [attempt("a", drill_id="price_margin", score=30, day=0),
               attempt("b", drill_id="price_margin", score=90, day=1)]
    assert _next(history, now=T0 + 4 * DAY) == ("price_comparable", "due_retry")
    assert _next(history, now=T0 + 4 * DAY - 1)[1] == "weakest"


def test_the_weakest_objection_when_nothing_is_assigned_or_due():
    drill_id, reason = _next([attempt("a", drill_id="price_margin", score=90, day=0)], now=T0 + DAY)
    assert reason == "weakest" and drill_id != "price_margin"


def test_other_reps_and_other_teams_do_not_count():
    others = [attempt("x", rep_id="rep-li", drill_id="price_comparable", score=10, day=0)]
    theirs = [plan("t", ["policy_needs"], 1, team="south"), plan("r", ["policy_excuse"], 1, rep_id="rep-li")]
    assert _next(others, theirs, now=T0 + 3 * DAY)[1] == "weakest"
    assert _next(others, theirs, now=T0 + 3 * DAY, team="")[1] == "weakest"


def test_the_drill_just_finished_and_drills_gone_from_the_library_are_skipped():
    assignments = [plan("p", ["deleted_drill", "price_margin", "policy_needs"], 1, rep_id="rep-wang")]
    assert _next([], assignments, now=T0 + 2 * DAY) == ("price_margin", "overdue_assignment")
    assert _next([], assignments, now=T0 + 2 * DAY, exclude="price_margin") == ("policy_needs",
                                                                               "overdue_assignment")


def test_removed_assignments_and_work_done_before_one_was_made_do_not_count():
    removed = [Assignment("gone", "rep-wang", None, "x", ("policy_needs",), T0, "t", T0 - DAY, T0)]
    assert _next([], removed, now=T0 + DAY)[1] == "weakest"
    before = [attempt("old", drill_id="policy_needs", score=90, day=-5)]
    assert _next(before, [plan("p", ["policy_needs"], 1, rep_id="rep-wang")], now=T0) == ("policy_needs",
                                                                                          "assignment")


def test_an_empty_library_suggests_nothing():
    assert suggest_next("rep-wang", "", [], [], [], T0) is None


# --- the service says why ---------------------------------------------------------------------------

class Assignments:
    def __init__(self, *assignments: Assignment) -> None:
        self.assignments = list(assignments)
        self.asked: list = []

    def for_rep(self, rep_id: str, team: str) -> list:
        self.asked.append((rep_id, team))
        return [a for a in self.assignments if a.targets(rep_id, team)]


@pytest.fixture
def store(tmp_path: Path):
    with ResultsStore(tmp_path / "results.db") as opened:
        yield opened


def _service(store, assignments, now=T0) -> DrillService:
    return DrillService(library=lambda: FakeLibrary(ALL), store=lambda: store, clock=lambda: now,
                        rng=random.Random(5), assignments=lambda: assignments, team=lambda rep_id: "north")


def test_the_scorecard_suggests_the_assigned_drill_and_says_why(store):
    assignments = Assignments(plan("p", ["price_margin", "policy_needs"], 3, team="north"))
    service = _service(store, assignments)
    session = service.start("rep-wang", EN, "", "price_margin", None).session
    service.reply(EN, session, "I see, which brand are you comparing with?", ["acknowledge", "compare"])
    [card] = service.stop("rep-wang", EN, session).replies
    why = ui("next_reason_assignment", EN)
    title = card.custom["next_drill"]["title"]
    assert card.custom["next_drill"] == {"drill_id": "policy_needs", "title": title,
                                         "reason": "assignment", "reason_text": why}
    assert ui("next_reason_assignment", EN) in card.text and ("rep-wang", "north") in assignments.asked


def test_my_progress_says_a_review_is_due(store):
    store.add(attempt("f", drill_id="price_comparable", score=30, day=0))
    [reply] = _service(store, Assignments(), now=T0 + 2 * DAY).progress("rep-wang", HANS).replies
    assert reply.custom["next_drill"]["drill_id"] == "price_comparable"
    assert reply.custom["next_drill"]["reason"] == "due_retry"
    assert ui("next_reason_due_retry", HANS) in reply.text
    assert [row["objection"] for row in reply.custom["rows"]] == ["objection_price"]


def test_a_broken_assignments_store_falls_back_to_the_weakest(store):
    class Broken:
        def for_rep(self, rep_id: str, team: str) -> list:
            raise OSError("disk full")

    [reply] = _service(store, Broken()).progress("rep-wang", EN).replies
    assert reply.custom["next_drill"]["reason"] == "weakest"


def test_the_stored_transcript_keeps_each_turns_moves_penalties_and_feedback_in_exam_mode_too(store):
    service = _service(store, Assignments())
    session = service.start("rep-wang", HANS, "", "past_failure_diagnose", None).session
    assert service.drill_for(session).exam
    sent = service.reply(HANS, session, "那我给您便宜一点，再多送两件", ["concession"]).replies
    assert [r.custom["type"] for r in sent] == ["customer_line"]  # no feedback shown in an exam
    service.stop("rep-wang", HANS, session)
    [result] = store.results("rep-wang")
    [rep_line] = [line for line in result.transcript if line["speaker"] == "rep"]
    assert rep_line["moves"] == ["concession"]
    assert [name for name, _ in rep_line["penalties"]] == ["concession"]
    assert rep_line["feedback"].startswith(ui("you_said", HANS))


def test_a_transcript_that_cannot_be_rebuilt_still_stores_the_score(store, monkeypatch):
    def broken(*args):
        raise KeyError("stage")

    monkeypatch.setattr("coach.replies.drills.stored_transcript", broken)
    service = _service(store, Assignments())
    session = service.start("rep-wang", HANS, "", "price_margin", None).session
    service.reply(HANS, session, "理解，您跟哪家比的？", ["acknowledge", "compare"])
    [card] = service.stop("rep-wang", HANS, session).replies
    assert card.custom["type"] == "scorecard" and "saved" not in card.custom
    [result] = store.results("rep-wang")
    assert result.transcript == session.transcript_json()
