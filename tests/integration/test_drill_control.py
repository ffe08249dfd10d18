"""Drill control over REST with the real NLU and servers: in a drill everything is a reply, except a
stop (asked once) and another drill (asked once); a no-reply attempt is not stored; a rep who switches
language mid-drill gets the customer, the feedback and the scorecard in the new language."""
from __future__ import annotations

import pytest

from coach.results.store import ResultsStore
from tests.conftest import payload, post

# Sales lines that sound like "start" or "stop": the NLU may read them so, the drill must not.
SALES_LINES = {
    "zh": ("练习价格异议", ["那我们开始吧，先进两件试一个月？", "您随便先来几盒试试，卖不动我来想办法",
                           "您先别急着退出，听我说完。", "先别结束，咱们开始算一笔利润账吧。"]),
    "en": ("practice the exclusivity objection", [
        "Let's run a promotion in your store next month.",
        "Shall we start with two cases as a trial, and see how they sell?",
        "Please don't quit on us yet, hear me out.",
        "Let's start small and stop worrying about exclusivity for now."]),
}


def _kinds(messages: list) -> list:
    return [(m.get("custom") or {}).get("type") for m in messages if m.get("custom")]


def _turn(messages: list) -> int:
    return payload(messages, "customer_line")["turn"]


def _stored(servers, sender: str) -> list:
    return ResultsStore(servers.results_db).results(sender)


@pytest.mark.parametrize("lang", sorted(SALES_LINES))
def test_sales_lines_that_sound_like_commands_are_replies(servers, lang):
    sender = f"control-lines-{lang}"
    start, lines = SALES_LINES[lang]
    post(servers.port, sender, start)
    for turn, line in enumerate(lines, 1):
        answer = post(servers.port, sender, line)
        assert _turn(answer) == turn, (line, answer)
        assert not {"drill_confirm", "scorecard", "drill_intro"} & set(_kinds(answer)), (line, answer)
    post(servers.port, sender, "/stop_drill")
    post(servers.port, sender, "/stop_drill")


@pytest.mark.parametrize("stop", ["退出", "stop", "結束練習！"])
def test_a_stop_word_alone_asks_once_go_on_resumes_and_the_confirmed_stop_scores(servers, stop):
    sender = f"control-stop-{stop}"
    post(servers.port, sender, "练习价格异议")
    first = post(servers.port, sender, "理解，您是跟哪家、哪个规格比的？")
    asked = post(servers.port, sender, stop)
    confirm = payload(asked, "drill_confirm")
    assert confirm["ask"] == "stop" and confirm["turn"] == 1 and "scorecard" not in _kinds(asked)
    end_and_score, go_on = (b["payload"] for b in asked[0]["buttons"])
    assert end_and_score == '/stop_drill{"drill_id": "price_margin"}' and go_on == "/continue_drill"
    resumed = post(servers.port, sender, go_on)
    assert _turn(resumed) == 1  # the same turn, the same line
    assert payload(resumed, "customer_line")["text"] == payload(first, "customer_line")["text"]
    assert _turn(post(servers.port, sender, "您主要担心的是什么？")) == 2  # the drill goes on
    assert "drill_confirm" in _kinds(post(servers.port, sender, stop))  # asked again: "go on" dropped it
    card = payload(post(servers.port, sender, end_and_score), "scorecard")
    assert card["outcome"] == "stopped" and card["turns"] == 2
    assert [r.result_id for r in _stored(servers, sender)] == [card["result_id"]]
    card = payload(post(servers.port, sender, "老板说你们价格太高了"), "objection_card")
    assert card["objection"] == "price"  # the drill is over: coaching as usual


def test_another_drill_mid_drill_asks_then_its_button_replaces_the_running_one(servers):
    sender = "control-another"
    post(servers.port, sender, "练习价格异议")
    post(servers.port, sender, "理解您的顾虑，您主要担心什么？")
    asked = post(servers.port, sender, "练习独家代理异议")
    confirm = payload(asked, "drill_confirm")
    assert confirm["ask"] == "start" and confirm["drill_id"] == "price_margin"
    end_and_start, go_on = (b["payload"] for b in asked[0]["buttons"])
    assert go_on == "/continue_drill" and _turn(post(servers.port, sender, go_on)) == 1
    assert "drill_confirm" in _kinds(post(servers.port, sender, "练习独家代理异议"))
    replaced = post(servers.port, sender, end_and_start)
    assert _kinds(replaced)[:2] == ["scorecard", "drill_intro"]
    assert payload(replaced, "drill_intro")["drill_id"] == confirm["next_drill_id"]
    assert [r.drill_id for r in _stored(servers, sender)] == ["price_margin"]
    post(servers.port, sender, "stop")
    post(servers.port, sender, "/stop_drill")


def test_an_attempt_without_a_reply_is_not_stored(servers):
    sender = "control-no-reply"
    post(servers.port, sender, "practice the price objection")
    confirm = payload(post(servers.port, sender, "stop"), "drill_confirm")
    assert confirm["scored"] is False
    end = payload(post(servers.port, sender, "stop"), "drill_end")  # the stop word again confirms it
    assert end["reason"] == "no_reply" and end["scored"] is False and end["lang"] == "en"
    assert _stored(servers, sender) == []
    assert payload(post(servers.port, sender, "my progress"), "progress")["rows"] == []


def test_switching_language_mid_drill_switches_customer_feedback_and_scorecard(servers):
    sender = "control-language"
    post(servers.port, sender, "练习价格异议")
    zh = post(servers.port, sender, "理解，进货价格谁都要算清楚。您是跟哪家比的？")
    assert payload(zh, "customer_line")["lang"] == payload(zh, "drill_feedback")["lang"] == "zh-Hans"
    en = post(servers.port, sender, "What worries you most: that customers won't buy it, or the margin?")
    line, feedback = payload(en, "customer_line"), payload(en, "drill_feedback")
    assert line["lang"] == feedback["lang"] == "en" and line["turn"] == 2 and line["text"].isascii()
    assert payload(post(servers.port, sender, "stop"), "drill_confirm")["lang"] == "en"
    card = payload(post(servers.port, sender, "/stop_drill"), "scorecard")
    assert card["lang"] == "en" and card["turns"] == 2
    hant = post(servers.port, sender, "練習價格異議")
    assert payload(hant, "customer_line")["lang"] == "zh-Hant"


def test_a_language_button_mid_drill_switches_the_drill_without_a_turn(servers):
    sender = "control-language-button"
    post(servers.port, sender, "练习价格异议")
    post(servers.port, sender, "理解您的顾虑")
    switched = post(servers.port, sender, '/switch_language{"language": "en"}')
    assert "language" in _kinds(switched) and _turn(switched) == 1
    answer = post(servers.port, sender, "您主要担心的是什么？")  # pinned: Chinese typed, English drill
    assert payload(answer, "customer_line")["lang"] == payload(answer, "drill_feedback")["lang"] == "en"
    assert payload(answer, "customer_line")["turn"] == 2
