"""Stored transcripts: each rep line keeps the moves, penalties and feedback of its turn, recomputed from
the session (engine.replay) exactly as the rep saw them, also for a session read back from its slot."""
from __future__ import annotations

import json

from coach.content.drills import load_drill
from coach.content.playbook import default_playbook
from coach.drill import engine
from coach.drill.session import DrillSession
from coach.i18n import EN, HANS
from coach.replies.drills import feedback, stored_transcript
from coach.settings import PROJECT_ROOT

DRILL, _ = load_drill(PROJECT_ROOT / "data" / "drills" / "price_margin.yml", default_playbook())
RUN = [("理解，您跟哪家比的？", ["acknowledge", "compare"]), ("那我给您便宜一点", ["concession"]),
       ("理解，您跟哪家比的？", ["acknowledge", "compare"]),  # repeated: earns nothing the second time
       ("您主要担心什么？", ["probe"])]


def _played(lang: str = HANS):
    session, _ = engine.start(DRILL, lang, seed=11, now=0.0)
    return session, [engine.step(DRILL, session, text, moves) for text, moves in RUN]


def _fields(result: engine.TurnResult) -> tuple:
    return (result.moves, result.penalties, result.credited, result.red_lines,
            result.next_step.move if result.next_step else None, result.ended)


def test_replay_gives_back_every_turn_as_step_returned_it():
    session, live = _played()
    assert [_fields(r) for r in engine.replay(DRILL, session)] == [_fields(r) for r in live]
    assert live[1].penalties and live[2].credited == []  # the run exercises a penalty and a repeat


def test_replay_after_the_slot_round_trip_and_a_stop():
    session, live = _played()
    back = DrillSession.from_slot(json.loads(json.dumps(session.to_slot())))
    assert back is not None
    engine.stop(back)  # stopped, not ended by the last turn: its advice was shown
    assert [_fields(r) for r in engine.replay(DRILL, back)] == [_fields(r) for r in live]


def test_stored_lines_hold_the_feedback_the_rep_read():
    session, live = _played(EN)
    lines = stored_transcript(DRILL, session, EN)
    rep_lines = [line for line in lines if line["speaker"] == "rep"]
    assert [line["feedback"] for line in rep_lines] == [feedback(DRILL, r, text, EN).text
                                                        for r, (text, _) in zip(live, RUN, strict=True)]
    assert rep_lines[1]["penalties"] == [[m, p] for m, p in live[1].penalties]
    assert [line["moves"] for line in rep_lines] == [moves for _, moves in RUN]
    customer = [line for line in lines if line["speaker"] == "customer"]
    assert all(set(line) == {"turn", "speaker", "text"} for line in customer)
    assert json.loads(json.dumps(lines)) == lines
