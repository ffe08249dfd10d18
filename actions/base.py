"""What every action shares: the rep's words and language, the coach's services, sending replies.

Actions are thin: `CoachAction.run` works out the reply language (and the SlotSet that remembers
it), asks `answer` for the replies and events, and sends the replies. The work itself is in
coach.* (coach.service.drills for drills, coach.replies for what is said).
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, Iterable, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from coach import i18n
from coach.content.playbook import Playbook, default_playbook
from coach.drill.session import DrillSession, SlotValue
from coach.replies.base import Reply
from coach.service.drills import DrillService

Events = List[Dict[str, Any]]


def user_text(tracker: Tracker) -> str:
    """The rep's message as typed: the NLU rewrites 'text' to Simplified, keeping the original aside."""
    message = tracker.latest_message or {}
    return message.get("text_original") or message.get("text") or ""


def nlu_moves(tracker: Tracker) -> List[str]:
    """The moves the NLU's MoveClassifier found in the rep's message."""
    return (tracker.latest_message or {}).get("moves") or []


def language(tracker: Tracker) -> Tuple[str, Events]:
    """Reply language for this turn, plus the SlotSet event that remembers it.

    A button's /payload gives no clue of its own: before any language was used, it is answered in
    the language of the page it was pressed on (the chat page sends it as metadata "lang").
    """
    previous = tracker.get_slot("language")
    text = user_text(tracker)
    page = ((tracker.get_last_event_for("user") or {}).get("metadata") or {}).get("lang")
    fallback = previous or (page if text.startswith("/") else None)
    lang = i18n.reply_language(text, tracker.get_slot("language_pinned"), fallback)
    return lang, ([] if lang == previous else [SlotSet("language", lang)])


def entity(tracker: Tracker, name: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(name), None)
    return value if isinstance(value, str) else None


def drill_session(tracker: Tracker) -> Optional[DrillSession]:
    """The running drill's session from the `drill` slot (None: none, or one this code cannot read)."""
    return DrillSession.from_slot(tracker.get_slot("drill"))


def session_slot(session: Optional[DrillSession]) -> Optional[SlotValue]:
    return session.to_slot() if session else None


def send(dispatcher: CollectingDispatcher, replies: Iterable[Reply]) -> None:
    """Text (+ buttons) for people, and the structured payload for pages and scripts."""
    for reply in replies:
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None, json_message=reply.custom)


@dataclass
class Answer:
    """What an action does: replies to send, then events for the tracker."""

    replies: List[Reply] = field(default_factory=list)
    events: Events = field(default_factory=list)


class CoachAction(Action, abc.ABC):
    """An action of the coach (abstract: rasa_sdk registers only its concrete subclasses)."""

    action_name: ClassVar[str] = ""
    drills: ClassVar[DrillService] = DrillService()  # holds providers only: nothing loads at import

    def name(self) -> str:
        return self.action_name

    @staticmethod
    def playbook() -> Playbook:
        return default_playbook()

    def language(self, tracker: Tracker) -> Tuple[str, Events]:
        """The reply language and the events that remember it."""
        return language(tracker)

    @abc.abstractmethod
    def answer(self, tracker: Tracker, lang: str) -> Answer:
        ...

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        lang, events = self.language(tracker)
        answer = self.answer(tracker, lang)
        send(dispatcher, answer.replies)
        return events + answer.events
