"""The baseline the shipped NLU has to beat: character 1-3-gram TF-IDF + logistic regression.

No Rasa here. It trains on the same `data/nlu/*.yml` intent examples as the shipped pipeline and
predicts the arg-max intent with its probability. Text goes through the same script normalisation
(Traditional -> Simplified, NFKC) and lower-casing that the shipped pipeline applies, so the
baseline is as strong as a few lines of scikit-learn can be; the comparison is honest, not rigged.

  python -m coach.nlu.baseline heldout results/nlu-baseline   # train on data/nlu, score the held-out set

The report it writes (intent_report.json, predictions.json) has the shape of `rasa test nlu`'s,
so coach/nlu/evaluate.py reads both the same way.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
from sklearn.pipeline import Pipeline

from coach.i18n import normalize_text
from coach.settings import DATA, NLU_HELDOUT

NLU_DATA = DATA / "nlu"
NGRAMS = (1, 3)
# Inverse regularisation strength, chosen by 3-fold cross-validation on data/nlu among 1, 10, 100
# (`python -m coach.nlu.compare`, rows baseline_c*, docs/nlu.md): 0.753 / 0.817 / 0.820 CV macro-F1.
C = 100.0

Example = tuple[str, str]  # (intent, text)


@dataclass(frozen=True)
class Prediction:
    text: str
    intent: str  # gold
    predicted: str
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "intent": self.intent,
                "intent_prediction": {"name": self.predicted, "confidence": round(self.confidence, 4)}}


def training_examples(folder: Path = NLU_DATA) -> list[Example]:
    """Every intent example of every YAML file in data/nlu (lookups and regexes have none)."""
    from coach.nlu.evaluate import read_examples

    return [ex for path in sorted(Path(folder).glob("*.yml")) for ex in read_examples(path)]


def preprocess(text: str) -> str:
    return normalize_text(text).lower()


class Baseline:
    """Char 1-3-gram TF-IDF (sublinear tf) + multinomial logistic regression."""

    def __init__(self, c: float = C, seed: int = 0) -> None:
        self.pipeline = Pipeline([
            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True,
                                      preprocessor=preprocess)),
            ("lr", LogisticRegression(C=c, max_iter=2000, random_state=seed)),
        ])

    def fit(self, examples: Sequence[Example]) -> Baseline:
        self.pipeline.fit([t for _, t in examples], [i for i, _ in examples])
        return self

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """(intent, probability) of the most likely intent for each text."""
        probs = self.pipeline.predict_proba(list(texts))
        labels = self.pipeline.classes_
        return [(str(labels[row.argmax()]), float(row.max())) for row in probs]

    def probabilities(self, text: str) -> dict[str, float]:
        """Every intent's probability for one text."""
        row = self.pipeline.predict_proba([text])[0]
        return {str(label): float(p) for label, p in zip(self.pipeline.classes_, row, strict=True)}

    def evaluate(self, examples: Sequence[Example]) -> list[Prediction]:
        predicted = self.predict([t for _, t in examples])
        return [Prediction(t, i, p, c) for (i, t), (p, c) in zip(examples, predicted, strict=True)]


def intent_report(predictions: Iterable[Prediction]) -> dict[str, Any]:
    """Per-intent precision/recall/F1/support/confused_with and accuracy, as rasa's intent_report.json."""
    preds = list(predictions)
    gold = [p.intent for p in preds]
    guess = [p.predicted for p in preds]
    report: dict[str, Any] = classification_report(gold, guess, output_dict=True, zero_division=0)
    confused: dict[str, Counter[str]] = defaultdict(Counter)
    for p in preds:
        if p.predicted != p.intent:
            confused[p.intent][p.predicted] += 1
    for intent, figures in report.items():
        if isinstance(figures, dict) and intent not in ("macro avg", "weighted avg", "micro avg"):
            figures["confused_with"] = dict(confused[intent].most_common())
    return report


def write_results(predictions: Sequence[Prediction], out: Path) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    report = intent_report(predictions)
    (out / "intent_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                            encoding="utf-8")
    (out / "predictions.json").write_text(
        json.dumps([p.as_dict() for p in predictions], ensure_ascii=False, indent=1), encoding="utf-8")
    return report


def run_heldout(heldout: Path = NLU_HELDOUT, data: Path = NLU_DATA, out: Optional[Path] = None,
                c: float = C) -> tuple[dict[str, Any], list[Prediction]]:
    """Train on `data`, predict every line of `heldout`; write the results to `out` when given."""
    from coach.nlu.evaluate import read_examples

    predictions = Baseline(c).fit(training_examples(data)).evaluate(read_examples(heldout))
    report = write_results(predictions, out) if out else intent_report(predictions)
    return report, predictions


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    held = sub.add_parser("heldout", help="train on data/nlu, score the held-out set")
    held.add_argument("out", type=Path)
    held.add_argument("--heldout", type=Path, default=NLU_HELDOUT)
    held.add_argument("--data", type=Path, default=NLU_DATA)
    held.add_argument("--c", type=float, default=C)
    args = parser.parse_args(argv)
    report, _ = run_heldout(args.heldout, args.data, args.out, args.c)
    print(f"baseline (char {NGRAMS[0]}-{NGRAMS[1]}-gram TF-IDF + LR, C={args.c}): "
          f"accuracy {report['accuracy']:.3f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
