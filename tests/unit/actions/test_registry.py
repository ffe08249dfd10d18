"""rasa_sdk registers exactly the actions the domain lists: the abstract CoachAction base is not one."""
from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor

from actions.base import CoachAction
from coach.settings import PROJECT_ROOT


def test_the_action_server_offers_exactly_the_domains_actions():
    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(executor.actions) == set(domain["actions"])
    assert CoachAction.action_name not in executor.actions


def test_every_coach_action_shares_one_drill_service():
    from actions.drills import ActionStartDrill, ActionStopDrill

    assert ActionStartDrill.drills is ActionStopDrill.drills is CoachAction.drills
