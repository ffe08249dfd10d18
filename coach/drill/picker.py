"""Which drill to run: from the rep's words ("练习价格异议", "a hard one", "any drill") or from their results.

Objections are named by the playbook's `aliases`; the weakest objection in the rep's results
picks the next suggestion.
"""
from __future__ import annotations

import random
from typing import Optional, Sequence

from coach.content.drills import Drill
from coach.content.playbook import OBJECTION_INTENTS, SITUATION_INTENTS, Playbook
from coach.i18n import normalize_text
from coach.results.store import ProgressRow

# Words asking for a level; checked on the normalised (Simplified, lower-case) text.
_LEVELS = (
    (3, ("难一点", "难点", "难的", "高难", "困难", "hard", "difficult", "tough", "advanced")),
    (1, ("简单", "容易", "入门", "easy", "simple", "beginner")),
    (2, ("中等", "中级", "medium", "intermediate")),
)


def objections_named(text: str, playbook: Playbook) -> list[str]:
    """Objection intents the text names, in the order they appear in it."""
    lowered = normalize_text(text).lower()
    found = []
    for objection in playbook.ordered(situations=True):
        positions = [lowered.find(a) for a in objection.aliases if a in lowered]
        if positions:
            found.append((min(positions), objection.intent))
    return [intent for _, intent in sorted(found)]


def level_named(text: str) -> Optional[int]:
    lowered = normalize_text(text).lower()
    return next((level for level, words in _LEVELS if any(w in lowered for w in words)), None)


def pick(text: str, drills: Sequence[Drill], playbook: Playbook,
         rng: Optional[random.Random] = None) -> tuple[Optional[Drill], list[str]]:
    """(drill or None, objections named). None with objections named = no drill for them yet."""
    rng = rng or random.Random()
    named = objections_named(text, playbook)
    level = level_named(text)
    pool = list(drills)
    if named:
        # Prefer a drill that chains every objection named; else one that opens with the first.
        pool = [d for d in drills if set(named) <= set(d.objections)] or \
               [d for d in drills if d.objections[0] == named[0]]
        if not pool:
            return None, named
    if level is not None:
        pool = [d for d in pool if d.difficulty == level] or pool
    elif named:
        easiest = min(d.difficulty for d in pool)
        pool = [d for d in pool if d.difficulty == easiest]
    return (rng.choice(pool) if pool else None), named


def suggest(rows: Sequence[ProgressRow], drills: Sequence[Drill],
            exclude: Optional[str] = None) -> Optional[Drill]:
    """The next drill for the weakest objection: never tried first, then the lowest best score.

    `rows` are the rep's own results. Within the objection, each pass moves one level harder.
    """
    by_objection = {r.objection: r for r in rows}
    order = {intent: i for i, intent in enumerate(OBJECTION_INTENTS + SITUATION_INTENTS)}
    candidates = sorted({d.objections[0] for d in drills},
                        key=lambda o: (by_objection[o].best_score if o in by_objection else -1,
                                       order.get(o, 99)))
    for objection in candidates:
        options = sorted((d for d in drills if d.objections[0] == objection),
                         key=lambda d: (d.difficulty, d.id))
        passed = by_objection[objection].passed if objection in by_objection else 0
        choice = options[min(passed, len(options) - 1)]
        if choice.id != exclude or len(candidates) == 1:
            return choice
    return None
