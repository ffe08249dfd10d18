"""The generic moves a rep can make (data/moves/moves.yml): names, labels and default effects.

Drills add their own key moves on top; both kinds share the `Move` type so scoring, feedback
and the customer model treat them alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from coach.cache import process_cache
from coach.content.text import Text
from coach.settings import MOVES_FILE


@dataclass(frozen=True)
class Effect:
    trust: int = 0
    mood: Optional[str] = None  # "opens" | "pushes" | "cools" (the schema's enum); None = no change of mood

    def merged(self, override: Optional[dict[str, Any]]) -> Effect:
        if not override:
            return self
        return Effect(override.get("trust", self.trust), override.get("mood", self.mood))


@dataclass(frozen=True)
class Move:
    name: str
    label: Text
    means: Text
    effect: Effect
    generic: bool = True


def _load(path: Path) -> dict[str, Move]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {
        name: Move(name, spec["label"], spec["means"], Effect(**spec.get("effect", {})))
        for name, spec in data["moves"].items()
    }


@process_cache
def generic_moves() -> dict[str, Move]:
    """name -> Move for the generic moves, in file order."""
    return _load(MOVES_FILE)


def generic_names() -> tuple[str, ...]:
    return tuple(generic_moves())
