"""Rasa component: blend DIET's intent ranking with the character n-gram TF-IDF model's probabilities.

DIET (word and char_wb features, trained as an embedding model) and a logistic regression over
character 1-3-grams make different mistakes: across segmentation errors and typos the character
model holds on, on paraphrases DIET does. TfidfBlend trains the baseline's model
(coach/nlu/baseline.py) on the pipeline's own NLU data and replaces the intent and its ranking by

    confidence(intent) = (1 - weight) * DIET(intent) + weight * TF-IDF(intent)

It must come after DIETClassifier (with `ranking_length: 0`, so every intent's DIET confidence is
there) and before FallbackClassifier, which then judges the blended confidence. The weight is
chosen by cross-validation on data/nlu (`python -m coach.nlu.compare`, docs/nlu.md); `blend` is
the pure function, tested without Rasa.
"""
from __future__ import annotations

import logging
from typing import Any, Mapping

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from coach.nlu.baseline import Baseline, C
from coach.nlu.stored_model import StoredModelComponent

logger = logging.getLogger(__name__)

WEIGHT = 0.5  # the TF-IDF model's share; chosen by cross-validation (docs/nlu.md)
RANKING_LENGTH = 10  # intents kept in the blended ranking, as DIET's default


def blend(diet: Mapping[str, float], tfidf: Mapping[str, float],
          weight: float = WEIGHT) -> list[tuple[str, float]]:
    """The blended (intent, confidence) ranking, best first; an intent one model lacks counts 0 there."""
    intents = set(diet) | set(tfidf)
    mixed = {i: (1 - weight) * float(diet.get(i, 0.0)) + weight * float(tfidf.get(i, 0.0)) for i in intents}
    return sorted(mixed.items(), key=lambda kv: (-kv[1], kv[0]))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TfidfBlend(StoredModelComponent[Baseline]):
    """Config: `weight` (the TF-IDF share, 0..1) and `c` (the logistic regression's C)."""

    MODEL_FILE = "tfidf_blend.pkl"
    WITHOUT_MODEL = "DIET's intent is kept as it is"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"weight": WEIGHT, "c": C}

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(m.get(INTENT), m.get(TEXT)) for m in training_data.intent_examples
                    if m.get(INTENT) and m.get(TEXT)]
        resource = self._keep(Baseline(float(self._config["c"])).fit(examples))
        logger.info("TfidfBlend: trained on %d examples", len(examples))
        return resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not text or not ranking:
                continue
            diet = {r["name"]: float(r["confidence"]) for r in ranking if r.get("name")}
            mixed = blend(diet, self._model.probabilities(text), float(self._config["weight"]))
            top = [{"name": name, "confidence": confidence} for name, confidence in mixed[:RANKING_LENGTH]]
            message.set(INTENT, top[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, top, add_to_output=True)
        return messages
