"""Explicit language switch: '说英文', '用繁體', 'reply in Chinese', or a language button."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import entity, language, send, user_text
from coach import i18n
from coach.replies import objections as replies


class ActionSwitchLanguage(Action):
    def name(self) -> Text:
        return "action_switch_language"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        wanted = entity(tracker, "language")
        if wanted not in i18n.LANGUAGES:
            wanted = i18n.requested(user_text(tracker))
        if wanted is None:  # "switch language" without saying which: ask, in the current language
            lang, events = language(tracker)
            send(dispatcher, replies.language_menu(lang))
            return events
        send(dispatcher, replies.language_set(wanted))
        return [SlotSet("language", wanted), SlotSet("language_pinned", wanted)]
