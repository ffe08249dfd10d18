"""Spaced practice: when each objection comes due for review, from one rep's attempts.

The rule (intervals ladder LADDER_DAYS = 1, 3, 7, 14, 30 days):

- Per objection, the rep's attempts that have a rep reply are walked in time order (finished_at).
- A failed attempt (not `passed`, e.g. a score under the drill's pass mark) puts the objection at
  step 0: due 1 day after that attempt. Failing again at any time goes back to step 0.
- A passed attempt advances one step from where the objection was (at most the last step): a
  failed objection comes due after 1 day, then, as the rep keeps passing its reviews, after 3,
  then 7 days, then further out.
- An objection passed at its first attempt starts at step 3 (due 14 days later).
- due_at = the last attempt's finished_at + LADDER_DAYS[step] days; it is overdue once now >= due_at.

`pass_mark` (default 0) lets the trainer's desk raise the bar: an attempt then counts as passed only
if the drill passed it and its score reaches pass_mark.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence

from coach.results.report import replied
from coach.results.store import DrillResult, ProgressRow

__all__ = ["DAY", "FIRST_PASS_STEP", "LADDER_DAYS", "Review", "counts_as_passed", "in_time_order",
           "progress_rows", "reviews", "schedule"]

DAY = 86_400.0
LADDER_DAYS = (1, 3, 7, 14, 30)
FIRST_PASS_STEP = 3  # passed at the first try: known well enough to wait two weeks


@dataclass(frozen=True)
class Review:
    """Where one objection stands on the ladder after the rep's latest attempt."""

    objection: str
    step: int
    due_at: float
    last_score: int
    last_at: float

    def overdue(self, now: float) -> bool:
        return now >= self.due_at

    def to_json(self, now: float) -> Dict[str, object]:
        return {"objection": self.objection, "due_at": self.due_at, "overdue": self.overdue(now),
                "step": self.step, "last_score": self.last_score}


def counts_as_passed(result: DrillResult, pass_mark: int = 0) -> bool:
    return result.passed and result.score >= pass_mark


def in_time_order(results: Iterable[DrillResult]) -> List[DrillResult]:
    """The attempts with a rep reply, oldest first (ties keep the given order, the insertion order)."""
    return sorted((r for r in results if replied(r)), key=lambda r: r.finished_at)


def _next_step(step: int, first: bool, passed: bool) -> int:
    if not passed:
        return 0
    if first:
        return FIRST_PASS_STEP
    return min(step + 1, len(LADDER_DAYS) - 1)


def reviews(results: Iterable[DrillResult], pass_mark: int = 0) -> Dict[str, Review]:
    """Per objection, its place on the ladder; `results` are one rep's."""
    found: Dict[str, Review] = {}
    for result in in_time_order(results):
        before = found.get(result.objection)
        step = _next_step(before.step if before else 0, before is None, counts_as_passed(result, pass_mark))
        found[result.objection] = Review(result.objection, step,
                                         result.finished_at + LADDER_DAYS[step] * DAY, result.score,
                                         result.finished_at)
    return found


def schedule(results: Iterable[DrillResult], now: float, pass_mark: int = 0) -> List[Dict[str, object]]:
    """One rep's objections by due date: [{"objection", "due_at", "overdue", "step", "last_score"}]."""
    due = sorted(reviews(results, pass_mark).values(), key=lambda r: (r.due_at, r.objection))
    return [review.to_json(now) for review in due]


def progress_rows(results: Sequence[DrillResult]) -> List[ProgressRow]:
    """ResultsStore.progress from results in hand: per rep and objection, attempts with a reply only."""
    grouped: Dict[tuple[str, str], List[DrillResult]] = {}
    for result in in_time_order(results):
        grouped.setdefault((result.rep_id, result.objection), []).append(result)
    return [ProgressRow(rep, objection, len(done), done[0].score, max(r.score for r in done), done[-1].score,
                        sum(r.passed for r in done), done[-1].finished_at)
            for (rep, objection), done in sorted(grouped.items())]
