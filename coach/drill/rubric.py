"""Rubric kinds: how each kind of rubric line is earned, and how it is labelled.

A drill's required items are of a kind written as the item's key in the drill file
(`{move: probe, weight: 15}`, `{uncover_truth: true, weight: 30}`); forbidden moves make
"forbidden" marks. Adding a kind means one function here, registered with `@rubric_kind`, and the
key in coach/content/schemas/drill.schema.json (rubric_item's oneOf); scoring and the scorecard
follow the registry.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from coach.content.drills import Drill
from coach.drill.session import DrillSession
from coach.i18n import localize, ui

FORBIDDEN = "forbidden"

# (the move the item names, if any; the session) -> the turn it happened at, or None if it never did
Happened = Callable[[Optional[str], DrillSession], Optional[int]]


class UnknownRubricKind(KeyError):
    """A kind nobody registered: the schema and this registry disagree."""


@dataclass(frozen=True)
class RubricKind:
    name: str
    happened: Happened  # earned, for a required item; used, for a forbidden move
    ui_key: Optional[str]  # the label of an item that names no move; None: the move's own label


_KINDS: dict[str, RubricKind] = {}


def rubric_kind(name: str, ui_key: Optional[str] = None) -> Callable[[Happened], Happened]:
    """Register the function that says when an item of this kind happened."""

    def register(happened: Happened) -> Happened:
        _KINDS[name] = RubricKind(name, happened, ui_key)
        return happened

    return register


def kind(name: str) -> RubricKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownRubricKind(f"unknown rubric kind {name!r}; known: {', '.join(_KINDS)}") from None


def kinds() -> tuple[str, ...]:
    return tuple(_KINDS)


def move_label(drill: Drill, move: str, lang: str) -> str:
    """A move's name as the rep reads it; a name the drill does not know is shown as is."""
    found = drill.moves.get(move)
    return localize(found.label, lang) if found else move


def label(kind_name: str, drill: Drill, move: Optional[str], lang: str) -> str:
    found = kind(kind_name)
    return ui(found.ui_key, lang) if found.ui_key else move_label(drill, move or "", lang)


@rubric_kind("move")
@rubric_kind(FORBIDDEN)
def _move_made(move: Optional[str], session: DrillSession) -> Optional[int]:
    return session.first_turn_with(move)


@rubric_kind("uncover_truth", ui_key="rubric_truth")
def _truth_uncovered(move: Optional[str], session: DrillSession) -> Optional[int]:
    """Every stage's hidden truth; the turn is when the last one came out."""
    if not session.truth_uncovered:
        return None
    return max(t for t in session.revealed_at if t is not None)


@rubric_kind("reach_goal", ui_key="rubric_goal")
def _goal_reached(move: Optional[str], session: DrillSession) -> Optional[int]:
    return session.goal_at
