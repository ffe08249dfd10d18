"""Explicit language switch: '说英文', '用繁體', 'reply in Chinese', or a language button."""
from __future__ import annotations

from typing import Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import Answer, CoachAction, Events, entity, user_text
from coach import i18n
from coach.replies import objections as replies


def _wanted(tracker: Tracker) -> Optional[str]:
    wanted = entity(tracker, "language")
    return wanted if wanted in i18n.LANGUAGES else i18n.requested(user_text(tracker))


class ActionSwitchLanguage(CoachAction):
    action_name = "action_switch_language"

    def language(self, tracker: Tracker) -> Tuple[str, Events]:
        """The language asked for, pinned; without one, the usual reply language."""
        wanted = _wanted(tracker)
        if wanted is None:
            return super().language(tracker)
        return wanted, [SlotSet("language", wanted), SlotSet("language_pinned", wanted)]

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        if _wanted(tracker) is None:  # "switch language" without saying which: ask, in the current language
            return Answer([replies.language_menu(lang)])
        return Answer([replies.language_set(lang)])
