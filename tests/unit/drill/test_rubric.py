"""The rubric-kind registry: every kind a drill file can use is scored and labelled from one place."""
from __future__ import annotations

import dataclasses
import json

import pytest

from coach.content.drills import RubricItem, drill_files, load_drill
from coach.content.playbook import default_playbook
from coach.drill import engine as drill_engine
from coach.drill import rubric
from coach.drill.scoring import score
from coach.i18n import EN, HANS, ui
from coach.settings import PROJECT_ROOT

SCHEMA = PROJECT_ROOT / "coach" / "content" / "schemas" / "drill.schema.json"
DRILLS = PROJECT_ROOT / "data" / "drills"
DRILL, _ = load_drill(DRILLS / "price_margin.yml", default_playbook())


def _schema_kinds() -> list:
    """The keys a required rubric item may have besides its weight (rubric_item's oneOf)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return [option["required"][0] for option in schema["definitions"]["rubric_item"]["oneOf"]]


def test_every_kind_the_schema_allows_is_registered():
    assert _schema_kinds() == ["move", "uncover_truth", "reach_goal"]
    assert set(rubric.kinds()) == set(_schema_kinds()) | {rubric.FORBIDDEN}


def test_shipped_drills_use_registered_kinds_built_from_the_file_keys():
    for path in drill_files(DRILLS):
        drill, _ = load_drill(path, default_playbook())
        for item in drill.required:
            assert rubric.kind(item.kind).name == item.kind
            assert (item.move is not None) == (item.kind == "move")
    assert [i.kind for i in DRILL.required][-2:] == ["uncover_truth", "reach_goal"]


def test_unknown_kind_errors():
    with pytest.raises(rubric.UnknownRubricKind, match="unknown rubric kind 'charm'"):
        rubric.kind("charm")
    with pytest.raises(rubric.UnknownRubricKind):
        rubric.label("charm", DRILL, None, EN)
    strange = dataclasses.replace(DRILL, required=(RubricItem("charm", 100),))
    session, _ = drill_engine.start(strange, HANS, seed=1)
    with pytest.raises(rubric.UnknownRubricKind):
        score(strange, session)


def test_labels_come_from_the_kind():
    assert rubric.label("uncover_truth", DRILL, None, EN) == ui("rubric_truth", EN)
    assert rubric.label("reach_goal", DRILL, None, HANS) == ui("rubric_goal", HANS)
    assert rubric.label("move", DRILL, "probe", EN) == DRILL.moves["probe"].label["en"]
    assert rubric.label(rubric.FORBIDDEN, DRILL, "concession", HANS) == DRILL.moves["concession"].label["zh"]
    assert rubric.move_label(DRILL, "not_a_move", EN) == "not_a_move"


def test_when_each_kind_happened():
    session, _ = drill_engine.start(DRILL, HANS, seed=7)
    for text, moves in [("理解", ["acknowledge"]), ("给您便宜点", ["concession"]), ("担心什么", ["probe"])]:
        drill_engine.step(DRILL, session, text, moves)
    assert rubric.kind("move").happened("acknowledge", session) == 1
    assert rubric.kind(rubric.FORBIDDEN).happened("concession", session) == 2
    assert rubric.kind("reach_goal").happened(None, session) is None
    assert rubric.kind("uncover_truth").happened(None, session) == 3  # the probe, once trust allowed it
    drill_engine.step(DRILL, session, "咱们算一笔账", ["margin_math"])
    drill_engine.step(DRILL, session, "先进两件试试", ["next_step"])
    assert session.ended == "goal" and rubric.kind("reach_goal").happened(None, session) == 5
