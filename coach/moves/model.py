"""Multi-label move model: which generic moves a rep reply carries, with probabilities.

One reply can carry several moves ("理解，您跟哪家比的？" = acknowledge + compare), so this is
one logistic regression per move over token and character n-grams, not an intent. Plain Python
(no Rasa): coach/nlu/move_classifier.py wraps it as an NLU component.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from coach.content.moves import generic_names
from coach.i18n import normalize_text


def read_replies(path: Path) -> list[tuple[str, list[str]]]:
    """[(text, [move, ...]), ...] from a replies file (data/moves/train.yml format)."""
    with Path(path).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return [(item["text"], list(item.get("moves") or [])) for item in data["replies"]]


def _token_ngrams(tokens: Sequence[str]) -> list[str]:
    # Module-level (not a lambda) so the fitted vectorizer pickles.
    lowered = [t.lower() for t in tokens]
    return lowered + [f"{a} {b}" for a, b in zip(lowered, lowered[1:], strict=False)]


@dataclass
class MoveModel:
    """One binary classifier per move; features: token 1-2 grams + character 1-3 grams (tf-idf)."""

    labels: tuple[str, ...] = field(default_factory=generic_names)
    threshold: float = 0.5
    c: float = 10.0  # weak regularisation: chosen by cross-validation on the training replies

    def __post_init__(self) -> None:
        self._words = TfidfVectorizer(analyzer=_token_ngrams, sublinear_tf=True, min_df=1)
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2,
                                      lowercase=True)
        self._models: dict[str, LogisticRegression] = {}

    def _features(self, tokens: Sequence[Sequence[str]], texts: Sequence[str],
                  fit: bool = False) -> csr_matrix:
        texts = [normalize_text(t) for t in texts]
        if fit:
            return hstack([self._words.fit_transform(tokens), self._chars.fit_transform(texts)]).tocsr()
        return hstack([self._words.transform(tokens), self._chars.transform(texts)]).tocsr()

    def fit(self, tokens: Sequence[Sequence[str]], texts: Sequence[str],
            labels: Sequence[Iterable[str]]) -> MoveModel:
        unknown = {m for row in labels for m in row} - set(self.labels)
        if unknown:
            raise ValueError(f"unknown move names in training data: {sorted(unknown)}; "
                             f"allowed: {', '.join(self.labels)} (data/moves/moves.yml)")
        x = self._features(tokens, texts, fit=True)
        for move in self.labels:
            y = np.array([move in row for row in labels], dtype=int)
            if y.sum() == 0 or y.sum() == len(y):
                raise ValueError(f"move '{move}' needs both positive and negative training replies")
            model = LogisticRegression(C=self.c, class_weight="balanced", max_iter=2000, random_state=0)
            self._models[move] = model.fit(x, y)
        return self

    def scores(self, tokens: Sequence[Sequence[str]], texts: Sequence[str]) -> list[dict[str, float]]:
        """Per reply, {move: probability}."""
        if not self._models:
            return [{} for _ in texts]
        x = self._features(tokens, texts)
        columns = {move: model.predict_proba(x)[:, 1] for move, model in self._models.items()}
        return [{move: float(columns[move][i]) for move in self.labels} for i in range(len(texts))]

    def predict(self, tokens: Sequence[Sequence[str]], texts: Sequence[str]) -> list[list[str]]:
        """Per reply, the moves at or above the threshold, best first."""
        return [sorted((m for m, p in row.items() if p >= self.threshold), key=lambda m: -row[m])
                for row in self.scores(tokens, texts)]
