"""The development set: where choices that cross-validation leaves open are made (never held-out data).

A model with the deployed settings (or with the overrides given) is trained, outside Rasa, on the same
training files as the pipeline's MoveClassifier, and scored on tests/moves/dev.yml.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from coach.content.moves import generic_names
from coach.moves.evaluate import (
    HELDOUT,
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
SECOND_READERS = {DEV: DEV.with_name("dev_second_reader.yml"),
                  HELDOUT: HELDOUT.with_name("heldout_second_reader.yml")}
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


def agreement(labelled: Path, second: Path) -> tuple[int, float, float]:
    """(replies, micro-F1, exactly-right share) of a second reader's labels against a set's own labels,
    over the generic moves: how far two people agree, the ceiling a model's figures are read against."""
    first, other = read_heldout(labelled), read_heldout(second)
    if [i.text for i in first] != [i.text for i in other]:
        raise ValueError(f"{second}: its replies must be {labelled}'s, in the same order")
    generic = set(generic_names())
    items = [Item(a.text, a.gold & generic, None, b.gold & generic)
             for a, b in zip(first, other, strict=True)]
    return len(items), micro_f1(items), exact_share(items)


def agreement_report() -> str:
    """The agreement between each labelled set and its second reader, as a small table."""
    lines = ["| replies | second reader | micro-F1 | exactly right |", "|---|---|---|---|"]
    for labelled, second in SECOND_READERS.items():
        n, micro, exact = agreement(labelled, second)
        lines.append(f"| {labelled.name} ({n}) | {second.name} | {micro:.3f} | {exact:.3f} |")
    return "\n".join(lines)
