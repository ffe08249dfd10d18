"""Every documented case can be practised: the drill library covers the playbook.

- every leaf case of the nine objections is trained by at least one drill stage, every situation by a drill;
- every objection has drills at ★, ★★ and ★★★, and at least two chained drills mix objections;
- a "polite no" case (its goal moves say keep in touch) is never drilled as a sale;
- every stage and every hidden truth cites the seed section it follows.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from coach.content.drills import Drill, drill_files, load_drill
from coach.content.playbook import Branch, Playbook, default_playbook
from coach.settings import DRILLS_DIR


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return default_playbook()


@pytest.fixture(scope="module")
def drills(playbook: Playbook) -> list[Drill]:
    loaded = [load_drill(path, playbook) for path in drill_files(DRILLS_DIR)]
    problems = [str(p) for _, found in loaded for p in found]
    assert not problems, "\n".join(problems)
    return [drill for drill, _ in loaded if drill is not None]


def _leaf_cases(playbook: Playbook, kind: str = "objection_") -> list[Branch]:
    """Every case without sub-cases of the nine objections (a situation needs one drill, not one per case)."""
    intents = {o.id: o.intent for o in playbook.ordered(situations=True)}
    return [case for case in playbook.cases()
            if not case.children and intents.get(case.path.split(".")[0], "").startswith(kind)]


def test_every_leaf_case_has_a_drill(playbook: Playbook, drills: list[Drill]) -> None:
    trained = {case for drill in drills for stage in drill.stages for case in stage.cases}
    missing = sorted({case.path for case in _leaf_cases(playbook)} - trained)
    assert not missing, f"no drill stage trains: {missing}"


def test_every_objection_has_all_three_difficulties(playbook: Playbook, drills: list[Drill]) -> None:
    levels: dict[str, set[int]] = defaultdict(set)
    for drill in drills:
        for intent in drill.objections:
            levels[intent].add(drill.difficulty)
    short = {o.intent: sorted(levels[o.intent]) for o in playbook.ordered()
             if o.intent.startswith("objection_") and levels[o.intent] != {1, 2, 3}}
    assert not short, f"objections without drills at every difficulty (have): {short}"


def test_at_least_two_chained_drills(drills: list[Drill]) -> None:
    chains = [d.id for d in drills if len({s.objection for s in d.stages}) >= 2]
    assert len(chains) >= 2, chains


def test_every_situation_has_a_drill(playbook: Playbook, drills: list[Drill]) -> None:
    everything = playbook.ordered(situations=True)
    situations = {o.intent for o in everything if o.intent.startswith("situation_")}
    drilled = {intent for d in drills for intent in d.objections}
    assert situations, "the playbook has no situations"
    assert situations <= drilled, sorted(situations - drilled)


def test_a_polite_no_is_drilled_to_its_graceful_end(playbook: Playbook, drills: list[Drill]) -> None:
    """A case whose documented ending is keeping in touch has a drill whose goal is that ending."""
    polite = {case.path for case in _leaf_cases(playbook) if "keep_in_touch" in case.goal_moves}
    ended_well = {case for drill in drills for stage in drill.stages for case in stage.cases
                  if "keep_in_touch" in stage.goal_moves}
    assert polite, "no case documents keep_in_touch as its ending"
    assert polite <= ended_well, f"polite-no cases never ended well: {sorted(polite - ended_well)}"


def _raw(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_every_stage_and_hidden_truth_cites_the_seed() -> None:
    missing = []
    for path in drill_files(DRILLS_DIR):
        for i, stage in enumerate(_raw(path)["stages"]):
            if "source" not in stage:
                missing.append(f"{path.name}: stages[{i}].source")
            if "source" not in stage["hidden_truth"]:
                missing.append(f"{path.name}: stages[{i}].hidden_truth.source")
    assert not missing, missing
