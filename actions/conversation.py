"""Small talk around the coaching: greet, help, thanks, goodbye, out of scope, fallback."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.base import Answer, CoachAction
from coach.replies import objections as replies


class ActionGreet(CoachAction):
    action_name = "action_greet"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer([replies.objection_menu(self.playbook(), lang, "greet")])


class ActionHelp(CoachAction):
    action_name = "action_help"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer([replies.objection_menu(self.playbook(), lang, "help_intro", footer_key="help_footer")])


class ActionThanks(CoachAction):
    action_name = "action_thanks"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer([replies.plain("thanks", lang)])


class ActionGoodbye(CoachAction):
    action_name = "action_goodbye"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer([replies.plain("goodbye", lang)])


class ActionOutOfScope(CoachAction):
    """A polite redirect; never a made-up strategy."""

    action_name = "action_out_of_scope"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer([replies.objection_menu(self.playbook(), lang, "out_of_scope")])


class ActionFallback(CoachAction):
    """Low NLU confidence: offer the objections as buttons instead of guessing."""

    action_name = "action_fallback"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer([replies.objection_menu(self.playbook(), lang, "fallback")])
