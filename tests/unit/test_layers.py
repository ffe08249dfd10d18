"""The layer order: a module under coach/ imports only from its own layer or lower ones.

settings/cache/errors < i18n < nlp < content < results < moves < drill < replies < service < nlu < server.
Every import counts, at module level or inside a function (a lazy import is still a dependency),
and so do `from coach import x` and relative imports. Rasa, rasa_sdk and sanic belong to the
layers that plug into Rasa: coach/server/ and coach/nlu/ (and actions/, which is not checked here).
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, Optional

import pytest

from coach.settings import PROJECT_ROOT

COACH = PROJECT_ROOT / "coach"
# Index + 1 is the layer; modules directly under coach/ (settings, cache, errors, __init__) are layer 0.
LAYERS = ("i18n", "nlp", "content", "results", "people", "moves", "drill", "practice", "desk", "replies",
          "service", "nlu", "server")
RASA_LAYERS = ("nlu", "server")
RASA_PACKAGES = ("rasa", "rasa_sdk", "sanic")


def module_name(path: Path, root: Path = PROJECT_ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str, coach_dir: Path = COACH) -> Optional[int]:
    """0-10 for a coach module, None for anything outside coach; ValueError for an unplaced folder."""
    parts = module.split(".")
    if parts[0] != "coach":
        return None
    if len(parts) == 1 or not (coach_dir / parts[1]).is_dir():
        return 0  # coach itself, a module directly under coach/, or a name defined in coach/__init__.py
    if parts[1] not in LAYERS:
        raise ValueError(f"coach/{parts[1]}/ has no place in the layer order; add it to LAYERS")
    return LAYERS.index(parts[1]) + 1


def imported(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything imported anywhere in the tree."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[:len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from coach import server` imports coach.server: name each imported thing.
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


def offences(source: str, module: str, is_package: bool = False, where: str = "") -> list[str]:
    """file:line and what is wrong, for each import that breaks the layer order or the Rasa rule."""
    own = layer_of(module)
    assert own is not None, module
    own_folder = module.split(".")[1] if own else ""
    found = []
    for line, name in imported(ast.parse(source), module, is_package):
        target = layer_of(name)
        if target is not None and target > own:
            found.append(f"{where}:{line}: {module} (layer {own}) imports {name} (layer {target})")
        if name.split(".")[0] in RASA_PACKAGES and own_folder not in RASA_LAYERS:
            found.append(f"{where}:{line}: {module} imports {name}; "
                         "Rasa and sanic only in coach/server and coach/nlu")
    return found


def coach_modules() -> list[Path]:
    return sorted(p for p in COACH.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_coach_module_respects_the_layer_order():
    problems = []
    for path in coach_modules():
        relative = path.relative_to(PROJECT_ROOT)
        problems += offences(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py",
                             str(relative))
    assert not problems, "imports against the layer order:\n" + "\n".join(problems)


def test_every_folder_under_coach_has_a_layer():
    folders = {p.name for p in COACH.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    assert folders <= set(LAYERS), f"place {sorted(folders - set(LAYERS))} in LAYERS"


# --- the checker itself ----------------------------------------------------------------------------

@pytest.mark.parametrize("source", [
    "from coach.drill.engine import start\n",
    "import coach.server.patches\n",
    "from coach import replies\n",
    "def later():\n    from coach.nlu import evaluate\n",
    "from ..drill import engine\n",
])
def test_higher_imports_are_offences_with_their_line(source):
    found = offences(source, "coach.moves.model", where="coach/moves/model.py")
    assert len(found) == 1 and found[0].startswith(f"coach/moves/model.py:{source.count(chr(10))}: ")


@pytest.mark.parametrize("source", [
    "from coach.content.drills import Drill\n",
    "from coach import settings, i18n\n",
    "from coach import skip_tensorflow\n",
    "from . import matcher\n",
    "from .matcher import detect_moves\n",
    "import numpy\n",
])
def test_same_or_lower_imports_are_fine(source):
    assert offences(source, "coach.moves.model") == []


def test_relative_imports_resolve_from_a_package_init():
    assert offences("from .drill import engine\n", "coach", is_package=True) != []
    assert offences("from . import settings\n", "coach", is_package=True) == []


@pytest.mark.parametrize("module, allowed", [
    ("coach.server.patches", True), ("coach.nlu.lexicon", True),
    ("coach.moves.evaluate", False), ("coach.replies.base", False), ("coach.settings", False),
])
def test_rasa_and_sanic_only_in_server_and_nlu(module, allowed):
    for source in ("from rasa.core.agent import Agent\n", "import sanic\n",
                   "def f():\n    import rasa_sdk\n"):
        assert (offences(source, module) == []) is allowed, (module, source)


def test_an_unplaced_folder_is_reported(tmp_path):
    (tmp_path / "helpers").mkdir()
    with pytest.raises(ValueError, match="no place in the layer order"):
        layer_of("coach.helpers.misc", coach_dir=tmp_path)
    assert layer_of("coach.helpers", coach_dir=COACH) == 0  # not a folder there: a name in coach/__init__
