"""What the trainer's desk shows: the team × objection heatmap, one rep's trend and attempts, one row
per drill, and one attempt turn by turn.

Attempts without a rep reply (older databases have them) are left out everywhere
(coach.results.report.replied). `pass_mark` is the desk's own bar on top of each drill's verdict:
an attempt counts as passed when the drill passed it and its score reaches pass_mark (0: the
drill's verdict alone); the review schedule (coach.practice.schedule) uses the same rule.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence

from coach.practice.assignments import PersonLike
from coach.practice.schedule import counts_as_passed, in_time_order, progress_rows, reviews, schedule
from coach.results.report import drill_table
from coach.results.store import DrillResult

__all__ = ["attempt_detail", "drill_table", "heatmap", "rep_detail"]

Json = Dict[str, Any]


def _cells(results: List[DrillResult], now: float, pass_mark: int) -> Dict[str, Json]:
    due = reviews(results, pass_mark)
    cells = {}
    for row in progress_rows(results):
        review = due.get(row.objection)
        cells[row.objection] = {"best": row.best_score, "latest": row.latest_score, "attempts": row.attempts,
                                "last_at": row.last_at, "overdue": bool(review and review.overdue(now)),
                                "due_at": review.due_at if review else None}
    return cells


def heatmap(results: Iterable[DrillResult], people: Iterable[PersonLike], objections: Sequence[str],
            now: float, pass_mark: int = 0) -> Json:
    """One row per person (by team, name, id), one cell per objection they attempted.

    `objections` are the columns in order; an attempted objection not among them is added at the
    end, so no attempt is hidden. Results of ids not in `people` are not shown.
    """
    by_rep: Dict[str, List[DrillResult]] = {}
    for result in in_time_order(results):
        by_rep.setdefault(result.rep_id, []).append(result)
    people = sorted(people, key=lambda p: (p.team, p.name, p.person_id))
    rows = [{"rep_id": p.person_id, "name": p.name, "team": p.team,
             "cells": _cells(by_rep.get(p.person_id, []), now, pass_mark)} for p in people]
    columns = list(dict.fromkeys(objections))
    columns += sorted({o for row in rows for o in row["cells"]} - set(columns))
    return {"objections": columns, "rows": rows}


def _attempt(result: DrillResult, pass_mark: int) -> Json:
    return {"result_id": result.result_id, "drill_id": result.drill_id, "objection": result.objection,
            "difficulty": result.difficulty, "score": result.score,
            "passed": counts_as_passed(result, pass_mark),
            "outcome": result.outcome, "truth_uncovered": result.truth_uncovered, "turns": len(result.moves),
            "finished_at": result.finished_at}


def _weakest(results: List[DrillResult]) -> Optional[str]:
    """The objection with the lowest best score (then lowest latest score, then by name)."""
    rows = progress_rows(results)
    return min(rows, key=lambda r: (r.best_score, r.latest_score, r.objection)).objection if rows else None


def rep_detail(rep_id: str, results: Iterable[DrillResult], now: float, pass_mark: int = 0) -> Json:
    """One rep: score trend per objection (oldest first), weakest objection, reviews due, and the
    attempts newest first."""
    mine = in_time_order(r for r in results if r.rep_id == rep_id)
    trend: Dict[str, List[Json]] = {}
    for r in mine:
        trend.setdefault(r.objection, []).append({"at": r.finished_at, "score": r.score,
                                                  "passed": counts_as_passed(r, pass_mark),
                                                  "drill_id": r.drill_id, "result_id": r.result_id})
    return {"rep_id": rep_id, "trend": trend, "weakest": _weakest(mine),
            "due": schedule(mine, now, pass_mark),
            "attempts": [_attempt(r, pass_mark) for r in reversed(mine)]}


def _turn(line: Any) -> Json:
    line = line if isinstance(line, dict) else {}
    penalties = [p for p in line.get("penalties") or [] if isinstance(p, list | tuple) and len(p) == 2]
    return {"turn": line.get("turn"), "speaker": line.get("speaker"), "text": line.get("text", ""),
            "moves": list(line.get("moves") or []),
            "penalties": [[str(p[0]), int(p[1])] for p in penalties],
            "feedback": line.get("feedback")}


def attempt_detail(result: DrillResult) -> Json:
    """One attempt turn by turn: each rep line with its moves, penalties and the feedback the rep read.

    Results stored before transcripts kept these give the moves from the result's per-turn list,
    no penalties and feedback None.
    """
    turns = [_turn(line) for line in result.transcript]
    rep_lines = [t for t in turns if t["speaker"] == "rep"]
    for turn, moves in zip(rep_lines, result.moves, strict=False):
        if not turn["moves"]:
            turn["moves"] = list(moves)
    return {"result_id": result.result_id, "rep_id": result.rep_id, "drill_id": result.drill_id,
            "score": result.score, "passed": result.passed, "outcome": result.outcome,
            "truth_uncovered": result.truth_uncovered, "started_at": result.started_at,
            "finished_at": result.finished_at, "turns": turns}
