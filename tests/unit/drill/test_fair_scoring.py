"""The drill follows the playbook and can't be gamed: case-dependent worth, red lines, crediting
rules, and the hidden truth answered, not only uncovered (explicit moves, no NLU)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from coach.content.drills import Drill, drill_files, load_drill
from coach.content.moves import Effect
from coach.content.playbook import default_playbook
from coach.drill import engine
from coach.drill.credit import STUFFED, credited_moves, normalise, repeats
from coach.drill.scoring import score
from coach.drill.session import DrillSession
from coach.i18n import EN, HANS
from coach.replies.drills import feedback, scorecard
from coach.settings import PROJECT_ROOT

DRILLS = PROJECT_ROOT / "data" / "drills"


def _drill(name: str) -> Drill:
    drill, problems = load_drill(DRILLS / f"{name}.yml", default_playbook())
    assert drill is not None, problems
    return drill


def _play(drill: Drill, turns: list[tuple[str, list[str]]], lang: str = HANS) -> tuple[DrillSession, list]:
    session, _ = engine.start(drill, lang, seed=3, now=0.0)
    return session, [engine.step(drill, session, text, moves) for text, moves in turns]


def _polite_no(template: Drill) -> Drill:
    """price_margin's customer, training the playbook's 'really no need' case, whose goal is keep_in_touch."""
    case = default_playbook().branch("bad_market.no_need")
    assert case is not None
    stage = replace(template.stages[0], cases=("bad_market.no_need",), recommends=case[1].recommends,
                    closes=case[1].goal_moves, goal_moves=("keep_in_touch",), needs_truth=False,
                    goal_min_trust=0)
    return replace(template, stages=(stage,))


# --- a move's worth depends on the case --------------------------------------------------------

def test_keep_in_touch_closes_a_polite_no_with_the_goal():
    drill = _polite_no(_drill("price_margin"))
    session, (result,) = _play(drill, [("这是我的名片，有需要随时打给我", ["keep_in_touch"])])
    assert result.ended == "goal" and result.state == "agree" and not result.penalties
    assert session.trust >= 1


def test_keep_in_touch_is_a_weak_exit_where_a_worry_is_hidden():
    drill = _drill("price_margin")  # price.higher.margin: the worry is the thin margin
    assert not engine.recommended(drill.stages[0], "keep_in_touch")
    session, (result,) = _play(drill, [("那我改天再来看您", ["keep_in_touch"])])
    assert result.state == "neutral" and not result.ended and not result.penalties
    assert session.trust == 0 and session.mood is None


def test_conditional_offer_is_credited_where_the_case_recommends_it_and_neutral_elsewhere():
    offer = [("您保证每月的量，独家可以谈", ["conditional_offer"])]
    session, (result,) = _play(_drill("exclusivity_volume"), offer)
    assert result.state == "reveal" and session.trust == 1 and result.credited == ["conditional_offer"]
    session, (result,) = _play(_drill("price_margin"), [("您现款的话价格可以再谈", ["conditional_offer"])])
    assert result.state == "neutral" and session.trust == 0 and not result.penalties


def test_a_recommended_move_never_lowers_trust_pushes_or_counts_as_forbidden():
    template = _drill("price_margin")
    pushes = Effect(trust=-2, mood="pushes")
    moves = {**template.moves, "value": replace(template.moves["value"], effect=pushes)}
    drill = replace(template, moves=moves, forbidden=(*template.forbidden, ("value", 30)))
    assert engine.worth(drill, drill.stages[0], "value") == Effect(0, None)
    session, (result,) = _play(drill, [("价值比价格更重要", ["value"])])
    assert result.penalties == [] and session.trust == 0 and result.state not in ("pushes", "cooler")
    assert engine.worth(drill, drill.stages[0], "concession").mood == "pushes"  # not recommended: as before


# --- red lines ---------------------------------------------------------------------------------

def test_a_red_line_fails_the_drill_whatever_the_score_and_the_scorecard_says_why():
    drill = _drill("exclusivity_volume")
    turns = [("理解您的想法", ["acknowledge"]), ("您每月能保证多少量？", ["probe", "ask_volume"]),
             ("独家我现在就答应您", ["overpromise"]), ("您把量定下来，我去找公司", ["next_step"])]
    session, results = _play(drill, turns, EN)
    assert results[2].red_lines == ["overpromise"]
    assert "Red line" in feedback(drill, results[2], turns[2][0], EN).text
    card = score(drill, session)
    assert card.score >= drill.pass_mark and not card.passed and card.failed_for == ["red_line"]
    assert [(m.move, m.turn) for m in card.red_lines] == [("overpromise", 3)]
    reply = scorecard(drill, card, session, EN)
    assert reply.custom["red_lines"][0]["move"] == "overpromise" and reply.custom["red_lines"][0]["turn"] == 3
    assert "red line" in reply.text and reply.custom["passed"] is False


def test_scorecard_keeps_its_keys_and_adds_red_lines():
    drill = _drill("price_margin")
    session, _ = _play(drill, [("理解", ["acknowledge"])])
    custom = scorecard(drill, score(drill, session), session, EN).custom
    assert {"drill_id", "score", "passed", "moves", "strengths", "gaps", "truth_uncovered"} <= set(custom)
    assert custom["red_lines"] == [] and custom["truth_answered"] is False


# --- scores can't be gamed ---------------------------------------------------------------------

def test_a_repeated_reply_earns_nothing_the_second_time():
    drill = _drill("price_margin")
    said = ["理解您的顾虑。", "理解您的顾虑！！", "  理解您的 顾虑"]
    session, results = _play(drill, [(text, ["acknowledge"]) for text in said])
    assert [r.credited for r in results] == [["acknowledge"], [], []]
    assert session.trust == 1
    assert "Not credited: Acknowledge" in feedback(drill, results[1], said[1], EN).text
    assert "Not credited" not in feedback(drill, results[0], said[0], EN).text
    assert normalise("Hello, World!") == normalise("hello world") == "helloworld"


def test_a_near_identical_reply_counts_as_repeated_and_a_short_new_one_does_not():
    session, _ = _play(_drill("price_margin"), [("您跟哪家的哪个规格比的价格呢", ["compare"])])
    assert repeats(session.turns, "您跟哪家的哪个规格比的价格")
    assert not repeats(session.turns, "好的") and not repeats(session.turns, "")


def test_a_stuffed_turn_earns_only_its_best_rubric_move():
    drill = _drill("price_margin")  # weights: margin_math 20, compare 15, probe 15, acknowledge 10
    three = ["acknowledge", "compare", "margin_math"]
    assert credited_moves(drill, [], "a", three) == three and len(three) < STUFFED
    stuffed = credited_moves(drill, [], "b", ["acknowledge", "compare", "probe", "margin_math", "next_step"])
    assert stuffed == ["margin_math", "next_step"]  # next_step is not a rubric move: no points, not cut
    four = credited_moves(drill, [], "c", ["acknowledge", "compare", "probe", "next_step"])
    assert four == ["compare", "next_step"]  # a tie goes to the move found first


@pytest.mark.parametrize("path", drill_files(DRILLS), ids=lambda p: p.stem)
def test_every_cue_strung_together_and_sent_twice_does_not_pass(path):
    """Stuffed (STUFFED or more moves): cut to its best move, so it cannot pass. A drill whose whole
    strategy is fewer moves than that (a polite no: acknowledge, keep in touch) is answered well by one
    complete reply, which is what its playbook case recommends; there the second copy earns nothing."""
    drill, _ = load_drill(path, default_playbook())
    lines = [step.line["zh"] for stage in drill.stages for step in stage.strategy]
    moves = list(dict.fromkeys([s.move for st in drill.stages for s in st.strategy]
                               + [m for st in drill.stages for m in st.goal_moves]))
    everything = "".join(lines)
    session, results = _play(drill, [(everything, moves), (everything, moves)])
    assert results[1].credited == []
    card = score(drill, engine.stop(session))
    if len(moves) >= STUFFED:
        assert not card.passed, (card.score, [m.move for m in card.strengths])
    else:
        once, _ = _play(drill, [(everything, moves)])
        assert card.score == score(drill, engine.stop(once)).score


# --- the exam needs the real reason answered -----------------------------------------------------

def _chain(with_answer: bool) -> tuple[Drill, DrillSession]:
    drill = _drill("chain_price_consignment")
    answer = [("咱们算算总账", ["margin_math"])] if with_answer else []
    turns = [("理解您的顾虑", ["acknowledge"]), ("您跟哪家比的？", ["compare", "probe"]), *answer,
             ("那我们先试一批", ["next_step"]), ("现款现货是公司规矩", ["cash_rule", "acknowledge"]),
             ("铺货会给您带来什么麻烦？", ["probe"]), ("先少量现款试一批", ["next_step"])]
    session, _ = _play(drill, turns)
    return drill, session


def test_reaching_the_goal_without_answering_the_hidden_truth_does_not_pass():
    drill, session = _chain(with_answer=False)
    card = score(drill, session)
    assert session.ended == "goal" and card.truth_uncovered and card.score >= drill.pass_mark
    assert not card.passed and not card.truth_answered and card.failed_for == ["truth_unanswered"]
    assert "never answered" in scorecard(drill, card, session, EN).text


def test_answering_the_hidden_truth_passes():
    drill, session = _chain(with_answer=True)
    card = score(drill, session)
    assert card.passed and card.truth_answered and card.score == 100 and card.failed_for == []


def test_a_reply_that_gives_something_away_does_not_answer_the_truth():
    drill = _drill("chain_price_consignment")
    turns = [("理解您的顾虑", ["acknowledge"]), ("您跟哪家比的？", ["compare", "probe"]),
             ("咱们算算总账，我再给您降五个点", ["margin_math", "concession"]),
             ("那我们先试一批", ["next_step"]), ("现款现货是公司规矩", ["cash_rule", "acknowledge"]),
             ("铺货会给您带来什么麻烦？", ["probe"]), ("先少量现款试一批", ["next_step"])]
    session, _ = _play(drill, turns)
    assert not score(drill, session).truth_answered
    clean, _ = _play(drill, [(t, [m for m in ms if m != "concession"]) for t, ms in turns])
    assert score(drill, clean).truth_answered
