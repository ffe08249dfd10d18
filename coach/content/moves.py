"""The generic moves a rep can make (data/moves/moves.yml): names, labels and default effects.

Drills add their own key moves on top; both kinds share the `Move` type so scoring, feedback
and the customer model treat them alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from coach.settings import PROJECT_ROOT

MOVES_FILE = PROJECT_ROOT / "data" / "moves" / "moves.yml"
MOODS = ("opens", "pushes", "cools")


@dataclass(frozen=True)
class Effect:
    trust: int = 0
    mood: Optional[str] = None  # "opens" | "pushes" | "cools"; None = no change of mood

    def merged(self, override: Optional[dict]) -> "Effect":
        if not override:
            return self
        return Effect(override.get("trust", self.trust), override.get("mood", self.mood))


@dataclass(frozen=True)
class Move:
    name: str
    label: dict  # {"zh": ..., "en": ...}
    means: dict
    effect: Effect
    generic: bool = True


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {
        name: Move(name, spec["label"], spec["means"], Effect(**spec.get("effect", {})))
        for name, spec in data["moves"].items()
    }


@lru_cache(maxsize=1)
def generic_moves() -> dict:
    """name -> Move for the nine generic moves, in file order."""
    return _load(MOVES_FILE)


def generic_names() -> tuple:
    return tuple(generic_moves())
