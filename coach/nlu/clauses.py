"""Rasa NLU component: two objections in one message, read clause by clause.

DIET gives one intent per message, so 「又嫌贵又要先铺货」 or "he says it's too expensive and he also
wants it on consignment" comes out as one of the two. ClauseReader splits the message into clauses
(punctuation, 又…又…, 而且 / 还要 / 另外 …, "and", "also", "plus" …), classifies each clause with a
small model of its own (character n-grams + logistic regression, trained in `train()` on the
pipeline's own NLU data: the objection_* / situation_* intents, plus the other intents as one
"not an objection" class), and adds

    clauses: [{"text": "又嫌贵", "intent": "objection_price", "confidence": 0.83}, ...]

to the parse only when two or more *different* objection intents are confidently found, in the
order they were said. Otherwise it adds nothing. The action reads it from tracker.latest_message.

Splitting and the model are plain functions (`split_clauses`, `ClauseModel`, `find_clauses`), tested
without Rasa; figures in docs are produced by `python -m coach.nlu.clauses eval`.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from coach.i18n import normalize_text
from coach.nlu.stored_model import StoredModelComponent

logger = logging.getLogger(__name__)

CLAUSES = "clauses"
OTHER = "_other"  # every intent that is neither an objection nor a situation
INTENT_PREFIXES = ("objection_", "situation_")
# A clause counts when its objection is this likely; both figures were chosen on the two-objection
# lines and the held-out single-objection lines (tests/unit/nlu/test_clauses.py prints them).
THRESHOLD = 0.45
# DIET's ranking must back every clause (1.0: no clause counts on its own). A fragment alone can look
# sure: 「不考虑别家」 reads as no money at 0.70, while DIET, on 「他跟现在的厂家感情很好，不考虑别家」,
# gives no money 0.004. Measured on tests/unit/nlu/two_objections.yml with the trained model: 32 of
# 36 two-objection lines found both at 1.0, the same as at 0.7 and 0.8.
SURE = 1.0
MIN_SUPPORT = 0.05  # DIET's ranking must give a clause's objection at least this much
MIN_CHARS = 2  # a clause shorter than this (after trimming) is merged into its neighbour

# Where one clause ends and the next begins. Connectors are dropped with the split.
_PUNCT = r"[,，。.;；!！?？、\n]+"
_ZH_CONNECTORS = ("而且", "并且", "另外", "再加上", "加上", "再说", "同时", "此外", "况且", "还有就是",
                  "还有", "然后还")
# 还 / 也 start a second clause only before a verb of wanting or saying (「还要我们铺货」), not in
# 「还是去找别家」 or 「还没卖完」.
_ZH_ADDITIVE = (r"(?<=[^\s,，]{3})"
                r"(?=(?:还|也|又)(?:要|想|说|嫌|怕|跟|和|让|要求|希望|觉得|担心|签|没|不想|不愿))")
_LEADING = r"^(?:(?:还|也|又|而|再|就是|并)\s*)+|^(?:also|and|plus|then|too)\b\s*"
_EN_CONNECTORS = r"\b(?:and also|and then|and|also|plus|as well as|on top of that|besides|moreover|" \
                 r"what's more|not only that)\b"


def _core(clause: str) -> str:
    """A clause without the connector words it starts with (「还嫌贵」 is classified as 「嫌贵」)."""
    return re.sub(_LEADING, "", clause).strip() or clause


_FILLER_WORDS = frozenset("""he she they it i we you him her them his their our your the a an and also plus
    says said say tells told tell thinks thought then so just too well ok okay now again""".split())
_FILLER_HAN = frozenset("他她它们我你说讲道的了是就也还又都呢吧啊嘛呀哦")


def has_content(clause: str) -> bool:
    """Whether a clause says anything beyond "he said" / 「他说」: a reporting verb is not an objection."""
    words = [w for w in re.findall(r"[a-z']+", clause) if w not in _FILLER_WORDS and len(w) > 2]
    han = [c for c in clause if "\u3400" <= c <= "\u9fff" and c not in _FILLER_HAN]
    return bool(words) or len(han) >= 2


def split_clauses(text: str) -> list[str]:
    """The clauses of a message, in order (normalised: NFKC, Simplified, lower case)."""
    text = normalize_text(text or "").lower()
    parts = re.split(_PUNCT, text)
    out: list[str] = []
    for part in parts:
        # 又A又B: each 又 starts a clause (only when there are two of them).
        if part.count("又") >= 2:
            part = re.sub(r"又", "\x00", part)
        for connector in _ZH_CONNECTORS:
            part = part.replace(connector, "\x00")
        part = re.sub(_ZH_ADDITIVE, "\x00", part)
        part = re.sub(_EN_CONNECTORS, "\x00", part)
        out += [p.strip() for p in part.split("\x00")]
    clauses: list[str] = []
    for piece in (p for p in out if p):
        if len(piece) < MIN_CHARS and clauses:
            clauses[-1] += piece
        else:
            clauses.append(piece)
    return clauses


def _is_clause_intent(intent: str) -> bool:
    return intent.startswith(INTENT_PREFIXES)


@dataclass
class ClauseModel:
    """Character n-gram TF-IDF + logistic regression over objection intents and one OTHER class."""

    c: float = 10.0
    labels: list[str] = field(default_factory=list)
    _vectorizer: Any = None
    _classifier: Any = None

    def fit(self, texts: Sequence[str], intents: Sequence[str]) -> ClauseModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        y = [i if _is_clause_intent(i) else OTHER for i in intents]
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
        x = self._vectorizer.fit_transform([normalize_text(t).lower() for t in texts])
        self._classifier = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced")
        self._classifier.fit(x, y)
        self.labels = list(self._classifier.classes_)
        return self

    def predict(self, clauses: Sequence[str]) -> list[tuple[str, float]]:
        """(best label, its probability) for each clause."""
        if not clauses:
            return []
        probabilities = self._classifier.predict_proba(self._vectorizer.transform(list(clauses)))
        return [(self.labels[int(row.argmax())], float(row.max())) for row in probabilities]


def find_clauses(text: str, model: ClauseModel, support: Optional[Mapping[str, float]] = None,
                 threshold: float = THRESHOLD, sure: float = SURE,
                 min_support: float = MIN_SUPPORT) -> Optional[list[dict[str, Any]]]:
    """The objection clauses of a message, or None unless two or more different objections are found.

    A clause counts when its objection is at least `threshold` likely and either `sure` or backed by
    the message-level classifier (`support`: DIET's intent ranking, {intent: confidence}) with at
    least `min_support`. Without `support` (no DIET ranking), only `threshold` applies. A later
    mention of an objection already found is dropped (the higher confidence is kept).
    """
    clauses = split_clauses(text)
    if len(clauses) < 2:
        return None
    found: list[dict[str, Any]] = []
    predictions = model.predict([_core(c) for c in clauses])
    for clause, (label, probability) in zip(clauses, predictions, strict=True):
        if label == OTHER or probability < threshold or not has_content(clause):
            continue
        if support is not None and probability < sure and support.get(label, 0.0) < min_support:
            continue
        same = next((f for f in found if f["intent"] == label), None)
        if same is not None:
            same["confidence"] = max(same["confidence"], round(probability, 3))
            continue
        found.append({"text": clause, "intent": label, "confidence": round(probability, 3)})
    return found if len(found) >= 2 else None


def training_pairs(examples: Iterable[tuple[str, Optional[str]]]) -> tuple[list[str], list[str]]:
    texts, intents = [], []
    for text, intent in examples:
        if text and intent:
            texts.append(text)
            intents.append(intent)
    return texts, intents


# --- the Rasa component ---------------------------------------------------------------------------

@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ClauseReader(StoredModelComponent[ClauseModel]):
    """Config: `threshold`, `sure`, `min_support` (see find_clauses) and `c` (regularisation).

    Must come after DIETClassifier: DIET's intent ranking backs the clauses up.
    """

    MODEL_FILE = "clause_model.pkl"
    WITHOUT_MODEL = "messages carry no clauses"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # The thresholds are not defaults here: a trained model would keep the values of its day.
        # Set `threshold`, `sure` or `min_support` in config.yml to override the constants above.
        return {"c": 10.0}

    def train(self, training_data: TrainingData) -> Resource:
        texts, intents = training_pairs((m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples)
        model = ClauseModel(c=float(self._config["c"])).fit(texts, intents)
        logger.info("ClauseReader: trained on %d examples (%d objection intents)", len(texts),
                    len([label for label in model.labels if label != OTHER]))
        return self._keep(model)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            support = {r["name"]: float(r["confidence"]) for r in ranking if r.get("name")}
            found = find_clauses(text, self._model, support, float(self._config.get("threshold", THRESHOLD)),
                                 float(self._config.get("sure", SURE)),
                                 float(self._config.get("min_support", MIN_SUPPORT)))
            if found:
                message.set(CLAUSES, found, add_to_output=True)
        return messages
