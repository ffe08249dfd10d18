"""The playbook: one YAML file per objection in data/playbook/, validated at load time.

Loading collects every problem in every file (schema and cross-file checks) and raises a
single ContentError, so a broken playbook stops the action server instead of answering wrongly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Union

from coach import settings
from coach.cache import process_cache
from coach.content.moves import generic_names
from coach.content.schema_check import check
from coach.content.text import Text, text
from coach.content.yaml_source import LineDict, LineList, load_yaml
from coach.errors import ContentError, Problem

DEFAULT_DIR = settings.PLAYBOOK_DIR

# The nine objections the assistant recognises; the NLU intents carry these names.
OBJECTION_INTENTS = (
    "objection_price",
    "objection_policy",
    "objection_exclusivity",
    "objection_bad_market",
    "objection_consignment",
    "objection_no_money",
    "objection_supplier_relationship",
    "objection_existing_contract",
    "objection_past_failure",
)
# Situations a rep meets on a visit that are not objections to the product (a brush-off, a
# complaint, ...). Their files say `kind: situation`; they get a card like an objection, but are
# kept apart from the nine (menus, ordered()) so the objection checks stay as they are.
SITUATION_INTENTS = (
    "situation_brush_off",
    "situation_complaint",
    "situation_key_account",
    "situation_rumour",
    "situation_follow_up",
)
KINDS = {"objection": OBJECTION_INTENTS, "situation": SITUATION_INTENTS}
# Seed files that may be cited. Listed here (not read from disk) so validation works without shared/.
SEED_FILES = (
    "000_03219c1b186d0a5a.txt",
    "001_fab1691d02cd859c.txt",
    "002_073c97fee827a29c.txt",
    "003_2b234dd30e472ed3.txt",
    "004_b580ebea6931d0af.txt",
)

@dataclass(frozen=True)
class Source:
    file: str
    section: str  # short path in the seed's own words, e.g. "三、(六) 价格太高 › 1、分析"
    section_en: Optional[str] = None  # the same path for English readers (coach.content.sources)


@dataclass(frozen=True)
class SampleLine:
    """One sample line of a case, with the generic moves it makes (what the drills must credit)."""

    text: Text
    moves: tuple[str, ...]
    needs_context: Optional[str] = None  # why the line can't be judged on its own; None = it can


@dataclass(frozen=True)
class Branch:
    """One documented case of an objection, with its strategy; may have sub-cases."""

    path: str  # dotted id from the objection down, e.g. "price.higher.margin"
    label: Text
    signal: Text
    strategy: Text
    lines: tuple[Text, ...]
    principle: Text
    source: Source
    children: tuple[Branch, ...] = ()
    samples: tuple[SampleLine, ...] = ()  # the lines again, with their moves
    recommends: tuple[str, ...] = ()  # moves the case's strategy asks for: a drill never penalises them
    discourages: tuple[str, ...] = ()  # moves the strategy warns against
    goal_moves: tuple[str, ...] = ()  # moves that close this case well (a polite no: keep in touch)
    principle_source: str = "coach"  # "seed": restates the seed's 注解; "coach": the coach's own advice


@dataclass(frozen=True)
class Objection:
    id: str
    intent: str
    title: Text
    customer_says: Text
    analysis: tuple[Text, ...]
    opener: Text
    source: Source
    branches: tuple[Branch, ...]
    note: Optional[Text] = None
    aliases: tuple[str, ...] = ()  # lower-case words that name this objection, zh and en (drill requests)
    file: Optional[Path] = None
    kind: str = "objection"  # or "situation" (SITUATION_INTENTS)


@dataclass
class Playbook:
    objections: dict[str, Objection] = field(default_factory=dict)  # intent -> Objection
    situations: dict[str, Objection] = field(default_factory=dict)  # intent -> situation entry

    def for_intent(self, intent: str) -> Optional[Objection]:
        return self.objections.get(intent) or self.situations.get(intent)

    def by_id(self, objection_id: str) -> Optional[Objection]:
        return next((o for o in self.ordered(situations=True) if o.id == objection_id), None)

    def branch(self, path: str) -> Optional[tuple[Objection, Branch]]:
        """Look up 'price.higher.margin'; None if any step is unknown (e.g. a forged payload)."""
        head, _, rest = path.partition(".")
        objection = self.by_id(head)
        if objection is None or not rest:
            return None
        level, found = objection.branches, None
        for step in rest.split("."):
            found = next((b for b in level if b.path.rsplit(".", 1)[-1] == step), None)
            if found is None:
                return None
            level = found.children
        return None if found is None else (objection, found)

    def cases(self) -> Iterator[Branch]:
        """Every branch of every objection, parents before their children."""
        def walk(branches: tuple[Branch, ...]) -> Iterator[Branch]:
            for branch in branches:
                yield branch
                yield from walk(branch.children)
        for objection in self.ordered(situations=True):
            yield from walk(objection.branches)

    def ordered(self, situations: bool = False) -> list[Objection]:
        """The nine objections in menu order; with `situations`, the situations after them."""
        found = [self.objections[i] for i in OBJECTION_INTENTS if i in self.objections]
        return found + [self.situations[i] for i in SITUATION_INTENTS if i in self.situations and situations]


def _branch(node: LineDict, parent: str) -> Branch:
    path = f"{parent}.{node['id']}"
    return Branch(
        path=path,
        label=text(node["label"]),
        signal=text(node["signal"]),
        strategy=text(node["strategy"]),
        lines=tuple(text(x) for x in node["lines"]),
        principle=text(node["principle"]),
        source=Source(**node["source"]),
        children=tuple(_branch(child, path) for child in node.get("branches", [])),
        samples=tuple(SampleLine(text(x), tuple(x["moves"]), x.get("needs_context")) for x in node["lines"]),
        recommends=tuple(node["recommends"]),
        discourages=tuple(node.get("discourages", ())),
        goal_moves=tuple(node.get("goal_moves", ())),
        principle_source=node.get("principle_source", "coach"),
    )


def _sibling_problems(branches: LineList, file: Path) -> Iterator[Problem]:
    seen: set = set()
    for index, node in enumerate(branches):
        if node["id"] in seen:
            yield Problem.make("E104", file, branches.item_lines[index], id=node["id"])
        seen.add(node["id"])
        yield from _sibling_problems(node.get("branches", []), file)


def _move_problems(branches: LineList, file: Path) -> Iterator[Problem]:
    """Move names must be generic moves; a case can't both recommend and discourage one."""
    known = generic_names()
    for node in branches:
        named = [(node, key, node.get(key, [])) for key in ("recommends", "discourages", "goal_moves")]
        named += [(line, "moves", line["moves"]) for line in node["lines"]]
        for where, key, moves in named:
            for index, move in enumerate(moves):
                if move not in known:
                    line = moves.item_lines[index] if isinstance(moves, LineList) else where.key_lines[key]
                    yield Problem.make("E107", file, line, move=move, field=key, generic=", ".join(known))
        for move in sorted(set(node["recommends"]) & set(node.get("discourages", []))):
            yield Problem.make("E108", file, node.key_lines["discourages"], move=move, case=node["id"])
        yield from _move_problems(node.get("branches", []), file)


def _sources(node: LineDict) -> Iterator[LineDict]:
    yield node["source"]
    for child in node.get("branches", []):
        yield from _sources(child)


def _intent_problems(data: LineDict, kind: str, path: Path) -> Iterator[Problem]:
    """The intent must be one of its kind's: an objection's, or (with `kind: situation`) a situation's."""
    if data["intent"] in KINDS[kind]:
        return
    other = next((k for k, intents in KINDS.items() if data["intent"] in intents), None)
    if other is None:
        yield Problem.make("E016", path, data.key_lines["intent"], field="intent", value=data["intent"],
                           allowed=", ".join(KINDS[kind]))
    else:  # a known intent of the other kind: `kind` is wrong or missing
        yield Problem.make("E016", path, data.key_lines.get("kind", data.key_lines["intent"]), field="kind",
                           value=kind, allowed=other)


def load_file(path: Path) -> tuple[Optional[Objection], list[Problem]]:
    """Load and validate one playbook file."""
    data, problems = load_yaml(path)
    if data is None:
        return None, problems
    problems += check(data, "playbook", path)
    if problems:
        return None, problems
    if data["id"] != path.stem:
        problems.append(Problem.make("E101", path, data.key_lines["id"], id=data["id"], stem=path.stem))
    kind = data.get("kind", "objection")
    problems += _intent_problems(data, kind, path)
    problems += _sibling_problems(data["branches"], path)
    problems += _move_problems(data["branches"], path)
    for source in _sources(data):
        if source["file"] not in SEED_FILES:
            problems.append(Problem.make("E105", path, source.key_lines["file"], cited=source["file"],
                                         allowed=", ".join(SEED_FILES)))
    if problems:
        return None, problems
    objection = Objection(
        id=data["id"],
        intent=data["intent"],
        title=text(data["title"]),
        customer_says=text(data["customer_says"]),
        analysis=tuple(text(x) for x in data["analysis"]),
        opener=text(data["opener"]),
        source=Source(**data["source"]),
        branches=tuple(_branch(b, data["id"]) for b in data["branches"]),
        note=text(data["note"]) if "note" in data else None,
        aliases=tuple(a.lower() for lang in ("zh", "en") for a in data.get("aliases", {}).get(lang, [])),
        file=path,
        kind=kind,
    )
    return objection, []


def load_playbook(folder: Union[str, Path] = DEFAULT_DIR, require_all: bool = True) -> Playbook:
    """Load every *.yml in `folder`; raise ContentError listing all problems if any file is bad."""
    folder = Path(folder)
    files = sorted(folder.glob("*.yml"))
    problems: list[Problem] = []
    if not files:
        raise ContentError([Problem.make("E106", folder, None, folder=folder)])
    playbook = Playbook()
    loaded_from: dict[str, Path] = {}  # intent -> the file that defined it first
    for path in files:
        objection, file_problems = load_file(path)
        problems += file_problems
        if objection is None:
            continue
        if objection.intent in loaded_from:
            problems.append(Problem.make("E102", path, None, intent=objection.intent,
                                         other=loaded_from[objection.intent].name))
            continue
        loaded_from[objection.intent] = path
        entries = playbook.situations if objection.kind == "situation" else playbook.objections
        entries[objection.intent] = objection
    if require_all and not problems:
        problems += [Problem.make("E103", folder, None, intent=i)
                     for i in OBJECTION_INTENTS if i not in playbook.objections]
    if problems:
        raise ContentError(problems)
    return playbook


@process_cache
def default_playbook() -> Playbook:
    """The playbook the action server uses, loaded once per process (COACH_PLAYBOOK_DIR overrides it)."""
    return load_playbook(settings.current().playbook_dir)
