"""The held-out NLU set stays out of the training data, and is big enough to mean something."""
from __future__ import annotations

import re
from collections import Counter

from coach import PROJECT_ROOT
from coach.i18n import HANS, HANT, EN, detect, normalize_text
from coach.nlu_data import read_examples
from coach.playbook import OBJECTION_INTENTS

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
