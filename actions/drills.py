"""Role-play drill actions: list, start, each rep turn (the form's validation), stop, end, progress.

A running drill is the `drill_form` loop: every rep message fills `drill_reply` and goes to
ValidateDrillForm, except stop_drill (ends it) and start_drill (replaces it with a new drill).
The session itself is the `drill` slot.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.context import language, playbook, send, user_text
from coach.content.drills import Drill, default_library
from coach.drill import engine as drill_engine
from coach.drill.picker import pick, suggest
from coach.drill.scoring import score
from coach.i18n import localize, ui
from coach.moves.matcher import detect_moves, prepare_all
from coach.replies import drills as drill_replies
from coach.replies.objections import Reply
from coach.results.store import DrillResult, default_store

logger = logging.getLogger(__name__)
MAX_QUOTED = 1000  # characters of a rep reply kept in the session and transcript


def _rows(rep_id: str) -> list:
    try:
        return default_store().progress(rep_id)
    except Exception:  # a broken results file must not stop the drill itself
        logger.exception("results store unavailable")
        return []


def _finish(dispatcher: CollectingDispatcher, tracker: Tracker, drill: Drill, session: dict, lang: str) -> None:
    """Score, store (exactly once: keyed by the session id) and show the scorecard."""
    card = score(drill, session)
    result = DrillResult(
        result_id=session["id"], rep_id=tracker.sender_id, drill_id=drill.id, objection=drill.objections[0],
        difficulty=drill.difficulty, score=card.score, passed=card.passed, outcome=card.outcome,
        truth_uncovered=card.truth_uncovered, moves=card.moves, transcript=session["transcript"],
        started_at=session["started_at"], finished_at=time.time())
    saved = True
    try:
        default_store().add(result)
    except Exception:
        logger.exception("could not store drill result %s", session["id"])
        saved = False
    suggestion = suggest(_rows(tracker.sender_id), default_library().all(), exclude=drill.id)
    reply = drill_replies.scorecard(drill, card, session, lang, suggestion)
    if not saved:
        reply.text += "\n" + ui("result_not_saved", lang)
        reply.custom["saved"] = False
    send(dispatcher, reply)


def _start(dispatcher: CollectingDispatcher, drill: Drill, lang: str) -> dict:
    session, opening = drill_engine.start(drill, lang)
    send(dispatcher, drill_replies.intro(drill, lang))
    send(dispatcher, drill_replies.customer_line(drill, session, opening, "opening"))
    return session


def _session(tracker: Tracker) -> Optional[dict]:
    session = tracker.get_slot("drill")
    return session if isinstance(session, dict) and session.get("v") == drill_engine.STATE_VERSION else None


def _running(tracker: Tracker) -> tuple:
    """(session, drill): either may be None (no drill, or its file was removed meanwhile)."""
    session = _session(tracker)
    return session, (default_library().get(session["drill"]) if session else None)


class ActionListDrills(Action):
    def name(self) -> Text:
        return "action_list_drills"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        send(dispatcher, drill_replies.drill_menu(default_library().all(), playbook(), lang))
        return events


class ActionStartDrill(Action):
    """'练习价格异议' / a drill button -> the rubric, then the customer's opening line."""

    def name(self) -> Text:
        return "action_start_drill"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        library = default_library()
        events.append(SlotSet("drill_id", None))
        running, running_drill = _running(tracker)
        # Only this message's entity: the drill_id slot outlives it (the form re-extracts it), and a
        # stale id would start the wrong drill later. A "/start_drill..." payload never picks by its
        # words: without a valid id (broken JSON, a forged entity) it is an unknown drill.
        wanted = next(tracker.get_latest_entity_values("drill_id"), None)
        if wanted is not None or user_text(tracker).startswith("/"):
            drill = library.get(wanted) if isinstance(wanted, str) else None  # only known ids pass
            if drill is None:
                send(dispatcher, drill_replies.drill_menu(library.all(), playbook(), lang, "drill_unknown"))
        else:
            drill, named = pick(user_text(tracker), library.all(), playbook())
            if drill is None:
                if named:
                    title = localize(playbook().for_intent(named[0]).title, lang)
                    send(dispatcher, drill_replies.drill_menu(library.all(), playbook(), lang, "drill_none_for",
                                                              objection=title))
                else:
                    send(dispatcher, drill_replies.drill_menu([], playbook(), lang))
        if drill is None:  # nothing to start: a running drill goes on (it used to be dropped unscored)
            if running and running_drill and not running.get("ended"):
                send(dispatcher, Reply(ui("drill_in_progress", lang)))
                return events
            return events + [SlotSet("drill", None)]
        if running and running_drill and not running.get("ended"):  # a new drill ends the current one
            _finish(dispatcher, tracker, running_drill, drill_engine.stop(running), lang)
        session = _start(dispatcher, drill, lang)
        return events + [SlotSet("drill", session), SlotSet("drill_reply", None)]


class ValidateDrillForm(FormValidationAction):
    """Each rep reply in a drill: detect moves, move the customer, give feedback."""

    def name(self) -> Text:
        return "validate_drill_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[Text]:
        session = _session(tracker)
        return ["drill_reply"] if session and not session.get("ended") else []

    def validate_drill_reply(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        if value is None:  # the SDK validates every slot set since the last message, incl. our reset to None
            return {}
        lang, events = language(tracker)
        slots: Dict[Text, Any] = {e["name"]: e["value"] for e in events}
        session, drill = _running(tracker)
        if session is None:
            return {**slots, "drill_reply": "-"}
        if drill is None:
            send(dispatcher, Reply(ui("drill_gone", lang), [], {"type": "drill_end", "lang": lang,
                                                                 "drill_id": session["drill"], "reason": "removed"}))
            return {**slots, "drill": drill_engine.stop(session), "drill_reply": "-"}
        text = user_text(tracker).strip()
        if text.startswith("/"):  # a button (progress, a branch...) pressed mid-drill is not a reply
            send(dispatcher, Reply(ui("drill_in_progress", lang)))
            return {**slots, "drill_reply": None}
        text = text[:MAX_QUOTED]
        prepare_all(default_library().all())  # cached per drill version: a no-op unless files changed
        moves = detect_moves(drill, text, (tracker.latest_message or {}).get("moves") or [])
        result = drill_engine.step(drill, session, text, moves)
        if not drill.exam:
            send(dispatcher, drill_replies.feedback(drill, result, text, lang))
        if result.customer:
            send(dispatcher, drill_replies.customer_line(drill, session, result.customer, result.state))
        return {**slots, "drill": session, "drill_reply": text if result.ended else None}


class ActionDrillEnd(Action):
    """The form finished (goal, turns, walk-away): scorecard and result."""

    def name(self) -> Text:
        return "action_drill_end"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        session, drill = _running(tracker)
        if session and drill and session.get("ended"):
            _finish(dispatcher, tracker, drill, session, lang)
        return events + [SlotSet("drill", None), SlotSet("drill_reply", None)]


class ActionStopDrill(Action):
    """'退出' / 'stop': end the running drill with a scorecard, or say none is running."""

    def name(self) -> Text:
        return "action_stop_drill"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        session, drill = _running(tracker)
        if session is None or drill is None or session.get("ended") == "stopped":
            reply = drill_replies.drill_menu(default_library().all(), playbook(), lang)
            send(dispatcher, Reply(ui("drill_not_running", lang) + "\n" + reply.text, reply.buttons, reply.custom))
        else:
            _finish(dispatcher, tracker, drill, drill_engine.stop(session), lang)
        return events + [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("drill", None),
                         SlotSet("drill_reply", None)]


class ActionProgress(Action):
    """'我的成绩' / 'my progress': first, best and latest score per objection, and what to do next."""

    def name(self) -> Text:
        return "action_progress"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        rows = _rows(tracker.sender_id)
        send(dispatcher, drill_replies.progress(rows, playbook(), lang, suggest(rows, default_library().all())))
        return events
