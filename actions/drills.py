"""Role-play drill actions: list, start, each rep turn (the form's validation), stop, end, progress.

A running drill is the `drill_form` loop: every rep message fills `drill_reply` and goes to
ValidateDrillForm, except stop_drill (ends it) and start_drill (replaces it with a new drill).
The session itself is the `drill` slot. The drill logic is coach.service.drills.DrillService;
these adapters only read the tracker and turn its answers into events.
"""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    Answer,
    CoachAction,
    drill_session,
    language,
    nlu_moves,
    send,
    session_slot,
    user_text,
)


def _cleared() -> List[Dict[str, Any]]:
    """The session is over: clear it, and the form's reply slot with it."""
    return [SlotSet("drill", None), SlotSet("drill_reply", None)]


class ActionListDrills(CoachAction):
    action_name = "action_list_drills"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer(self.drills.list_drills(lang).replies)


class ActionStartDrill(CoachAction):
    """'练习价格异议' / a drill button -> the rubric, then the customer's opening line."""

    action_name = "action_start_drill"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        # Only this message's entity: the drill_id slot outlives it (the form re-extracts it), and a
        # stale id would start the wrong drill later.
        wanted = next(tracker.get_latest_entity_values("drill_id"), None)
        outcome = self.drills.start(tracker.sender_id, lang, user_text(tracker), wanted,
                                    drill_session(tracker))
        events = [SlotSet("drill_id", None)]
        if outcome.session is None:
            events.append(SlotSet("drill", None))
        elif not outcome.kept:  # a new drill: its session, and the form asks for the first reply
            events += [SlotSet("drill", outcome.session.to_slot()), SlotSet("drill_reply", None)]
        return Answer(outcome.replies, events)


class ValidateDrillForm(FormValidationAction):
    """Each rep reply in a drill: detect moves, move the customer, give feedback."""

    def name(self) -> str:
        return "validate_drill_form"

    async def required_slots(self, domain_slots: List[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[str]:
        session = drill_session(tracker)
        return ["drill_reply"] if session and session.running else []

    def validate_drill_reply(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[str, Any]:
        if value is None:  # the SDK validates every slot set since the last message, incl. our reset to None
            return {}
        lang, events = language(tracker)
        slots: Dict[str, Any] = {e["name"]: e["value"] for e in events}
        session = drill_session(tracker)
        outcome = CoachAction.drills.reply(lang, session, user_text(tracker), nlu_moves(tracker))
        send(dispatcher, outcome.replies)
        if not outcome.kept:
            slots["drill"] = session_slot(outcome.session)
        # A filled drill_reply completes the form: "-" when there is no drill left to reply to.
        slots["drill_reply"] = (outcome.text if outcome.text is not None else "-") if outcome.over else None
        return slots


class ActionDrillEnd(CoachAction):
    """The form finished (goal, turns, walk-away): scorecard and result."""

    action_name = "action_drill_end"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer(self.drills.finish(tracker.sender_id, lang, drill_session(tracker)).replies, _cleared())


class ActionStopDrill(CoachAction):
    """'退出' / 'stop': end the running drill with a scorecard, or say none is running."""

    action_name = "action_stop_drill"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        outcome = self.drills.stop(tracker.sender_id, lang, drill_session(tracker))
        return Answer(outcome.replies, [ActiveLoop(None), SlotSet("requested_slot", None), *_cleared()])


class ActionProgress(CoachAction):
    """'我的成绩' / 'my progress': first, best and latest score per objection, and what to do next."""

    action_name = "action_progress"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer(self.drills.progress(tracker.sender_id, lang).replies)
