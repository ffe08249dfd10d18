"""What every action needs: the rep's language, the playbook, and a way to send a Reply."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from coach import i18n
from coach.content.playbook import Playbook, default_playbook
from coach.replies.objections import Reply


def user_text(tracker: Tracker) -> Text:
    """The rep's message as typed: the NLU rewrites 'text' to Simplified, keeping the original aside."""
    message = tracker.latest_message or {}
    return message.get("text_original") or message.get("text") or ""


def language(tracker: Tracker) -> Tuple[Text, List[Dict[Text, Any]]]:
    """Reply language for this turn, plus the SlotSet event that remembers it."""
    previous = tracker.get_slot("language")
    lang = i18n.reply_language(user_text(tracker), tracker.get_slot("language_pinned"), previous)
    return lang, ([] if lang == previous else [SlotSet("language", lang)])


def entity(tracker: Tracker, name: Text) -> Optional[Text]:
    value = next(tracker.get_latest_entity_values(name), None)
    return value if isinstance(value, str) else None


def playbook() -> Playbook:
    return default_playbook()


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Text (+ buttons) for people, and the structured payload for pages and scripts."""
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None, json_message=reply.custom)
