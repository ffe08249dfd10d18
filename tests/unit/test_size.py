"""Size limits from the quality bar: functions of at most 40 lines, modules of at most 400.

A function is measured from its `def` line (decorators excluded) to its last line, nested ones
too; a module by its number of lines. Python in coach/ and actions/; JavaScript in web/js/.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coach.settings import PROJECT_ROOT

MAX_FUNCTION_LINES = 40
MAX_MODULE_LINES = 400
PYTHON_PACKAGES = ("coach", "actions")
JS_FOLDER = "web/js"


def python_files(root: Path = PROJECT_ROOT) -> list[Path]:
    return sorted(p for package in PYTHON_PACKAGES for p in (root / package).rglob("*.py")
                  if "__pycache__" not in p.parts)


def long_functions(source: str, where: str, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > limit:
                found.append(f"{where}:{node.lineno}: {node.name}() has {length} lines (at most {limit})")
    return found


def long_module(text: str, where: str, limit: int = MAX_MODULE_LINES) -> list[str]:
    lines = len(text.splitlines())
    return [f"{where}: {lines} lines (at most {limit})"] if lines > limit else []


def _relative(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


def test_no_function_is_over_40_lines():
    problems = [p for path in python_files()
                for p in long_functions(path.read_text(encoding="utf-8"), _relative(path))]
    assert not problems, "functions to split:\n" + "\n".join(problems)


def test_no_module_is_over_400_lines():
    files = python_files() + sorted((PROJECT_ROOT / JS_FOLDER).rglob("*.js"))
    problems = [p for path in files for p in long_module(path.read_text(encoding="utf-8"), _relative(path))]
    assert not problems, "modules to split:\n" + "\n".join(problems)


def test_the_limits_cover_code_that_exists():
    assert len(python_files()) > 50
    assert (PROJECT_ROOT / JS_FOLDER).is_dir() and any((PROJECT_ROOT / JS_FOLDER).rglob("*.js"))


# --- the checker itself ----------------------------------------------------------------------------

def _function(body_lines: int, decorated: bool = False, nested: bool = False) -> str:
    body = "".join(f"    x{i} = {i}\n" for i in range(body_lines))
    source = f"def f():\n{body}"
    if nested:
        inner = "".join(f"    {line}\n" for line in source.splitlines())
        source = f"def outer():\n{inner}    return f\n"
    return ("@decorator\n" if decorated else "") + source


@pytest.mark.parametrize("body_lines, too_long", [(39, False), (40, True), (80, True)])
def test_function_length_counts_from_def_to_last_line(body_lines, too_long):
    # def line + body: 39 body lines make 40 lines, the limit itself.
    assert bool(long_functions(_function(body_lines), "m.py")) is too_long


def test_decorators_do_not_count_and_nested_functions_do():
    assert long_functions(_function(39, decorated=True), "m.py") == []
    found = long_functions(_function(40, nested=True), "m.py")
    assert [f.split(": ")[1].split("(")[0] for f in found] == ["outer", "f"]
    assert found[1].startswith("m.py:2: f() has 41 lines")


def test_module_length():
    assert long_module("x\n" * 400, "m.js") == []
    assert long_module("x\n" * 401, "m.js") == ["m.js: 401 lines (at most 400)"]
