"""Move detection parts: the shared tokenisation, the multi-label model, the drill matchers."""
from __future__ import annotations

import pytest
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from coach.content.drills import load_drill
from coach.content.moves import generic_moves, generic_names
from coach.i18n import normalize_text
from coach.moves.matcher import MoveMatcher, detect_moves
from coach.moves.model import MoveModel, read_replies
from coach.nlp.tokens import SPACY_MODEL, tokenize
from coach.settings import PROJECT_ROOT

DRILL, _ = load_drill(PROJECT_ROOT / "data" / "drills" / "price_margin.yml")
SAMPLES = ["理解您的顾虑，您是跟哪个厂家比的？", "Apart from price, anything else?", "我們可以先鋪一點貨試試",
           "OK那我们下周二带 promotion plan 过来", "咱们算一笔总利润的账"]


@pytest.mark.parametrize("text", SAMPLES)
def test_tokens_are_the_pipelines_tokens(text):
    nlp = SpacyNLP.create({**SpacyNLP.get_default_config(), "model": str(SPACY_MODEL)}, None, None, None)
    message = Message({TEXT: normalize_text(text)})
    nlp.process([message], nlp.provide())
    SpacyTokenizer(SpacyTokenizer.get_default_config()).process([message])
    assert [t.text for t in message.get("text_tokens")] == tokenize(text)


def test_generic_moves_are_the_thirteen_documented_ones():
    # Nine until the moves that judge meaning: conditional_offer, keep_in_touch, refer_up and
    # overpromise were added, and concession / give_up narrowed (data/moves/moves.yml).
    assert generic_names() == ("acknowledge", "probe", "compare", "value", "isolate", "next_step",
                               "concession", "conditional_offer", "argue", "give_up", "keep_in_touch",
                               "refer_up", "overpromise")
    moves = generic_moves()
    assert moves["argue"].effect.trust < 0 and moves["concession"].effect.mood == "pushes"


def test_new_moves_load_with_labels_meanings_and_effects():
    moves = generic_moves()
    for name in ("conditional_offer", "keep_in_touch", "refer_up", "overpromise"):
        move = moves[name]
        assert move.label["zh"] and move.label["en"] and move.means["zh"] and move.means["en"]
    # The documented strategies must not be punished; the over-promise is.
    assert moves["conditional_offer"].effect.trust > 0 and moves["keep_in_touch"].effect.trust > 0
    assert moves["refer_up"].effect.trust >= 0 and moves["refer_up"].effect.mood != "cools"
    assert moves["overpromise"].effect.trust < 0 and moves["overpromise"].effect.mood == "pushes"
    assert moves["give_up"].effect.mood == "cools" and moves["keep_in_touch"].effect.mood != "cools"


def test_move_model_learns_several_labels_per_reply():
    texts = ["理解您", "我理解", "您担心什么", "为什么呢", "理解，您担心什么", "我理解，为什么呢", "好的",
             "今天天气不错"] * 3
    labels = [["acknowledge"], ["acknowledge"], ["probe"], ["probe"], ["acknowledge", "probe"],
              ["acknowledge", "probe"], [], []] * 3
    model = MoveModel(labels=("acknowledge", "probe")).fit([tokenize(t) for t in texts], texts, labels)
    replies = ["理解您，您担心什么", "天气不错"]
    predicted = model.predict([tokenize(r) for r in replies], replies)
    assert set(predicted[0]) == {"acknowledge", "probe"} and predicted[1] == []


@pytest.mark.parametrize("penalised", ["concession", "argue", "overpromise"])
def test_an_unsure_reading_never_falls_back_to_a_move_that_costs_points(penalised):
    # Nothing reaches its threshold: the likeliest move stands only if it costs the rep nothing.
    assert MoveModel().chosen({penalised: 0.42, "acknowledge": 0.2}) == []
    assert MoveModel().chosen({"acknowledge": 0.35, penalised: 0.2}) == ["acknowledge"]
    assert MoveModel().chosen({penalised: 0.55}) == [penalised]


def test_move_model_rejects_unknown_labels():
    with pytest.raises(ValueError, match="unknown move names.*flatter"):
        MoveModel().fit([["a"]], ["a"], [["flatter"]])


def test_training_file_uses_only_generic_moves():
    replies = read_replies(PROJECT_ROOT / "data" / "moves" / "train.yml")
    assert len(replies) >= 300
    assert {m for _, moves in replies for m in moves} == set(generic_names())


def test_every_new_move_has_varied_training_replies():
    replies = read_replies(PROJECT_ROOT / "data" / "moves" / "train.yml")
    for move in ("conditional_offer", "keep_in_touch", "refer_up", "overpromise"):
        texts = [t for t, moves in replies if move in moves]
        assert len(texts) >= 30, move
        assert any(t.isascii() for t in texts) and any(not t.isascii() for t in texts), move


@pytest.mark.parametrize("text", ["您估计一个月能卖多少？咱们算一笔总利润的账",
                                  "您估計一個月能賣多少？咱們算算賬",
                                  "Let's work out the numbers together", "How much margin do you need?"])
def test_key_move_found_by_trainer_phrases_and_patterns(text):
    assert MoveMatcher(DRILL.key_moves).find(text) == ["margin_math"]


@pytest.mark.parametrize("text", ["价格太高了", "The price is too high", "", "   "])
def test_key_move_not_found_in_unrelated_text(text):
    assert MoveMatcher(DRILL.key_moves).find(text) == []


def test_detect_moves_joins_nlu_moves_and_key_moves_and_drops_unknown_names():
    moves = detect_moves(DRILL, "理解，咱们算一笔总利润的账", ["acknowledge", "made_up"])
    assert moves == ["acknowledge", "margin_math"]
