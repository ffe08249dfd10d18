"""The customer model and the scoring, driven with explicit moves (no NLU, no Rasa)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from coach.content.drills import load_drill
from coach.content.playbook import default_playbook
from coach.drill import engine as drill_engine
from coach.drill.scoring import score
from coach.i18n import EN, HANS, HANT, localize
from coach.settings import PROJECT_ROOT

DRILL, _ = load_drill(PROJECT_ROOT / "data" / "drills" / "price_margin.yml", default_playbook())
STAGE = DRILL.stages[0]


def _lines(state, lang="zh"):
    return {line[lang] for line in STAGE.lines_for(state)}


def _run(turns, seed=7, lang=HANS):
    session, _ = drill_engine.start(DRILL, lang, seed=seed, now=0.0)
    results = [drill_engine.step(DRILL, session, text, moves) for text, moves in turns]
    return session, results


def test_start_opens_with_an_opening_line_in_the_reps_language():
    session, opening = drill_engine.start(DRILL, EN, seed=1)
    assert opening in _lines("opening", "en")
    assert session.turn == 0 and session.trust == 0 and not session.ended
    assert session.to_slot()["transcript"] == [{"turn": 0, "speaker": "customer", "text": opening}]


def test_traditional_chinese_lines_are_generated():
    _, opening = drill_engine.start(DRILL, HANT, seed=1)
    simplified = {localize(line, HANS) for line in STAGE.lines_for("opening")}
    assert opening not in simplified and any(ch in opening for ch in "們貴價別賣進")


def test_lines_vary_between_runs_but_replay_within_a_seed():
    openings = {drill_engine.start(DRILL, HANS, seed=s)[1] for s in range(30)}
    assert len(openings) >= 2
    assert drill_engine.start(DRILL, HANS, seed=5)[1] == drill_engine.start(DRILL, HANS, seed=5)[1]


def test_customer_does_not_repeat_the_same_line_twice_in_a_row():
    _, results = _run([("嗯", []), ("嗯", []), ("嗯", [])])
    customers = [r.customer for r in results]
    assert all(a != b for a, b in zip(customers, customers[1:], strict=False))


def test_probing_with_enough_trust_reveals_the_hidden_truth():
    session, results = _run([("理解", ["acknowledge"]), ("您主要担心什么？", ["probe"])])
    assert results[1].state == "reveal" and results[1].customer in _lines("reveal")
    assert session.revealed == [True] and session.revealed_at == [2]


def test_no_reveal_without_trust():
    # probe on turn 1 makes trust 1 = min_trust 1 -> reveal; argue first pushes trust below it.
    session, results = _run([("您这说法不对", ["argue"]), ("那您主要担心什么？", ["probe"])])
    assert results[0].state == "cooler" and results[1].state != "reveal"
    assert session.revealed == [False]


def test_premature_discount_makes_the_customer_push_for_more():
    session, results = _run([("那我给您降五个点", ["concession"])])
    assert results[0].state == "pushes" and results[0].customer in _lines("pushes")
    assert results[0].penalties == [("concession", 25)]


def test_arguing_cools_the_customer_and_repeated_arguing_makes_him_walk_away():
    session, results = _run([("您不懂", ["argue"]), ("别家的货很差", ["argue"])])
    assert results[0].state == "cooler"
    assert results[1].ended == "walked_away" and results[1].customer in _lines("walk_away")
    assert session.ended == "walked_away" and session.trust <= DRILL.walk_away_at


def test_giving_up_ends_the_drill():
    _, results = _run([("那算了，不打扰了", ["give_up"])])
    assert results[0].ended == "walked_away"


def test_goal_needs_the_truth_first():
    session, results = _run([("理解", ["acknowledge"]), ("那就先进两件试试", ["next_step"]),
                             ("我再加一句", ["value"])])
    assert all(r.state != "agree" for r in results) and not session.ended


def test_full_good_run_reaches_the_goal_and_scores_100():
    turns = [("理解，进价谁都要算清楚。您是跟哪家哪个规格比的？", ["acknowledge", "compare"]),
             ("您主要担心顾客不接受，还是利润不够？", ["probe"]),
             ("咱们算一笔总利润的账", ["margin_math"]),
             ("先进两件试一个月，我下周带方案来", ["next_step"])]
    session, results = _run(turns)
    assert [r.state for r in results][-1] == "agree" and results[-1].ended == "goal"
    card = score(DRILL, session)
    assert card.score == 100 and card.passed and card.outcome == "goal" and card.truth_uncovered
    assert [m.turn for m in card.strengths] == sorted(m.turn for m in card.strengths)
    assert card.gaps == []


def test_runs_out_of_turns():
    session, results = _run([("嗯", [])] * DRILL.max_turns)
    assert results[-1].ended == "out_of_turns" and session.turn == DRILL.max_turns
    assert results[-1].customer in _lines("out_of_turns")
    card = score(DRILL, session)
    assert card.score == 0 and not card.passed and not card.truth_uncovered
    assert {m.kind for m in card.gaps} == {"move", "uncover_truth", "reach_goal"}


def test_a_step_after_the_end_changes_nothing():
    session, results = _run([("那算了", ["give_up"]), ("等等", ["probe"])])
    assert results[1].state == "over" and session.turn == 1


def test_penalties_and_gaps_are_tied_to_turns():
    session, _ = _run([("理解", ["acknowledge"]), ("给您便宜点", ["concession"]), ("嗯", []), ("退出", [])])
    drill_engine.stop(session)
    card = score(DRILL, session)
    assert card.outcome == "stopped"
    assert card.score == 0  # 10 for acknowledge - 25 for the concession, clamped at 0
    forbidden = [m for m in card.gaps if m.kind == "forbidden"]
    assert forbidden and forbidden[0].move == "concession" and forbidden[0].turn == 2
    assert forbidden[0].points == -25
    compare_gap = next(m for m in card.gaps if m.move == "compare")
    assert compare_gap.turn == 2  # the coach suggested comparing right after turn 1


def test_next_step_follows_the_documented_strategy():
    session, _ = drill_engine.start(DRILL, HANS, seed=3)
    assert drill_engine.next_step(DRILL, session).move == "acknowledge"
    result = drill_engine.step(DRILL, session, "理解", ["acknowledge"])
    assert result.next_step.move == "compare"
    result = drill_engine.step(DRILL, session, "跟哪家比", ["compare"])
    assert result.next_step.move == "probe"


def test_unknown_moves_are_ignored():
    _, results = _run([("x", ["acknowledge", "not_a_move"])])
    assert results[0].moves == ["acknowledge"]


@pytest.mark.parametrize("lang", [HANS, EN])
def test_session_is_json_serialisable(lang):
    import json

    session, _ = _run([("理解", ["acknowledge"])], lang=lang)
    assert json.loads(json.dumps(session.to_slot())) == session.to_slot()


def test_resay_gives_the_customers_line_in_the_new_language():
    drill = DRILL
    _, opening = drill_engine.start(drill, HANS, seed=3)
    english = drill_engine.resay(drill, opening, HANS, EN)
    assert english != opening and english.isascii()
    assert drill_engine.resay(drill, english, EN, HANS) == opening
    joined = f"{opening} {opening}"  # a chained drill's answer: two lines in one
    assert drill_engine.resay(drill, joined, HANS, EN) == f"{english} {english}"
    assert drill_engine.resay(drill, "not a line of this drill", HANS, EN) == "not a line of this drill"


def test_a_goal_marked_any_is_reached_by_one_of_its_moves():
    drill, _ = load_drill(PROJECT_ROOT / "data" / "drills" / "policy_excuse.yml", default_playbook())
    assert drill is not None and drill.stages[0].goal_any
    both = drill.stages[0].goal_moves
    for move in both:
        session, _ = drill_engine.start(drill, "zh-Hans", seed=1)
        session.trust, session.revealed[0] = 5, True
        result = drill_engine.step(drill, session, f"reply {move}", [move])
        assert result.state == "agree" and result.ended == "goal", (move, result.state)
    strict = replace(drill, stages=(replace(drill.stages[0], goal_any=False),))
    session, _ = drill_engine.start(strict, "zh-Hans", seed=1)
    session.trust, session.revealed[0] = 5, True
    assert drill_engine.step(strict, session, "reply", [both[0]]).ended is None
