"""Drill stages against the playbook cases they train: a drill never contradicts the playbook.

Each stage names its cases (`cases: [price.higher.margin]`). What those cases recommend may never
be forbidden, penalised by an effect or made a red line: the validator rejects such a drill, and
the engine never lets a recommended move lower trust or count against the rep.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Optional

from coach.content.playbook import Playbook
from coach.content.yaml_source import LineDict
from coach.errors import Problem

# Compliance red lines when a drill lists none: a promise beyond the rep's authority fails any drill.
DEFAULT_RED_LINES = ("overpromise",)
_BAD_MOODS = ("pushes", "cools")


Moves = tuple[str, ...]


def case_moves(playbook: Optional[Playbook], cases: Moves) -> tuple[Moves, Moves]:
    """(moves the cases recommend, moves that close them well), in playbook order, once each."""
    recommends: dict[str, None] = {}
    closes: dict[str, None] = {}
    for path in cases:
        found = playbook.branch(path) if playbook else None
        if found is not None:
            recommends.update(dict.fromkeys(found[1].recommends))
            closes.update(dict.fromkeys(found[1].goal_moves))
    return tuple(recommends), tuple(closes)


def _recommender(playbook: Playbook, cases: list[str], move: str) -> Optional[str]:
    """The first of `cases` whose strategy recommends `move`."""
    for path in cases:
        found = playbook.branch(path)
        if found is not None and move in found[1].recommends:
            return path
    return None


def _penalises(effect: dict[str, Any]) -> bool:
    return effect.get("trust", 0) < 0 or effect.get("mood") in _BAD_MOODS


def _stage_problems(data: LineDict, index: int, path: Path, playbook: Playbook) -> Iterator[Problem]:
    stage = data["stages"][index]
    cases = stage["cases"]
    where = f"stages[{index}]"
    for j, case in enumerate(cases):
        if playbook.branch(case) is None:
            yield Problem.make("E212", path, cases.item_lines[j], case=case, stage=where)
    forbidden = data["rubric"].get("forbidden", [])
    for j, item in enumerate(forbidden):
        case = _recommender(playbook, cases, item["move"])
        if case:
            yield Problem.make("E213", path, forbidden.item_lines[j], move=item["move"], case=case,
                               stage=where)
    effects = data.get("effects", {})
    for name, effect in effects.items():
        case = _recommender(playbook, cases, name)
        if case and _penalises(effect):
            yield Problem.make("E214", path, effects.key_lines[name], move=name, case=case, stage=where)
    red_lines = data.get("red_lines", [])
    for j, name in enumerate(red_lines):
        case = _recommender(playbook, cases, name)
        if case:
            yield Problem.make("E215", path, red_lines.item_lines[j], move=name, case=case, stage=where)


def case_problems(data: LineDict, path: Path, playbook: Optional[Playbook]) -> Iterator[Problem]:
    """Unknown case paths, and rubric, effects or red lines that penalise what a stage's case recommends."""
    if playbook is None:
        return
    for index in range(len(data["stages"])):
        yield from _stage_problems(data, index, path, playbook)
