"""Drill actions against JSON tracker fixtures (no Rasa server): start, turns, stop, end, progress."""
from __future__ import annotations

import json
import shutil

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.drills import (
    ActionDrillEnd,
    ActionListDrills,
    ActionProgress,
    ActionStartDrill,
    ActionStopDrill,
    ValidateDrillForm,
)
from coach import cache
from coach.content.library import default_library
from coach.drill import engine as drill_engine
from coach.i18n import EN, HANS
from coach.results.store import ResultsStore
from coach.settings import PROJECT_ROOT
from tests.conftest import make_tracker, run_action, slot_events


def _payloads(messages, kind):
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind]


def _session(drill_id="price_margin", lang=HANS, seed=11):
    session, _ = drill_engine.start(default_library().get(drill_id), lang, seed=seed)
    return session.to_slot()


def _reply(session, text, moves, lang_text=None, intent="objection_price", sender="rep-a", entities=None):
    tracker = make_tracker("new_rep", lang_text or text, intent, slots={"drill": session}, moves=moves,
                           sender_id=sender, entities=entities)
    dispatcher = CollectingDispatcher()
    slots = ValidateDrillForm().validate_drill_reply(text, dispatcher, tracker, {})
    return dispatcher.messages, slots


def test_list_drills_shows_every_drill_with_a_button():
    messages, _ = run_action(ActionListDrills(), make_tracker("new_rep", "有哪些练习", "list_drills"))
    menu = _payloads(messages, "drill_menu")[0]
    assert len(menu["drills"]) == len(default_library().all()) >= 9
    assert {b["payload"] for b in messages[0]["buttons"]} == {d["payload"] for d in menu["drills"]}


@pytest.mark.parametrize("text, drill_id", [("练习价格异议", "price_margin"),
                                            ("practice the exclusivity objection", "exclusivity_volume")])
def test_start_by_naming_the_objection_shows_rubric_then_customer(text, drill_id):
    messages, events = run_action(ActionStartDrill(), make_tracker("new_rep", text, "start_drill"))
    intro, line = _payloads(messages, "drill_intro")[0], _payloads(messages, "customer_line")[0]
    assert intro["drill_id"] == drill_id and sum(r["weight"] for r in intro["rubric"]["required"]) == 100
    assert line["state"] == "opening" and line["text"] in messages[1]["text"]
    session = slot_events(events)["drill"]
    assert session["drill"] == drill_id and session["turn"] == 0


def test_start_by_button_and_forged_ids():
    tracker = make_tracker("new_rep", '/start_drill{"drill_id": "policy_needs"}', "start_drill",
                           [{"entity": "drill_id", "value": "policy_needs"}])
    _, events = run_action(ActionStartDrill(), tracker)
    assert slot_events(events)["drill"]["drill"] == "policy_needs"
    tracker = make_tracker("new_rep", "/start_drill", "start_drill",
                           [{"entity": "drill_id", "value": "../../etc/passwd"}])
    messages, events = run_action(ActionStartDrill(), tracker)
    assert slot_events(events)["drill"] is None and _payloads(messages, "drill_menu")[0]["drills"]


def test_any_drill_starts_one():
    _, events = run_action(ActionStartDrill(), make_tracker("new_rep", "随便来一个", "start_drill"))
    assert slot_events(events)["drill"]["drill"] in {d.id for d in default_library().all()}


def test_a_reply_gets_feedback_then_the_customer_answers():
    session = _session()
    messages, slots = _reply(session, "理解，您是跟哪家哪个规格比的？", ["acknowledge", "compare"])
    feedback = _payloads(messages, "drill_feedback")[0]
    assert [m["name"] for m in feedback["moves"]] == ["acknowledge", "compare"]
    assert feedback["quote"] == "理解，您是跟哪家哪个规格比的？" and feedback["next"]["move"] == "probe"
    assert _payloads(messages, "customer_line")[0]["turn"] == 1
    assert slots["drill_reply"] is None and slots["drill"]["turn"] == 1  # the form asks again


def test_exam_mode_gives_no_feedback():
    session = _session("past_failure_diagnose")
    messages, _ = _reply(session, "理解您", ["acknowledge"])
    assert not _payloads(messages, "drill_feedback") and _payloads(messages, "customer_line")


def test_traditional_reply_is_quoted_as_typed():
    session = _session()
    tracker = make_tracker("new_rep", "理解,您跟哪家比的?", "objection_price",
                           text_original="理解，您跟哪家比的？", slots={"drill": session},
                           moves=["acknowledge"])
    dispatcher = CollectingDispatcher()
    ValidateDrillForm().validate_drill_reply("x", dispatcher, tracker, {})
    assert _payloads(dispatcher.messages, "drill_feedback")[0]["quote"] == "理解，您跟哪家比的？"


def test_a_button_during_a_drill_is_not_a_turn():
    session = _session()
    messages, slots = _reply(session, "/my_progress", [], intent="my_progress")
    assert slots["drill_reply"] is None and "drill" not in slots and session["turn"] == 0
    assert "退出" in messages[0]["text"]


def test_ending_turn_fills_the_slot_so_the_form_completes(results_db):
    session = _session()
    _, slots = _reply(session, "算了，不打扰了", ["give_up"])
    assert slots["drill_reply"] and slots["drill"]["ended"] == "walked_away"


def test_drill_end_scores_stores_once_and_suggests(results_db):
    session = _session()
    for text, moves in [("理解，您跟哪家比的？", ["acknowledge", "compare"]), ("您主要担心什么？", ["probe"]),
                        ("咱们算一笔总利润的账", ["margin_math"]),
                        ("先进两件试试，我下周带方案来", ["next_step"])]:
        _, slots = _reply(session, text, moves)
        session = slots["drill"]
    assert session["ended"] == "goal"
    tracker = make_tracker("new_rep", "x", "objection_price", slots={"drill": session}, sender_id="rep-a")
    messages, events = run_action(ActionDrillEnd(), tracker)
    card = _payloads(messages, "scorecard")[0]
    assert card["score"] == 100 and card["passed"] and card["truth_uncovered"] and card["outcome"] == "goal"
    assert card["next_drill"] and card["next_drill"]["drill_id"] != "price_margin"
    assert slot_events(events)["drill"] is None
    run_action(ActionDrillEnd(), tracker)  # a retried action stores nothing new
    store = ResultsStore(results_db)
    [result] = store.results("rep-a")
    assert result.score == 100 and result.moves[0] == ["acknowledge", "compare"]
    assert result.transcript[0]["speaker"] == "customer"


def test_stop_gives_a_scorecard_and_closes_the_form(results_db):
    session = _session()
    _, slots = _reply(session, "我给您便宜点", ["concession"])
    tracker = make_tracker("new_rep", "退出", "stop_drill", slots={"drill": slots["drill"]},
                           sender_id="rep-b")
    messages, events = run_action(ActionStopDrill(), tracker)
    card = _payloads(messages, "scorecard")[0]
    assert card["outcome"] == "stopped" and card["score"] == 0 and not card["passed"]
    assert any(g["kind"] == "forbidden" and g["turn"] == 1 for g in card["gaps"])
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)


def test_stop_without_a_drill_says_so(results_db):
    messages, _ = run_action(ActionStopDrill(), make_tracker("new_rep", "stop", "stop_drill"))
    assert messages[0]["text"].startswith("No drill is running") and ResultsStore(results_db).count() == 0


def test_progress_shows_own_figures_and_the_weakest_objection(results_db):
    # 0 (gave up at once), then 45 (acknowledge 10 + probe 15 + the truth uncovered 20)
    for score_moves in ([["give_up"]], [["acknowledge"], ["probe"]]):
        session = _session()
        for moves in score_moves:
            # a distinct reply per turn: a repeated reply earns nothing (coach/drill/credit.py)
            _, slots = _reply(session, " ".join(moves), moves, sender="rep-p")
            session = slots["drill"]
        run_action(ActionStopDrill(), make_tracker("new_rep", "stop", "stop_drill", slots={"drill": session},
                                                   sender_id="rep-p"))
    messages, _ = run_action(ActionProgress(),
                             make_tracker("new_rep", "my progress", "my_progress", sender_id="rep-p"))
    progress = _payloads(messages, "progress")[0]
    assert progress["rows"] == [{"objection": "objection_price", "label": "Price too high", "attempts": 2,
                                 "first": 0, "best": 45, "latest": 45, "passed": 0}]
    assert progress["next_drill"]["drill_id"] != "price_margin"  # never-tried objections come first
    messages, _ = run_action(ActionProgress(),
                             make_tracker("new_rep", "my progress", "my_progress", sender_id="rep-q"))
    assert _payloads(messages, "progress")[0]["rows"] == []  # one rep never sees another's results


def test_drill_removed_mid_session_ends_cleanly(tmp_path, monkeypatch):
    folder = tmp_path / "drills"
    shutil.copytree(PROJECT_ROOT / "data" / "drills", folder)
    monkeypatch.setenv("COACH_DRILLS_DIR", str(folder))
    cache.reset_all()
    try:
        session = drill_engine.start(default_library().get("price_margin"), EN, seed=1)[0].to_slot()
        (folder / "price_margin.yml").unlink()
        default_library().refresh(force=True)
        messages, slots = _reply(session, "I understand", ["acknowledge"])
        assert "removed or broken" in messages[0]["text"] and slots["drill"]["ended"] == "stopped"
        assert messages[0]["custom"]["type"] == "drill_end"  # the page leaves drill mode on it
    finally:
        cache.reset_all()


def test_required_slots_follow_the_session():
    import asyncio

    form = ValidateDrillForm()
    running = make_tracker("new_rep", "x", slots={"drill": _session()})
    idle = make_tracker("new_rep", "x")
    assert asyncio.run(form.required_slots(["drill_reply"], CollectingDispatcher(), running, {})) \
        == ["drill_reply"]
    assert asyncio.run(form.required_slots(["drill_reply"], CollectingDispatcher(), idle, {})) == []
    assert json.loads(json.dumps(_session()))  # the slot value survives the tracker store's JSON


def test_starting_a_drill_mid_drill_scores_the_running_one_first(results_db):
    session = _session()
    _, slots = _reply(session, "理解您", ["acknowledge"], sender="rep-m")
    tracker = make_tracker("new_rep", '/start_drill{"drill_id": "policy_needs"}', "start_drill",
                           [{"entity": "drill_id", "value": "policy_needs"}], slots={"drill": slots["drill"]},
                           sender_id="rep-m")
    messages, events = run_action(ActionStartDrill(), tracker)
    kinds = [(m.get("custom") or {}).get("type") for m in messages]
    assert kinds == ["scorecard", "drill_intro", "customer_line"]
    assert _payloads(messages, "scorecard")[0]["outcome"] == "stopped"
    assert slot_events(events)["drill"]["drill"] == "policy_needs"
    assert [r.drill_id for r in ResultsStore(results_db).results("rep-m")] == ["price_margin"]


def test_a_button_during_a_drill_is_not_a_turn_even_for_progress(results_db):
    session = _session()
    messages, slots = _reply(session, '/choose_branch{"branch": "price.higher"}', [], intent="choose_branch")
    assert slots["drill_reply"] is None and session["turn"] == 0 and ResultsStore(results_db).count() == 0


def test_the_reset_to_none_after_a_start_is_not_a_turn():
    # rasa_sdk validates every slot set since the last user message; action_start_drill resets drill_reply.
    session = _session()
    tracker = make_tracker("new_rep", "练习价格异议", "start_drill", slots={"drill": session})
    assert ValidateDrillForm().validate_drill_reply(None, CollectingDispatcher(), tracker, {}) == {}
    assert session["turn"] == 0


def test_a_broken_results_file_still_gives_the_scorecard(tmp_path, monkeypatch):
    broken = tmp_path / "results.db"
    broken.write_text("not a database", encoding="utf-8")
    monkeypatch.setenv("COACH_RESULTS_DB", str(broken))
    session = _session()
    _, slots = _reply(session, "理解您", ["acknowledge"], sender="rep-broken")
    tracker = make_tracker("new_rep", "stop", "stop_drill", slots={"drill": slots["drill"]},
                           sender_id="rep-broken")
    messages, _ = run_action(ActionStopDrill(), tracker)
    card = _payloads(messages, "scorecard")[0]
    assert card["saved"] is False and card["score"] == 10
    assert "could not be saved" in messages[0]["text"]
    assert broken.read_text(encoding="utf-8") == "not a database"  # never overwritten
