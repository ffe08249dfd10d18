"""Cross-validation on the training replies: where the move model's settings come from.

Only training replies are used (data/moves/train.yml + playbook_lines.yml), so the thresholds and the
count step are chosen without looking at held-out data. `python -m coach.nlu.evaluate_moves cv` prints
the tables; docs/moves.md carries them.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from coach.content.moves import generic_names
from coach.moves.evaluate import TRAIN, Item, counts, exact_share, f1, micro_f1
from coach.moves.model import C, MoveModel, read_replies

Row = dict[str, float]


def training_replies() -> tuple[list[str], list[frozenset[str]]]:
    """The training replies' texts and move sets (data/moves/train.yml + playbook_lines.yml)."""
    replies = [r for path in TRAIN for r in read_replies(path)]
    return [t for t, _ in replies], [frozenset(m) for _, m in replies]


def fold_scores(texts: list[str], gold: list[frozenset[str]],
                folds: int) -> tuple[list[Row], list[Optional[int]]]:
    """Each training reply's move probabilities, and its likely move count, from a model (the deployed
    settings) that did not see it."""
    import numpy as np

    from coach.nlp.tokens import tokenize

    tokens = [tokenize(t) for t in texts]
    order = np.random.RandomState(0).permutation(len(texts))
    scores: list[Row] = [{} for _ in texts]
    sizes: list[Optional[int]] = [None for _ in texts]
    for part in np.array_split(order, folds):
        held = set(part.tolist())
        train = [i for i in order if i not in held]
        model = MoveModel().fit([tokens[i] for i in train], [texts[i] for i in train],
                                [gold[i] for i in train])
        fold, fold_sizes = model.read([tokens[i] for i in part])
        for i, row, size in zip(part, fold, fold_sizes, strict=True):
            scores[i], sizes[i] = row, size
    return scores, sizes


@lru_cache(maxsize=1)
def _deployed() -> MoveModel:
    return MoveModel()  # the deployed decision needs no fitted model


def decide(row: Row, threshold: Optional[float] = None, count: Optional[int] = None) -> frozenset[str]:
    """A plain threshold, or (None) the deployed decision: per-move thresholds, exclusive pairs and,
    with `count`, the count step."""
    if threshold is None:
        return frozenset(_deployed().chosen(row, count))
    return frozenset(m for m, p in row.items() if p >= threshold)


def _per_move_table(texts: list[str], gold: list[frozenset[str]], scores: list[Row],
                    grid: tuple[float, ...]) -> list[str]:
    """F1 of each move at each threshold: where PER_MOVE_THRESHOLDS (coach/moves/model.py) come from."""
    lines = ["| move | " + " | ".join(str(t) for t in grid) + " |", "|---" * (len(grid) + 1) + "|"]
    for move in generic_names():
        cells = []
        for threshold in grid:
            items = [Item(t, g, None, decide(row, threshold))
                     for t, g, row in zip(texts, gold, scores, strict=True)]
            cells.append(f"{micro_f1(items, {move}):.2f}")
        lines.append(f"| {move} | " + " | ".join(cells) + " |")
    return lines


def cross_validate(folds: int = 5, thresholds: tuple[float, ...] = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)) -> str:
    """Micro P/R/F1 and the exactly-right share, of the classifier alone and joined with the cue
    phrases: per threshold, with the per-move thresholds, and as deployed (with the count step);
    then each move's F1 per threshold."""
    from coach.moves.matcher import generic_matcher

    texts, gold = training_replies()
    scores, sizes = fold_scores(texts, gold, folds)
    cues = [frozenset(generic_matcher().find(t)) for t in texts]
    lines = [f"{folds}-fold cross-validation on {len(texts)} training replies "
             f"(data/moves/train.yml + playbook_lines.yml; C = {C}):", "",
             "| decision | classifier P | R | F1 | exactly right "
             "| + cue phrases P | R | F1 | exactly right |",
             "|---|---|---|---|---|---|---|---|---|"]
    decisions: list[tuple[str, Optional[float], bool]] = [
        *((str(t), t, False) for t in thresholds),
        ("per move (model.py), no count step", None, False),
        ("**deployed**: per move + count step", None, True)]
    for name, threshold, with_count in decisions:
        alone = [Item(t, g, None, decide(row, threshold, size if with_count else None))
                 for t, g, row, size in zip(texts, gold, scores, sizes, strict=True)]
        joined = [Item(i.text, i.gold, None, i.predicted | c) for i, c in zip(alone, cues, strict=True)]
        a, j = f1(*counts(alone)), f1(*counts(joined))
        lines.append(f"| {name} | {a[0]:.3f} | {a[1]:.3f} | {a[2]:.3f} | {exact_share(alone):.3f} "
                     f"| {j[0]:.3f} | {j[1]:.3f} | {j[2]:.3f} | {exact_share(joined):.3f} |")
    return "\n".join([*lines, "", *_per_move_table(texts, gold, scores, thresholds)])
