"""Score a finished drill against its rubric: the same rules the rep was shown before starting.

score = sum of the weights of required items achieved (weights add up to 100)
        - the penalty of each forbidden move used (once per move, however often), clamped to 0..100.
When each kind of item counts as achieved is coach.drill.rubric's business.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from coach.content.drills import Drill
from coach.drill import rubric
from coach.drill.session import DrillSession


@dataclass(frozen=True)
class Mark:
    """One rubric line in the scorecard, tied to the turn it happened (or should have)."""

    kind: str  # a coach.drill.rubric kind: "move", "uncover_truth", "reach_goal" or "forbidden"
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
    strengths: list[Mark] = field(default_factory=list)
    gaps: list[Mark] = field(default_factory=list)  # required items missed, forbidden moves used
    moves: list[list[str]] = field(default_factory=list)  # per turn


def _when_due(session: DrillSession, move: Optional[str]) -> Optional[int]:
    """The turn at which the coach first suggested this move; else the last turn."""
    due = next((t.turn for t in session.turns if move and t.suggested == move), None)
    if due is None and session.turns:
        due = session.turns[-1].turn
    return due


def _marks(drill: Drill, session: DrillSession) -> tuple[list[Mark], list[Mark]]:
    """(strengths, gaps), each in the order of the rubric."""
    strengths, gaps = [], []
    for item in drill.required:
        turn = rubric.kind(item.kind).happened(item.move, session)
        if turn is not None:
            strengths.append(Mark(item.kind, item.move, item.weight, turn))
        else:
            gaps.append(Mark(item.kind, item.move, 0, _when_due(session, item.move)))
    forbidden = rubric.kind(rubric.FORBIDDEN)
    for move, penalty in drill.forbidden:
        turn = forbidden.happened(move, session)
        if turn is not None:
            gaps.append(Mark(rubric.FORBIDDEN, move, -penalty, turn))
    return strengths, gaps


def score(drill: Drill, session: DrillSession) -> Scorecard:
    strengths, gaps = _marks(drill, session)
    final = max(0, min(100, sum(m.points for m in strengths + gaps)))
    gaps.sort(key=lambda m: (m.turn or 0))
    strengths.sort(key=lambda m: m.turn or 0)
    return Scorecard(
        drill_id=drill.id,
        score=final,
        passed=final >= drill.pass_mark,
        pass_mark=drill.pass_mark,
        outcome=session.ended or "stopped",
        truth_uncovered=session.truth_uncovered,
        strengths=strengths,
        gaps=gaps,
        moves=session.moves_per_turn(),
    )
