"""Load YAML while remembering the line of every key and list item.

Schema errors are reported as file:line, so trainers editing content by hand can find them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Sequence, Union

import yaml

from coach.errors import Problem

# Codes for problems with a content file as a whole (its size, its name), in the shape of
# coach.errors.CODES: code -> (message template, how to fix).
# An unclosed bracket or quote is noticed only on a later line: these contexts say where it opened.
_OPENED = ("flow sequence", "flow mapping", "quoted scalar")


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MB" if count >= 2**20 else f"{-(-count // 1024)} KB"


class LineDict(dict):
    """A dict that knows the (1-based) line of itself and of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    """A list that knows the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


try:  # libyaml parses about ten times faster, so a big file holds the loading thread less long
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _LineLoader(_SafeLoader):
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


def _read(path: Path, max_bytes: Optional[int]) -> tuple[Optional[str], list[Problem]]:
    """The file's text; a file over max_bytes is refused by its size before a byte is parsed."""
    try:
        size = path.stat().st_size
        if max_bytes is None or size <= max_bytes:
            with path.open("rb") as fh:  # at most one byte too many: the file may be growing meanwhile
                raw = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
            size = max(size, len(raw))
        if max_bytes is not None and size > max_bytes:
            return None, [Problem.make("E004", path, None, size=_size(size), limit=_size(max_bytes))]
        return raw.decode("utf-8"), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem.make("E001", path, None, detail=exc)]


def _syntax_problem(path: Path, exc: yaml.YAMLError, text: str) -> Problem:
    """E002 at the line to fix (1-based): where the parser stopped, or where an unclosed bracket or
    quote opened, since the parser only notices it on a later line."""
    mark, opened = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    detail = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return Problem.make("E002", path, None, detail=detail)
    line = mark.line
    context = getattr(exc, "context", None) or ""
    if opened is not None and opened.line < line and any(kind in context for kind in _OPENED):
        detail = f"{detail} at line {line + 1}, {context} that starts here"
        line = opened.line
    return Problem.make("E002", path, min(line + 1, max(len(text.splitlines()), 1)), detail=detail)


def load_yaml(path: Union[str, Path], max_bytes: Optional[int] = None) -> tuple[Any, list[Problem]]:
    """Parse a YAML file into LineDict/LineList; return (data, problems). data is None on failure."""
    path = Path(path)
    text, problems = _read(path, max_bytes)
    if text is None:
        return None, problems
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(path, exc, text)]
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
