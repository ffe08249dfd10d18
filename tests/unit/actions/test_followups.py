"""Quick answers around the card, on JSON tracker fixtures (no model, no server): two objections in
one message, "did you mean…" when unsure, follow-ups in the card's context, the compact "more"."""
from __future__ import annotations

import pytest

from actions.objections import (
    ActionBranchStrategy,
    ActionDidYouMean,
    ActionListObjections,
    ActionMoreDetail,
    ActionNextLine,
    ActionObjectionCard,
    fallback_thresholds,
)
from coach.content.playbook import load_playbook
from tests.conftest import make_tracker, run_action, slot_events

PLAYBOOK = load_playbook()
PRICE = PLAYBOOK.by_id("price")
CONSIGNMENT = PLAYBOOK.by_id("consignment")


def _custom(messages, kind):
    found = [m["custom"] for m in messages if m.get("custom") and m["custom"].get("type") == kind]
    assert found, f"no {kind} payload in {[m.get('custom', {}).get('type') for m in messages]}"
    return found[0]


def _tracker(fixture, text, intent, confidence=0.95, ranking=None, clauses=None, entities=None, bot=()):
    """A fixture tracker whose latest message carries the NLU's ranking and clauses; `bot` adds the
    coach's earlier payloads (as the tracker records them) before the rep's message."""
    tracker = make_tracker(fixture, text, intent, entities)
    message = tracker.latest_message
    message["intent"]["confidence"] = confidence
    if ranking is not None:
        message["intent_ranking"] = [{"name": n, "confidence": c} for n, c in ranking]
    if clauses is not None:
        message["clauses"] = clauses
    user = tracker.events.pop()
    tracker.events += [{"event": "bot", "text": "", "data": {"custom": custom}} for custom in bot]
    tracker.events.append(user)
    return tracker


def _strategy(path):
    return {"type": "strategy", "lang": "zh-Hans", "objection": path.split(".")[0], "branch": path}


# --- 1. two objections in one message -------------------------------------------------------------

TWO = [
    ("又嫌贵又要先铺货", "new_rep", "zh-Hans",
     [{"text": "嫌贵", "intent": "objection_price", "confidence": 0.58},
      {"text": "要先铺货", "intent": "objection_consignment", "confidence": 0.92}]),
    ("he says it's too expensive and he also wants it on consignment", "new_rep", "en",
     [{"text": "he says it's too expensive", "intent": "objection_price", "confidence": 0.86},
      {"text": "wants it on consignment", "intent": "objection_consignment", "confidence": 0.83}]),
]


@pytest.mark.parametrize("text, fixture, lang, clauses", TWO)
@pytest.mark.parametrize("action, intent", [(ActionObjectionCard(), "objection_price"),
                                            (ActionDidYouMean(), "nlu_fallback")])
def test_two_objections_get_both_openers_in_order(text, fixture, lang, clauses, action, intent):
    tracker = _tracker(fixture, text, intent, 0.6,
                       [("objection_price", 0.6), ("objection_consignment", 0.35)], clauses)
    messages, events = run_action(action, tracker)
    assert len(messages) == 1, "one compact reply"
    payload = _custom(messages, "two_objections")
    assert [i["objection"] for i in payload["items"]] == ["price", "consignment"]
    key = "en" if lang == "en" else "zh"
    body = messages[0]["text"]
    assert body.index(PRICE.opener[key]) < body.index(CONSIGNMENT.opener[key])
    assert [i["opener"] for i in payload["items"]] == [PRICE.opener[key], CONSIGNMENT.opener[key]]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[:2] == ["/objection_price", "/objection_consignment"], "a button opens either card"
    assert len(body) <= (320 if key == "zh" else 600) and body.count("\n") <= 9, "fits a phone screen"
    assert slot_events(events)["objection"] == "price"


def test_one_clause_or_the_same_objection_twice_is_a_single_card():
    clauses = [{"text": "太贵", "intent": "objection_price", "confidence": 0.9},
               {"text": "利润薄", "intent": "objection_price", "confidence": 0.8}]
    messages, _ = run_action(ActionObjectionCard(), _tracker("new_rep", "太贵，利润薄", "objection_price",
                                                             clauses=clauses))
    assert _custom(messages, "objection_card")["objection"] == "price"


# --- 2. low confidence: "did you mean…" -----------------------------------------------------------

def test_card_thresholds_follow_the_nlu_fallback_classifier():
    assert fallback_thresholds() == (0.5, 0.05)


@pytest.mark.parametrize("confidence, ranking", [
    (0.42, [("objection_price", 0.42), ("objection_policy", 0.3), ("greet", 0.1)]),  # low
    (0.51, [("objection_price", 0.51), ("objection_policy", 0.48)]),  # close to the runner-up
])
def test_unsure_objection_gets_did_you_mean_not_a_card(confidence, ranking):
    tracker = _tracker("new_rep", "老板说你们这个不太行", "objection_price", confidence, ranking)
    messages, events = run_action(ActionObjectionCard(), tracker)
    options = _custom(messages, "did_you_mean")["options"]
    assert [o["intent"] for o in options] == ["objection_price", "objection_policy"]
    assert [b["payload"] for b in messages[0]["buttons"]][:2] == ["/objection_price", "/objection_policy"]
    assert "你是说" in messages[0]["text"]
    assert "objection" not in slot_events(events), "no card, no context"


def test_nlu_fallback_with_likely_objections_asks_did_you_mean_in_english():
    ranking = [("nlu_fallback", 0.5), ("objection_consignment", 0.31), ("help", 0.2),
               ("objection_no_money", 0.2)]
    tracker = _tracker("new_rep", "he kind of wants the goods first, pay later, maybe", "nlu_fallback", 0.5,
                       ranking)
    messages, _ = run_action(ActionDidYouMean(), tracker)
    options = _custom(messages, "did_you_mean")["options"]
    assert [o["intent"] for o in options] == ["objection_consignment", "objection_no_money"]
    assert messages[0]["text"].startswith("Did you mean")


def test_button_press_is_never_unsure():
    tracker = _tracker("new_rep", "/objection_price", "objection_price", 1.0, [("objection_price", 1.0)])
    assert _custom(run_action(ActionObjectionCard(), tracker)[0], "objection_card")["objection"] == "price"


@pytest.mark.parametrize("ranking", [[("nlu_fallback", 0.5), ("out_of_scope", 0.4), ("greet", 0.1)],
                                     [("nlu_fallback", 0.5)]])
def test_out_of_scope_text_still_gets_the_objection_list(ranking):
    tracker = _tracker("new_rep", "今天天气怎么样", "nlu_fallback", 0.5, ranking)
    messages, _ = run_action(ActionDidYouMean(), tracker)
    assert _custom(messages, "objection_menu")["reason"] == "fallback"


# --- 3. follow-ups stay in the card's context -----------------------------------------------------

@pytest.mark.parametrize("fixture, text", [("after_price_card_zh", "怎么回他"),
                                           ("after_price_card_zh", "那我该怎么说"),
                                           ("after_price_card_en", "what do I say"),
                                           ("after_price_card_en", "what if he says no again")])
def test_what_do_i_say_after_a_card_gives_the_opener_and_the_cases(fixture, text):
    messages, events = run_action(ActionNextLine(), _tracker(fixture, text, "ask_next"))
    payload = _custom(messages, "next_line")
    key = "en" if fixture.endswith("_en") else "zh"
    assert payload["objection"] == "price" and payload["branch"] is None
    assert PRICE.opener[key] in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert any("price.comparable" in p for p in payloads) and any("price.higher" in p for p in payloads)
    assert "didn't understand" not in messages[0]["text"] and "没太看懂" not in messages[0]["text"]
    assert slot_events(events)["objection"] == "price"


@pytest.mark.parametrize("fixture, text, key", [("after_price_card_zh", "他又拒绝了怎么办", "zh"),
                                                ("after_price_card_en", "what if he says no again", "en")])
def test_what_if_he_says_no_again_walks_the_lines_of_the_case_in_play(fixture, text, key):
    _, branch = PLAYBOOK.branch("price.higher.margin")
    tracker = _tracker(fixture, text, "ask_next", bot=[_strategy("price.higher.margin")])
    first = _custom(run_action(ActionNextLine(), tracker)[0], "next_line")
    assert first["branch"] == "price.higher.margin" and first["line"] == branch.lines[0][key]
    again = _tracker(fixture, text, "ask_next", bot=[_strategy("price.higher.margin"), first])
    messages, _ = run_action(ActionNextLine(), again)
    second = _custom(messages, "next_line")
    assert second["index"] == 1 and second["line"] == branch.lines[1][key]
    assert branch.lines[1][key] in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert any("price.comparable" in p for p in payloads), "the other cases stay a tap away"


def test_what_do_i_say_without_a_card_asks_for_the_objection():
    messages, _ = run_action(ActionNextLine(), _tracker("new_rep", "怎么回他", "ask_next"))
    assert _custom(messages, "objection_menu")["reason"] == "no_objection_yet"


def test_nlu_fallback_read_as_ask_next_stays_in_context():
    tracker = _tracker("after_price_card_zh", "那咋整", "nlu_fallback", 0.5,
                       [("nlu_fallback", 0.5), ("ask_next", 0.45), ("help", 0.3)])
    assert _custom(run_action(ActionDidYouMean(), tracker)[0], "next_line")["objection"] == "price"


# Descriptions of the customer's reason, as the NLU reads them today (objection_price, or
# nlu_fallback, or choose_branch), each routed to the case of the current objection it describes.
CASES = [
    ("after_price_card_zh", "他说跟隔壁的XX比的", "nlu_fallback", "price.comparable"),
    ("after_price_card_zh", "他是怕利润低", "objection_price", "price.higher.margin"),
    ("after_price_card_zh", "他怕顾客不接受这个价", "nlu_fallback", "price.higher.sell_through"),
    ("after_price_card_zh", "他怕顾客不接受这个价", "choose_branch", "price.higher.sell_through"),
    ("after_price_card_en", "he's comparing with the shop next door", "nlu_fallback", "price.comparable"),
    ("after_price_card_en", "he's comparing with the shop next door", "another_objection",
     "price.comparable"),
    ("after_price_card_en", "he's worried about his margin", "objection_price", "price.higher.margin"),
    ("after_price_card_en", "he fears shoppers won't accept the price", "objection_price",
     "price.higher.sell_through"),
]
_ACTIONS = {"nlu_fallback": ActionDidYouMean, "objection_price": ActionObjectionCard,
            "choose_branch": ActionBranchStrategy, "another_objection": ActionListObjections}


@pytest.mark.parametrize("fixture, text, intent, path", CASES)
def test_a_described_reason_gets_that_case_of_the_current_objection(fixture, text, intent, path):
    ranking = [(intent, 0.5 if intent == "nlu_fallback" else 0.95), ("objection_price", 0.2)]
    tracker = _tracker(fixture, text, intent, ranking[0][1], ranking)
    messages, events = run_action(_ACTIONS[intent](), tracker)
    payload = _custom(messages, "strategy")
    assert payload["branch"] == path
    _, branch = PLAYBOOK.branch(path)
    assert branch.strategy["en" if fixture.endswith("_en") else "zh"] in messages[0]["text"]
    assert slot_events(events)["objection"] == "price"


def test_an_unclear_new_objection_after_a_card_is_did_you_mean_not_a_case_of_the_old_one():
    ranking = [("nlu_fallback", 0.5), ("objection_no_money", 0.45), ("objection_price", 0.3)]
    tracker = _tracker("after_price_card_zh", "他说手头没钱，利润也不够", "nlu_fallback", 0.5, ranking)
    options = _custom(run_action(ActionDidYouMean(), tracker)[0], "did_you_mean")["options"]
    assert [o["intent"] for o in options] == ["objection_no_money", "objection_price"]


@pytest.mark.parametrize("text", ["换一个", "another objection", "show me a different objection",
                                  "let's try another", "/another_objection"])
def test_another_objection_still_lists_them_after_a_card(text):
    tracker = _tracker("after_price_card_zh", text, "another_objection")
    messages, _ = run_action(ActionListObjections(), tracker)
    assert _custom(messages, "objection_menu")["reason"] == "help_intro"


def test_a_description_that_matches_no_case_shows_the_case_buttons():
    tracker = _tracker("after_price_card_zh", "嗯嗯好的", "choose_branch")
    messages, _ = run_action(ActionBranchStrategy(), tracker)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert any("price.comparable" in p for p in payloads) and any("price.higher" in p for p in payloads)


@pytest.mark.parametrize("fixture, text", [("after_price_card_zh", "老板说你们价格太高了"),
                                           ("after_price_card_en", "customer says our price is too high")])
def test_the_same_objection_said_again_gets_its_card_not_a_guessed_case(fixture, text):
    messages, _ = run_action(ActionObjectionCard(), _tracker(fixture, text, "objection_price"))
    assert _custom(messages, "objection_card")["objection"] == "price"


def test_a_described_reason_without_a_card_is_not_matched_to_a_case():
    tracker = _tracker("new_rep", "他是怕利润低", "objection_price")
    assert _custom(run_action(ActionObjectionCard(), tracker)[0], "objection_card")["objection"] == "price"


# --- 4. "more": the case in play only, compact ------------------------------------------------------

@pytest.mark.parametrize("fixture, bot, path", [
    ("after_price_card_zh", [_strategy("price.higher.margin")], "price.higher.margin"),
    ("after_price_card_en", [], "price.comparable"),  # no case picked yet: the first
])
def test_more_shows_only_the_case_in_play_compact(fixture, bot, path):
    messages, _ = run_action(ActionMoreDetail(), _tracker(fixture, "more", "more_detail", bot=bot))
    detail = _custom(messages, "objection_detail")
    assert detail["compact"] is True and detail["focus"]["id"] == path
    assert len(detail["focus"]["lines"]) <= 2
    every = {"price.comparable", "price.higher", "price.higher.sell_through", "price.higher.margin"}
    assert {c["id"] for c in detail["others"]} == every - {path}
    text = messages[0]["text"]
    _, branch = PLAYBOOK.branch(path)
    key = "en" if fixture.endswith("_en") else "zh"
    assert branch.strategy[key] in text and branch.lines[0][key] in text
    assert branch.lines[2][key] not in text, "one or two lines, not all"
    for other in ("price.comparable", "price.higher.margin"):
        if other != path:
            assert PLAYBOOK.branch(other)[1].strategy[key] not in text, "not every case of the objection"
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert sum("/choose_branch" in p for p in payloads) == 3, "the other cases as buttons"
    # one phone screen (375x667): about 14 short lines of Chinese, or their English
    assert text.count("\n") <= 8 and len(text) <= (420 if key == "zh" else 900)
