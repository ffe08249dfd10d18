"""Rasa NLU component: adds `moves` and `move_scores` to every parsed message.

It trains coach.moves.model.MoveModel on labelled rep replies (not NLU intents): data/moves/train.yml
and the playbook's own sample lines (data/moves/playbook_lines.yml, generated), tokenised exactly
as the pipeline tokenises. Drill-specific key moves come from spaCy
matchers in the action server (coach/moves/matcher.py), so a trainer's new drill needs no retraining.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from coach.moves.model import FALLBACK, PER_MOVE_THRESHOLDS, THRESHOLD, C, MoveModel, training_set
from coach.nlu.stored_model import StoredModelComponent

logger = logging.getLogger(__name__)
MOVES = "moves"
MOVE_SCORES = "move_scores"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class MoveClassifier(StoredModelComponent[MoveModel]):
    """Config: `training_files` (labelled replies); optional `threshold`, `thresholds` (per move), `c`
    (regularisation) and `fallback` (null: off) override the model's cross-validated defaults
    (coach/moves/model.py)."""

    MODEL_FILE = "move_model.pkl"
    WITHOUT_MODEL = "rep replies will carry no moves"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"training_files": ["data/moves/train.yml", "data/moves/playbook_lines.yml"],
                "threshold": THRESHOLD, "thresholds": dict(PER_MOVE_THRESHOLDS), "c": C, "fallback": FALLBACK}

    def _replies(self) -> tuple[list[str], list[list[str]], list[float]]:
        for name in self._config["training_files"]:
            path = Path(name)
            if not path.is_file():
                raise FileNotFoundError(f"MoveClassifier: training file '{path}' (config.yml, "
                                        "training_files) does not exist; fix the path, or for "
                                        "playbook_lines.yml run `python -m coach.moves.playbook_lines`.")
        return training_set(Path(name) for name in self._config["training_files"])

    def train(self, training_data: TrainingData) -> Resource:
        from coach.nlp.tokens import tokenize  # the same tokens SpacyTokenizer gives the pipeline

        texts, labels, weights = self._replies()
        fallback = self._config.get("fallback", FALLBACK)
        model = MoveModel(threshold=float(self._config["threshold"]), c=float(self._config["c"]),
                          thresholds={m: float(t) for m, t in (self._config["thresholds"] or {}).items()},
                          fallback=None if fallback is None else float(fallback))
        model.fit([tokenize(t) for t in texts], texts, labels, weights)
        resource = self._keep(model)
        logger.info("MoveClassifier: trained on %d replies from %s", len(texts),
                    ", ".join(self._config["training_files"]))
        return resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            tokens = [t.text for t in message.get(TOKENS_NAMES[TEXT]) or []]
            (scores,), (count,) = self._model.read([tokens])
            found = self._model.chosen(scores, count)
            message.set(MOVES, found, add_to_output=True)
            message.set(MOVE_SCORES, {m: round(p, 3) for m, p in scores.items()}, add_to_output=True)
        return messages
