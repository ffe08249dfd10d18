"""Drill control without Rasa: which messages are commands, and DrillService.turn's questions."""
from __future__ import annotations

import pytest

from coach.i18n import EN, HANS, HANT
from coach.service import control
from coach.service.control import RepMessage
from tests.unit.service.test_drills import _service, _started, _types


@pytest.mark.parametrize("text, intent, pending, expected", [
    ("退出", "stop_drill", None, control.STOP),
    ("  结束练习。", "goodbye", None, control.STOP),  # a bare stop word, whatever the NLU made of it
    ("結束練習！", "stop_drill", None, control.STOP),
    ("Stop!", "stop_drill", None, control.STOP),
    ("quit", "out_of_scope", None, control.STOP),
    ("/stop_drill", "stop_drill", None, control.STOP),
    ("是", "affirm", control.STOP, control.STOP),
    ("是", "affirm", None, control.REPLY),
    ("/continue_drill", "continue_drill", None, control.GO_ON),
    ('/switch_language{"language": "en"}', "switch_language", None, control.LANGUAGE),
    ("说英文", "switch_language", None, control.REPLY),  # typed: said to the customer
    ("继续", "continue_drill", control.STOP, control.GO_ON),
    ("继续", "continue_drill", None, control.REPLY),  # no question asked: said to the customer
    ('/start_drill{"drill_id": "policy_needs"}', "start_drill", None, control.START),
    ("练习独家代理异议", "start_drill", None, control.START),
    ("練習價格異議", "start_drill", None, control.START),
    ("practice the exclusivity objection", "start_drill", None, control.START),
    ("练习独家代理异议", "objection_exclusivity", None, control.START),  # opens with "练习"
    ("咱们的练习册您看过吗？", "objection_exclusivity", None, control.REPLY),
    ("那我们开始吧，先进两件试一个月？", "start_drill", None, control.REPLY),
    ("您随便先来几盒试试，卖不动我来想办法", "start_drill", None, control.REPLY),
    ("您先别急着退出，听我说完。", "stop_drill", None, control.REPLY),
    ("Let's run a promotion in your store next month.", "start_drill", None, control.REPLY),
    ("Shall we start with two cases as a trial?", "start_drill", None, control.REPLY),
    ("Don't quit on us yet, hear me out.", "stop_drill", control.STOP, control.REPLY),
])
def test_only_payloads_bare_stop_words_and_clear_requests_are_commands(text, intent, pending, expected):
    assert control.command(RepMessage(text, intent=intent), pending) == expected


def test_stop_asks_once_then_stops_and_the_end_scores(library, store):
    service = _service(library, store)
    session = _started(service)
    service.reply(HANS, session, "理解您", ["acknowledge"])
    asked = service.turn("rep-1", HANS, session, RepMessage("退出", intent="stop_drill"))
    assert _types(asked) == ["drill_confirm"] and asked.pending == control.STOP and asked.kept
    assert session.running and not asked.over
    stopped = service.turn("rep-1", HANS, session, RepMessage("/stop_drill"), asked.pending)
    assert stopped.over and stopped.replies == [] and session.ended == "stopped" and stopped.pending is None
    assert service.finish("rep-1", HANS, session).replies[0].custom["type"] == "scorecard"
    assert store.count() == 1


def test_a_drill_without_a_reply_is_not_stored_however_it_ends(library, store):
    service = _service(library, store)
    session = _started(service)
    service.turn("rep-1", EN, session, RepMessage("stop"), control.STOP)
    [reply] = service.finish("rep-1", EN, session).replies
    assert reply.custom == {"type": "drill_end", "lang": EN, "drill_id": "price_margin", "reason": "no_reply",
                            "scored": False}
    assert "not scored" in reply.text
    assert _types(service.stop("rep-1", EN, _started(service))) == ["drill_end"]
    replaced = service.start("rep-1", EN, "/start_drill", "policy_needs", _started(service))
    assert _types(replaced) == ["drill_end", "drill_intro", "customer_line"]
    assert store.count() == 0 and service.progress_rows("rep-1") == []


def test_another_drill_asks_and_its_button_confirms(library, store):
    service = _service(library, store)
    session = _started(service)
    service.reply(HANS, session, "理解您", ["acknowledge"])
    button = RepMessage('/start_drill{"drill_id": "policy_needs"}', intent="start_drill",
                        drill_id="policy_needs")
    asked = service.turn("rep-1", HANS, session, button)
    assert _types(asked) == ["drill_confirm"] and asked.pending == "start:policy_needs"
    other = service.turn("rep-1", HANS, session, RepMessage("/start_drill", drill_id="past_failure_diagnose"),
                         asked.pending)
    assert other.pending == "start:past_failure_diagnose"  # another drill: asked again, for that one
    started = service.turn("rep-1", HANS, session, button, "start:policy_needs")
    assert _types(started) == ["scorecard", "drill_intro", "customer_line"] and started.pending is None
    assert started.session.drill_id == "policy_needs" and session.ended == "stopped"
    unknown = service.turn("rep-1", HANS, started.session, RepMessage("/start_drill", drill_id="../x"))
    assert unknown.kept and _types(unknown) == ["drill_menu", None] and started.session.running


def test_go_on_repeats_the_last_line_at_the_same_turn(library, store):
    service = _service(library, store)
    session = _started(service)
    service.reply(HANS, session, "理解您", ["acknowledge"])
    outcome = service.turn("rep-1", HANS, session, RepMessage("/continue_drill"), control.STOP)
    assert _types(outcome) == [None, "customer_line"] and outcome.pending is None
    assert outcome.replies[1].custom["text"] == session.last_line and session.turn == 1


def test_the_customer_follows_the_reps_language_turn_by_turn(library, store):
    service = _service(library, store)
    session = _started(service, lang=HANS)
    outcome = service.turn("rep-1", EN, session, RepMessage("I see. Who are you comparing us with?",
                                                            ["acknowledge", "compare"]))
    assert session.lang == EN and [r.custom["lang"] for r in outcome.replies] == [EN, EN]
    service.turn("rep-1", HANT, session, RepMessage("您主要擔心什麼？", ["probe"]))
    assert session.lang == HANT and session.transcript[-1].text == session.last_line
