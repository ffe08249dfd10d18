"""The next drill for a rep, and why: assignments and due reviews before the weakest objection.

In this order (the first that gives a drill wins; `exclude`, the drill just finished, is skipped):

1. "overdue_assignment": the first undone drill of the earliest-due overdue assignment;
2. "due_retry": an objection due for review (coach.practice.schedule), earliest due first: the
   drill the rep last failed in it, else its easiest drill not yet passed;
3. "assignment": the first undone drill of the earliest-due open assignment;
4. "weakest": the weakest objection's drill (coach.drill.picker.suggest).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from coach.content.drills import Drill
from coach.drill.picker import suggest
from coach.practice.assignments import Assignment, done_drills
from coach.practice.schedule import counts_as_passed, in_time_order, progress_rows, reviews
from coach.results.store import DrillResult

__all__ = ["REASONS", "Suggestion", "suggest_next"]

REASONS = ("overdue_assignment", "due_retry", "assignment", "weakest")


@dataclass(frozen=True)
class Suggestion:
    drill: Drill
    reason: str  # one of REASONS


def _from_assignments(rep_id: str, open_ones: Sequence[Assignment], results: Sequence[DrillResult],
                      library: dict[str, Drill], exclude: Optional[str]) -> Optional[Drill]:
    for assignment in open_ones:
        done, _ = done_drills(assignment, rep_id, results)
        undone = [library[d] for d in assignment.drill_ids
                  if d not in done and d != exclude and d in library]
        if undone:
            return undone[0]
    return None


def _retry_drill(objection: str, mine: List[DrillResult], drills: Sequence[Drill],
                 exclude: Optional[str]) -> Optional[Drill]:
    """The drill last failed in this objection (if it still exists), else its easiest not yet passed."""
    library = {d.id: d for d in drills}
    attempts = [r for r in mine if r.objection == objection]
    if attempts and not attempts[-1].passed and attempts[-1].drill_id in library \
            and attempts[-1].drill_id != exclude:
        return library[attempts[-1].drill_id]
    passed = {r.drill_id for r in attempts if counts_as_passed(r)}
    options = sorted((d for d in drills if d.objections[0] == objection and d.id != exclude),
                     key=lambda d: (d.id in passed, d.difficulty, d.id))
    return options[0] if options else None


def _due_retry(mine: List[DrillResult], drills: Sequence[Drill], now: float,
               exclude: Optional[str]) -> Optional[Drill]:
    due = sorted((r for r in reviews(mine).values() if r.overdue(now)), key=lambda r: (r.due_at, r.objection))
    return next((d for r in due if (d := _retry_drill(r.objection, mine, drills, exclude))), None)


def suggest_next(rep_id: str, team: str, results: Iterable[DrillResult], assignments: Iterable[Assignment],
                 drills: Sequence[Drill], now: float, exclude: Optional[str] = None) -> Optional[Suggestion]:
    """The rep's next drill and the reason (one of REASONS); None with an empty library.

    `results` and `assignments` may hold other reps' too: only the rep's (and their team's) count.
    """
    mine = in_time_order(r for r in results if r.rep_id == rep_id)
    library = {d.id: d for d in drills}
    open_ones = sorted((a for a in assignments if a.removed_at is None and a.targets(rep_id, team)),
                       key=lambda a: (a.due_at, a.created_at))
    overdue = [a for a in open_ones if now > a.due_at]
    steps = (
        ("overdue_assignment", lambda: _from_assignments(rep_id, overdue, mine, library, exclude)),
        ("due_retry", lambda: _due_retry(mine, drills, now, exclude)),
        ("assignment", lambda: _from_assignments(rep_id, [a for a in open_ones if a not in overdue], mine,
                                                 library, exclude)),
        ("weakest", lambda: suggest(progress_rows(mine), drills, exclude=exclude)),
    )
    for reason, find in steps:
        drill = find()
        if drill is not None:
            return Suggestion(drill, reason)
    return None
