"""Negation: a refused give-away ("不能赊账", "I won't discount") is not the give-away."""
from __future__ import annotations

import pytest

from coach.moves.model import NEG, MoveModel, mark_negation
from coach.nlp.tokens import tokenize


@pytest.mark.parametrize(("text", "negated"), [
    ("不能赊账，但是我们可以做促销", ["赊账"]),
    ("我们从来不铺底", ["铺底"]),
    ("I won't discount, but I can send a promoter", ["discount"]),
    ("We can't do credit.", ["do", "credit"]),
    ("Don't expect a price cut", ["expect", "a", "price", "cut"]),
    ("给您打个九折", []),
    ("赊账是不行的", ["赊账", "是", "的"]),
    ("独家给不了", ["独家", "给"]),
    ("现款的话多送两盒，赊账不行", ["赊账"]),
])
def test_tokens_in_a_negators_scope_are_marked_until_punctuation_or_but(text, negated):
    marked = mark_negation(tokenize(text))
    assert [t[len(NEG):] for t in marked if t.startswith(NEG)] == negated


GIVE_AWAYS = ["给您打折", "可以赊账", "先铺底给您", "送您两盒", "I'll give you a discount",
              "We can do credit", "Free boxes for you", "给您打九折吧", "赊账没问题", "铺底可以"]
VALUE = ["我们可以做促销", "我们派人培训店员", "利润空间很大", "We can run a promotion", "Our margin is good",
         "We train your staff", "广告支持到位", "我们帮您做陈列", "顾客会回头买", "We restock fast"]
REFUSALS = ["不行", "没办法", "这个做不到", "公司不允许", "No, sorry", "That's not possible", "不能答应您",
            "I can't do that"]
# Refused give-aways, none in the training lists above.
NEGATED = ["不能打折", "赊账是不行的", "铺底没办法", "I can't give you a discount", "We won't do credit",
           "不能送您货"]
OTHER = ["您跟哪家比的", "您主要担心什么", "下周二我过来", "理解您的顾虑", "Which brand?",
         "What worries you?", "See you Tuesday", "I understand"]


@pytest.fixture(scope="module")
def model() -> MoveModel:
    texts = GIVE_AWAYS + VALUE + OTHER + REFUSALS
    labels = [["concession"]] * len(GIVE_AWAYS) + [["value"]] * len(VALUE) + [[] for _ in OTHER + REFUSALS]
    # count=False: a few dozen replies cannot teach how many moves a reply makes; this tests negation only
    return MoveModel(labels=("concession", "value"), count=False).fit([tokenize(t) for t in texts], texts,
                                                                      labels)


@pytest.mark.parametrize("text", ["不能赊账，但是我们可以做促销", "打折不可能，不过我们可以做促销",
                                  "I won't discount, but we can run a promotion", "没法铺底，我们帮您做陈列"])
def test_a_negated_give_away_is_not_a_concession(model, text):
    found = model.predict([tokenize(text)], [text])[0]
    assert "concession" not in found and "value" in found


@pytest.mark.parametrize("text", NEGATED)
def test_a_refused_give_away_alone_makes_no_move(model, text):
    assert model.predict([tokenize(text)], [text])[0] == []


def test_the_same_give_away_without_negation_is_one(model):
    text = "可以给您打折"
    assert "concession" in model.predict([tokenize(text)], [text])[0]


def test_a_give_away_is_read_as_conditional_or_unconditional_not_both():
    model = MoveModel(labels=("concession", "conditional_offer"))
    scores = {"concession": 0.6, "conditional_offer": 0.8}
    assert model.chosen(scores) == ["conditional_offer"]
    assert model.chosen({"concession": 0.9, "conditional_offer": 0.4}) == ["concession"]
    exits = {"give_up": 0.7, "keep_in_touch": 0.6, "acknowledge": 0.9}
    assert MoveModel().chosen(exits) == ["acknowledge", "give_up"]
