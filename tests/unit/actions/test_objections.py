"""Actions run against JSON tracker fixtures, with no Rasa server."""
from __future__ import annotations

import json

import pytest

from actions.conversation import ActionFallback, ActionGreet, ActionHelp, ActionOutOfScope
from actions.language import ActionSwitchLanguage
from actions.objections import (
    ActionBranchStrategy,
    ActionListObjections,
    ActionMoreDetail,
    ActionObjectionCard,
)
from coach.content.playbook import OBJECTION_INTENTS, load_playbook
from tests.conftest import make_tracker, run_action, slot_events

PLAYBOOK = load_playbook()


def _branch_tracker(entities):
    return make_tracker("after_price_card_en", "/choose_branch", "choose_branch", entities)


def _custom(messages, kind):
    found = [m["custom"] for m in messages if m.get("custom") and m["custom"].get("type") == kind]
    assert found, f"no {kind} payload in {messages}"
    return found[0]


@pytest.mark.parametrize("intent", OBJECTION_INTENTS)
def test_card_for_every_objection_in_simplified_chinese(intent):
    tracker = make_tracker("new_rep", "老板说了这个异议，我该怎么说", intent)
    messages, events = run_action(ActionObjectionCard(), tracker)
    objection = PLAYBOOK.for_intent(intent)
    card = _custom(messages, "objection_card")
    assert card["objection"] == objection.id and card["lang"] == "zh-Hans"
    assert objection.title["zh"] in messages[0]["text"]
    assert objection.opener["zh"] in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    for branch in objection.branches:
        assert "/choose_branch" + json.dumps({"branch": branch.path}, ensure_ascii=False) in payloads
    assert "/more_detail" in payloads and "/another_objection" in payloads
    assert slot_events(events) == {"language": "zh-Hans", "objection": objection.id}


def test_card_follows_traditional_script():
    # The NLU rewrites 'text' to Simplified and keeps the rep's own text in 'text_original'.
    tracker = make_tracker("new_rep", "老板说价格太贵了", "objection_price", text_original="老闆說價格太貴了")
    messages, events = run_action(ActionObjectionCard(), tracker)
    assert "價格" in messages[0]["text"] and "价格" not in messages[0]["text"]
    assert slot_events(events)["language"] == "zh-Hant"


def test_card_in_english():
    tracker = make_tracker("new_rep", "customer says our margin is too thin, what do I say",
                           "objection_price")
    messages, _ = run_action(ActionObjectionCard(), tracker)
    assert PLAYBOOK.for_intent("objection_price").title["en"] in messages[0]["text"]
    assert _custom(messages, "objection_card")["lang"] == "en"


def test_card_fits_a_phone_screen():
    for intent in OBJECTION_INTENTS:
        messages, _ = run_action(ActionObjectionCard(), make_tracker("new_rep", "老板说不行", intent))
        text = messages[0]["text"]
        assert len(text) <= 320 and text.count("\n") <= 9, \
            f"{intent} card too long for a phone: {len(text)} chars"


def test_branch_button_gives_strategy_lines_principle_and_source():
    entities = [{"entity": "branch", "value": "price.higher.margin"}]
    messages, events = run_action(ActionBranchStrategy(), _branch_tracker(entities))
    payload = _custom(messages, "strategy")
    _, branch = PLAYBOOK.branch("price.higher.margin")
    assert payload["branch"] == "price.higher.margin" and payload["lang"] == "en"
    assert 2 <= len(payload["lines"]) <= 4
    assert payload["principle"] == branch.principle["en"]
    assert payload["source"]["file"] not in messages[0]["text"], "readers see the seed's title, not its file"
    assert payload["source"]["cite"] in messages[0]["text"]
    assert "How to develop untapped OTC customers, §3 (6) Price too high" in payload["source"]["cite"]
    assert payload["principle_source"] == branch.principle_source == "coach"
    assert f"Coach's note: {branch.principle['en']}" in messages[0]["text"]
    assert f"Strategy: {branch.strategy['en']}" in messages[0]["text"]
    assert "language" not in slot_events(events), "a payload carries no language: keep the previous one"


def test_branch_with_sub_cases_offers_them_as_buttons():
    entities = [{"entity": "branch", "value": "price.higher"}]
    messages, _ = run_action(ActionBranchStrategy(), _branch_tracker(entities))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert any("price.higher.sell_through" in p for p in payloads)
    assert any("price.higher.margin" in p for p in payloads)


@pytest.mark.parametrize("forged", ["../../etc/passwd", "price.nope", "x" * 5000])
def test_forged_branch_payload_gets_the_card_again(forged):
    entities = [{"entity": "branch", "value": forged}]
    messages, _ = run_action(ActionBranchStrategy(), _branch_tracker(entities))
    assert "couldn't find that case" in messages[0]["text"]
    assert _custom(messages, "objection_card")["objection"] == "price"


def test_branch_without_any_objection_asks_for_one():
    messages, _ = run_action(ActionBranchStrategy(), make_tracker("new_rep", "就是这种情况", "choose_branch"))
    assert _custom(messages, "objection_menu")["reason"] == "no_objection_yet"


def test_more_detail_lists_every_case_of_the_current_objection():
    messages, _ = run_action(ActionMoreDetail(), make_tracker("after_price_card_en", "more", "more_detail"))
    detail = _custom(messages, "objection_detail")
    assert [c["id"] for c in detail["cases"]] == ["price.comparable", "price.higher",
                                                  "price.higher.sell_through", "price.higher.margin"]


def test_more_detail_without_objection():
    messages, _ = run_action(ActionMoreDetail(), make_tracker("new_rep", "详细点", "more_detail"))
    assert _custom(messages, "objection_menu")["reason"] == "no_objection_yet"


@pytest.mark.parametrize("action, reason", [
    (ActionHelp(), "help_intro"), (ActionFallback(), "fallback"), (ActionOutOfScope(), "out_of_scope"),
    (ActionGreet(), "greet"), (ActionListObjections(), "help_intro"),
])
def test_menus_offer_all_nine_objections(action, reason):
    messages, _ = run_action(action, make_tracker("new_rep", "你好，你能做什么", None))
    menu = _custom(messages, "objection_menu")
    assert menu["reason"] == reason
    assert [o["intent"] for o in menu["objections"]] == list(OBJECTION_INTENTS)
    assert [b["payload"] for b in messages[0]["buttons"]] == [f"/{i}" for i in OBJECTION_INTENTS]


def test_out_of_scope_never_invents_a_strategy():
    messages, _ = run_action(ActionOutOfScope(), make_tracker("new_rep", "感冒了吃什么药", "out_of_scope"))
    assert all(m.get("custom", {}).get("type") == "objection_menu" for m in messages)
    assert "只负责客户异议" in messages[0]["text"]


def test_switch_language_pins_the_choice():
    messages, events = run_action(ActionSwitchLanguage(),
                                  make_tracker("new_rep", "说英文", "switch_language"))
    assert slot_events(events) == {"language": "en", "language_pinned": "en"}
    assert "English" in messages[0]["text"]


def test_pinned_language_wins_over_detected_script():
    messages, events = run_action(ActionObjectionCard(),
                                  make_tracker("pinned_english", "老板说你们价格太高", "objection_price"))
    assert _custom(messages, "objection_card")["lang"] == "en"
    assert "language" not in slot_events(events)


def test_language_button_payload():
    entities = [{"entity": "language", "value": "zh-Hant"}]
    tracker = make_tracker("pinned_english", "/switch_language", "switch_language", entities)
    messages, events = run_action(ActionSwitchLanguage(), tracker)
    assert slot_events(events)["language_pinned"] == "zh-Hant"
    assert "繁體中文" in messages[0]["text"]


def test_switch_without_target_asks_which():
    messages, events = run_action(ActionSwitchLanguage(),
                                  make_tracker("new_rep", "换个语言", "switch_language"))
    assert _custom(messages, "language_menu")
    assert "language_pinned" not in slot_events(events)
