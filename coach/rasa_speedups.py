"""Speed fixes for rasa 3.6's own hot paths, installed in the Rasa server process by our channels
(coach/rest_channel.py, coach/web_channel.py).

RemoteAction checks each action server response with `jsonschema.validate(result, spec)`, which
re-validates the *spec itself* against the JSON Schema meta-schema on every call. Profiling the
coach under load (docs/performance.md, "What was fixed") put two thirds of the Rasa process's CPU
there, since a drill turn calls the action server three times. We validate against a validator
built once from the same spec: the same responses pass and fail, with the same error message.
COACH_RASA_SPEEDUPS=0 leaves rasa as it is (`scripts/bench.py run --no-speedups` measures "before").
"""
from __future__ import annotations

import os
import threading
from typing import Any, Dict, Text

_lock = threading.Lock()
_installed = False


def install() -> None:
    """Patch RemoteAction's response check (idempotent; safe to call from every channel)."""
    global _installed
    with _lock:
        if _installed or os.environ.get("COACH_RASA_SPEEDUPS", "1") == "0":
            return
        from jsonschema import validators
        from jsonschema.exceptions import best_match
        from rasa.core.actions.action import RemoteAction
        from rasa.shared.constants import DOCS_BASE_URL

        spec = RemoteAction.action_response_format_spec()
        validator_class = validators.validator_for(spec)
        validator_class.check_schema(spec)  # once, instead of once per action call
        validator = validator_class(spec)

        def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
            error = best_match(validator.iter_errors(result))
            if error is not None:  # same wording as rasa's own check
                error.message += (
                    ". Failed to validate Action server response from API, make sure your response from the "
                    f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions")
                raise error
            return True

        RemoteAction._validate_action_result = _validate_action_result
        _installed = True
