"""Trainers' assignments: an ordered plan of drills for one rep or a whole team, due by a date.

Kept in the results database's `assignments` table (coach/results/backends/base.py), through the
same backends as the results: a file path for SQLite, a postgresql:// URL for PostgreSQL. Like
ResultsStore: one connection per store behind a lock, and a process-wide default store that
follows $COACH_RESULTS_DB. An assignment is never deleted: removing it sets removed_at.

Which drills of a plan a rep has done counts attempts with a rep reply finished after the
assignment was created (coach.results.report.replied).
"""
from __future__ import annotations

import json
import math
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Protocol, Sequence, Tuple

from coach.results.backends.base import Row, Target
from coach.results.report import replied
from coach.results.shared import DatabaseStore, SharedStore
from coach.results.store import DrillResult

__all__ = ["MAX_DRILLS", "MAX_TITLE", "Assignment", "AssignmentStore", "PersonLike", "check_drill_ids",
           "completion", "default_assignments", "done_drills", "my_assignments", "reset_default_assignments",
           "team_of"]

MAX_TITLE = 80
MAX_DRILLS = 30  # a workshop's session plan, not the whole library
_COLUMNS = ("assignment_id", "rep_id", "team", "title", "drill_ids", "due_at", "created_by", "created_at",
            "removed_at")


class PersonLike(Protocol):
    """What the assignment views need of a person (coach.people.store.Person, a frozen dataclass)."""

    @property
    def person_id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def team(self) -> str: ...


@dataclass(frozen=True)
class Assignment:
    assignment_id: str
    rep_id: Optional[str]  # exactly one of rep_id and team is set
    team: Optional[str]
    title: str
    drill_ids: Tuple[str, ...]  # in the order the plan runs
    due_at: float  # unix time
    created_by: str  # the trainer's person_id
    created_at: float
    removed_at: Optional[float] = None

    def targets(self, rep_id: str, team: str) -> bool:
        """The assignment is for this rep: named, or their team's (a rep without a team gets none)."""
        return self.rep_id == rep_id if self.rep_id is not None else bool(team) and self.team == team

    @property
    def target(self) -> Dict[str, str]:
        return {"rep_id": self.rep_id} if self.rep_id is not None else {"team": self.team or ""}

    def to_json(self) -> Dict[str, Any]:
        return {"assignment_id": self.assignment_id, "title": self.title, "due_at": self.due_at,
                "drill_ids": list(self.drill_ids), "target": self.target, "created_by": self.created_by,
                "created_at": self.created_at}


def check_drill_ids(drill_ids: Iterable[str], known_ids: Iterable[str]) -> None:
    """ValueError naming every drill id that is not in the library (`known_ids`)."""
    known = set(known_ids)
    unknown = [d for d in drill_ids if d not in known]
    if unknown:
        names = ", ".join(map(repr, unknown))
        raise ValueError(f"unknown drill id{'s' if len(unknown) > 1 else ''} {names}: no such drill in the "
                         "library; pick drills from the drill list and try again")


def _problems(title: object, drill_ids: object, due_at: object, created_by: object,
              rep_id: object, team: object) -> List[str]:
    problems = []
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > MAX_TITLE:
        problems.append(f"title must be text of 1 to {MAX_TITLE} characters, got {title!r:.100}")
    if not isinstance(drill_ids, list | tuple) or not drill_ids or len(drill_ids) > MAX_DRILLS \
            or not all(isinstance(d, str) and d.strip() for d in drill_ids):
        problems.append(f"drill_ids must be a list of 1 to {MAX_DRILLS} drill ids, got {drill_ids!r:.200}")
    elif len(set(drill_ids)) != len(drill_ids):
        problems.append("drill_ids lists a drill twice; list each drill of the plan once")
    if not isinstance(due_at, int | float) or isinstance(due_at, bool) or not math.isfinite(due_at):
        problems.append(f"due_at must be a unix time (number), got {due_at!r:.50}")
    if not isinstance(created_by, str) or not created_by.strip():
        problems.append("created_by must be the trainer's person id")
    targets = [v for v in (rep_id, team) if v is not None]
    if len(targets) != 1 or not isinstance(targets[0], str) or not targets[0].strip():
        problems.append("give exactly one of rep_id and team, as non-empty text "
                        f"(got rep_id={rep_id!r:.50}, team={team!r:.50})")
    return problems


def _from_row(row: Row) -> Assignment:
    return Assignment(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), float(row[5]), row[6],
                      float(row[7]), None if row[8] is None else float(row[8]))


class AssignmentStore(DatabaseStore):
    """Assignments in the results database; safe to share by threads."""

    kind = "assignment store"

    def __init__(self, target: Target, clock: Callable[[], float] = time.time) -> None:
        super().__init__(target)
        self._clock = clock

    def add(self, title: str, drill_ids: Sequence[str], due_at: float, created_by: str,
            rep_id: Optional[str] = None, team: Optional[str] = None) -> Assignment:
        """Store a new assignment; ValueError listing every problem with the arguments."""
        problems = _problems(title, drill_ids, due_at, created_by, rep_id, team)
        if problems:
            raise ValueError("invalid assignment: " + "; ".join(problems))
        assignment = Assignment(uuid.uuid4().hex, rep_id.strip() if rep_id else None,
                                team.strip() if team else None, title.strip(), tuple(drill_ids),
                                float(due_at), created_by, self._clock())
        values = (assignment.assignment_id, assignment.rep_id, assignment.team, assignment.title,
                  json.dumps(list(assignment.drill_ids), ensure_ascii=False), assignment.due_at,
                  assignment.created_by, assignment.created_at, None)
        with self._lock:
            backend = self._open()
            marks = ", ".join(backend.param for _ in _COLUMNS)
            backend.execute(f"INSERT INTO assignments ({', '.join(_COLUMNS)}) VALUES ({marks})", values)
        return assignment

    def remove(self, assignment_id: str) -> bool:
        """Mark an assignment removed; False if there is no such open assignment."""
        with self._lock:
            backend = self._open()
            p = backend.param
            changed = backend.execute(f"UPDATE assignments SET removed_at = {p} "
                                      f"WHERE assignment_id = {p} AND removed_at IS NULL",
                                      (self._clock(), assignment_id))
        return changed == 1

    def _select(self, where: str, params: Row) -> List[Assignment]:
        with self._lock:
            rows = self._open().fetch(f"SELECT {', '.join(_COLUMNS)} FROM assignments "
                                      f"WHERE removed_at IS NULL {where} ORDER BY due_at, created_at", params)
        return [_from_row(row) for row in rows]

    def all(self) -> List[Assignment]:
        """Every assignment not removed, by due date."""
        return self._select("", ())

    def for_rep(self, rep_id: str, team: str) -> List[Assignment]:
        """The rep's own assignments and their team's (none by team when `team` is empty), by due date."""
        p = self._open().param
        return [a for a in self._select(f"AND (rep_id = {p} OR team = {p})", (rep_id, team))
                if a.targets(rep_id, team)]

    def team_of(self, rep_id: str) -> str:
        """The rep's team from the `people` table; "" for someone not (or no longer) signed up."""
        with self._lock:
            backend = self._open()
            rows = backend.fetch(f"SELECT team FROM people WHERE person_id = {backend.param} "
                                 "AND revoked_at IS NULL", (rep_id,))
        return str(rows[0][0]) if rows else ""


_shared: SharedStore[AssignmentStore] = SharedStore(AssignmentStore, f"{__name__}.default_assignments")


def default_assignments() -> AssignmentStore:
    """The process-wide store for $COACH_RESULTS_DB (or .state/results.db)."""
    return _shared.get()


reset_default_assignments = _shared.reset


def team_of(rep_id: str) -> str:
    """The rep's team in the default database; "" when unknown."""
    return default_assignments().team_of(rep_id)


# --- progress on assignments ------------------------------------------------------------------------

def done_drills(assignment: Assignment, rep_id: str,
                results: Iterable[DrillResult]) -> Tuple[List[str], List[str]]:
    """(drills of the plan done, drills of the plan passed) by the rep since the assignment was made."""
    done, passed = set(), set()
    for r in results:
        if r.rep_id == rep_id and r.drill_id in assignment.drill_ids \
                and r.finished_at >= assignment.created_at and replied(r):
            done.add(r.drill_id)
            if r.passed:
                passed.add(r.drill_id)
    return [d for d in assignment.drill_ids if d in done], [d for d in assignment.drill_ids if d in passed]


def completion(assignment: Assignment, results: Sequence[DrillResult],
               people: Iterable[PersonLike]) -> Dict[str, Any]:
    """Per rep the assignment targets: the drills of the plan done and passed since it was made."""
    people = list(people)
    if assignment.rep_id is not None:
        named = [p for p in people if p.person_id == assignment.rep_id]
        targeted = [(p.person_id, p.name) for p in named] or [(assignment.rep_id, assignment.rep_id)]
    else:
        targeted = [(p.person_id, p.name) for p in people if p.team == assignment.team]
    reps = []
    for rep_id, name in targeted:
        done, passed = done_drills(assignment, rep_id, results)
        reps.append({"rep_id": rep_id, "name": name, "done": done, "passed": passed,
                     "complete": len(done) == len(assignment.drill_ids)})
    return {"assignment_id": assignment.assignment_id, "title": assignment.title, "due_at": assignment.due_at,
            "drill_ids": list(assignment.drill_ids), "target": assignment.target, "reps": reps,
            "complete": sum(1 for r in reps if r["complete"]), "total": len(reps)}


def my_assignments(rep_id: str, team: str, assignments: Iterable[Assignment],
                   results: Sequence[DrillResult], now: float) -> List[Dict[str, Any]]:
    """The rep's open assignments by due date (complete ones left out), each with its next drill."""
    mine = []
    for a in sorted((a for a in assignments if a.removed_at is None and a.targets(rep_id, team)),
                    key=lambda a: (a.due_at, a.created_at)):
        done, _ = done_drills(a, rep_id, results)
        if len(done) == len(a.drill_ids):
            continue
        mine.append({"assignment_id": a.assignment_id, "title": a.title, "due_at": a.due_at,
                     "overdue": now > a.due_at,
                     "drills": [{"drill_id": d, "done": d in done} for d in a.drill_ids],
                     "next_drill": next((d for d in a.drill_ids if d not in done), None)})
    return mine
