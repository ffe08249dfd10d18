"""Actions that answer objections from the playbook."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import Answer, CoachAction, entity
from coach.i18n import ui
from coach.replies import objections as replies
from coach.replies.base import Reply


class ActionObjectionCard(CoachAction):
    """objection_* intent -> compact card: what it may mean, what to say first, case buttons."""

    action_name = "action_objection_card"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        objection = self.playbook().for_intent(intent or "")
        if objection is None:  # a forged '/objection_xyz' payload or an intent without content
            return Answer([replies.objection_menu(self.playbook(), lang, "fallback")])
        return Answer([replies.objection_card(objection, lang)], [SlotSet("objection", objection.id)])


class ActionBranchStrategy(CoachAction):
    """A case button (/choose_branch{"branch": "price.higher"}) -> that case's strategy and lines."""

    action_name = "action_branch_strategy"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        path = entity(tracker, "branch")
        found = self.playbook().branch(path) if path else None
        if found is not None:
            objection, branch = found
            return Answer([replies.branch_detail(objection, branch, lang)],
                          [SlotSet("objection", objection.id)])
        current = self.playbook().by_id(tracker.get_slot("objection") or "")
        if current is None:
            return Answer([replies.objection_menu(self.playbook(), lang, "no_objection_yet")])
        card = replies.objection_card(current, lang)
        return Answer([Reply(ui("branch_unknown", lang), card.buttons, card.custom)])


class ActionMoreDetail(CoachAction):
    """'More' -> every case of the current objection."""

    action_name = "action_more_detail"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        objection = self.playbook().by_id(tracker.get_slot("objection") or "")
        if objection is None:
            return Answer([replies.objection_menu(self.playbook(), lang, "no_objection_yet")])
        return Answer([replies.full_detail(objection, lang)])


class ActionListObjections(CoachAction):
    """'Another objection' -> the nine objections as buttons."""

    action_name = "action_list_objections"

    def answer(self, tracker: Tracker, lang: str) -> Answer:
        return Answer([replies.objection_menu(self.playbook(), lang, "help_intro")])
