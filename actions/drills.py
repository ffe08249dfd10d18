"""Role-play drill actions: list, start, each rep turn (the form's validation), stop, end, progress.

A running drill is the `drill_form` loop: every rep message, whatever its intent, fills
`drill_reply` and goes to ValidateDrillForm. The service decides whether it is a reply to the
customer or a command (stop, another drill, go on: coach.service.control); stop and another drill
ask once, the question being the `drill_pending` slot. A confirmed stop ends the form like a drill
that ended by itself, so action_drill_end scores it. The session itself is the `drill` slot.
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
    entity,
    language,
    nlu_moves,
    send,
    session_slot,
    user_text,
)
from coach import i18n
from coach.service.control import RepMessage


def _cleared() -> List[Dict[str, Any]]:
    """The session is over: clear it, and the form's reply slot with it."""
    return [SlotSet("drill", None), SlotSet("drill_reply", None), SlotSet("drill_pending", None)]


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
            events += [SlotSet("drill", outcome.session.to_slot()), SlotSet("drill_reply", None),
                       SlotSet("drill_pending", None)]
        return Answer(outcome.replies, events)


class ValidateDrillForm(FormValidationAction):
    """Each rep message in a drill: a reply (moves, the customer, feedback) or a command, asked once."""

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
        wanted = entity(tracker, "language")
        if wanted in i18n.LANGUAGES and user_text(tracker).startswith("/switch_language"):
            lang = slots["language"] = slots["language_pinned"] = wanted  # a language button, pinned
        session = drill_session(tracker)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        message = RepMessage(user_text(tracker), nlu_moves(tracker), intent,
                             next(tracker.get_latest_entity_values("drill_id"), None))
        outcome = CoachAction.drills.turn(tracker.sender_id, lang, session, message,
                                          tracker.get_slot("drill_pending"))
        send(dispatcher, outcome.replies)
        if not outcome.kept:
            slots["drill"] = session_slot(outcome.session)
        slots["drill_pending"] = outcome.pending
        slots["drill_id"] = None  # a drill button's id counts for its message only
        # A filled drill_reply completes the form: "-" when there is no drill left to reply to.
        slots["drill_reply"] = (outcome.text if outcome.text is not None else "-") if outcome.over else None
        return slots


class ActionDrillEnd(CoachAction):
    """The form finished (goal, turns, walk-away): scorecard and result."""

    action_name = "action_drill_end"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer(self.drills.finish(tracker.sender_id, lang, drill_session(tracker)).replies, _cleared())


class ActionStopDrill(CoachAction):
    """'退出' / 'stop' (or "go on") outside the drill form: says none is running.

    A running drill is stopped by the form itself, after asking. A session left in the slot without
    the form (a new Rasa session carried it over) is ended here at once, with its scorecard.
    """

    action_name = "action_stop_drill"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        outcome = self.drills.stop(tracker.sender_id, lang, drill_session(tracker))
        return Answer(outcome.replies, [ActiveLoop(None), SlotSet("requested_slot", None), *_cleared()])


class ActionProgress(CoachAction):
    """'我的成绩' / 'my progress': first, best and latest score per objection, and what to do next."""

    action_name = "action_progress"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer(self.drills.progress(tracker.sender_id, lang).replies)
