"""Actions that answer objections from the playbook.

Around the card (coach/replies/followups.py):
- two objections in one message (the NLU's `clauses`, coach/nlu/clauses.py) get one compact reply;
- a low or ambiguous objection intent gets "did you mean…" with the two likeliest, never a card
  that may be the wrong one (the same thresholds as config.yml's FallbackClassifier);
- after a card, "what do I say now" gets the next line of the case in play, and a description of
  the customer's reason (「他是怕利润低」) gets the case it matches (actions/cases.py: a small
  similarity model over each case's label, signal, analysis and sample lines);
- "more" shows the case in play only, compact.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import Answer, CoachAction, entity, user_text
from actions.cases import match_case
from coach.content.playbook import Branch, Objection, Playbook
from coach.i18n import ui
from coach.replies import followups
from coach.replies import objections as replies
from coach.replies.base import Reply
from coach.settings import PROJECT_ROOT

FALLBACK = "nlu_fallback"
ASK_NEXT = "ask_next"
ANOTHER_OBJECTION = 0.3  # below the fallback threshold, a different objection this likely is not a case
# Payload types that put a case of an objection in play, and the key that names it.
_CASE_PAYLOADS = {"strategy": "branch", "next_line": "branch", "objection_detail": "focus"}


@lru_cache(maxsize=1)
def fallback_thresholds() -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of the NLU's FallbackClassifier in config.yml (0.5, 0.05 if absent).

    A card is shown only where the NLU itself would not have fallen back, whatever config.yml says."""
    try:
        config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8")) or {}
        step = next(s for s in config.get("pipeline") or [] if s.get("name") == "FallbackClassifier")
        return float(step.get("threshold", 0.5)), float(step.get("ambiguity_threshold", 0.05))
    except (OSError, StopIteration, TypeError, ValueError, yaml.YAMLError):
        return 0.5, 0.05


def _ranking(tracker: Tracker) -> list[tuple[str, float]]:
    """The NLU's intent ranking without nlu_fallback: [(intent, confidence)], likeliest first."""
    message = tracker.latest_message or {}
    ranking = [(r.get("name"), float(r.get("confidence") or 0.0))
               for r in message.get("intent_ranking") or []]
    if not ranking:
        intent = message.get("intent") or {}
        ranking = [(intent.get("name"), float(intent.get("confidence") or 0.0))]
    return [(name, conf) for name, conf in ranking if name and name != FALLBACK]


def _is_unsure(tracker: Tracker, playbook: Playbook) -> bool:
    """The objection intent is below the fallback threshold, or a second objection is too close to it."""
    text = user_text(tracker)
    if text.startswith("/"):
        return False  # a button: the rep chose it
    threshold, ambiguity = fallback_thresholds()
    ranking = _ranking(tracker)
    if not ranking:
        return False
    top = ranking[0][1]
    if top < threshold:
        return True
    runner = next(((n, c) for n, c in ranking[1:] if playbook.for_intent(n) is not None), None)
    return runner is not None and top - runner[1] < ambiguity


def _likeliest(tracker: Tracker, playbook: Playbook, count: int = 2) -> list[tuple[Objection, float]]:
    found: list[tuple[Objection, float]] = []
    for name, confidence in _ranking(tracker):
        objection = playbook.for_intent(name)
        if objection is not None and all(objection.id != o.id for o, _ in found):
            found.append((objection, confidence))
    return found[:count]


def _two_objections(tracker: Tracker, playbook: Playbook, lang: str) -> Optional[Answer]:
    """The NLU found two or more objections, clause by clause: each with its first line."""
    clauses = (tracker.latest_message or {}).get("clauses") or []
    found: list[tuple[Objection, str]] = []
    for clause in clauses:
        objection = playbook.for_intent(str(clause.get("intent") or "")) if isinstance(clause, dict) else None
        if objection is not None and all(objection.id != o.id for o, _ in found):
            found.append((objection, str(clause.get("text") or "")))
    if len(found) < 2:
        return None
    return Answer([followups.two_objections(found, lang)], [SlotSet("objection", found[0][0].id)])


def _did_you_mean(tracker: Tracker, playbook: Playbook, lang: str) -> Answer:
    options = _likeliest(tracker, playbook)
    if not options:
        return Answer([replies.objection_menu(playbook, lang, "fallback")])
    return Answer([followups.did_you_mean([o for o, _ in options], lang, [c for _, c in options])])


# --- the case in play -----------------------------------------------------------------------------

def _custom_payloads(tracker: Tracker) -> list[dict[str, Any]]:
    """The coach's JSON payloads so far, newest first."""
    found = []
    for event in reversed(tracker.events or []):
        if event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom")
            if isinstance(custom, dict):
                found.append(custom)
    return found


@dataclass(frozen=True)
class InPlay:
    branch: Optional[Branch]  # the case last shown for the current objection; None: only its card
    next_index: int  # the sample line "what do I say now" gives next


def in_play(tracker: Tracker, playbook: Playbook, objection: Objection) -> InPlay:
    """Which case of `objection` the rep is in: the last one the coach showed since its card."""
    for custom in _custom_payloads(tracker):
        if custom.get("objection") != objection.id:
            continue
        if custom.get("type") == "objection_card":
            return InPlay(None, 0)
        key = _CASE_PAYLOADS.get(str(custom.get("type")))
        value = custom.get(key) if key else None
        path = value.get("id") if isinstance(value, dict) else value
        found = playbook.branch(path) if isinstance(path, str) else None
        if found is not None:
            index = int(custom.get("index", -1)) + 1 if custom.get("type") == "next_line" else 0
            return InPlay(found[1], index)
    return InPlay(None, 0)


def _another_objection_likely(ranking: list[tuple[str, float]], playbook: Playbook,
                              current: Objection) -> bool:
    """The NLU's likeliest reading is a different objection, with some weight (a new objection said
    unclearly is offered as "did you mean", not matched against the cases of the old one)."""
    if not ranking:
        return False
    name, confidence = ranking[0]
    other = playbook.for_intent(name)
    return other is not None and other.id != current.id and confidence >= ANOTHER_OBJECTION


def _current(tracker: Tracker, playbook: Playbook) -> Optional[Objection]:
    return playbook.by_id(tracker.get_slot("objection") or "")


def _case_answer(objection: Objection, branch: Branch, lang: str) -> Answer:
    return Answer([replies.branch_detail(objection, branch, lang)], [SlotSet("objection", objection.id)])


# --- the actions ----------------------------------------------------------------------------------

class ActionObjectionCard(CoachAction):
    """objection_* intent -> compact card: what it may mean, what to say first, case buttons.

    Before the card: two objections in the message -> both; an unsure intent -> "did you mean";
    the card's own objection again, describing a case (「他是怕利润低」) -> that case."""

    action_name = "action_objection_card"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        playbook = self.playbook()
        both = _two_objections(tracker, playbook, lang)
        if both is not None:
            return both
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        objection = playbook.for_intent(intent or "")
        if objection is None:  # a forged '/objection_xyz' payload or an intent without content
            return Answer([replies.objection_menu(playbook, lang, "fallback")])
        current = _current(tracker, playbook)
        if current is not None and current.id == objection.id:
            branch = match_case(playbook, objection, user_text(tracker))
            if branch is not None:
                return _case_answer(objection, branch, lang)
        if _is_unsure(tracker, playbook):
            return _did_you_mean(tracker, playbook, lang)
        return Answer([replies.objection_card(objection, lang)], [SlotSet("objection", objection.id)])


class ActionDidYouMean(CoachAction):
    """nlu_fallback -> two objections if the clauses found them; a case of the current objection if
    the text describes one; "what do I say now" if that was the likeliest; else "did you mean" the two
    likeliest objections, or the objection list when no objection is likely (out of scope, noise)."""

    action_name = "action_did_you_mean"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        playbook = self.playbook()
        both = _two_objections(tracker, playbook, lang)
        if both is not None:
            return both
        ranking = _ranking(tracker)
        top = ranking[0][0] if ranking else None
        current = _current(tracker, playbook)
        if current is not None and not _another_objection_likely(ranking, playbook, current):
            branch = match_case(playbook, current, user_text(tracker))
            if branch is not None:
                return _case_answer(current, branch, lang)
            if top == ASK_NEXT:
                return ActionNextLine().answer(tracker, lang)
        if top is not None and playbook.for_intent(top) is not None:
            return _did_you_mean(tracker, playbook, lang)
        return Answer([replies.objection_menu(playbook, lang, "fallback")])


class ActionNextLine(CoachAction):
    """'What do I say now?' / 'what if he says no again' -> the next line of the case in play (the
    opener and the case buttons if no case was picked yet); a described case -> that case."""

    action_name = "action_next_line"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        playbook = self.playbook()
        current = _current(tracker, playbook)
        if current is None:
            return Answer([replies.objection_menu(playbook, lang, "no_objection_yet")])
        state = in_play(tracker, playbook, current)
        return Answer([followups.next_line(current, state.branch, state.next_index, lang)],
                      [SlotSet("objection", current.id)])


class ActionBranchStrategy(CoachAction):
    """A case button (/choose_branch{"branch": "price.higher"}) -> that case's strategy and lines;
    a typed case ("就是怕利润低") -> the case of the current objection it describes."""

    action_name = "action_branch_strategy"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        path = entity(tracker, "branch")
        found = self.playbook().branch(path) if path else None
        if found is not None:
            objection, branch = found
            return _case_answer(objection, branch, lang)
        current = _current(tracker, self.playbook())
        if current is None:
            return Answer([replies.objection_menu(self.playbook(), lang, "no_objection_yet")])
        if path is None:
            typed = match_case(self.playbook(), current, user_text(tracker))
            if typed is not None:
                return _case_answer(current, typed, lang)
        card = replies.objection_card(current, lang)
        return Answer([Reply(ui("branch_unknown", lang), card.buttons, card.custom)])


class ActionMoreDetail(CoachAction):
    """'More' -> the case in play (or the first case) in full, compact, with the others as buttons."""

    action_name = "action_more_detail"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        playbook = self.playbook()
        objection = _current(tracker, playbook)
        if objection is None:
            return Answer([replies.objection_menu(playbook, lang, "no_objection_yet")])
        branch = in_play(tracker, playbook, objection).branch or objection.branches[0]
        return Answer([followups.compact_detail(objection, branch, lang)])


class ActionListObjections(CoachAction):
    """'Another objection' -> the objections as buttons (a typed description of a case of the current
    objection that the NLU read as "another", e.g. "he's comparing with the shop next door" -> that case)."""

    action_name = "action_list_objections"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        playbook = self.playbook()
        current = _current(tracker, playbook)
        branch = match_case(playbook, current, user_text(tracker)) if current is not None else None
        if current is not None and branch is not None:
            return _case_answer(current, branch, lang)
        return Answer([replies.objection_menu(playbook, lang, "help_intro")])


__all__ = ["ActionBranchStrategy", "ActionDidYouMean", "ActionListObjections", "ActionMoreDetail",
           "ActionNextLine", "ActionObjectionCard", "fallback_thresholds", "in_play"]
