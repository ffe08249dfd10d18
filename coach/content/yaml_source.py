"""Load YAML while remembering the line of every key and list item.

Schema errors are reported as file:line, so trainers editing content by hand can find them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Sequence, Union

import yaml

from coach.errors import Problem


class LineDict(dict):
    """A dict that knows the (1-based) line of itself and of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    """A list that knows the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # YAML keeps only the last of two equal keys; remembering them lets us report it.
        self.duplicates: list[tuple[Any, int, int]] = []  # (key, first line, repeated line)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result.key_lines:
            loader.duplicates.append((key, result.key_lines[key], line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Union[str, Path]) -> tuple[Any, list[Problem]]:
    """Parse a YAML file into LineDict/LineList; return (data, problems). data is None on failure."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem.make("E001", path, None, detail=exc)]
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        detail = getattr(exc, "problem", None) or str(exc)
        return None, [Problem.make("E002", path, line, detail=detail)]
    finally:
        loader.dispose()
    problems = [Problem.make("E003", path, line, key=key, first=first)
                for key, first, line in loader.duplicates]
    return data, problems


def line_of(data: Any, path: Sequence[Union[str, int]]) -> Optional[int]:
    """Line of the deepest node reachable along `path` (a jsonschema error path)."""
    line = getattr(data, "line", None) or None
    node = data
    for step in path:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
