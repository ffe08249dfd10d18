"""The generic moves' training replies (data/moves/train.yml): consistent labels, and what they teach."""
from __future__ import annotations

from collections import Counter

import pytest

from coach.moves.model import EXCLUSIVE, MoveModel, read_replies
from coach.nlp.tokens import tokenize
from coach.settings import MOVE_PLAYBOOK_LINES, MOVE_TRAINING

TRAINING = read_replies(MOVE_TRAINING)


def test_no_training_reply_is_written_twice():
    twice = [t for t, n in Counter(t for t, _ in TRAINING).items() if n > 1]
    assert twice == []


def test_no_training_reply_carries_both_readings_of_an_exclusive_pair():
    both = [(t, moves) for t, moves in TRAINING for a, b in EXCLUSIVE if a in moves and b in moves]
    assert both == []


@pytest.fixture(scope="module")
def model() -> MoveModel:
    replies = TRAINING + read_replies(MOVE_PLAYBOOK_LINES)
    texts = [t for t, _ in replies]
    return MoveModel().fit([tokenize(t) for t in texts], texts, [m for _, m in replies])


def moves(model: MoveModel, text: str) -> list[str]:
    return model.predict([tokenize(text)], [text])[0]


# Replies not in the training file: the same give-away with a return asked, and without.
@pytest.mark.parametrize("text", ["您要是现款拿货，我每件多配两盒。", "拿满二十件的话，运费我们包。",
                                  "If you pay cash up front, I'll add two boxes per case."])
def test_a_give_away_tied_to_a_return_is_a_conditional_offer(model, text):
    found = moves(model, text)
    assert "conditional_offer" in found and "concession" not in found


@pytest.mark.parametrize("text", ["那我每件多配您两盒吧。", "好吧，运费我们包了。",
                                  "Fine, I'll add two boxes per case."])
def test_a_give_away_for_nothing_is_a_concession(model, text):
    found = moves(model, text)
    assert "concession" in found and "conditional_offer" not in found


@pytest.mark.parametrize("text", ["运费我们包不了，这个真不行。", "I won't give you any more discount."])
def test_a_refused_give_away_is_no_concession(model, text):
    assert "concession" not in moves(model, text)
