"""What a rep's turn earns: the rules that keep a drill's score from being gamed (docs/drills.md).

- A reply the rep already sent in this drill (the same text once case, width, spaces and
  punctuation are ignored, or near-identical to it) earns nothing the second time.
- A stuffed turn (STUFFED or more moves in one reply) earns only its single highest-weight rubric
  move; a reply with fewer moves earns them all. A documented sample line makes one to three moves,
  so only a reply that strings cues together is cut. Moves outside the rubric (a goal's next step,
  a case's conditional offer) earn no points and are not cut.
Moves that cost the rep (forbidden moves, red lines) count whether or not the turn earns anything.
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Sequence

from coach.content.drills import Drill
from coach.drill.session import DrillSession, RepTurn

STUFFED = 4
NEAR_IDENTICAL = 0.9  # difflib ratio from which two replies count as the same reply


def normalise(text: str) -> str:
    """The reply's letters and digits only, case- and width-folded."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def repeats(earlier: Sequence[RepTurn], text: str) -> bool:
    """The rep sent this reply, or one near-identical to it, in one of the `earlier` turns."""
    said = normalise(text)
    if not said:
        return False
    for turn in earlier:
        before = normalise(turn.rep)
        if before == said or SequenceMatcher(None, before, said, autojunk=False).ratio() >= NEAR_IDENTICAL:
            return True
    return False


def credited_moves(drill: Drill, earlier: Sequence[RepTurn], text: str, moves: list[str]) -> list[str]:
    """The moves of this reply that earn credit, in the order they were found."""
    if repeats(earlier, text):
        return []
    weights = {item.move: item.weight for item in drill.required if item.move}
    if len(moves) < STUFFED:
        return list(moves)
    best = max((m for m in moves if m in weights), key=lambda m: weights[m], default=None)
    return [m for m in moves if m not in weights or m == best]


def earning_view(drill: Drill, session: DrillSession) -> DrillSession:
    """The session as it earns points: each turn holds only its credited moves.

    Recomputed from the transcript rather than stored, so the session's slot keeps its shape.
    """
    turns = [replace(t, moves=credited_moves(drill, session.turns[:i], t.rep, t.moves))
             for i, t in enumerate(session.turns)]
    return replace(session, turns=turns)
