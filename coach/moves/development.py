"""The development set: where choices that cross-validation leaves open are made (never held-out data).

A model with the deployed settings (or with the overrides given) is trained, outside Rasa, on the same
training files as the pipeline's MoveClassifier, and scored on tests/moves/dev.yml.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from coach.moves.evaluate import (
    TRAIN,
    Item,
    exact_share,
    key_move_items,
    micro_f1,
    per_label,
    read_heldout,
    read_key_moves,
)
from coach.settings import PROJECT_ROOT

DEV = PROJECT_ROOT / "tests" / "moves" / "dev.yml"
KEY_DEV = PROJECT_ROOT / "tests" / "moves" / "keymoves_dev.yml"


def score_dev(path: Path = DEV, **settings: Any) -> tuple[list[Item], float, float]:
    """(items with predictions, micro-F1, exactly-right share) on the development set."""
    from coach.moves.model import MoveModel, training_set
    from coach.nlp.tokens import tokenize

    texts, labels, weights = training_set(TRAIN)
    model = MoveModel(**settings).fit([tokenize(t) for t in texts], texts, labels, weights)
    items = read_heldout(path)
    for item, moves in zip(items, model.predict([tokenize(i.text) for i in items],
                                                [i.text for i in items]), strict=True):
        item.predicted = frozenset(moves)
    return items, micro_f1(items), exact_share(items)


def dev_report(path: Path = DEV) -> str:
    """The figures and a per-move table, as `python -m coach.nlu.evaluate_moves dev` prints them."""
    items, micro, exact = score_dev(path)
    lines = [f"development set {path.name}: {len(items)} replies, micro-F1 {micro:.3f}, "
             f"exactly right {exact:.3f}", "", "| move | precision | recall | F1 | support |",
             "|---|---|---|---|---|"]
    lines += [f"| {m} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |" for m, p, r, f, n in per_label(items)]
    keys = key_move_items(read_key_moves(KEY_DEV))
    lines += ["", f"key moves from `examples` alone, {KEY_DEV.name}: {len(keys)} replies, "
              f"micro-F1 {micro_f1(keys):.3f}"]
    return "\n".join(lines)
