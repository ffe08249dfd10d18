"""Rasa component: map Traditional to Simplified Chinese (and NFKC) before tokenising.

One model then serves both scripts. The rep's original text stays in `text_original`
so that replies can still use the script the rep wrote in.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from coach.i18n import normalize_text

ORIGINAL_TEXT = "text_original"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class ScriptNormalizer(GraphComponent):
    """Rewrites the TEXT attribute to NFKC + Simplified Chinese; must come first in the pipeline."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ScriptNormalizer:
        return cls()

    @staticmethod
    def _normalize(message: Message) -> None:
        text = message.get(TEXT)
        if not text:
            return
        normalized = normalize_text(text)
        if normalized != text:
            message.set(ORIGINAL_TEXT, text, add_to_output=True)
            message.set(TEXT, normalized)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._normalize(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._normalize(message)
        return messages
