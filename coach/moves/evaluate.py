"""Measure move detection: precision/recall/F1 over labelled rep replies, and the reports' text.

No Rasa here: coach/nlu/evaluate_moves.py parses the held-out replies with the trained model and
hands the generic moves to `apply_drills`; this module adds the drill matchers and scores the result.
`cross_validate` needs no trained model (it fits MoveModel on folds of the training replies).
"""
from __future__ import annotations

import datetime
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

import yaml

from coach import i18n
from coach.content.moves import generic_names
from coach.settings import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "moves" / "heldout.yml"
TRAIN = PROJECT_ROOT / "data" / "moves" / "train.yml"
MIN_MICRO_F1 = 0.85  # the quality bar for move detection, over every label in the held-out set
SCRIPTS = ("zh-Hans", "zh-Hant", "en", "mixed")

Counts = tuple[int, int, int]  # true positives, false positives, false negatives
Scores = tuple[float, float, float]  # precision, recall, F1
LabelRow = tuple[str, float, float, float, int]  # label, precision, recall, F1, support


@dataclass
class Item:
    text: str
    gold: frozenset[str]
    drill: Optional[str]
    predicted: frozenset[str] = frozenset()


def read_heldout(path: Path = HELDOUT) -> list[Item]:
    with Path(path).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return [Item(r["text"], frozenset(r.get("moves") or []), r.get("drill")) for r in data["replies"]]


def apply_drills(items: list[Item], nlu_moves: Sequence[Iterable[str]]) -> list[Item]:
    """Fill `predicted`: the NLU's moves, plus the drill's matchers for a reply in a drill's context.

    All replies are parsed before any drill matcher is prepared, because preparing one adds the
    drills' phrases to jieba's dictionary, which would change what the NLU sees.
    """
    from coach.content.library import default_library  # loads every drill: only when evaluating
    from coach.moves.matcher import detect_moves, prepare_all

    library = default_library()
    prepare_all(library.all())
    for item, moves in zip(items, nlu_moves, strict=True):
        drill = library.get(item.drill) if item.drill else None
        if item.drill and drill is None:
            raise SystemExit(f"error: held-out reply names drill '{item.drill}', which is not a valid drill")
        item.predicted = frozenset(detect_moves(drill, item.text, moves) if drill else moves)
    return items


def counts(items: Iterable[Item], labels: Optional[set[str]] = None) -> Counts:
    """(tp, fp, fn) over items, restricted to `labels` if given."""
    tp = fp = fn = 0
    for item in items:
        gold = item.gold if labels is None else item.gold & labels
        pred = item.predicted if labels is None else item.predicted & labels
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return tp, fp, fn


def f1(tp: int, fp: int, fn: int) -> Scores:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def micro_f1(items: Iterable[Item], labels: Optional[set[str]] = None) -> float:
    return f1(*counts(items, labels))[2]


def _label_order(label: str) -> tuple[bool, int, str]:
    """Generic moves first, in their defined order; then drill key moves alphabetically."""
    generic = generic_names()
    return label not in generic, generic.index(label) if label in generic else 0, label


def per_label(items: list[Item]) -> list[LabelRow]:
    rows = []
    for label in sorted({m for i in items for m in i.gold | i.predicted}, key=_label_order):
        tp, fp, fn = counts(items, {label})
        p, r, f = f1(tp, fp, fn)
        rows.append((label, p, r, f, tp + fn))
    return rows


def report(items: list[Item]) -> str:
    generic = set(generic_names())
    keys = {m for i in items for m in i.gold | i.predicted} - generic
    exact = sum(i.gold == i.predicted for i in items) / len(items)
    lines = [
        f"- **micro-F1, all labels: {micro_f1(items):.3f}** (gate: {MIN_MICRO_F1})",
        f"- micro-F1, the nine generic moves (Rasa MoveClassifier): {micro_f1(items, generic):.3f}",
        f"- micro-F1, drill key moves (spaCy matchers from the drill files): {micro_f1(items, keys):.3f}",
        f"- replies whose predicted set is exactly right: {exact:.3f}",
        f"- held-out replies: {len(items)} ({sum(1 for i in items if i.drill)} in a drill's context)",
        "",
        "| move | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {m} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |" for m, p, r, f, n in per_label(items)]
    lines += ["", "| script | replies | micro-F1 |", "|---|---|---|"]
    for script in SCRIPTS:
        group = [i for i in items if i18n.script(i.text) == script]
        if group:
            lines.append(f"| {script} | {len(group)} | {micro_f1(group):.3f} |")
    return "\n".join(lines)


def _moves_cell(moves: frozenset[str]) -> str:
    return ", ".join(sorted(moves)) or "—"


def errors(items: list[Item], limit: int = 40) -> str:
    wrong = [i for i in items if i.gold != i.predicted]
    out = ["| reply | expected | found |", "|---|---|---|"]
    for item in wrong[:limit]:
        text = item.text.replace("|", "\\|")
        out.append(f"| {text} | {_moves_cell(item.gold)} | {_moves_cell(item.predicted)} |")
    return "\n".join(out)


HOW_IT_WORKS = """\
How a reply is read: the Rasa pipeline's `MoveClassifier` (one logistic regression per generic
move over the pipeline's jieba/spaCy tokens and character n-grams, trained on
`data/moves/train.yml`) gives the generic moves; in the action server, spaCy `PhraseMatcher`
and `Matcher` add cue phrases for generic moves (`data/moves/patterns.yml`) and each drill's
key moves (`key_moves` in the drill file). A reply can carry several moves.

How this was developed: the threshold and regularisation were chosen by cross-validation on the
training replies (table below). The aggregate held-out figures were looked at three times while
the training replies (555, then 1052, then 1606) and the drills' key-move phrases were widened;
the individual held-out errors listed at the end were not used to write training data or phrases."""


def _fold_scores(texts: list[str], gold: list[frozenset[str]], folds: int) -> list[dict[str, float]]:
    """Each training reply's move probabilities from a model that did not see it."""
    import numpy as np

    from coach.moves.model import MoveModel
    from coach.nlp.tokens import tokenize

    tokens = [tokenize(t) for t in texts]
    order = np.random.RandomState(0).permutation(len(texts))
    scores: list[dict[str, float]] = [{} for _ in texts]
    for part in np.array_split(order, folds):
        held = set(part.tolist())
        train = [i for i in order if i not in held]
        model = MoveModel().fit([tokens[i] for i in train], [texts[i] for i in train],
                                [gold[i] for i in train])
        fold = model.scores([tokens[i] for i in part], [texts[i] for i in part])
        for i, row in zip(part, fold, strict=True):
            scores[i] = row
    return scores


def cross_validate(folds: int = 5, thresholds: tuple[float, ...] = (0.35, 0.4, 0.45, 0.5, 0.55)) -> str:
    """Micro P/R/F1 of the classifier alone and joined with the cue phrases, per threshold.

    Only training replies are used, so the threshold is chosen without looking at held-out data.
    """
    from coach.moves.matcher import generic_matcher
    from coach.moves.model import read_replies

    replies = read_replies(TRAIN)
    texts = [t for t, _ in replies]
    gold = [frozenset(m) for _, m in replies]
    scores = _fold_scores(texts, gold, folds)
    cues = [frozenset(generic_matcher().find(t)) for t in texts]
    lines = [f"{folds}-fold cross-validation on {len(texts)} training replies (data/moves/train.yml):", "",
             "| threshold | classifier P | R | F1 | classifier + cue phrases P | R | F1 |",
             "|---|---|---|---|---|---|---|"]
    for threshold in thresholds:
        alone = [Item(t, g, None, frozenset(m for m, p in row.items() if p >= threshold))
                 for t, g, row in zip(texts, gold, scores, strict=True)]
        joined = [Item(i.text, i.gold, None, i.predicted | c) for i, c in zip(alone, cues, strict=True)]
        a, j = f1(*counts(alone)), f1(*counts(joined))
        lines.append(f"| {threshold} | {a[0]:.3f} | {a[1]:.3f} | {a[2]:.3f} "
                     f"| {j[0]:.3f} | {j[1]:.3f} | {j[2]:.3f} |")
    return "\n".join(lines)


def _commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


def header(title: str) -> list[str]:
    """The opening lines of a generated report in docs/: title, date, commit and machine."""
    return [f"# {title}", "",
            f"Generated {datetime.date.today().isoformat()} at commit {_commit()} on {platform.machine()} "
            f"({platform.python_implementation()} {platform.python_version()}). "
            "Regenerate with the command below; do not edit by hand.", ""]


def markdown(items: list[Item], path: Union[str, Path]) -> None:
    """Write docs/moves.md: how detection works, the held-out figures, the threshold choice, the misses."""
    intro = ("Regenerate: `make moves-report`. The held-out replies are in `tests/moves/heldout.yml`, "
             "written separately from the training replies (`data/moves/train.yml`); "
             "`tests/unit/nlu/test_data_split.py` checks that none is used for training.")
    text = "\n".join([*header("Move detection on held-out rep replies"), "", intro, "",
                      HOW_IT_WORKS, "", report(items), "",
                      "## How the threshold was chosen", "", cross_validate(), "",
                      "## Replies the detector got wrong", "", errors(items), ""])
    Path(path).write_text(text, encoding="utf-8")
