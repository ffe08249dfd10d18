"""The drill session type and its slot: the one shape every stored session has."""
from __future__ import annotations

import json

import pytest

from coach.content.drills import load_drill
from coach.content.playbook import default_playbook
from coach.drill import engine as drill_engine
from coach.drill.session import VERSION, DrillSession, RepTurn, TranscriptLine
from coach.i18n import HANS
from coach.settings import PROJECT_ROOT

DRILL, _ = load_drill(PROJECT_ROOT / "data" / "drills" / "price_margin.yml", default_playbook())
# The slot's keys as sessions stored before the session had a type: a drill running during an
# upgrade must read back.
SLOT_KEYS = ["v", "id", "drill", "version", "lang", "seed", "stage", "turn", "trust", "mood", "revealed",
             "revealed_at", "goal_at", "stage_moves", "turns", "transcript", "ended", "started_at",
             "last_line"]
TURN_KEYS = ["turn", "stage", "rep", "moves", "state", "suggested", "trust"]


def _played() -> DrillSession:
    session, _ = drill_engine.start(DRILL, HANS, seed=7, now=12.5)
    drill_engine.step(DRILL, session, "理解", ["acknowledge"])
    drill_engine.step(DRILL, session, "您主要担心什么？", ["probe"])
    return session


def test_slot_round_trip_through_json():
    session = _played()
    slot = session.to_slot()
    assert list(slot) == SLOT_KEYS and slot["v"] == VERSION == 1
    assert list(slot["turns"][0]) == TURN_KEYS and list(slot["transcript"][0]) == ["turn", "speaker", "text"]
    back = DrillSession.from_slot(json.loads(json.dumps(slot)))
    assert back == session and back.to_slot() == slot
    assert back.turns[1] == RepTurn(2, 0, "您主要担心什么？", ["probe"], "reveal", "compare", session.trust)
    assert back.transcript[0] == TranscriptLine(0, "customer", session.transcript[0].text)


def test_a_slot_written_before_the_type_existed_continues():
    old = {"v": 1, "id": "abc", "drill": "price_margin", "version": "1:2", "lang": "zh-Hans", "seed": 3,
           "stage": 0, "turn": 1, "trust": 1, "mood": "opens", "revealed": [False], "revealed_at": [None],
           "goal_at": None, "stage_moves": [["acknowledge"]],
           "turns": [{"turn": 1, "stage": 0, "rep": "理解", "moves": ["acknowledge"], "state": "warmer",
                      "suggested": "acknowledge", "trust": 1}],
           "transcript": [{"turn": 0, "speaker": "customer", "text": "太贵了"},
                          {"turn": 1, "speaker": "rep", "text": "理解"}],
           "ended": None, "started_at": 1700000000.25, "last_line": "太贵了"}
    session = DrillSession.from_slot(old)
    assert session is not None and session.drill_id == "price_margin"
    assert session.turns[0].moves == ["acknowledge"]
    assert session.to_slot() == old
    result = drill_engine.step(DRILL, session, "您主要担心什么？", ["probe"])
    assert result.state == "reveal" and session.turn == 2


def _broken(**changes: object) -> dict:
    slot = _played().to_slot()
    slot.update(changes)
    return slot


@pytest.mark.parametrize("value", [
    None, "a drill", [], {},
    _broken(v=2), _broken(v=0), {k: v for k, v in _broken().items() if k != "v"},
    {k: v for k, v in _broken().items() if k != "turns"},
    _broken(turn="3"), _broken(trust=True), _broken(seed=None), _broken(revealed="yes"),
    _broken(revealed_at=[]), _broken(stage=5), _broken(stage_moves=[[1]]),
    _broken(turns=[{"turn": 1}]), _broken(transcript=[["customer", "hi"]]), _broken(ended=3),
])
def test_missing_malformed_or_other_version_slots_read_as_no_session(value):
    assert DrillSession.from_slot(value) is None


def test_running_and_truth_follow_the_session():
    session = _played()
    assert session.running and session.truth_uncovered and session.first_turn_with("probe") == 2
    assert session.first_turn_with("argue") is None
    assert session.moves_per_turn() == [["acknowledge"], ["probe"]]
    drill_engine.stop(session)
    assert not session.running and session.ended == "stopped"
