"""Score a finished drill against its rubric: the same rules the rep was shown before starting.

score = sum of the weights of required items achieved (weights add up to 100)
        - the penalty of each forbidden move used (once per move, however often), clamped to 0..100.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from coach.content.drills import Drill, RubricItem


@dataclass(frozen=True)
class Mark:
    """One rubric line in the scorecard, tied to the turn it happened (or should have)."""

    kind: str  # "move" | "uncover_truth" | "reach_goal" | "forbidden"
    move: Optional[str]
    points: int  # weight earned, or a negative penalty
    turn: Optional[int]


@dataclass
class Scorecard:
    drill_id: str
    score: int
    passed: bool
    pass_mark: int
    outcome: str
    truth_uncovered: bool
    strengths: list = field(default_factory=list)  # [Mark]
    gaps: list = field(default_factory=list)  # [Mark]: required items missed, forbidden moves used
    moves: list = field(default_factory=list)  # per turn


def _first_turn(session: dict, move: str) -> Optional[int]:
    return next((t["turn"] for t in session["turns"] if move in t["moves"]), None)


def _when_due(session: dict, move: Optional[str]) -> Optional[int]:
    """The turn at which the coach first suggested this move; else the last turn."""
    due = next((t["turn"] for t in session["turns"] if move and t.get("suggested") == move), None)
    if due is None and session["turns"]:
        due = session["turns"][-1]["turn"]
    return due


def _achieved(item: RubricItem, session: dict) -> Optional[int]:
    if item.kind == "move":
        return _first_turn(session, item.move)
    if item.kind == "uncover_truth":
        return max(session["revealed_at"]) if all(session["revealed"]) else None
    return session.get("goal_at")


def score(drill: Drill, session: dict) -> Scorecard:
    strengths, gaps = [], []
    total = 0
    for item in drill.required:
        turn = _achieved(item, session)
        if turn is not None:
            total += item.weight
            strengths.append(Mark(item.kind, item.move, item.weight, turn))
        else:
            gaps.append(Mark(item.kind, item.move, 0, _when_due(session, item.move)))
    for move, penalty in drill.forbidden:
        used = [t["turn"] for t in session["turns"] if move in t["moves"]]
        if used:
            total -= penalty
            gaps.append(Mark("forbidden", move, -penalty, used[0]))
    final = max(0, min(100, total))
    gaps.sort(key=lambda m: (m.turn or 0))
    strengths.sort(key=lambda m: m.turn or 0)
    return Scorecard(
        drill_id=drill.id,
        score=final,
        passed=final >= drill.pass_mark,
        pass_mark=drill.pass_mark,
        outcome=session.get("ended") or "stopped",
        truth_uncovered=all(session["revealed"]),
        strengths=strengths,
        gaps=gaps,
        moves=[t["moves"] for t in session["turns"]],
    )
