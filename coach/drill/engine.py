"""The customer in a role-play drill: trust, mood, the hidden truth, and how a drill ends.

Pure functions over a JSON-able session dict, which lives in a Rasa slot: the tracker store keeps
it, so a drill survives a restart of either server, and any action server replica can continue it.
Randomness (which phrasing the customer uses) is seeded per session and turn, so one session
replays identically while two sessions read differently.
"""
from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Optional

from coach.content.drills import Drill, Stage, Step
from coach.i18n import EN, HANS, HANT, to_traditional

STATE_VERSION = 1
TRUST_RANGE = (-10, 10)
MOOD_ORDER = ("cools", "pushes", "opens")  # the strongest reaction in a turn wins


@dataclass
class TurnResult:
    session: dict
    state: str  # which customer line set was used: reveal, pushes, agree, ...
    customer: str  # the customer's line (empty if the drill was already over)
    moves: list
    next_step: Optional[Step]  # what the documented strategy would do next (None once over)
    penalties: list = field(default_factory=list)  # [(move, penalty)] forbidden moves in this turn
    ended: Optional[str] = None  # an OUTCOMES value once the drill is over


def drill_lang(drill: Drill, lang: str) -> str:
    """The language the customer speaks: the rep's, if the drill is written in it."""
    wanted = "en" if lang == EN else "zh"
    if wanted in drill.languages:
        return lang
    return EN if drill.languages[0] == "en" else HANS


def say(text: dict, lang: str) -> str:
    """A drill text in `lang` (zh-Hant is generated from zh)."""
    if lang == EN:
        return text.get("en") or text.get("zh", "")
    if "zh" not in text:
        return text.get("en", "")
    return to_traditional(text["zh"]) if lang == HANT else text["zh"]


def _pick(session: dict, stage: Stage, state: str, lang: str) -> str:
    options = stage.lines_for(state)
    if not options:
        return ""
    rng = random.Random(f"{session['seed']}:{session['turn']}:{state}")
    last = session.get("last_line")
    choices = [o for o in options if say(o, lang) != last] or list(options)
    line = say(rng.choice(choices), lang)
    session["last_line"] = line
    return line


def start(drill: Drill, lang: str, seed: Optional[int] = None, now: Optional[float] = None) -> tuple:
    """(session, opening line). `lang` is the rep's language when the drill starts."""
    seed = seed if seed is not None else random.SystemRandom().randrange(1 << 30)
    session = {
        "v": STATE_VERSION,
        "id": uuid.uuid4().hex,  # the result's key in the results store: one row per session
        "drill": drill.id,
        "version": drill.version,
        "lang": drill_lang(drill, lang),
        "seed": seed,
        "stage": 0,
        "turn": 0,
        "trust": 0,
        "mood": None,
        "revealed": [False] * len(drill.stages),
        "revealed_at": [None] * len(drill.stages),
        "goal_at": None,
        "stage_moves": [[] for _ in drill.stages],
        "turns": [],
        "transcript": [],
        "ended": None,
        "started_at": now if now is not None else time.time(),
    }
    opening = _pick(session, drill.stages[0], "opening", session["lang"])
    session["transcript"].append({"turn": 0, "speaker": "customer", "text": opening})
    return session, opening


def next_step(drill: Drill, session: dict) -> Optional[Step]:
    """The first step of the current stage's strategy not yet taken (the last one if all are)."""
    stage = drill.stages[session["stage"]]
    made = set(session["stage_moves"][session["stage"]])
    return next((s for s in stage.strategy if s.move not in made), stage.strategy[-1])


def _mood(drill: Drill, moves: list) -> Optional[str]:
    moods = {drill.moves[m].effect.mood for m in moves if m in drill.moves}
    return next((m for m in MOOD_ORDER if m in moods), None)


def _goal_reached(stage: Stage, session: dict, moves: list, index: int) -> bool:
    if stage.needs_truth and not session["revealed"][index]:
        return False
    return session["trust"] >= stage.goal_min_trust and all(m in moves for m in stage.goal_moves)


def step(drill: Drill, session: dict, text: str, moves: list) -> TurnResult:
    """One rep reply: update trust and mood, pick the customer's answer, decide whether it's over."""
    if session.get("ended"):
        return TurnResult(session, "over", "", moves, None, ended=session["ended"])
    session["turn"] += 1
    turn, index, lang = session["turn"], session["stage"], session["lang"]
    stage = drill.stages[index]
    moves = [m for m in dict.fromkeys(moves) if m in drill.moves]
    suggested = next_step(drill, session)
    stage_moves = session["stage_moves"][index]
    stage_moves.extend(m for m in moves if m not in stage_moves)
    delta = sum(drill.moves[m].effect.trust for m in moves)
    lo, hi = TRUST_RANGE
    session["trust"] = max(lo, min(hi, session["trust"] + delta))
    mood = _mood(drill, moves)
    session["mood"] = mood or session["mood"]
    penalties = [(m, p) for m, p in drill.forbidden if m in moves]

    ended: Optional[str] = None
    if "give_up" in moves or session["trust"] <= drill.walk_away_at:
        state, ended = "walk_away", "walked_away"
    elif mood == "pushes":
        state = "pushes"
    elif mood == "cools":
        state = "cooler"
    elif not session["revealed"][index] and session["trust"] >= stage.reveal_min_trust \
            and any(m in moves for m in stage.reveal_moves):
        state = "reveal"
        session["revealed"][index] = True
        session["revealed_at"][index] = turn
    elif _goal_reached(stage, session, moves, index):
        state = "agree"
        if index + 1 == len(drill.stages):
            ended, session["goal_at"] = "goal", turn
    else:
        state = "warmer" if mood == "opens" else "neutral"

    customer = _pick(session, stage, state, lang)
    if state == "agree" and not ended:  # chained drill: the next objection comes straight after
        session["stage"] = index + 1
        customer = f"{customer} {_pick(session, drill.stages[index + 1], 'opening', lang)}".strip()
    if ended is None and turn >= drill.max_turns:
        state, ended = "out_of_turns", "out_of_turns"
        customer = _pick(session, stage, "out_of_turns", lang) or customer
    session["ended"] = ended
    session["turns"].append({"turn": turn, "stage": index, "rep": text, "moves": moves, "state": state,
                             "suggested": suggested.move if suggested else None, "trust": session["trust"]})
    session["transcript"].append({"turn": turn, "speaker": "rep", "text": text})
    if customer:
        session["transcript"].append({"turn": turn, "speaker": "customer", "text": customer})
    advice = None if ended else next_step(drill, session)
    return TurnResult(session, state, customer, moves, advice, penalties, ended)


def stop(session: dict) -> dict:
    """The rep stopped the drill; a drill that already ended keeps its outcome."""
    if not session.get("ended"):
        session["ended"] = "stopped"
    return session
