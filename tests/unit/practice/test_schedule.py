"""Spaced practice: when an objection comes due, with the clock set by the test."""
from __future__ import annotations

from coach.practice.schedule import LADDER_DAYS, progress_rows, reviews, schedule
from tests.unit.practice.attempts import DAY, T0, attempt

SECOND = 1.0


def _entry(results, now, objection="objection_price"):
    return next(e for e in schedule(results, now) if e["objection"] == objection)


def test_a_failed_objection_comes_due_one_day_later_not_before():
    failed = [attempt("a1", score=40, day=0)]
    due = T0 + 1 * DAY
    assert _entry(failed, due - SECOND) == {"objection": "objection_price", "due_at": due, "overdue": False,
                                            "step": 0, "last_score": 40}
    assert _entry(failed, due)["overdue"] is True
    assert _entry(failed, due + 5 * DAY)["overdue"] is True


def test_passed_reviews_space_out_three_then_seven_days():
    history = [attempt("a1", score=40, day=0)]
    history.append(attempt("a2", score=85, day=1))  # the review on its due day, passed
    entry = _entry(history, T0 + 1 * DAY)
    assert entry["due_at"] == T0 + 1 * DAY + 3 * DAY and entry["step"] == 1 and not entry["overdue"]
    assert not _entry(history, T0 + 4 * DAY - SECOND)["overdue"]
    assert _entry(history, T0 + 4 * DAY)["overdue"]

    history.append(attempt("a3", score=90, day=4))
    entry = _entry(history, T0 + 4 * DAY)
    assert entry["due_at"] == T0 + 4 * DAY + 7 * DAY and entry["step"] == 2
    history.append(attempt("a4", score=90, day=11))
    assert _entry(history, T0 + 11 * DAY)["due_at"] == T0 + 25 * DAY  # then further out: 14 days


def test_failing_again_goes_back_to_one_day():
    history = [attempt("a1", score=40, day=0), attempt("a2", score=85, day=1), attempt("a3", score=90, day=4),
               attempt("a4", score=55, day=11)]
    entry = _entry(history, T0 + 11 * DAY)
    assert entry["step"] == 0 and entry["due_at"] == T0 + 12 * DAY and entry["last_score"] == 55


def test_passed_at_the_first_attempt_waits_two_weeks_and_the_ladder_stops_at_its_top():
    history = [attempt("a1", score=88, day=0)]
    assert _entry(history, T0)["due_at"] == T0 + 14 * DAY and _entry(history, T0)["step"] == 3
    history += [attempt("a2", score=90, day=14), attempt("a3", score=95, day=44)]
    entry = _entry(history, T0 + 44 * DAY)
    assert entry["step"] == len(LADDER_DAYS) - 1 and entry["due_at"] == T0 + 74 * DAY


def test_a_red_line_fail_with_a_high_score_is_a_fail():
    history = [attempt("a1", score=85, passed=False, day=0)]
    assert _entry(history, T0)["step"] == 0 and _entry(history, T0)["due_at"] == T0 + DAY


def test_attempts_are_walked_in_time_order_not_list_order():
    history = [attempt("late", score=40, day=3), attempt("early", score=90, day=0)]
    entry = _entry(history, T0 + 3 * DAY)
    assert entry["step"] == 0 and entry["due_at"] == T0 + 4 * DAY and entry["last_score"] == 40


def test_attempts_without_a_rep_reply_do_not_count():
    history = [attempt("a1", score=90, day=0), attempt("empty", score=0, day=2, turns=0)]
    assert _entry(history, T0 + 2 * DAY)["due_at"] == T0 + 14 * DAY
    assert schedule([attempt("empty", score=0, turns=0)], T0) == []


def test_objections_are_scheduled_apart_and_sorted_by_due_date():
    history = [attempt("p", drill_id="price_margin", score=90, day=0),
               attempt("q", drill_id="policy_needs", score=30, day=2)]
    assert [e["objection"] for e in schedule(history, T0)] == ["objection_policy", "objection_price"]


def test_a_pass_mark_raises_the_bar():
    history = [attempt("a1", score=72, passed=True, day=0)]
    assert reviews(history)["objection_price"].step == 3
    assert reviews(history, pass_mark=80)["objection_price"].step == 0


def test_progress_rows_match_the_stores_figures_and_skip_empty_attempts():
    history = [attempt("a1", score=40, day=0), attempt("a2", score=85, day=1), attempt("a3", score=70, day=2),
               attempt("e", score=0, day=3, turns=0)]
    [row] = progress_rows(history)
    assert (row.attempts, row.first_score, row.best_score, row.latest_score, row.passed, row.last_at) == \
        (3, 40, 85, 70, 2, T0 + 2 * DAY)
