"""Validate loaded YAML against a JSON Schema and report problems as file:line with a fix."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from coach.content.yaml_source import line_of
from coach.errors import Problem

SCHEMA_DIR = Path(__file__).parent / "schemas"
_TYPE_NAMES = {"object": "a mapping (key: value)", "array": "a list", "string": "text",
               "integer": "a whole number", "number": "a number", "boolean": "true or false"}


@lru_cache(maxsize=None)
def load_schema(name: str) -> Draft7Validator:
    """Load coach/content/schemas/<name>.schema.json once."""
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _field(path: list) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


def _required(err: ValidationError, data: Any, file: Path, schema_ref: str) -> Iterator[Problem]:
    line = line_of(data, list(err.absolute_path))
    present = err.instance if isinstance(err.instance, dict) else {}
    for name in err.validator_value:
        if name not in present:
            yield Problem.make("E011", file, line, field=_field([*err.absolute_path, name]), schema=schema_ref)


def _additional(err: ValidationError, data: Any, file: Path, schema_ref: str) -> Iterator[Problem]:
    allowed = set(err.schema.get("properties", {}))
    for name in err.instance:
        if name not in allowed:
            yield Problem.make("E012", file, line_of(data, [*err.absolute_path, name]),
                               field=_field([*err.absolute_path, name]), allowed=", ".join(sorted(allowed)))


def _simple(err: ValidationError, data: Any, file: Path, schema_ref: str) -> Iterator[Problem]:
    path = list(err.absolute_path)
    line, field, kind = line_of(data, path), _field(path), err.validator
    if kind == "type":
        expected = _TYPE_NAMES.get(err.validator_value, str(err.validator_value))
        yield Problem.make("E013", file, line, field=field, expected=expected, got=type(err.instance).__name__)
    elif kind in ("minItems", "maxItems"):
        lo, hi = err.schema.get("minItems"), err.schema.get("maxItems")
        bounds = f"{lo} to {hi} items" if lo is not None and hi is not None else (
            f"at least {lo} items" if lo is not None else f"at most {hi} items")
        yield Problem.make("E014", file, line, field=field, count=len(err.instance), bounds=bounds)
    elif kind == "maxLength":
        yield Problem.make("E015", file, line, field=field, length=len(err.instance), limit=err.validator_value)
    elif kind == "minLength":
        yield Problem.make("E018", file, line, field=field)
    elif kind in ("enum", "const"):
        allowed = err.validator_value if kind == "enum" else [err.validator_value]
        yield Problem.make("E016", file, line, field=field, value=err.instance, allowed=", ".join(map(str, allowed)))
    elif kind in ("minimum", "maximum"):
        lo, hi = err.schema.get("minimum"), err.schema.get("maximum")
        bounds = f"from {lo} to {hi}" if lo is not None and hi is not None else (
            f"at least {lo}" if lo is not None else f"at most {hi}")
        yield Problem.make("E019", file, line, field=field, value=err.instance, bounds=bounds)
    elif kind == "pattern":
        yield Problem.make("E017", file, line, field=field, value=err.instance, pattern=err.validator_value)
    else:
        yield Problem.make("E010", file, line, detail=f"{field}: {err.message}", schema=schema_ref)


# Registry instead of an if-chain per validator keyword; everything else goes through _simple.
_HANDLERS: dict[str, Callable[..., Iterator[Problem]]] = {
    "required": _required,
    "additionalProperties": _additional,
}


def check(data: Any, schema_name: str, file: Path) -> list[Problem]:
    """All schema problems in `data` (loaded by yaml_source.load_yaml from `file`), sorted by line."""
    validator = load_schema(schema_name)
    schema_ref = f"coach/content/schemas/{schema_name}.schema.json"
    problems: list[Problem] = []
    for err in validator.iter_errors(data):
        handler = _HANDLERS.get(err.validator, _simple)
        problems.extend(handler(err, data, file, schema_ref))
    return sorted(problems, key=lambda p: (p.line or 0, p.code))
