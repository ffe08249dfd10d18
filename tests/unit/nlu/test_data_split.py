"""The held-out NLU and move sets stay out of the training data, and is big enough to mean something."""
from __future__ import annotations

import re
from collections import Counter

from coach.content.moves import generic_names
from coach.content.playbook import OBJECTION_INTENTS
from coach.i18n import EN, HANS, HANT, detect, normalize_text
from coach.moves.evaluate import HELDOUT as MOVES_HELDOUT
from coach.moves.evaluate import read_heldout
from coach.moves.model import read_replies
from coach.nlu.evaluate import read_examples
from coach.settings import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"


def _key(text: str) -> str:
    """Compare after script/width normalisation, ignoring case, spaces and punctuation."""
    return re.sub(r"[\W_]+", "", normalize_text(text).lower())


def test_no_heldout_utterance_is_in_the_training_data():
    training = {_key(t) for f in (PROJECT_ROOT / "data" / "nlu").glob("*.yml") for _, t in read_examples(f)}
    leaked = [t for _, t in read_examples(HELDOUT) if _key(t) in training]
    assert not leaked, f"held-out lines found in data/nlu: {leaked}"


def test_heldout_has_25_per_objection_in_all_three_scripts_and_out_of_scope_lines():
    examples = read_examples(HELDOUT)
    counts = Counter(intent for intent, _ in examples)
    for intent in OBJECTION_INTENTS:
        assert counts[intent] >= 25, intent
        scripts = Counter(detect(t) for i, t in examples if i == intent)
        assert scripts[HANS] and scripts[HANT] and scripts[EN], f"{intent}: {scripts}"
    assert counts["out_of_scope"] >= 20


def test_no_heldout_rep_reply_is_in_the_move_training_data():
    training = {_key(t) for t, _ in read_replies(PROJECT_ROOT / "data" / "moves" / "train.yml")}
    heldout = read_heldout(MOVES_HELDOUT)
    leaked = [i.text for i in heldout if _key(i.text) in training]
    assert not leaked, f"held-out rep replies found in data/moves/train.yml: {leaked}"


def test_move_heldout_has_200_labelled_replies_in_zh_and_en_covering_every_move():
    heldout = read_heldout(MOVES_HELDOUT)
    assert len(heldout) >= 200
    scripts = Counter(detect(i.text) for i in heldout)
    assert scripts[HANS] >= 50 and scripts[EN] >= 50 and scripts[HANT] >= 10
    per_move = Counter(m for i in heldout for m in i.gold)
    assert all(per_move[m] >= 15 for m in generic_names()), per_move


def test_the_move_development_sets_are_not_trained_on_and_are_not_the_held_out_set():
    from coach.moves.development import DEV, DEV_GIVEAWAYS
    from coach.moves.evaluate import TRAIN

    dev = {_key(i.text) for path in (DEV, DEV_GIVEAWAYS) for i in read_heldout(path)}
    training = {_key(t) for path in TRAIN for t, _ in read_replies(path)}
    heldout = {_key(i.text) for i in read_heldout(MOVES_HELDOUT)}
    assert len(dev) >= 600
    assert not dev & training, f"development replies in the training files: {sorted(dev & training)}"
    assert not dev & heldout, f"development replies in the held-out set: {sorted(dev & heldout)}"


def test_the_key_move_development_set_is_neither_an_example_nor_held_out():
    from coach.content.library import default_library
    from coach.moves.development import KEY_DEV
    from coach.moves.evaluate import KEYMOVES, read_key_moves

    dev = {_key(i.text) for i in read_key_moves(KEY_DEV)}
    library = default_library()
    examples = {_key(e) for drill in library.all() for move in drill.key_moves.values()
                for e in move.examples}
    heldout = {_key(i.text) for i in read_key_moves(KEYMOVES)}
    assert len(dev) >= 100
    assert not dev & examples, f"key-move development replies among the drills' examples: {dev & examples}"
    assert not dev & heldout, f"key-move development replies in the held-out set: {dev & heldout}"
