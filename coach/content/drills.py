"""Role-play drills: one YAML file per drill in data/drills/, written by trainers.

Each file (at most MAX_BYTES) is checked against coach/content/schemas/drill.schema.json, then
cross-checked (move names, languages, weights, playbook branches, spaCy patterns); problems come
with file:line. coach.content.library keeps a folder's drills live (docs/drills.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from coach import settings
from coach.content.drill_cases import DEFAULT_RED_LINES, case_moves, case_problems
from coach.content.moves import Effect, Move, generic_moves
from coach.content.playbook import OBJECTION_INTENTS, SEED_FILES, SITUATION_INTENTS, Playbook
from coach.content.schema_check import check
from coach.content.text import Text, text
from coach.content.yaml_source import LineDict, LineList, load_yaml
from coach.errors import Problem

DEFAULT_DIR = settings.DRILLS_DIR
SUFFIX = ".yml"
MAX_BYTES = 256 * 1024  # the longest shipped drill is 24 KB; a bigger file is pasted material
# A state without lines of its own borrows these (a trainer only has to write the four required ones).
LINE_FALLBACK = {"warmer": "neutral", "pushes": "neutral", "cooler": "neutral", "walk_away": "cooler",
                 "out_of_turns": "neutral"}
_TEXT_KEYS = {"zh", "en"}
_WEIGHT = "weight"

MoveRef = tuple[str, str, Any, Union[str, int]]  # (move name, field, node holding it, key or index)


@dataclass(frozen=True)
class KeyMove:
    name: str
    label: Text
    means: Text
    phrases: tuple[str, ...] = ()
    patterns: tuple[Any, ...] = ()  # spaCy Matcher token patterns
    examples: tuple[str, ...] = ()  # sample replies a per-drill classifier learns the move from


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
    truth: Text  # may be empty: a truth need not be put into words
    branch: Optional[str]
    reveal_moves: tuple[str, ...]
    reveal_min_trust: int
    goal: Text
    goal_moves: tuple[str, ...]
    needs_truth: bool
    goal_min_trust: int
    lines: dict[str, tuple[Text, ...]]  # customer state -> what the customer may say in it
    strategy: tuple[Step, ...]
    cases: tuple[str, ...] = ()  # the playbook cases this stage trains, e.g. price.higher.margin
    recommends: tuple[str, ...] = ()  # what those cases' strategies recommend (from the playbook)
    closes: tuple[str, ...] = ()  # moves that close those cases well (a polite no: keep in touch)
    answers_truth: Optional[str] = None  # the move that answers the hidden truth; None: none declared
    goal_any: bool = False  # one of goal_moves reaches the goal (a polite no: keep in touch, or refer up)

    def lines_for(self, state: str) -> tuple[Text, ...]:
        while state and not self.lines.get(state):
            state = LINE_FALLBACK.get(state, "")
        return self.lines.get(state, ())


@dataclass(frozen=True)
class RubricItem:
    """A required rubric line. `kind` is the item's key in the file ("move", "uncover_truth", ...),
    a kind of coach.drill.rubric's registry; `move` is set when that key names a move."""

    kind: str
    weight: int
    move: Optional[str] = None


@dataclass(frozen=True)
class Drill:
    id: str
    title: Text
    objections: tuple[str, ...]
    difficulty: int
    mode: str
    languages: tuple[str, ...]
    max_turns: int
    walk_away_at: int
    persona_name: Text
    persona_about: Text
    source: dict[str, str]
    key_moves: dict[str, KeyMove]
    moves: dict[str, Move]  # generic + key moves, with this drill's effects
    stages: tuple[Stage, ...]
    pass_mark: int
    required: tuple[RubricItem, ...]
    forbidden: tuple[tuple[str, int], ...]  # (move, penalty)
    model_answer: Text
    file: Optional[Path] = None
    red_lines: tuple[str, ...] = DEFAULT_RED_LINES  # moves that fail the drill whatever the score
    version: str = ""  # changes when the file changes; a running session notices

    @property
    def exam(self) -> bool:
        return self.mode == "exam"


# --- cross-checks beyond the schema --------------------------------------------------------------

def _text_nodes(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
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


def _move_refs(data: LineDict) -> Iterator[MoveRef]:
    """Every move a drill refers to, with where it stands."""
    for i, stage in enumerate(data["stages"]):
        moves = stage["hidden_truth"]["reveal_when"]["any_moves"]
        for j, name in enumerate(moves):
            yield name, f"stages[{i}].hidden_truth.reveal_when.any_moves", moves, j
        for j, name in enumerate(stage["goal"]["moves"]):
            yield name, f"stages[{i}].goal.moves", stage["goal"]["moves"], j
        for j, step in enumerate(stage["strategy"]):
            yield step["move"], f"stages[{i}].strategy[{j}].move", step, "move"
        if "answers_truth" in stage:
            yield stage["answers_truth"], f"stages[{i}].answers_truth", stage, "answers_truth"
    for j, name in enumerate(data.get("red_lines", [])):
        yield name, "red_lines", data["red_lines"], j
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


def _move_problems(data: LineDict, path: Path) -> Iterator[Problem]:
    """Key moves must not shadow generic ones, and every move named must exist."""
    generic = generic_moves()
    keys = data.get("key_moves", {})
    if data["id"] != drill_id_for(path):
        yield _id_problem(str(data["id"]), path, data.key_lines["id"])
    for name in keys:
        if name in generic:
            yield Problem.make("E208", path, keys.key_lines[name], move=name, generic=", ".join(generic))
    known = set(generic) | set(keys)
    for name, where, node, key in _move_refs(data):
        if name not in known:
            yield Problem.make("E202", path, _line(node, key), move=name, field=where,
                               generic=", ".join(generic), keys=", ".join(keys) or "none")


def _id_problem(drill_id: str, path: Path, line: int) -> Problem:
    """The id differs from the file name. The fix never names a file that exists: an id another file
    holds gets a new one (price_margin_2), and a draft keeps its '_'."""
    own, prefix = drill_id_for(path), "_" if is_draft(path) else ""
    taken = {drill_id_for(p) for p in folder_files(path.parent)} - {own}
    if drill_id not in taken:
        problem = Problem.make("E201", path, line, id=drill_id, stem=path.name if prefix else own)
        return replace(problem, fix=f"Set 'id: {own}', or rename the file to {prefix}{drill_id}{SUFFIX}.")
    new = next(f"{drill_id}_{n}" for n in range(2, len(taken) + 3) if f"{drill_id}_{n}" not in taken)
    keep = f"set 'id: {own}' to match the file name, or " if re.fullmatch("[a-z][a-z0-9_]*", own) else ""
    return Problem.make("E216", path, line, id=drill_id, other=f"{drill_id}{SUFFIX}",
                        suggestion=f"{keep}set 'id: {new}' and rename this file to {prefix}{new}{SUFFIX}.")


def _text_problems(data: LineDict, path: Path) -> Iterator[Problem]:
    """Every text is written in every language the drill lists."""
    for lang in data["languages"]:
        for where, node in _text_nodes({k: v for k, v in data.items() if k not in ("key_moves", "source")}):
            if lang not in node:
                yield Problem.make("E203", path, getattr(node, "line", None), field=where, lang=lang)


def _reference_problems(data: LineDict, path: Path, playbook: Optional[Playbook]) -> Iterator[Problem]:
    """Weights, objections, the seed file and playbook branches the drill refers to."""
    total = sum(item["weight"] for item in data["rubric"]["required"])
    if total != 100:
        yield Problem.make("E204", path, data["rubric"].key_lines["required"], total=total)
    for index, objection in enumerate(data["objections"]):
        if objection not in OBJECTION_INTENTS + SITUATION_INTENTS:
            yield Problem.make("E205", path, data["objections"].item_lines[index], objection=objection,
                               allowed=", ".join(OBJECTION_INTENTS + SITUATION_INTENTS))
    staged = [stage["objection"] for stage in data["stages"]]
    if staged != list(data["objections"]):
        yield Problem.make("E206", path, data.key_lines["objections"], listed=list(data["objections"]),
                           staged=staged)
    if data["source"]["file"] not in SEED_FILES:
        yield Problem.make("E105", path, data["source"].key_lines["file"], cited=data["source"]["file"],
                           allowed=", ".join(SEED_FILES))
    if playbook is None:
        return
    for stage in data["stages"]:
        truth = stage["hidden_truth"]
        if "branch" in truth and playbook.branch(truth["branch"]) is None:
            yield Problem.make("E207", path, truth.key_lines["branch"], branch=truth["branch"])


def cross_check(data: LineDict, path: Path, playbook: Optional[Playbook]) -> list[Problem]:
    """Problems the schema cannot express; `data` has already passed the schema."""
    return [*_move_problems(data, path), *_text_problems(data, path),
            *_reference_problems(data, path, playbook), *case_problems(data, path, playbook),
            *_pattern_problems(data, path)]


# --- building the Drill ---------------------------------------------------------------------------

def _plain(node: Any) -> Any:
    """LineDict/LineList -> dict/list, so a Drill holds ordinary (picklable, JSON-able) data."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _optional_text(node: Any) -> Text:
    """A hidden truth or goal may carry no words of its own."""
    return text(node) if _TEXT_KEYS & set(node) else Text()


def _answers_truth(node: LineDict, data: LineDict) -> Optional[str]:
    """As written, else the stage's first strategy move that is a required key move."""
    if "answers_truth" in node:
        return str(node["answers_truth"])
    required = {item.get("move") for item in data["rubric"]["required"]}
    keys = data.get("key_moves", {})
    return next((s["move"] for s in node["strategy"] if s["move"] in keys and s["move"] in required), None)


def _stage(node: LineDict, data: LineDict, playbook: Optional[Playbook]) -> Stage:
    truth, goal = node["hidden_truth"], node["goal"]
    cases = tuple(node.get("cases", ()))
    recommends, closes = case_moves(playbook, cases)
    return Stage(
        objection=node["objection"],
        truth_id=truth["id"],
        truth=_optional_text(truth),
        branch=truth.get("branch"),
        reveal_moves=tuple(truth["reveal_when"]["any_moves"]),
        reveal_min_trust=truth["reveal_when"].get("min_trust", 0),
        goal=_optional_text(goal),
        goal_moves=tuple(goal["moves"]),
        goal_any=goal.get("any", False),
        needs_truth=goal.get("needs_truth", True),
        goal_min_trust=goal.get("min_trust", 0),
        lines={state: tuple(text(x) for x in lines) for state, lines in node["lines"].items()},
        strategy=tuple(Step(s["move"], text(s["tip"]), text(s["line"])) for s in node["strategy"]),
        cases=cases,
        recommends=recommends,
        closes=closes,
        answers_truth=_answers_truth(node, data),
    )


def _rubric_item(node: dict[str, Any]) -> RubricItem:
    """The schema allows one key besides the weight: it is the kind; a string value names a move."""
    kind = next(key for key in node if key != _WEIGHT)
    value = node[kind]
    return RubricItem(kind, node[_WEIGHT], value if isinstance(value, str) else None)


def _moves(data: LineDict, keys: dict[str, KeyMove]) -> dict[str, Move]:
    """Generic moves with this drill's effects, then its key moves (they open the customer by default)."""
    effects = data.get("effects", {})
    moves = {}
    for name, move in generic_moves().items():
        moves[name] = Move(name, move.label, move.means, move.effect.merged(effects.get(name)))
    for name, key in keys.items():
        spec = data["key_moves"][name]
        base = Effect(trust=1, mood="opens").merged(spec.get("effect")).merged(effects.get(name))
        moves[name] = Move(name, key.label, key.means, base, generic=False)
    return moves


def _build(data: LineDict, path: Path, version: str, playbook: Optional[Playbook]) -> Drill:
    keys = {
        name: KeyMove(name, text(spec["label"]), text(spec["means"]), tuple(spec.get("phrases", [])),
                      tuple(_plain(spec.get("patterns", []))), tuple(spec.get("examples", [])))
        for name, spec in data.get("key_moves", {}).items()
    }
    rubric = data["rubric"]
    return Drill(
        id=data["id"],
        title=text(data["title"]),
        objections=tuple(data["objections"]),
        difficulty=data["difficulty"],
        mode=data["mode"],
        languages=tuple(data["languages"]),
        max_turns=data["max_turns"],
        walk_away_at=data.get("walk_away_at", -3),
        persona_name=text(data["persona"]["name"]),
        persona_about=text(data["persona"]["about"]),
        source=dict(data["source"]),
        key_moves=keys,
        moves=_moves(data, keys),
        stages=tuple(_stage(s, data, playbook) for s in data["stages"]),
        pass_mark=rubric["pass_mark"],
        required=tuple(_rubric_item(item) for item in rubric["required"]),
        forbidden=tuple((item["move"], item["penalty"]) for item in rubric.get("forbidden", [])),
        model_answer=text(data["model_answer"]),
        file=path,
        version=version,
        red_lines=tuple(data.get("red_lines", [m for m in DEFAULT_RED_LINES if m in generic_moves()])),
    )


def load_drill(path: Union[str, Path],
               playbook: Optional[Playbook] = None) -> tuple[Optional[Drill], list[Problem]]:
    """(Drill or None, problems) for one file. `playbook` enables the branch check."""
    path = Path(path)
    data, problems = load_yaml(path, MAX_BYTES)
    if data is None:  # unreadable, too large, a syntax error, or an empty file
        return None, problems or [Problem.make("E001", path, None, detail="the file is empty")]
    if path.suffix != SUFFIX:
        problems.append(Problem.make("E005", path, None, name=path.name, suffix=path.suffix, stem=path.stem))
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
    return _build(data, path, f"{stat.st_mtime_ns}:{stat.st_size}", playbook), []


def drill_files(folder: Path) -> list[Path]:
    """The drills served to reps: `name.yml`, not drafts (`_name.yml`) nor editor leftovers (`.name`)."""
    return sorted(p for p in Path(folder).glob(f"*{SUFFIX}") if not p.name.startswith(("_", ".")))


def folder_files(folder: Path) -> list[Path]:
    """Every file a trainer may mean as a drill: drills, drafts, and .yaml files (which are rejected)."""
    found = [*Path(folder).glob(f"*{SUFFIX}"), *Path(folder).glob("*.yaml")]
    return sorted(p for p in found if not p.name.startswith(".") and p.is_file())


def is_draft(path: Path) -> bool:  # _name.yml: checked, never served to reps
    return path.name.startswith("_")


def drill_id_for(path: Path) -> str:
    """The file name without the extension and a draft's '_': publishing _name.yml is renaming it."""
    return path.stem[1:] if is_draft(path) else path.stem


def drills_dir() -> Path:
    """$COACH_DRILLS_DIR, default data/drills."""
    return settings.current().drills_dir
