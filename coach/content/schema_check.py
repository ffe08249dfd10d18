"""Validate loaded YAML against a JSON Schema and report problems as file:line with a fix.

Each jsonschema validator keyword has a small handler in `_HANDLERS` that turns its errors into
content error codes (E011-E019); a keyword without one is reported as E010 with jsonschema's message.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, Union

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from coach.content.yaml_source import line_of
from coach.errors import Problem

SCHEMA_DIR = Path(__file__).parent / "schemas"
_TYPE_NAMES = {"object": "a mapping (key: value)", "array": "a list", "string": "text",
               "integer": "a whole number", "number": "a number", "boolean": "true or false"}

Step = Union[str, int]


@dataclass(frozen=True)
class _Where:
    """The file being checked: where a handler reports its problems."""

    data: Any
    file: Path
    schema_ref: str

    def problem(self, code: str, path: Sequence[Step], **values: object) -> Problem:
        return Problem.make(code, self.file, line_of(self.data, path), **values)


Handler = Callable[[ValidationError, _Where], Iterator[Problem]]
_HANDLERS: dict[str, Handler] = {}


def _handles(*keywords: str) -> Callable[[Handler], Handler]:
    """Register a handler for the jsonschema validator keywords it reports."""
    def register(handler: Handler) -> Handler:
        for keyword in keywords:
            _HANDLERS[keyword] = handler
        return handler
    return register


@cache
def load_schema(name: str) -> Draft7Validator:
    """Load coach/content/schemas/<name>.schema.json once."""
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _field(path: Sequence[Step]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


def _bounds(lo: Optional[object], hi: Optional[object], both: str, unit: str = "") -> str:
    """'1 to 3 items' / 'at least 1 items' / 'at most 3 items' (or without a unit)."""
    if lo is not None and hi is not None:
        return both.format(lo=lo, hi=hi)
    return f"at least {lo}{unit}" if lo is not None else f"at most {hi}{unit}"


@_handles("required")
def _required(err: ValidationError, at: _Where) -> Iterator[Problem]:
    path = list(err.absolute_path)
    present = err.instance if isinstance(err.instance, dict) else {}
    for name in err.validator_value:
        if name not in present:
            yield at.problem("E011", path, field=_field([*path, name]), schema=at.schema_ref)


@_handles("additionalProperties")
def _additional(err: ValidationError, at: _Where) -> Iterator[Problem]:
    allowed = set(err.schema.get("properties", {}))
    for name in err.instance:
        if name not in allowed:
            where = [*err.absolute_path, name]
            yield at.problem("E012", where, field=_field(where), allowed=", ".join(sorted(allowed)))


@_handles("type")
def _type(err: ValidationError, at: _Where) -> Iterator[Problem]:
    expected = _TYPE_NAMES.get(err.validator_value, str(err.validator_value))
    yield at.problem("E013", err.absolute_path, field=_field(err.absolute_path), expected=expected,
                     got=type(err.instance).__name__)


@_handles("minItems", "maxItems")
def _items(err: ValidationError, at: _Where) -> Iterator[Problem]:
    bounds = _bounds(err.schema.get("minItems"), err.schema.get("maxItems"), "{lo} to {hi} items", " items")
    yield at.problem("E014", err.absolute_path, field=_field(err.absolute_path), count=len(err.instance),
                     bounds=bounds)


@_handles("maxLength")
def _too_long(err: ValidationError, at: _Where) -> Iterator[Problem]:
    yield at.problem("E015", err.absolute_path, field=_field(err.absolute_path), length=len(err.instance),
                     limit=err.validator_value)


@_handles("enum", "const")
def _not_allowed(err: ValidationError, at: _Where) -> Iterator[Problem]:
    allowed = err.validator_value if err.validator == "enum" else [err.validator_value]
    yield at.problem("E016", err.absolute_path, field=_field(err.absolute_path), value=err.instance,
                     allowed=", ".join(map(str, allowed)))


@_handles("pattern")
def _pattern(err: ValidationError, at: _Where) -> Iterator[Problem]:
    yield at.problem("E017", err.absolute_path, field=_field(err.absolute_path), value=err.instance,
                     pattern=err.validator_value)


@_handles("minLength")
def _empty(err: ValidationError, at: _Where) -> Iterator[Problem]:
    yield at.problem("E018", err.absolute_path, field=_field(err.absolute_path))


@_handles("minimum", "maximum")
def _out_of_range(err: ValidationError, at: _Where) -> Iterator[Problem]:
    bounds = _bounds(err.schema.get("minimum"), err.schema.get("maximum"), "from {lo} to {hi}")
    yield at.problem("E019", err.absolute_path, field=_field(err.absolute_path), value=err.instance,
                     bounds=bounds)


def _other(err: ValidationError, at: _Where) -> Iterator[Problem]:
    yield at.problem("E010", err.absolute_path, detail=f"{_field(err.absolute_path)}: {err.message}",
                     schema=at.schema_ref)


def check(data: Any, schema_name: str, file: Path) -> list[Problem]:
    """All schema problems in `data` (loaded by yaml_source.load_yaml from `file`), sorted by line."""
    validator = load_schema(schema_name)
    at = _Where(data, file, f"coach/content/schemas/{schema_name}.schema.json")
    problems: list[Problem] = []
    for err in validator.iter_errors(data):
        problems.extend(_HANDLERS.get(err.validator, _other)(err, at))
    return sorted(problems, key=lambda p: (p.line or 0, p.code))
