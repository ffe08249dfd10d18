"""Multi-label move model: which generic moves a rep reply carries, with probabilities.

One reply can carry several moves ("理解，您跟哪家比的？" = acknowledge + compare), so this is
one logistic regression per move over token and character n-grams, not an intent. Plain Python
(no Rasa): coach/nlu/move_classifier.py wraps it as an NLU component, and a drill's key moves
reuse it (coach/moves/keys.py) with the drill's examples as positives.

Negation: "不能赊账" and "I won't discount" name a give-away while refusing it. Tokens in the
scope of a negator (up to NEG_WINDOW tokens, until punctuation or "but") become their own
features ("¬赊账"), and are left out of the character n-grams, so a refused give-away does not
look like one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from coach.content.moves import generic_names

# Chosen by 5-fold cross-validation on the training replies (`python -m coach.nlu.evaluate_moves cv`,
# docs/moves.md) and, where cross-validation is flat, on a development set (tests/moves/dev.yml: 418
# replies written and labelled for this by someone who saw neither the training replies nor the held-out
# files; `python -m coach.nlu.evaluate_moves dev`), never on held-out data. On 7,500 training replies the
# cross-validated micro-F1 is 0.910-0.912 for any threshold from 0.4 to 0.5; on the development set 0.4
# gives 0.910 micro-F1 and 0.776 exactly-right replies, 0.45 0.902 and 0.760 (0.4 still leads with 8,700).
# refer_up keeps its lower cut (+0.03 cross-validated F1 when it was set). The moves that cost the rep
# points or fail the drill (concession, argue, overpromise) stay at 0.5: an unfair penalty costs more than
# a missed one, and on the development set 0.5 for them changes neither figure. C = 100 goes with FALLBACK
# below: together (sharper probabilities, and an unsure reply still gets its likeliest move) they raised
# the cross-validated exactly-right share by 0.014-0.016. liblinear fits the thirteen models ~10x faster
# than lbfgs, with the same cross-validated figures.
C = 100.0
THRESHOLD = 0.4
PER_MOVE_THRESHOLDS = {"refer_up": 0.3, "concession": 0.5, "argue": 0.5, "overpromise": 0.5}
# Two readings of the same thing that exclude each other by definition (data/moves/moves.yml): a
# give-away is either tied to something in return or not; an exit either keeps a next contact or
# drops the customer. When both pass their thresholds, the likelier one stands (no training reply
# carries both; cross-validation: same F1, more exactly-right replies).
EXCLUSIVE = (("concession", "conditional_offer"), ("give_up", "keep_in_touch"))
# When no move reaches its threshold, the likeliest move still stands if its probability is at least
# FALLBACK: a reply the model is unsure of more often makes one move, weakly worded, than none
# (see C above). Never a move that costs the rep points or fails the drill (STRICT, below): a refused
# give-away scores just below concession's threshold, and a referral ("张老板介绍我给您打个电话") once scored
# 0.42 for overpromise; an unsure reading must not become a penalty (cross-validation -0.0006, development
# set -0.0009 against concession alone).
FALLBACK = 0.3
# How many moves a reply makes (0, 1, 2, 3 or more) is learned too, by one more classifier over the same
# features, and settles what the thresholds leave open: surplus moves below COUNT_KEEP go (the likeliest
# stay), and a missing one is the next likeliest if it reaches COUNT_ADD, never a move that costs the rep
# points (STRICT). 5-fold cross-validation on 9,116 replies: micro-F1 0.916 -> 0.920, exactly right 0.816
# -> 0.829. On the development set micro-F1 0.924 -> 0.927, exactly right 0.811 -> 0.809. The cut-offs,
# where cross-validation was flat (0.3-0.45 and 0.55-0.65 within 0.001), were chosen on that set.
# liblinear (one-vs-rest) fits the count in 0.7 s against lbfgs's 8 s, with the same cross-validated figures.
COUNT_ADD = 0.35
COUNT_KEEP = 0.6
COUNT_C = 10.0
MAX_COUNT = 3
STRICT = frozenset(m for m, cut in PER_MOVE_THRESHOLDS.items() if cut > THRESHOLD)
NO_FALLBACK = STRICT
# The count also sees the reply's shape, which the length-normalised n-grams hide: how many sentences and
# clauses it has, and how long it is (each in buckets). Cross-validation 0.920 -> 0.922 micro-F1, 0.829
# -> 0.836 exactly right; development set 0.927 -> 0.929 and 0.809 -> 0.818 (against its second reader
# too: 0.898 -> 0.902, 0.785 -> 0.792).
_SENTENCE_ENDS = frozenset({"。", "!", "?", ";", ".", "！", "？", "；"})
_CLAUSE_MARKS = _SENTENCE_ENDS | {",", "，", "、", ":", "："}
_SHAPE_BUCKETS = (5, 7, 7)  # sentences 0-4+, clauses 0-6+, tokens in eights 0-6+
# Each move is read twice and the two probabilities averaged, NB_WEIGHT to 1 - NB_WEIGHT: by the logistic
# regression above and by one over the features scaled by their naive-Bayes log-count ratio for that move
# (NB-SVM, Wang & Manning 2012), which leans on the n-grams that set the move apart; the generic model's
# word n-grams go up to three (WORD_N). 5-fold cross-validation: micro-F1 0.9217 -> 0.9234, exactly right
# 0.834 -> 0.839 (another fold split: 0.920 -> 0.922, 0.832 -> 0.836); development set (settled labels)
# 0.910 -> 0.914 and 0.797 -> 0.809; against its second reader 0.902 -> 0.905 and 0.792 -> 0.804. Each
# change alone gains on one of them only; weight 0.3 instead: CV +0.001, development set -0.0003.
NB_WEIGHT = 0.2
WORD_N = 3

NEG = "¬"
NEG_WINDOW = 4
_NEGATORS = frozenset({
    "不", "没", "没有", "别", "无", "无法", "不能", "不会", "不可", "不可能", "不行", "没法", "没办法",
    "不要", "不用", "未", "从不", "从来不", "绝不", "不肯", "不给", "甭", "莫",
    "no", "not", "never", "cannot", "unable", "without", "nor", "none",
})
# English contractions reach us as three tokens: "won", "'", "t".
_CONTRACTED = frozenset({"won", "can", "don", "didn", "doesn", "isn", "aren", "wouldn", "couldn", "shouldn",
                         "haven", "hasn", "wasn", "weren", "ain"})
# Negators that follow what they negate: "赊账是不行的", "降价不可能", "独家给不了", "折扣免谈".
_AFTER = frozenset({"不行", "没门", "免谈", "不到", "不了", "不允许", "不可能", "不成", "没戏", "办不到",
                    "做不到", "给不了", "impossible"})
_AFTER_NOT = frozenset({"可能", "行", "允许", "成"})  # "不" + one of these, cut in two by jieba
_SCOPE_END = frozenset({",", "，", ".", "。", ";", "；", "!", "！", "?", "？", ":", "：", "、",
                        "但", "但是", "不过", "可是", "可", "然而", "只是",
                        "but", "however", "though", "although", "except"})


def _replies_file(path: Path) -> tuple[list[tuple[str, list[str]]], float]:
    """A replies file's [(text, [move, ...]), ...] and its top-level `weight` (default 1)."""
    with Path(path).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    rows = [(item["text"], list(item.get("moves") or [])) for item in data["replies"]]
    return rows, float(data.get("weight", 1.0))


def read_replies(path: Path) -> list[tuple[str, list[str]]]:
    """[(text, [move, ...]), ...] from a replies file (data/moves/train.yml format)."""
    return _replies_file(path)[0]


def training_set(paths: Iterable[Path]) -> tuple[list[str], list[list[str]], list[float]]:
    """Texts, move lists and sample weights of replies files; a file's top-level `weight` (default 1)
    applies to each of its replies (playbook_lines.yml: the playbook is the reference)."""
    texts: list[str] = []
    labels: list[list[str]] = []
    weights: list[float] = []
    for path in paths:
        rows, weight = _replies_file(path)
        texts += [text for text, _ in rows]
        labels += [moves for _, moves in rows]
        weights += [weight] * len(rows)
    return texts, labels, weights


def _is_negator(tokens: Sequence[str], i: int) -> bool:
    token = tokens[i]
    if token in _NEGATORS:
        return True
    if token == "t" and i >= 2 and tokens[i - 1] == "'" and tokens[i - 2] in _CONTRACTED:
        return True
    return token.endswith("n't")


def _negates_backwards(tokens: Sequence[str], i: int) -> bool:
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    return tokens[i] in _AFTER or (tokens[i] == "不" and nxt in _AFTER_NOT)


def mark_negation(tokens: Sequence[str]) -> list[str]:
    """The tokens, lower-cased, with those in a negator's scope prefixed by NEG.

    The scope is the next NEG_WINDOW tokens, and for a negator that follows what it negates
    ("赊账是不行的") the previous ones; it never crosses punctuation or "but".
    """
    lowered = [t.lower() for t in tokens]
    out: list[str] = []
    scope = 0
    clause_start = 0
    for i, token in enumerate(lowered):
        if token in _SCOPE_END:
            scope, clause_start = 0, i + 1
            out.append(token)
            continue
        out.append(NEG + token if scope and token not in ("'", "t") else token)
        if _negates_backwards(lowered, i):
            for j in range(max(clause_start, i - NEG_WINDOW), i):
                out[j] = out[j] if out[j].startswith(NEG) else NEG + out[j]
        scope = NEG_WINDOW if _is_negator(lowered, i) else max(scope - 1, 0)
    return out


def _token_ngrams(tokens: Sequence[str], n: int = 2) -> list[str]:
    # Module-level (not a lambda) so the fitted vectorizer pickles.
    marked = mark_negation(tokens)
    out = list(marked)
    for size in range(2, n + 1):
        out += [" ".join(marked[i:i + size]) for i in range(len(marked) - size + 1)]
    return out


def _ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _char_text(tokens: Sequence[str]) -> str:
    """The reply rebuilt from its tokens, each negated token replaced by NEG (see the module doc)."""
    parts: list[str] = []
    for token in mark_negation(tokens):
        piece = NEG if token.startswith(NEG) else token
        if parts and _ascii_word(piece[:1]) and _ascii_word(parts[-1][-1:]):
            parts.append(" ")
        parts.append(piece)
    return "".join(parts)


class Features:
    """Token 1-`word_n` grams (negation-marked) and character n-grams of the un-negated text, tf-idf.

    Shared by the generic move model (word 1-3 grams, WORD_N) and the drills' key-move models (1-2
    grams), so both read a reply alike.
    """

    def __init__(self, char_range: tuple[int, int] = (1, 4), min_df: int = 2, word_n: int = 2) -> None:
        self._words = TfidfVectorizer(analyzer=partial(_token_ngrams, n=word_n), sublinear_tf=True, min_df=1)
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=char_range, sublinear_tf=True,
                                      min_df=min_df, lowercase=True)

    def fit_transform(self, tokens: Sequence[Sequence[str]]) -> csr_matrix:
        chars = [_char_text(t) for t in tokens]
        return hstack([self._words.fit_transform(tokens), self._chars.fit_transform(chars)]).tocsr()

    def transform(self, tokens: Sequence[Sequence[str]]) -> csr_matrix:
        chars = [_char_text(t) for t in tokens]
        return hstack([self._words.transform(tokens), self._chars.transform(chars)]).tocsr()


@dataclass
class MoveModel:
    """One binary classifier per move over `Features`.

    The defaults (C, THRESHOLD, PER_MOVE_THRESHOLDS above) are the deployed model's.
    `thresholds` holds a per-move cut-off where one was tuned; other moves use `threshold`.
    """

    labels: tuple[str, ...] = field(default_factory=generic_names)
    threshold: float = THRESHOLD
    c: float = C
    char_range: tuple[int, int] = (1, 4)
    class_weight: Optional[str] = "balanced"
    thresholds: dict[str, float] = field(default_factory=lambda: dict(PER_MOVE_THRESHOLDS))
    fallback: Optional[float] = FALLBACK
    count: bool = True
    word_n: int = WORD_N
    nb_weight: float = NB_WEIGHT

    def __post_init__(self) -> None:
        stray = sorted(set(self.thresholds) - set(generic_names()) - set(self.labels))
        if stray:
            raise ValueError(f"per-move thresholds for unknown moves: {stray}; allowed: "
                             f"{', '.join(self.labels)} (config.yml, MoveClassifier `thresholds`)")
        self._features = Features(self.char_range, word_n=self.word_n)
        self._models: dict[str, LogisticRegression] = {}
        self._nb: dict[str, tuple[np.ndarray, LogisticRegression]] = {}  # move -> (log-count ratio, model)
        self._count: Optional[LogisticRegression] = None

    def fit(self, tokens: Sequence[Sequence[str]], texts: Sequence[str],
            labels: Sequence[Iterable[str]], weights: Optional[Sequence[float]] = None) -> MoveModel:
        """`texts` are kept in the signature for callers; the features come from the tokens.
        `weights`: one per reply (default 1)."""
        sets = [set(row) for row in labels]
        unknown = {m for row in sets for m in row} - set(self.labels)
        if unknown:
            raise ValueError(f"unknown move names in training data: {sorted(unknown)}; "
                             f"allowed: {', '.join(self.labels)} (data/moves/moves.yml)")
        x = self._features.fit_transform(tokens)
        present = (x > 0).astype(float) if self.nb_weight else None
        sample_weight = None if weights is None else np.asarray(weights, dtype=float)
        for move in self.labels:
            y = np.array([move in row for row in sets], dtype=int)
            if y.sum() == 0 or y.sum() == len(y):
                raise ValueError(f"move '{move}' needs both positive and negative training replies")
            self._models[move] = self._logistic().fit(x, y, sample_weight=sample_weight)
            if present is not None:
                ratio = _log_count_ratio(present, y)
                self._nb[move] = (ratio, self._logistic().fit(x.multiply(ratio).tocsr(), y,
                                                              sample_weight=sample_weight))
        if self.count:
            sizes = np.minimum([len(row) for row in sets], MAX_COUNT)
            count_model = LogisticRegression(C=COUNT_C, solver="liblinear", max_iter=3000, random_state=0)
            shaped = hstack([x, _shape(tokens)]).tocsr()
            self._count = count_model.fit(shaped, sizes, sample_weight=sample_weight)
        return self

    def _logistic(self) -> LogisticRegression:
        return LogisticRegression(C=self.c, class_weight=self.class_weight, solver="liblinear", max_iter=3000,
                                  random_state=0)

    def _probability(self, move: str, x: csr_matrix) -> np.ndarray:
        """P(move) per row of x: the plain model's, averaged with the NB-scaled one's (NB_WEIGHT)."""
        plain = self._models[move].predict_proba(x)[:, 1]
        if move not in self._nb:
            return plain
        ratio, model = self._nb[move]
        scaled = model.predict_proba(x.multiply(ratio).tocsr())[:, 1]
        return (1 - self.nb_weight) * plain + self.nb_weight * scaled

    def scores(self, tokens: Sequence[Sequence[str]], texts: Sequence[str]) -> list[dict[str, float]]:
        """Per reply, {move: probability}."""
        return self.read(tokens)[0] if texts else []

    def counts(self, tokens: Sequence[Sequence[str]]) -> list[Optional[int]]:
        """Per reply, how many moves it likely makes (MAX_COUNT: that many or more); None without a count
        model."""
        return self.read(tokens)[1]

    def read(self, tokens: Sequence[Sequence[str]]) -> tuple[list[dict[str, float]], list[Optional[int]]]:
        """Per reply, {move: probability} and the likely move count, from one pass over the features."""
        if not self._models or not tokens:
            return [{} for _ in tokens], [None for _ in tokens]
        x = self._features.transform(tokens)
        columns = {move: self._probability(move, x) for move in self._models}
        rows = [{move: float(columns[move][i]) for move in self._models} for i in range(len(tokens))]
        if self._count is None:
            return rows, [None for _ in tokens]
        return rows, [int(k) for k in self._count.predict(hstack([x, _shape(tokens)]).tocsr())]

    def cut(self, move: str) -> float:
        return self.thresholds.get(move, self.threshold)

    def chosen(self, scores: dict[str, float], count: Optional[int] = None) -> list[str]:
        """The moves at or above their threshold, best first; of an EXCLUSIVE pair, only the likelier.

        With none there, the likeliest move if it reaches `fallback` (see FALLBACK; None: off).
        With `count` (how many moves the reply likely makes), the set is then fitted to it (COUNT_ADD).
        """
        found = {m for m, p in scores.items() if p >= self.cut(m)}
        if not found and scores and self.fallback is not None:
            best = max(scores, key=scores.__getitem__)
            if scores[best] >= self.fallback and best not in NO_FALLBACK:
                found = {best}
        for a, b in EXCLUSIVE:
            if a in found and b in found:
                found.discard(a if scores[a] < scores[b] else b)
        ranked = sorted(found, key=lambda m: -scores[m])
        return ranked if count is None else _fit_count(ranked, scores, count)

    def predict(self, tokens: Sequence[Sequence[str]], texts: Sequence[str]) -> list[list[str]]:
        """Per reply, the moves at or above the threshold, fitted to the likely count, best first."""
        return [self.chosen(row, count) for row, count in zip(*self.read(tokens), strict=True)]


def _log_count_ratio(present: csr_matrix, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Per feature, log of how much more often (smoothed by alpha) it occurs in the move's replies than in
    the others'."""
    positive = np.asarray(present[y == 1].sum(axis=0)).ravel() + alpha
    negative = np.asarray(present[y == 0].sum(axis=0)).ravel() + alpha
    return np.log(positive / positive.sum()) - np.log(negative / negative.sum())


def _shape(tokens: Sequence[Sequence[str]]) -> csr_matrix:
    """One-hot buckets of each reply's sentence count, clause count and length in tokens."""
    rows = np.zeros((len(tokens), sum(_SHAPE_BUCKETS)))
    for i, row in enumerate(tokens):
        values = (sum(t in _SENTENCE_ENDS for t in row), sum(t in _CLAUSE_MARKS for t in row), len(row) // 8)
        offset = 0
        for value, size in zip(values, _SHAPE_BUCKETS, strict=True):
            rows[i, offset + min(value, size - 1)] = 1
            offset += size
    return csr_matrix(rows)


def _fit_count(ranked: list[str], scores: dict[str, float], count: int) -> list[str]:
    """`ranked` (best first) cut or widened towards `count` moves, as COUNT_ADD above says."""
    if len(ranked) > count:
        return ranked[:count] + [m for m in ranked[count:] if scores[m] >= COUNT_KEEP]
    out = list(ranked)
    for move in sorted(scores, key=lambda m: -scores[m]):
        if len(out) >= count:
            break
        excluded = any(move in pair and set(pair) & set(out) for pair in EXCLUSIVE)
        if move not in out and scores[move] >= COUNT_ADD and move not in STRICT and not excluded:
            out.append(move)
    return out
