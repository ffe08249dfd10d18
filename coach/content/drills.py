"""Role-play drills: one YAML file per drill in data/drills/, written by trainers.

Each file is checked against coach/content/schemas/drill.schema.json and then cross-checked (move names,
languages, rubric weights, playbook branches, spaCy patterns). A bad file is reported with
file:line and skipped; the other drills keep working. `DrillLibrary` reloads changed files, so a
new or edited drill is live without retraining or restarting (docs/drills.md).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from coach import settings
from coach.cache import process_cache
from coach.content.moves import Effect, Move, generic_moves
from coach.content.playbook import OBJECTION_INTENTS, SEED_FILES, Playbook, default_playbook
from coach.content.schema_check import check
from coach.content.yaml_source import LineDict, LineList, load_yaml
from coach.errors import Problem
from coach.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)
DEFAULT_DIR = PROJECT_ROOT / "data" / "drills"
LINE_STATES = ("opening", "neutral", "warmer", "reveal", "pushes", "cooler", "agree", "walk_away", "out_of_turns")
OUTCOMES = ("goal", "out_of_turns", "walked_away", "stopped")
# A state without lines of its own borrows these (a trainer only has to write the four required ones).
LINE_FALLBACK = {"warmer": "neutral", "pushes": "neutral", "cooler": "neutral", "walk_away": "cooler",
                 "out_of_turns": "neutral"}
_TEXT_KEYS = {"zh", "en"}

Text = dict  # {"zh": ..., "en": ...}; a drill may be written in one language only


@dataclass(frozen=True)
class KeyMove:
    name: str
    label: Text
    means: Text
    phrases: tuple = ()
    patterns: tuple = ()  # spaCy Matcher token patterns


@dataclass(frozen=True)
class Step:
    """One step of the documented strategy: the move to make, a tip and a model line."""

    move: str
    tip: Text
    line: Text


@dataclass(frozen=True)
class Stage:
    objection: str
    truth_id: str
    truth: Text
    branch: Optional[str]
    reveal_moves: tuple
    reveal_min_trust: int
    goal: Text
    goal_moves: tuple
    needs_truth: bool
    goal_min_trust: int
    lines: dict  # state -> tuple of Text
    strategy: tuple

    def lines_for(self, state: str) -> tuple:
        while state and not self.lines.get(state):
            state = LINE_FALLBACK.get(state, "")
        return self.lines.get(state, ())


@dataclass(frozen=True)
class RubricItem:
    kind: str  # "move" | "uncover_truth" | "reach_goal"
    weight: int
    move: Optional[str] = None


@dataclass(frozen=True)
class Drill:
    id: str
    title: Text
    objections: tuple
    difficulty: int
    mode: str
    languages: tuple
    max_turns: int
    walk_away_at: int
    persona_name: Text
    persona_about: Text
    source: dict
    key_moves: dict  # name -> KeyMove
    moves: dict  # name -> Move: generic + key moves, with this drill's effects
    stages: tuple
    pass_mark: int
    required: tuple
    forbidden: tuple  # ((move, penalty), ...)
    model_answer: Text
    file: Optional[Path] = None
    version: str = ""  # changes when the file changes; a running session notices

    @property
    def exam(self) -> bool:
        return self.mode == "exam"


# --- cross-checks beyond the schema --------------------------------------------------------------

def _text_nodes(node: Any, path: str = "") -> Iterator[tuple]:
    """Every {zh:, en:} mapping in the file, with its dotted path (for the language check)."""
    if isinstance(node, dict):
        if _TEXT_KEYS & set(node):
            yield path, node
        for key, value in node.items():
            if key not in _TEXT_KEYS:
                yield from _text_nodes(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _text_nodes(value, f"{path}[{index}]")


def _move_refs(data: LineDict) -> Iterator[tuple]:
    """(move name, field, node holding it, key or index) for every move a drill refers to."""
    for i, stage in enumerate(data["stages"]):
        moves = stage["hidden_truth"]["reveal_when"]["any_moves"]
        for j, name in enumerate(moves):
            yield name, f"stages[{i}].hidden_truth.reveal_when.any_moves", moves, j
        for j, name in enumerate(stage["goal"]["moves"]):
            yield name, f"stages[{i}].goal.moves", stage["goal"]["moves"], j
        for j, step in enumerate(stage["strategy"]):
            yield step["move"], f"stages[{i}].strategy[{j}].move", step, "move"
    for j, item in enumerate(data["rubric"]["required"]):
        if "move" in item:
            yield item["move"], f"rubric.required[{j}].move", item, "move"
    for j, item in enumerate(data["rubric"].get("forbidden", [])):
        yield item["move"], f"rubric.forbidden[{j}].move", item, "move"
    effects = data.get("effects", {})
    for name in effects:
        yield name, "effects", effects, name


def _line(node: Any, key: Union[str, int]) -> Optional[int]:
    if isinstance(node, LineDict):
        return node.key_lines.get(key, node.line)
    if isinstance(node, LineList) and isinstance(key, int):
        return node.item_lines[key]
    return getattr(node, "line", None)


def _pattern_problems(data: LineDict, path: Path) -> Iterator[Problem]:
    from spacy.matcher import Matcher  # spaCy validates token patterns itself

    from coach.nlp.tokens import zh_nlp

    vocab = zh_nlp().vocab
    for name, spec in data.get("key_moves", {}).items():
        for index, pattern in enumerate(spec.get("patterns", [])):
            try:
                Matcher(vocab, validate=True).add(name, [pattern])
            except Exception as exc:  # spaCy raises several error types for bad patterns
                detail = str(exc).strip().splitlines()[-1][:200]
                yield Problem.make("E209", path, _line(spec["patterns"], index), move=name, index=index + 1,
                                   detail=detail)


def cross_check(data: LineDict, path: Path, playbook: Optional[Playbook]) -> list:
    """Problems the schema cannot express; `data` has already passed the schema."""
    problems: list = []
    generic = generic_moves()
    keys = data.get("key_moves", {})
    if data["id"] != path.stem:
        problems.append(Problem.make("E201", path, data.key_lines["id"], id=data["id"], stem=path.stem))
    for name in keys:
        if name in generic:
            problems.append(Problem.make("E208", path, keys.key_lines[name], move=name, generic=", ".join(generic)))
    known = set(generic) | set(keys)
    for name, where, node, key in _move_refs(data):
        if name not in known:
            problems.append(Problem.make("E202", path, _line(node, key), move=name, field=where,
                                         generic=", ".join(generic), keys=", ".join(keys) or "none"))
    for lang in data["languages"]:
        for where, node in _text_nodes({k: v for k, v in data.items() if k not in ("key_moves", "source")}):
            if lang not in node:
                problems.append(Problem.make("E203", path, getattr(node, "line", None), field=where, lang=lang))
    total = sum(item["weight"] for item in data["rubric"]["required"])
    if total != 100:
        problems.append(Problem.make("E204", path, data["rubric"].key_lines["required"], total=total))
    for index, objection in enumerate(data["objections"]):
        if objection not in OBJECTION_INTENTS:
            problems.append(Problem.make("E205", path, data["objections"].item_lines[index], objection=objection,
                                         allowed=", ".join(OBJECTION_INTENTS)))
    staged = [stage["objection"] for stage in data["stages"]]
    if staged != list(data["objections"]):
        problems.append(Problem.make("E206", path, data.key_lines["objections"], listed=list(data["objections"]),
                                     staged=staged))
    if data["source"]["file"] not in SEED_FILES:
        problems.append(Problem.make("E105", path, data["source"].key_lines["file"], cited=data["source"]["file"],
                                     allowed=", ".join(SEED_FILES)))
    if playbook is not None:
        for stage in data["stages"]:
            truth = stage["hidden_truth"]
            if "branch" in truth and playbook.branch(truth["branch"]) is None:
                problems.append(Problem.make("E207", path, truth.key_lines["branch"], branch=truth["branch"]))
    problems += _pattern_problems(data, path)
    return problems


# --- building the Drill ---------------------------------------------------------------------------

def _plain(node: Any) -> Any:
    """LineDict/LineList -> dict/list, so a Drill holds ordinary (picklable, JSON-able) data."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _text(node: Any) -> Text:
    return {k: node[k].strip() for k in ("zh", "en") if k in node}


def _stage(node: LineDict) -> Stage:
    truth, goal = node["hidden_truth"], node["goal"]
    return Stage(
        objection=node["objection"],
        truth_id=truth["id"],
        truth=_text(truth),
        branch=truth.get("branch"),
        reveal_moves=tuple(truth["reveal_when"]["any_moves"]),
        reveal_min_trust=truth["reveal_when"].get("min_trust", 0),
        goal=_text(goal),
        goal_moves=tuple(goal["moves"]),
        needs_truth=goal.get("needs_truth", True),
        goal_min_trust=goal.get("min_trust", 0),
        lines={state: tuple(_text(x) for x in lines) for state, lines in node["lines"].items()},
        strategy=tuple(Step(s["move"], _text(s["tip"]), _text(s["line"])) for s in node["strategy"]),
    )


def _rubric_item(node: dict) -> RubricItem:
    if "move" in node:
        return RubricItem("move", node["weight"], node["move"])
    return RubricItem("uncover_truth" if node.get("uncover_truth") else "reach_goal", node["weight"])


def _build(data: LineDict, path: Path, version: str) -> Drill:
    keys = {
        name: KeyMove(name, _text(spec["label"]), _text(spec["means"]), tuple(spec.get("phrases", [])),
                      tuple(_plain(spec.get("patterns", []))))
        for name, spec in data.get("key_moves", {}).items()
    }
    effects = data.get("effects", {})
    moves = {}
    for name, move in generic_moves().items():
        moves[name] = Move(name, move.label, move.means, move.effect.merged(effects.get(name)))
    for name, key in keys.items():
        spec = data["key_moves"][name]
        base = Effect(trust=1, mood="opens").merged(spec.get("effect")).merged(effects.get(name))
        moves[name] = Move(name, key.label, key.means, base, generic=False)
    rubric = data["rubric"]
    return Drill(
        id=data["id"],
        title=_text(data["title"]),
        objections=tuple(data["objections"]),
        difficulty=data["difficulty"],
        mode=data["mode"],
        languages=tuple(data["languages"]),
        max_turns=data["max_turns"],
        walk_away_at=data.get("walk_away_at", -3),
        persona_name=_text(data["persona"]["name"]),
        persona_about=_text(data["persona"]["about"]),
        source=dict(data["source"]),
        key_moves=keys,
        moves=moves,
        stages=tuple(_stage(s) for s in data["stages"]),
        pass_mark=rubric["pass_mark"],
        required=tuple(_rubric_item(item) for item in rubric["required"]),
        forbidden=tuple((item["move"], item["penalty"]) for item in rubric.get("forbidden", [])),
        model_answer=_text(data["model_answer"]),
        file=path,
        version=version,
    )


def load_drill(path: Union[str, Path], playbook: Optional[Playbook] = None) -> tuple:
    """(Drill or None, problems) for one file. `playbook` enables the branch check."""
    path = Path(path)
    data, problems = load_yaml(path)
    if data is None:
        return None, problems
    if not isinstance(data, LineDict):
        return None, problems + check(data, "drill", path)
    problems += check(data, "drill", path)
    try:
        problems += cross_check(data, path, playbook)
    except (KeyError, TypeError, AttributeError, IndexError):
        # The cross-checks assume the schema's shape; when the schema already failed they may not
        # get far, and the schema problems say what to fix first.
        if not problems:
            raise
    if problems:
        return None, sorted(set(problems), key=lambda p: (p.line or 0, p.code, p.message))
    stat = path.stat()
    return _build(data, path, f"{stat.st_mtime_ns}:{stat.st_size}"), []


def drill_files(folder: Path) -> list:
    # Files starting with '_' or '.' are drafts or editor leftovers, not drills.
    return sorted(p for p in Path(folder).glob("*.yml") if not p.name.startswith(("_", ".")))


# --- the library, with hot reload -------------------------------------------------------------------

@dataclass
class _Entry:
    signature: tuple
    drill: Optional[Drill]
    problems: list = field(default_factory=list)


class DrillLibrary:
    """All valid drills of a folder, reloaded when a file is added, changed or removed.

    `refresh()` is cheap (a stat per file) and throttled, so actions call it on every use.
    """

    def __init__(self, folder: Union[str, Path] = DEFAULT_DIR, playbook: Optional[Playbook] = None,
                 min_interval: float = 1.0) -> None:
        self.folder = Path(folder)
        self._playbook = playbook
        self._entries: dict = {}
        self._min_interval = min_interval
        self._checked = float("-inf")
        self._lock = threading.Lock()
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> bool:
        """Reload what changed on disk; True if the set of drills changed."""
        now = time.monotonic()
        if not force and now - self._checked < self._min_interval:
            return False
        with self._lock:
            self._checked = now
            changed = False
            seen = set()
            for path in drill_files(self.folder):
                seen.add(path)
                try:
                    stat = path.stat()
                except OSError:
                    continue
                signature = (stat.st_mtime_ns, stat.st_size)
                entry = self._entries.get(path)
                if entry is not None and entry.signature == signature:
                    continue
                drill, problems = load_drill(path, self._playbook)
                self._entries[path] = _Entry(signature, drill, problems)
                changed = True
                if problems:
                    logger.warning("drill %s skipped:\n%s", path.name, "\n".join(map(str, problems)))
                else:
                    logger.info("drill %s loaded", path.name)
            for gone in set(self._entries) - seen:
                del self._entries[gone]
                logger.info("drill %s removed", gone.name)
                changed = True
            return changed

    def get(self, drill_id: str) -> Optional[Drill]:
        self.refresh()
        return next((e.drill for e in self._entries.values() if e.drill and e.drill.id == drill_id), None)

    def all(self) -> list:
        """Valid drills, by objection (playbook order), difficulty, id."""
        self.refresh()
        order = {intent: i for i, intent in enumerate(OBJECTION_INTENTS)}
        drills = [e.drill for e in self._entries.values() if e.drill is not None]
        return sorted(drills, key=lambda d: (order.get(d.objections[0], 99), d.difficulty, d.id))

    def problems(self) -> list:
        self.refresh()
        return [p for e in self._entries.values() for p in e.problems]

    def for_objection(self, intent: str) -> list:
        return [d for d in self.all() if d.objections[0] == intent]


def drills_dir() -> Path:
    return settings.current().drills_dir


@process_cache(maxsize=4)
def _library(folder: str) -> DrillLibrary:
    return DrillLibrary(folder, default_playbook())


def default_library() -> DrillLibrary:
    """The process-wide library for $COACH_DRILLS_DIR (default data/drills)."""
    return _library(str(drills_dir()))
