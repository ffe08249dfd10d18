"""Rasa NLU component: adds `moves` and `move_scores` to every parsed message.

It trains coach.moves.model.MoveModel on data/moves/train.yml (labelled rep replies, not NLU
intents), tokenised exactly as the pipeline tokenises. Drill-specific key moves come from spaCy
matchers in the action server (coach/moves/matcher.py), so a trainer's new drill needs no retraining.
"""
from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from coach.moves.model import MoveModel, read_replies

logger = logging.getLogger(__name__)
MOVES = "moves"
MOVE_SCORES = "move_scores"
_MODEL_FILE = "move_model.pkl"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class MoveClassifier(GraphComponent):
    """Config: `training_file` (labelled replies), `threshold` (default 0.5)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"training_file": "data/moves/train.yml", "threshold": 0.5}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[MoveModel] = None) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MoveClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> MoveClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                model = pickle.loads((Path(directory) / _MODEL_FILE).read_bytes())
        except (ValueError, FileNotFoundError):
            logger.warning("MoveClassifier: no trained model stored; rep replies will carry no moves")
            model = None
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        from coach.nlp.tokens import tokenize  # the same tokens SpacyTokenizer gives the pipeline

        path = Path(self._config["training_file"])
        if not path.is_file():
            raise FileNotFoundError(f"MoveClassifier: training_file '{path}' (config.yml) does not exist.")
        replies = read_replies(path)
        texts = [text for text, _ in replies]
        model = MoveModel(threshold=float(self._config["threshold"]))
        model.fit([tokenize(t) for t in texts], texts, [moves for _, moves in replies])
        self._model = model
        with self._storage.write_to(self._resource) as directory:
            (Path(directory) / _MODEL_FILE).write_bytes(pickle.dumps(model))
        logger.info("MoveClassifier: trained on %d replies from %s", len(replies), path)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            tokens = [t.text for t in message.get(TOKENS_NAMES[TEXT]) or []]
            scores = self._model.scores([tokens], [text])[0]
            found = sorted((m for m, p in scores.items() if p >= self._model.threshold),
                           key=lambda m: -scores[m])
            message.set(MOVES, found, add_to_output=True)
            message.set(MOVE_SCORES, {m: round(p, 3) for m, p in scores.items()}, add_to_output=True)
        return messages
