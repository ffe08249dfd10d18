"""A running role-play drill: one typed session, and the one place that reads and writes its slot.

The session lives in the Rasa slot `drill` as plain JSON, so the tracker store keeps it: a drill
survives a restart of either server, and any action server replica can continue it. The slot's
shape is versioned (`VERSION`, the key "v"); a slot of another version, or one that is missing or
malformed, reads as no drill rather than as a broken one.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

VERSION = 1
SlotValue = dict[str, Any]  # what the `drill` slot holds: JSON-able, keys as listed in to_slot


class _Malformed(ValueError):
    pass


def _typed(value: Any, *types: type) -> Any:
    """`value` if it has one of `types` (bool is not an int here); else the slot is malformed."""
    if isinstance(value, bool) and bool not in types:
        raise _Malformed(f"{value!r} is not {types}")
    if not isinstance(value, types):
        raise _Malformed(f"{value!r} is not {types}")
    return value


def _optional(value: Any, *types: type) -> Any:
    return None if value is None else _typed(value, *types)


def _strings(value: Any) -> list[str]:
    return [_typed(v, str) for v in _typed(value, list)]


@dataclass(frozen=True)
class RepTurn:
    """One rep reply and how the customer took it."""

    turn: int
    stage: int
    rep: str  # the reply as typed (cut to a maximum length)
    moves: list[str]
    state: str  # the customer's reaction: neutral, reveal, pushes, ... (coach.drill.engine)
    suggested: Optional[str]  # the move the documented strategy suggested before this reply
    trust: int  # the customer's trust after it

    @classmethod
    def from_slot(cls, value: Any) -> RepTurn:
        value = _typed(value, dict)
        return cls(_typed(value["turn"], int), _typed(value["stage"], int), _typed(value["rep"], str),
                   _strings(value["moves"]), _typed(value["state"], str), _optional(value["suggested"], str),
                   _typed(value["trust"], int))


@dataclass(frozen=True)
class TranscriptLine:
    turn: int
    speaker: str  # "customer" | "rep"
    text: str

    @classmethod
    def from_slot(cls, value: Any) -> TranscriptLine:
        value = _typed(value, dict)
        return cls(_typed(value["turn"], int), _typed(value["speaker"], str), _typed(value["text"], str))


@dataclass
class DrillSession:
    """Everything a running drill remembers; coach.drill.engine changes it turn by turn."""

    id: str  # the result's key in the results store: one row per session
    drill_id: str
    version: str  # the drill file's version when the session started
    lang: str  # the language the customer speaks
    seed: int  # with the turn, picks the customer's phrasing: a session replays identically
    started_at: float
    revealed: list[bool]  # per stage: hidden truth uncovered
    revealed_at: list[Optional[int]]  # per stage: the turn it was
    stage_moves: list[list[str]]  # per stage: moves made so far, in order, once each
    stage: int = 0
    turn: int = 0
    trust: int = 0
    mood: Optional[str] = None
    goal_at: Optional[int] = None
    turns: list[RepTurn] = field(default_factory=list)
    transcript: list[TranscriptLine] = field(default_factory=list)
    ended: Optional[str] = None  # an outcome (coach.results.store.OUTCOMES) once the drill is over
    last_line: Optional[str] = None  # the customer's last line, never said twice in a row

    @property
    def running(self) -> bool:
        return not self.ended

    @property
    def truth_uncovered(self) -> bool:
        return all(self.revealed)

    def first_turn_with(self, move: Optional[str]) -> Optional[int]:
        """The first turn in which the rep made `move`."""
        return next((t.turn for t in self.turns if move in t.moves), None)

    def moves_per_turn(self) -> list[list[str]]:
        return [list(t.moves) for t in self.turns]

    def transcript_json(self) -> list[dict[str, Any]]:
        return [asdict(line) for line in self.transcript]

    def to_slot(self) -> SlotValue:
        """The slot value; its keys and their order are those of every session stored so far."""
        return {
            "v": VERSION, "id": self.id, "drill": self.drill_id, "version": self.version, "lang": self.lang,
            "seed": self.seed, "stage": self.stage, "turn": self.turn, "trust": self.trust, "mood": self.mood,
            "revealed": list(self.revealed), "revealed_at": list(self.revealed_at), "goal_at": self.goal_at,
            "stage_moves": [list(m) for m in self.stage_moves], "turns": [asdict(t) for t in self.turns],
            "transcript": self.transcript_json(), "ended": self.ended, "started_at": self.started_at,
            "last_line": self.last_line,
        }

    @classmethod
    def from_slot(cls, value: Any) -> Optional[DrillSession]:
        """The session in a slot value; None for no session, a malformed one or another version."""
        if not isinstance(value, dict) or value.get("v") != VERSION:
            return None
        try:
            return cls._parse(value)
        except (_Malformed, KeyError):
            return None

    @classmethod
    def _parse(cls, value: SlotValue) -> DrillSession:
        session = cls(
            id=_typed(value["id"], str), drill_id=_typed(value["drill"], str),
            version=_typed(value["version"], str), lang=_typed(value["lang"], str),
            seed=_typed(value["seed"], int),
            started_at=float(_typed(value["started_at"], int, float)),
            revealed=[_typed(v, bool) for v in _typed(value["revealed"], list)],
            revealed_at=[_optional(v, int) for v in _typed(value["revealed_at"], list)],
            stage_moves=[_strings(m) for m in _typed(value["stage_moves"], list)],
            stage=_typed(value["stage"], int), turn=_typed(value["turn"], int),
            trust=_typed(value["trust"], int),
            mood=_optional(value["mood"], str), goal_at=_optional(value["goal_at"], int),
            turns=[RepTurn.from_slot(t) for t in _typed(value["turns"], list)],
            transcript=[TranscriptLine.from_slot(t) for t in _typed(value["transcript"], list)],
            ended=_optional(value["ended"], str), last_line=_optional(value.get("last_line"), str),
        )
        stages = len(session.revealed)
        if not stages or {len(session.revealed_at), len(session.stage_moves)} != {stages} \
                or not 0 <= session.stage < stages:
            raise _Malformed("per-stage lists disagree")
        return session

