"""The coach's trainable NLU components keep one pickled model each in Rasa's model storage.

A subclass names its file (`MODEL_FILE`) and what a message lacks without a model (`WITHOUT_MODEL`);
`train` fits the model and hands it to `_keep`. A model archive trained before the component
existed loads with no model, which the subclass's `process` treats as "add nothing".
"""
from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Any, ClassVar, Generic, Optional, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)
M = TypeVar("M")
Self = TypeVar("Self", bound="StoredModelComponent[Any]")


class StoredModelComponent(GraphComponent, Generic[M]):
    MODEL_FILE: ClassVar[str]
    WITHOUT_MODEL: ClassVar[str]  # logged at load when no model was stored, e.g. "messages carry no clauses"

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[M] = None) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls: type[Self], config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> Self:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls: type[Self], config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> Self:
        try:
            with model_storage.read_from(resource) as directory:
                model = pickle.loads((Path(directory) / cls.MODEL_FILE).read_bytes())
        except (ValueError, FileNotFoundError):
            logger.warning("%s: no trained model stored; %s", cls.__name__, cls.WITHOUT_MODEL)
            model = None
        return cls(config, model_storage, resource, model)

    def _keep(self, model: M) -> Resource:
        """Use `model` from now on and store it with the trained archive."""
        self._model = model
        with self._storage.write_to(self._resource) as directory:
            (Path(directory) / self.MODEL_FILE).write_bytes(pickle.dumps(model))
        return self._resource
