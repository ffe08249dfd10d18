"""The development set: where choices that cross-validation leaves open are made (never held-out data).

A model with the deployed settings (or with the overrides given) is trained, outside Rasa, on the same
training files as the pipeline's MoveClassifier, and scored on tests/moves/dev.yml.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from coach.moves.evaluate import (
    TRAIN,
    Item,
    exact_share,
    key_move_items,
    micro_f1,
    per_label,
    read_key_moves,
)
from coach.moves.readers import DEV, against_first_reader, settled
from coach.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from coach.moves.model import MoveModel

KEY_DEV = PROJECT_ROOT / "tests" / "moves" / "keymoves_dev.yml"
DEV_GIVEAWAYS = PROJECT_ROOT / "tests" / "moves" / "dev_giveaways.yml"  # one reader's labels


def _trained(**settings: Any) -> MoveModel:
    from coach.moves.model import MoveModel, training_set
    from coach.nlp.tokens import tokenize

    texts, labels, weights = training_set(TRAIN)
    return MoveModel(**settings).fit([tokenize(t) for t in texts], texts, labels, weights)


@lru_cache(maxsize=1)
def _deployed() -> MoveModel:
    return _trained()


def score_dev(path: Path = DEV, **settings: Any) -> tuple[list[Item], float, float]:
    """(items with predictions, micro-F1, exactly-right share) on a development set, whose labels are
    settled by three readers where it has them (coach/moves/readers.py)."""
    from coach.nlp.tokens import tokenize

    model = _trained(**settings) if settings else _deployed()
    items = settled(path)
    for item, moves in zip(items, model.predict([tokenize(i.text) for i in items],
                                                [i.text for i in items]), strict=True):
        item.predicted = frozenset(moves)
    return items, micro_f1(items), exact_share(items)


def _per_move(items: list[Item], only: Optional[set[str]] = None) -> list[str]:
    return ["| move | precision | recall | F1 | support |", "|---|---|---|---|---|",
            *(f"| {m} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |" for m, p, r, f, n in per_label(items)
              if only is None or m in only)]


def dev_report(path: Path = DEV) -> str:
    """The figures and per-move tables, as `python -m coach.nlu.evaluate_moves dev` prints them."""
    items, micro, exact = score_dev(path)
    first = against_first_reader(items, path)
    lines = [f"development set {path.name}: {len(items)} replies, micro-F1 {micro:.3f}, "
             f"exactly right {exact:.3f} (labels settled by three readers; the first reader's alone: "
             f"{micro_f1(first):.3f}, {exact_share(first):.3f})", "", *_per_move(items)]
    gifts, micro, exact = score_dev(DEV_GIVEAWAYS)
    lines += ["", f"give-aways and their look-alikes, {DEV_GIVEAWAYS.name}: {len(gifts)} replies, micro-F1 "
              f"{micro:.3f}, exactly right {exact:.3f}", "",
              *_per_move(gifts, {"concession", "conditional_offer", "overpromise"})]
    keys = key_move_items(read_key_moves(KEY_DEV))
    lines += ["", f"key moves from `examples` alone, {KEY_DEV.name}: {len(keys)} replies, "
              f"micro-F1 {micro_f1(keys):.3f}"]
    return "\n".join(lines)


def _cue_rows(name: str, items: list[Item], cues: list[set[str]]) -> list[str]:
    """What each move's cues add to the classifier's moves: right and wrong moves, and micro-F1 after."""
    rows = []
    for move in sorted({m for found in cues for m in found}):
        added = [(i, move) for i, found in zip(items, cues, strict=True)
                 if move in found and move not in i.predicted]
        right = sum(1 for i, m in added if m in i.gold)
        joined = [Item(i.text, i.gold, None, i.predicted | (found & {move}))
                  for i, found in zip(items, cues, strict=True)]
        rows.append(f"| {name} | {move} | {right} | {len(added) - right} | {micro_f1(items):.4f} "
                    f"| {micro_f1(joined):.4f} |")
    return rows


def cue_report(patterns: Path) -> str:
    """Per move, what the cue phrases of `patterns` add to the classifier: in 5-fold cross-validation on
    the training replies, and on the development set. A cue set that adds more wrong moves than right
    ones costs precision for nothing (data/moves/patterns.yml keeps only those that pay)."""
    from coach.moves.crossval import decide, fold_scores, training_replies
    from coach.moves.matcher import MoveMatcher, load_generic_patterns

    texts, gold = training_replies()
    scores, sizes = fold_scores(texts, gold, 5)
    cv = [Item(t, g, None, decide(row, None, size))
          for t, g, row, size in zip(texts, gold, scores, sizes, strict=True)]
    dev, _, _ = score_dev()
    matcher = MoveMatcher(load_generic_patterns(patterns))
    lines = [f"cue phrases of {patterns}", "",
             "| replies | move | right moves added | wrong moves added | micro-F1 without | with |",
             "|---|---|---|---|---|---|"]
    for name, items in (("cross-validation", cv), ("development set", dev)):
        lines += _cue_rows(name, items, [set(matcher.find(i.text)) for i in items])
    return "\n".join(lines)
