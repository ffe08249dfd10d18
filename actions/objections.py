"""Actions that answer objections from the playbook."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import entity, language, playbook, send
from coach.i18n import ui
from coach.replies import objections as replies


class ActionObjectionCard(Action):
    """objection_* intent -> compact card: what it may mean, what to say first, case buttons."""

    def name(self) -> Text:
        return "action_objection_card"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        objection = playbook().for_intent(intent)
        if objection is None:  # a forged '/objection_xyz' payload or an intent without content
            send(dispatcher, replies.objection_menu(playbook(), lang, "fallback"))
            return events
        send(dispatcher, replies.objection_card(objection, lang))
        return events + [SlotSet("objection", objection.id)]


class ActionBranchStrategy(Action):
    """A case button (/choose_branch{"branch": "price.higher"}) -> that case's strategy and lines."""

    def name(self) -> Text:
        return "action_branch_strategy"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        path = entity(tracker, "branch")
        found = playbook().branch(path) if path else None
        if found is None:
            current = playbook().by_id(tracker.get_slot("objection") or "")
            if current is None:
                send(dispatcher, replies.objection_menu(playbook(), lang, "no_objection_yet"))
            else:
                card = replies.objection_card(current, lang)
                send(dispatcher, replies.Reply(ui("branch_unknown", lang), card.buttons, card.custom))
            return events
        objection, branch = found
        send(dispatcher, replies.branch_detail(objection, branch, lang))
        return events + [SlotSet("objection", objection.id)]


class ActionMoreDetail(Action):
    """'More' -> every case of the current objection."""

    def name(self) -> Text:
        return "action_more_detail"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        objection = playbook().by_id(tracker.get_slot("objection") or "")
        if objection is None:
            send(dispatcher, replies.objection_menu(playbook(), lang, "no_objection_yet"))
        else:
            send(dispatcher, replies.full_detail(objection, lang))
        return events


class ActionListObjections(Action):
    """'Another objection' -> the nine objections as buttons."""

    def name(self) -> Text:
        return "action_list_objections"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, events = language(tracker)
        send(dispatcher, replies.objection_menu(playbook(), lang, "help_intro"))
        return events
