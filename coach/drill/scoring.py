"""Score a finished drill against its rubric: the same rules the rep was shown before starting.

score = sum of the weights of required items achieved (weights add up to 100)
        - the penalty of each forbidden move used (once per move, however often), clamped to 0..100.
Only credited moves earn (coach.drill.credit: no credit for a repeated reply, at most two rubric
moves a turn). A drill passes when the score reaches the pass mark, no red line was crossed, and
every stage's hidden truth was answered (its `answers_truth` move earned in that stage), not only
uncovered. When each kind of item counts as achieved is coach.drill.rubric's business.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from coach.content.drills import Drill, Stage
from coach.drill import rubric
from coach.drill.credit import earning_view
from coach.drill.engine import recommended
from coach.drill.session import DrillSession

RED_LINE = "red_line"  # a Mark kind of its own: red lines are not rubric items and cost no points


@dataclass(frozen=True)
class Mark:
    """One rubric line in the scorecard, tied to the turn it happened (or should have)."""

    kind: str  # a coach.drill.rubric kind ("move", "uncover_truth", "reach_goal", "forbidden") or RED_LINE
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
    red_lines: list[Mark] = field(default_factory=list)  # red lines crossed (first turn each): a fail
    truth_answered: bool = True  # every stage's answers_truth move earned in its stage

    @property
    def failed_for(self) -> list[str]:
        """Why a drill with a passing score still fails: "red_line", "truth_unanswered"."""
        reasons = ["red_line"] if self.red_lines else []
        return reasons + ([] if self.truth_answered else ["truth_unanswered"])


def _when_due(session: DrillSession, move: Optional[str]) -> Optional[int]:
    """The turn at which the coach first suggested this move; else the last turn."""
    due = next((t.turn for t in session.turns if move and t.suggested == move), None)
    if due is None and session.turns:
        due = session.turns[-1].turn
    return due


def _marks(drill: Drill, session: DrillSession) -> tuple[list[Mark], list[Mark]]:
    """(strengths, gaps), each in the order of the rubric."""
    strengths, gaps = [], []
    earned = earning_view(drill, session)
    for item in drill.required:
        turn = rubric.kind(item.kind).happened(item.move, earned)
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


def _red_lines(drill: Drill, session: DrillSession) -> list[Mark]:
    crossed = [(move, session.first_turn_with(move)) for move in drill.red_lines]
    return [Mark(RED_LINE, move, 0, turn) for move, turn in crossed if turn is not None]


def _costly(drill: Drill, stage: Stage, moves: list[str]) -> bool:
    """A reply that also gives something away, or crosses a red line, answers nothing: "I'll put you on
    credit until the insurance money comes" must not count as the budget plan it also mentions."""
    penalised = {m for m, _ in drill.forbidden if not recommended(stage, m)}
    return any(m in penalised or m in drill.red_lines for m in moves)


def _truth_answered(drill: Drill, session: DrillSession) -> bool:
    earned = earning_view(drill, session)
    return all(stage.answers_truth is None
               or any(t.stage == index and stage.answers_truth in t.moves
                      and not _costly(drill, stage, t.moves) for t in earned.turns)
               for index, stage in enumerate(drill.stages))


def score(drill: Drill, session: DrillSession) -> Scorecard:
    strengths, gaps = _marks(drill, session)
    final = max(0, min(100, sum(m.points for m in strengths + gaps)))
    red_lines, answered = _red_lines(drill, session), _truth_answered(drill, session)
    gaps.sort(key=lambda m: (m.turn or 0))
    strengths.sort(key=lambda m: m.turn or 0)
    return Scorecard(
        drill_id=drill.id,
        score=final,
        passed=final >= drill.pass_mark and not red_lines and answered,
        pass_mark=drill.pass_mark,
        outcome=session.ended or "stopped",
        truth_uncovered=session.truth_uncovered,
        strengths=strengths,
        gaps=gaps,
        moves=session.moves_per_turn(),
        red_lines=red_lines,
        truth_answered=answered,
    )
