"""The schema-check registry: every jsonschema keyword still yields its code, message and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from coach.content import schema_check
from coach.content.yaml_source import load_yaml
from coach.settings import PROJECT_ROOT
from tests.conftest import line_of_text

PLAYBOOK = PROJECT_ROOT / "data" / "playbook" / "price.yml"
DRILL = PROJECT_ROOT / "data" / "drills" / "price_margin.yml"


def _check(tmp_path: Path, source: Path, old: str, new: str, schema: str) -> tuple[list, str]:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    data, problems = load_yaml(path)
    assert problems == []
    return schema_check.check(data, schema, path), text


@pytest.mark.parametrize("source, schema", [(PLAYBOOK, "playbook"), (DRILL, "drill")])
def test_real_content_has_no_schema_problems(tmp_path, source, schema):
    assert _check(tmp_path, source, "schema_version: 1", "schema_version: 1", schema)[0] == []


CASES = [
    # (file, schema, replace, with, code, line marker, message fragment)
    (PLAYBOOK, "playbook", 'customer_says:\n  zh: "你们的货太贵了，不好卖，还是去找别家吧。"\n',
     "customer_says:\n", "E011", "customer_says:", "missing required field 'customer_says.zh'"),
    (PLAYBOOK, "playbook", "intent: objection_price\n", "intent: objection_price\ncolour: red\n",
     "E012", "colour:", "unknown field 'colour'"),
    (PLAYBOOK, "playbook", "id: price\n", "id: [price]\n", "E013", "id: [price]",
     "'id' must be text, got LineList"),
    (DRILL, "drill", "objections: [objection_price]", "objections: []", "E014", "objections: []",
     "'objections' has 0 items; it needs 1 to 4 items"),
    (PLAYBOOK, "playbook", '  zh: "价格太高"', '  zh: "价格太高价格太高价格太高啊"', "E015", "太高啊",
     "'title.zh' is too long (13 characters, at most 12)"),
    (PLAYBOOK, "playbook", "schema_version: 1", "schema_version: 2", "E016", "schema_version: 2",
     "'schema_version' value '2' is not allowed"),
    (DRILL, "drill", "mode: practice", "mode: relaxed", "E016", "mode: relaxed",
     "'mode' value 'relaxed' is not allowed"),
    (PLAYBOOK, "playbook", "id: price\n", "id: Price\n", "E017", "id: Price", "'id' value 'Price'"),
    (PLAYBOOK, "playbook", '  zh: "价格太高"', '  zh: ""', "E018", 'zh: ""', "'title.zh' must not be empty"),
    (DRILL, "drill", "max_turns: 6", "max_turns: 50", "E019", "max_turns: 50",
     "'max_turns' is 50; it must be from 2 to 20"),
    (DRILL, "drill", "languages: [zh, en]", "languages: [zh, zh]", "E010", "languages: [zh, zh]",
     "languages: ['zh', 'zh'] has non-unique elements"),
]


@pytest.mark.parametrize("source, schema, old, new, code, marker, message", CASES,
                         ids=[f"{c[4]}-{i}" for i, c in enumerate(CASES)])
def test_each_code_is_produced_at_its_line(tmp_path, source, schema, old, new, code, marker, message):
    problems, text = _check(tmp_path, source, old, new, schema)
    assert [p.code for p in problems] == [code]
    assert problems[0].line == line_of_text(text, marker)
    assert message in problems[0].message


def test_every_mapped_code_has_a_registered_handler():
    registered = set(schema_check._HANDLERS)
    assert {"required", "additionalProperties", "type", "minItems", "maxItems", "maxLength", "minLength",
            "enum", "const", "pattern", "minimum", "maximum"} <= registered
    assert "uniqueItems" not in registered  # falls back to E010 with jsonschema's own message


def test_bounds_with_one_side_only():
    assert schema_check._bounds(1, None, "{lo} to {hi} items", " items") == "at least 1 items"
    assert schema_check._bounds(None, 4, "{lo} to {hi} items", " items") == "at most 4 items"
    assert schema_check._bounds(-10, None, "from {lo} to {hi}") == "at least -10"
    assert schema_check._bounds(None, 3, "from {lo} to {hi}") == "at most 3"
