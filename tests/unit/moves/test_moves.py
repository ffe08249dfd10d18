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


def test_generic_moves_are_the_nine_documented_ones():
    assert generic_names() == ("acknowledge", "probe", "compare", "value", "isolate", "next_step",
                               "concession", "argue", "give_up")
    moves = generic_moves()
    assert moves["argue"].effect.trust < 0 and moves["concession"].effect.mood == "pushes"


def test_move_model_learns_several_labels_per_reply():
    texts = ["理解您", "我理解", "您担心什么", "为什么呢", "理解，您担心什么", "我理解，为什么呢", "好的",
             "今天天气不错"] * 3
    labels = [["acknowledge"], ["acknowledge"], ["probe"], ["probe"], ["acknowledge", "probe"],
              ["acknowledge", "probe"], [], []] * 3
    model = MoveModel(labels=("acknowledge", "probe")).fit([tokenize(t) for t in texts], texts, labels)
    replies = ["理解您，您担心什么", "天气不错"]
    predicted = model.predict([tokenize(r) for r in replies], replies)
    assert set(predicted[0]) == {"acknowledge", "probe"} and predicted[1] == []


def test_move_model_rejects_unknown_labels():
    with pytest.raises(ValueError, match="unknown move names.*flatter"):
        MoveModel().fit([["a"]], ["a"], [["flatter"]])


def test_training_file_uses_only_generic_moves():
    replies = read_replies(PROJECT_ROOT / "data" / "moves" / "train.yml")
    assert len(replies) >= 300
    assert {m for _, moves in replies for m in moves} == set(generic_names())


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
