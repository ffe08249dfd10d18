"""Rasa component: load the sales-term user dictionary into jieba.

Both tokenisation paths segment with jieba's global dictionary (spaCy's zh tokenizer with
the jieba segmenter, and JiebaTokenizer), so loading it once here keeps them identical.
The dictionary is copied into the trained model, so a model never depends on the repo layout.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from coach.nlp.tokens import load_user_dictionary

logger = logging.getLogger(__name__)
DICT_NAME = "user_dict.txt"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=True)
class SalesLexicon(GraphComponent):
    """Config: `dictionary: path/to/user_dict.txt` (jieba format: word [freq] [tag] per line)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"dictionary": None}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 dictionary: Optional[Path]) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        if dictionary is not None:
            load_user_dictionary(dictionary)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SalesLexicon:
        path = config.get("dictionary")
        if path and not Path(path).is_file():
            raise FileNotFoundError(f"SalesLexicon: dictionary '{path}' (config.yml) does not exist; "
                                    f"fix the path or remove the 'dictionary' option.")
        return cls(config, model_storage, resource, Path(path) if path else None)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SalesLexicon:
        try:
            with model_storage.read_from(resource) as directory:
                stored = Path(directory) / DICT_NAME
                if stored.is_file():
                    load_user_dictionary(stored)
        except ValueError:
            logger.debug("SalesLexicon: no dictionary stored in the model")
        return cls(config, model_storage, resource, None)

    def train(self, training_data: TrainingData) -> Resource:
        if self._config.get("dictionary"):
            with self._storage.write_to(self._resource) as directory:
                shutil.copy(self._config["dictionary"], Path(directory) / DICT_NAME)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        return messages
