"""Small talk around the coaching: greet, help, thanks, goodbye, out of scope, fallback."""
from __future__ import annotations

import abc
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import language, playbook, send
from coach.replies import objections as replies


class _ReplyAction(Action, abc.ABC):
    """An action whose whole job is one reply in the rep's language (abstract: not registered)."""

    action_name: Text = ""

    def name(self) -> Text:
        return self.action_name

    @abc.abstractmethod
    def reply(self, lang: Text) -> replies.Reply:
        ...

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        send(dispatcher, self.reply(lang))
        return events


class ActionGreet(_ReplyAction):
    action_name = "action_greet"

    def reply(self, lang: Text) -> replies.Reply:
        return replies.objection_menu(playbook(), lang, "greet")


class ActionHelp(_ReplyAction):
    action_name = "action_help"

    def reply(self, lang: Text) -> replies.Reply:
        return replies.objection_menu(playbook(), lang, "help_intro", footer_key="help_footer")


class ActionThanks(_ReplyAction):
    action_name = "action_thanks"

    def reply(self, lang: Text) -> replies.Reply:
        return replies.plain("thanks", lang)


class ActionGoodbye(_ReplyAction):
    action_name = "action_goodbye"

    def reply(self, lang: Text) -> replies.Reply:
        return replies.plain("goodbye", lang)


class ActionOutOfScope(_ReplyAction):
    """A polite redirect; never a made-up strategy."""

    action_name = "action_out_of_scope"

    def reply(self, lang: Text) -> replies.Reply:
        return replies.objection_menu(playbook(), lang, "out_of_scope")


class ActionFallback(_ReplyAction):
    """Low NLU confidence: offer the objections as buttons instead of guessing."""

    action_name = "action_fallback"

    def reply(self, lang: Text) -> replies.Reply:
        return replies.objection_menu(playbook(), lang, "fallback")
