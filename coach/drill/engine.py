"""The customer in a role-play drill: trust, mood, the hidden truth, and how a drill ends.

Functions over a DrillSession (coach.drill.session), which they change in place. How the customer
reacts to a reply is an ordered table of rules (REACTIONS): the first that applies wins.
Randomness (which phrasing the customer uses) is seeded per session and turn, so one session
replays identically while two sessions read differently.
"""
from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Optional

from coach.content.drills import Drill, Stage, Step
from coach.content.moves import Effect
from coach.drill.credit import credited_moves
from coach.drill.session import DrillSession, RepTurn, TranscriptLine
from coach.i18n import EN, HANS, localize

TRUST_RANGE = (-10, 10)
MOOD_ORDER = ("cools", "pushes", "opens")  # the strongest reaction in a turn wins
_BAD_MOODS = ("cools", "pushes")
# Moves whose worth comes from the case alone: a conditional offer is the strategy where the case
# documents it and no give-away elsewhere; keeping in touch closes a polite no well but is only a
# weak exit while a hidden worry stands. Where the stage's case does not recommend them: neutral.
CASE_BOUND = ("conditional_offer", "keep_in_touch", "refer_up")


@dataclass
class TurnResult:
    session: DrillSession
    state: str  # which customer line set was used: reveal, pushes, agree, ...
    customer: str  # the customer's line (empty if the drill was already over)
    moves: list[str]
    next_step: Optional[Step]  # what the documented strategy would do next (None once over)
    penalties: list[tuple[str, int]] = field(default_factory=list)  # forbidden moves in this turn
    ended: Optional[str] = None  # an outcome once the drill is over
    credited: list[str] = field(default_factory=list)  # the moves this turn earns (coach.drill.credit)
    red_lines: list[str] = field(default_factory=list)  # red-line moves crossed in this turn


def drill_lang(drill: Drill, lang: str) -> str:
    """The language the customer speaks: the rep's, if the drill is written in it."""
    wanted = "en" if lang == EN else "zh"
    if wanted in drill.languages:
        return lang
    return EN if drill.languages[0] == "en" else HANS


def resay(drill: Drill, line: str, said_in: str, wanted: str) -> str:
    """The customer's line `line`, said in `said_in`, in `wanted` (a rep switched language mid-drill).

    A chained drill's answer is two lines joined by a space; each part is looked up on its own.
    A line that is not in the drill (an older version of the file) is returned as it was said.
    """
    known = {localize(option, said_in): option for stage in drill.stages
             for options in stage.lines.values() for option in options}
    if line in known:
        return localize(known[line], wanted)
    parts = line.split(" ")
    for cut in range(1, len(parts)):
        first, second = " ".join(parts[:cut]), " ".join(parts[cut:])
        if first in known and second in known:
            return f"{localize(known[first], wanted)} {localize(known[second], wanted)}"
    return line


def _pick(session: DrillSession, stage: Stage, state: str) -> str:
    options = stage.lines_for(state)
    if not options:
        return ""
    rng = random.Random(f"{session.seed}:{session.turn}:{state}")
    choices = [o for o in options if localize(o, session.lang) != session.last_line] or list(options)
    line = localize(rng.choice(choices), session.lang)
    session.last_line = line
    return line


def start(drill: Drill, lang: str, seed: Optional[int] = None,
          now: Optional[float] = None) -> tuple[DrillSession, str]:
    """(session, opening line). `lang` is the rep's language when the drill starts."""
    session = DrillSession(
        id=uuid.uuid4().hex,
        drill_id=drill.id,
        version=drill.version,
        lang=drill_lang(drill, lang),
        seed=seed if seed is not None else random.SystemRandom().randrange(1 << 30),
        started_at=now if now is not None else time.time(),
        revealed=[False] * len(drill.stages),
        revealed_at=[None] * len(drill.stages),
        stage_moves=[[] for _ in drill.stages],
    )
    opening = _pick(session, drill.stages[0], "opening")
    session.transcript.append(TranscriptLine(0, "customer", opening))
    return session, opening


def next_step(drill: Drill, session: DrillSession) -> Optional[Step]:
    """The first step of the current stage's strategy not yet taken (the last one if all are)."""
    stage = drill.stages[session.stage]
    made = set(session.stage_moves[session.stage])
    return next((s for s in stage.strategy if s.move not in made), stage.strategy[-1])


# --- how the customer reacts ---------------------------------------------------------------------

@dataclass(frozen=True)
class Turn:
    """One rep reply as the rules see it, after trust and mood have moved."""

    drill: Drill
    session: DrillSession
    moves: list[str]
    mood: Optional[str]  # this reply's mood, None if it has none

    @property
    def stage(self) -> Stage:
        return self.drill.stages[self.session.stage]


@dataclass(frozen=True)
class Reaction:
    state: str  # the customer line set it uses
    applies: Callable[[Turn], bool]
    then: Callable[[Turn], Optional[str]] = lambda turn: None  # changes the session; returns an outcome


def _mood_is(mood: str) -> Callable[[Turn], bool]:
    return lambda turn: turn.mood == mood


def recommended(stage: Stage, move: str) -> bool:
    """The stage's case recommends the move, or closes with it: it never counts against the rep."""
    return move in stage.recommends or move in stage.closes


def worth(drill: Drill, stage: Stage, move: str) -> Effect:
    """How the customer takes `move` in this stage: its effect, as the stage's case values it."""
    effect = drill.moves[move].effect
    if recommended(stage, move):
        return Effect(max(effect.trust, 0), None if effect.mood in _BAD_MOODS else effect.mood)
    if move in CASE_BOUND:
        return Effect()
    return effect


def _walks_away(turn: Turn) -> bool:
    gives_up = "give_up" in turn.moves and not recommended(turn.stage, "give_up")
    return gives_up or turn.session.trust <= turn.drill.walk_away_at


def _reveals(turn: Turn) -> bool:
    stage, session = turn.stage, turn.session
    return not session.revealed[session.stage] and session.trust >= stage.reveal_min_trust \
        and any(m in turn.moves for m in stage.reveal_moves)


def _reveal(turn: Turn) -> None:
    session = turn.session
    session.revealed[session.stage] = True
    session.revealed_at[session.stage] = session.turn


def _goal_reached(turn: Turn) -> bool:
    stage, session = turn.stage, turn.session
    if stage.needs_truth and not session.revealed[session.stage]:
        return False
    needed = any if stage.goal_any else all
    return session.trust >= stage.goal_min_trust and needed(m in turn.moves for m in stage.goal_moves)


def _agree(turn: Turn) -> Optional[str]:
    """The last stage's goal ends the drill; an earlier one leads on to the next objection."""
    session = turn.session
    if session.stage + 1 == len(turn.drill.stages):
        session.goal_at = session.turn
        return "goal"
    return None


REACTIONS = (
    Reaction("walk_away", _walks_away, lambda turn: "walked_away"),
    Reaction("pushes", _mood_is("pushes")),
    Reaction("cooler", _mood_is("cools")),
    Reaction("reveal", _reveals, _reveal),
    Reaction("agree", _goal_reached, _agree),
    Reaction("warmer", _mood_is("opens")),
    Reaction("neutral", lambda turn: True),
)
# Checked after the reaction: the last turn ends the drill whatever the customer felt.
OUT_OF_TURNS = Reaction("out_of_turns", lambda turn: turn.session.turn >= turn.drill.max_turns,
                        lambda turn: "out_of_turns")


def _take_reply(drill: Drill, session: DrillSession, moves: list[str]) -> Turn:
    """Count the turn and the moves that count in it; move trust and mood as the stage's case values them."""
    stage = drill.stages[session.stage]
    session.turn += 1
    made = session.stage_moves[session.stage]
    made.extend(m for m in moves if m not in made)
    effects = [worth(drill, stage, m) for m in moves]
    lo, hi = TRUST_RANGE
    session.trust = max(lo, min(hi, session.trust + sum(e.trust for e in effects)))
    moods = {e.mood for e in effects}
    mood = next((m for m in MOOD_ORDER if m in moods), None)
    session.mood = mood or session.mood
    return Turn(drill, session, moves, mood)


def _counted(drill: Drill, stage: Stage, moves: list[str], credited: list[str]) -> list[str]:
    """What the customer reacts to: the credited moves, and every move that costs the rep something."""
    costly = set(drill.red_lines) | {m for m, _ in drill.forbidden}
    return [m for m in moves if m in credited or (not recommended(stage, m) and (
        m in costly or worth(drill, stage, m).trust < 0 or worth(drill, stage, m).mood in _BAD_MOODS))]


def _react(turn: Turn) -> tuple[str, str, Optional[str]]:
    """(state, the customer's line, outcome or None) for this turn."""
    stage = turn.stage
    reaction = next(r for r in REACTIONS if r.applies(turn))
    ended = reaction.then(turn)
    state, customer = reaction.state, _pick(turn.session, stage, reaction.state)
    if state == "agree" and not ended:  # chained drill: the next objection comes straight after
        turn.session.stage += 1
        customer = f"{customer} {_pick(turn.session, turn.stage, 'opening')}".strip()
    if ended is None and OUT_OF_TURNS.applies(turn):
        state, ended = OUT_OF_TURNS.state, OUT_OF_TURNS.then(turn)
        customer = _pick(turn.session, stage, state) or customer
    return state, customer, ended


def step(drill: Drill, session: DrillSession, text: str, moves: list[str]) -> TurnResult:
    """One rep reply: update trust and mood, pick the customer's answer, decide whether it's over."""
    if session.ended:
        return TurnResult(session, "over", "", moves, None, ended=session.ended)
    moves = [m for m in dict.fromkeys(moves) if m in drill.moves]
    suggested, index, stage = next_step(drill, session), session.stage, drill.stages[session.stage]
    credited = credited_moves(drill, session.turns, text, moves)
    turn = _take_reply(drill, session, _counted(drill, stage, moves, credited))
    state, customer, ended = _react(turn)
    session.ended = ended
    session.turns.append(RepTurn(session.turn, index, text, moves, state,
                                 suggested.move if suggested else None, session.trust))
    session.transcript.append(TranscriptLine(session.turn, "rep", text))
    if customer:
        session.transcript.append(TranscriptLine(session.turn, "customer", customer))
    advice = None if ended else next_step(drill, session)
    return TurnResult(session, state, customer, moves, advice, penalties_in(drill, stage, moves), ended,
                      credited, red_lines_in(drill, moves))


def penalties_in(drill: Drill, stage: Stage, moves: list[str]) -> list[tuple[str, int]]:
    """(move, penalty) of each forbidden move in a reply, unless the stage's case recommends it."""
    return [(m, p) for m, p in drill.forbidden if m in moves and not recommended(stage, m)]


def red_lines_in(drill: Drill, moves: list[str]) -> list[str]:
    return [m for m in drill.red_lines if m in moves]


def _advice_after(drill: Drill, session: DrillSession, index: int) -> Optional[Step]:
    """The next step the coach showed after rep turn `index`: the next turn's `suggested`, or, after
    the last turn, the session's next step unless that turn ended the drill."""
    if index + 1 < len(session.turns):
        later = session.turns[index + 1]
        strategy = drill.stages[min(later.stage, len(drill.stages) - 1)].strategy
        return next((s for s in strategy if s.move == later.suggested), None)
    if session.ended and session.ended != "stopped":
        return None
    return next_step(drill, session)


def replay(drill: Drill, session: DrillSession) -> list[TurnResult]:
    """Each rep turn as step() returned it (moves, penalties, credit, red lines, the advice shown).

    Recomputed from the session rather than kept in its slot, as the score is: the slot stays small
    and sessions stored before this existed replay too. `customer` is left empty.
    """
    replayed = []
    for index, turn in enumerate(session.turns):
        stage = drill.stages[min(turn.stage, len(drill.stages) - 1)]
        last = index + 1 == len(session.turns)
        ended = session.ended if last and session.ended != "stopped" else None
        replayed.append(TurnResult(
            session, turn.state, "", list(turn.moves), _advice_after(drill, session, index),
            penalties_in(drill, stage, turn.moves), ended,
            credited_moves(drill, session.turns[:index], turn.rep, turn.moves),
            red_lines_in(drill, turn.moves)))
    return replayed


def stop(session: DrillSession) -> DrillSession:
    """The rep stopped the drill; a drill that already ended keeps its outcome."""
    if not session.ended:
        session.ended = "stopped"
    return session
