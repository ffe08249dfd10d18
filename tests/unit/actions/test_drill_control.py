"""Drill control through the actions (tracker fixtures, no server): in a drill everything is a reply,
except a stop (asked once), another drill (asked once) and "go on"; a no-reply attempt is not stored."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.drills import ActionDrillEnd, ValidateDrillForm
from coach.content.library import default_library
from coach.drill import engine as drill_engine
from coach.i18n import EN, HANS, HANT
from coach.results.store import ResultsStore
from tests.conftest import make_tracker, run_action

# Sales lines the NLU may read as start_drill / stop_drill: in a drill they are said to the customer.
SALES_LINES = [
    ("那我们开始吧，先进两件试一个月？", "start_drill", HANS),
    ("您随便先来几盒试试，卖不动我来想办法", "start_drill", HANS),
    ("您先别急着退出，听我说完。", "stop_drill", HANS),
    ("先别急着结束，咱们再聊聊利润。", "stop_drill", HANS),
    ("您先別急著退出，聽我說完。", "stop_drill", HANT),
    ("Let's run a promotion in your store next month.", "start_drill", EN),
    ("Shall we start with two cases as a trial, and I'll come back next week?", "start_drill", EN),
    ("Please don't quit on us yet, hear me out.", "stop_drill", EN),
]
STOP_WORDS = ["退出", "结束练习。", "結束練習！", "stop", " Quit! ", "退出 "]


def _custom(messages: List[Dict[str, Any]], kind: str) -> List[Dict[str, Any]]:
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind]


class Rep:
    """One rep in a running drill: sends messages through ValidateDrillForm, keeps the slots."""

    def __init__(self, drill_id: str = "price_margin", lang: str = HANS, sender: str = "rep-ctl") -> None:
        session, _ = drill_engine.start(default_library().get(drill_id), lang, seed=5)
        self.slots: Dict[str, Any] = {"drill": session.to_slot(), "drill_pending": None, "language": lang}
        self.sender = sender

    def send(self, text: str, intent: str = "objection_price", moves: Optional[List[str]] = None,
             drill_id: Optional[str] = None, entities_language: Optional[str] = None) -> tuple:
        entities = [{"entity": "drill_id", "value": drill_id}] if drill_id else []
        entities += [{"entity": "language", "value": entities_language}] if entities_language else []
        tracker = make_tracker("in_drill", text, intent, entities, slots=dict(self.slots), moves=moves or [],
                               sender_id=self.sender)
        dispatcher = CollectingDispatcher()
        slots = ValidateDrillForm().validate_drill_reply(text, dispatcher, tracker, {})
        self.slots.update(slots)
        return dispatcher.messages, slots

    def end(self) -> List[Dict[str, Any]]:
        """The form completed: the rule runs action_drill_end."""
        tracker = make_tracker("new_rep", "/stop_drill", "stop_drill", slots=dict(self.slots),
                               sender_id=self.sender)
        messages, _ = run_action(ActionDrillEnd(), tracker)
        return messages

    @property
    def turn(self) -> int:
        return self.slots["drill"]["turn"]


@pytest.mark.parametrize("text, intent, lang", SALES_LINES)
def test_sales_lines_that_sound_like_commands_are_replies(text, intent, lang, results_db):
    rep = Rep(lang=lang)
    messages, slots = rep.send(text, intent)
    assert _custom(messages, "customer_line")[0]["turn"] == 1 and rep.turn == 1
    assert not _custom(messages, "drill_confirm") and not _custom(messages, "scorecard")
    assert slots["drill_reply"] is None and slots["drill_pending"] is None  # the form asks again
    assert _custom(rep.send("您主要担心什么？", moves=["probe"])[0], "customer_line")[0]["turn"] == 2


@pytest.mark.parametrize("word", STOP_WORDS)
def test_a_stop_word_alone_asks_once_then_ends_and_scores(word, results_db):
    rep = Rep(sender=f"rep-stop-{STOP_WORDS.index(word)}")
    rep.send("理解您，您是跟哪家比的？", moves=["acknowledge", "compare"])
    messages, slots = rep.send(word, "stop_drill")
    [ask] = _custom(messages, "drill_confirm")
    assert ask["ask"] == "stop" and ask["scored"] and slots["drill_reply"] is None and rep.turn == 1
    end_and_score = '/stop_drill{"drill_id": "price_margin"}'
    assert [b["payload"] for b in messages[0]["buttons"]] == [end_and_score, "/continue_drill"]
    assert ResultsStore(results_db).count() == 0
    messages, slots = rep.send(end_and_score, "stop_drill", drill_id="price_margin")
    assert messages == [] and slots["drill_reply"] == "-" and slots["drill"]["ended"] == "stopped"
    card = _custom(rep.end(), "scorecard")[0]
    assert card["outcome"] == "stopped" and card["turns"] == 1
    assert ResultsStore(results_db).count() == 1


def test_the_stop_button_asks_too_and_go_on_resumes_at_the_same_turn(results_db):
    rep = Rep(lang=EN)
    rep.send("I understand. Who are you comparing us with?", moves=["acknowledge", "compare"])
    line_before = rep.slots["drill"]["last_line"]
    assert _custom(rep.send("/stop_drill", "stop_drill")[0], "drill_confirm")
    messages, slots = rep.send("/continue_drill", "continue_drill")
    [line] = _custom(messages, "customer_line")
    assert line["turn"] == 1 and line["text"] == line_before and slots["drill_pending"] is None
    assert messages[0]["text"].startswith("OK, the drill goes on")
    assert _custom(rep.send("What worries you most?", moves=["probe"])[0], "customer_line")[0]["turn"] == 2
    # the question was dropped: a stop now asks again instead of ending the drill
    assert _custom(rep.send("stop", "stop_drill")[0], "drill_confirm")


def test_a_reply_after_the_question_is_a_turn_and_drops_it(results_db):
    rep = Rep()
    rep.send("退出", "stop_drill")
    messages, slots = rep.send("理解您的顾虑", moves=["acknowledge"])
    assert _custom(messages, "customer_line")[0]["turn"] == 1 and slots["drill_pending"] is None
    assert "drill_reply" in slots and slots["drill_reply"] is None


def test_another_drill_mid_drill_asks_first(results_db):
    rep = Rep(sender="rep-another")
    rep.send("理解您", moves=["acknowledge"])
    button = '/start_drill{"drill_id": "policy_needs"}'
    messages, slots = rep.send(button, "start_drill", drill_id="policy_needs")
    [ask] = _custom(messages, "drill_confirm")
    assert ask["ask"] == "start" and ask["next_drill_id"] == "policy_needs"
    assert rep.slots["drill"]["drill"] == "price_margin"
    assert [b["payload"] for b in messages[0]["buttons"]] == [button, "/continue_drill"]
    assert slots["drill_pending"] == "start:policy_needs" and ResultsStore(results_db).count() == 0
    messages, slots = rep.send(button, "start_drill", drill_id="policy_needs")  # "end this one and start"
    assert [m["custom"]["type"] for m in messages] == ["scorecard", "drill_intro", "customer_line"]
    assert slots["drill"]["drill"] == "policy_needs" and slots["drill_reply"] is None
    assert [r.drill_id for r in ResultsStore(results_db).results("rep-another")] == ["price_margin"]


@pytest.mark.parametrize("text", ["练习独家代理异议", "practice the exclusivity objection"])
def test_a_typed_request_for_a_drill_asks_and_go_on_keeps_the_drill(text, results_db):
    rep = Rep()
    [ask] = _custom(rep.send(text, "start_drill")[0], "drill_confirm")
    assert ask["next_drill_id"].startswith("exclusivity")
    rep.send("/continue_drill", "continue_drill")
    assert rep.slots["drill"]["drill"] == "price_margin" and rep.turn == 0
    assert rep.slots["drill_pending"] is None


def test_an_attempt_without_a_reply_is_not_stored(results_db):
    rep = Rep(sender="rep-noreply")
    messages, _ = rep.send("退出", "stop_drill")
    assert not _custom(messages, "drill_confirm")[0]["scored"] and "不计分" in messages[0]["text"]
    rep.send("退出", "stop_drill")  # said twice: confirmed
    [end] = _custom(rep.end(), "drill_end")
    assert end["reason"] == "no_reply" and end["scored"] is False
    assert ResultsStore(results_db).count() == 0


def test_switching_language_mid_drill_switches_customer_feedback_and_scorecard(results_db):
    rep = Rep(lang=HANS, sender="rep-lang")
    first = _custom(rep.send("理解您", moves=["acknowledge"])[0], "customer_line")[0]
    assert first["lang"] == HANS
    assert rep.slots["language"] == HANS  # remembered; the English text itself switches it
    messages, slots = rep.send("What worries you most about our price?", moves=["probe"])
    assert slots["language"] == EN
    assert _custom(messages, "drill_feedback")[0]["lang"] == EN
    line = _custom(messages, "customer_line")[0]
    assert line["lang"] == EN and line["text"].isascii()
    rep.send("stop", "stop_drill")
    rep.send("/stop_drill", "stop_drill")
    card = _custom(rep.end(), "scorecard")[0]
    assert card["lang"] == EN and card["turns"] == 2


def test_a_language_button_mid_drill_is_not_a_turn_and_pins_the_new_language(results_db):
    rep = Rep(lang=HANS)
    rep.send("理解您", moves=["acknowledge"])
    messages, slots = rep.send('/switch_language{"language": "en"}', "switch_language",
                               entities_language="en")
    assert slots["language"] == slots["language_pinned"] == EN and rep.turn == 1
    assert messages[0]["custom"]["type"] == "language"
    repeated = _custom(messages, "customer_line")[0]
    assert repeated["turn"] == 1
    assert repeated["lang"] == EN and repeated["text"].isascii()  # the last line again, in the new language
    messages, _ = rep.send("您主要担心什么？", moves=["probe"])  # pinned: Chinese text, English drill
    line, feedback = _custom(messages, "customer_line")[0], _custom(messages, "drill_feedback")[0]
    assert line["lang"] == feedback["lang"] == EN


def test_the_stop_button_twice_confirms_and_a_named_stop_needs_no_question(results_db):
    rep = Rep(sender="rep-twice")
    rep.send("理解您", moves=["acknowledge"])
    assert _custom(rep.send("/stop_drill", "stop_drill")[0], "drill_confirm")
    assert rep.send("/stop_drill", "stop_drill")[1]["drill"]["ended"] == "stopped"
    named = Rep(sender="rep-named")  # a page that asked the rep itself sends the confirm button's payload
    named.send("理解您", moves=["acknowledge"])
    _, slots = named.send('/stop_drill{"drill_id": "price_margin"}', "stop_drill", drill_id="price_margin")
    assert slots["drill"]["ended"] == "stopped" and slots["drill_reply"] == "-"
    other = Rep(sender="rep-other-id")  # naming another drill is no confirmation
    _, slots = other.send('/stop_drill{"drill_id": "policy_needs"}', "stop_drill", drill_id="policy_needs")
    assert slots["drill_pending"] == "stop" and "drill" not in slots
