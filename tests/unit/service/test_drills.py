"""DrillService without Rasa: a fixed drill library, a scratch results store, or one that fails."""
from __future__ import annotations

import random

from coach.drill.session import DrillSession
from coach.i18n import EN, HANS, ui
from coach.service.drills import MAX_QUOTED, DrillService, Outcome
from tests.unit.service.conftest import ALL, BrokenStore, FakeLibrary

GOOD_RUN = [("理解，您跟哪家比的？", ["acknowledge", "compare"]), ("您主要担心什么？", ["probe"]),
            ("咱们算一笔总利润的账", ["margin_math"]), ("先进两件试试，我下周带方案来", ["next_step"])]


class NoAssignments:
    def for_rep(self, rep_id, team):
        return []


def _service(library, store) -> DrillService:
    return DrillService(library=lambda: library, store=lambda: store, clock=lambda: 2000.0,
                        rng=random.Random(3), assignments=NoAssignments, team=lambda rep_id: "")


def _types(outcome: Outcome) -> list:
    return [(r.custom or {}).get("type") for r in outcome.replies]


def _started(service: DrillService, drill_id: str = "price_margin", lang: str = HANS) -> DrillSession:
    outcome = service.start("rep-1", lang, f'/start_drill{{"drill_id": "{drill_id}"}}', drill_id, None)
    assert outcome.session is not None
    return outcome.session


def test_list_offers_every_drill(library, store):
    [menu] = _service(library, store).list_drills(EN).replies
    assert [d["drill_id"] for d in menu.custom["drills"]] == [d.id for d in ALL]


def test_start_by_name_shows_the_rubric_then_the_opening(library, store):
    outcome = _service(library, store).start("rep-1", HANS, "练习价格异议", None, None)
    assert _types(outcome) == ["drill_intro", "customer_line"] and not outcome.kept
    session = outcome.session
    assert session.drill_id == "price_margin" and session.turn == 0 and session.running
    assert outcome.replies[1].custom["text"] == session.transcript[0].text


def test_unknown_or_forged_ids_start_nothing(library, store):
    service = _service(library, store)
    for text, drill_id in [("/start_drill", "../../etc/passwd"), ("/start_drill", None), ("/start_drill", 7)]:
        outcome = service.start("rep-1", EN, text, drill_id, None)
        assert outcome.session is None and not outcome.kept and _types(outcome) == ["drill_menu"]
        assert outcome.replies[0].text == ui("drill_unknown", EN)


def test_an_objection_without_a_drill_says_so(store):
    service = _service(FakeLibrary([d for d in ALL if d.objections[0] != "objection_price"]), store)
    outcome = service.start("rep-1", EN, "practice the price objection", None, None)
    assert outcome.session is None and outcome.replies[0].text.startswith("There's no drill for")


def test_a_reply_moves_the_customer_and_gives_feedback(library, store):
    service = _service(library, store)
    session = _started(service)
    outcome = service.reply(HANS, session, "  理解，您跟哪家比的？ ", ["acknowledge", "compare"])
    assert _types(outcome) == ["drill_feedback", "customer_line"]
    assert outcome.session is session and session.turn == 1 and not outcome.over and not outcome.kept
    assert outcome.text == "理解，您跟哪家比的？" and session.turns[0].moves == ["acknowledge", "compare"]
    assert outcome.replies[0].custom["next"]["move"] == "probe"


def test_a_long_reply_is_cut_and_exam_mode_gives_no_feedback(library, store):
    service = _service(library, store)
    session = _started(service, "past_failure_diagnose")
    outcome = service.reply(HANS, session, "理解" * MAX_QUOTED, [])
    assert _types(outcome) == ["customer_line"] and len(session.turns[0].rep) == MAX_QUOTED


def test_a_button_mid_drill_and_no_drill_at_all_are_not_turns(library, store):
    service = _service(library, store)
    session = _started(service)
    outcome = service.reply(HANS, session, "/my_progress", [])
    assert outcome.kept and not outcome.over and session.turn == 0
    assert outcome.replies[0].text == ui("drill_in_progress", HANS)
    nothing = service.reply(HANS, None, "hello", [])
    assert nothing.kept and nothing.over and nothing.replies == [] and nothing.text is None


def test_a_drill_removed_mid_session_ends(library, store):
    service = _service(library, store)
    session = _started(service)
    library.drills = [d for d in library.drills if d.id != "price_margin"]
    outcome = service.reply(EN, session, "I understand", ["acknowledge"])
    assert outcome.over and outcome.text is None and outcome.session.ended == "stopped"
    assert outcome.replies[0].custom == {"type": "drill_end", "lang": EN, "drill_id": "price_margin",
                                         "reason": "removed"}


def test_finish_scores_and_stores_exactly_once(library, store):
    service = _service(library, store)
    session = _started(service)
    feedback = []
    for text, moves in GOOD_RUN:
        last = service.reply(HANS, session, text, moves)
        feedback.append(last.replies[0].text)
    assert last.over and last.text == GOOD_RUN[-1][0] and session.ended == "goal"
    first, again = service.finish("rep-1", HANS, session), service.finish("rep-1", HANS, session)
    card = first.replies[0].custom
    assert card["type"] == "scorecard" and card["score"] == 100 and card["result_id"] == session.id
    assert "saved" not in card and again.replies[0].custom["result_id"] == session.id
    [result] = store.results("rep-1")
    assert result.result_id == session.id and result.finished_at == 2000.0 and result.outcome == "goal"
    # The slot's transcript, each rep line grown by its moves, penalties and the feedback the rep read.
    plain = [{k: line[k] for k in ("turn", "speaker", "text")} for line in result.transcript]
    assert plain == session.to_slot()["transcript"]
    rep_lines = [line for line in result.transcript if line["speaker"] == "rep"]
    assert [line["moves"] for line in rep_lines] == [moves for _, moves in GOOD_RUN]
    assert [line["feedback"] for line in rep_lines] == feedback
    assert all(line["penalties"] == [] for line in rep_lines)


def test_finish_needs_an_ended_drill(library, store):
    service = _service(library, store)
    assert service.finish("rep-1", HANS, _started(service)).replies == []
    assert service.finish("rep-1", HANS, None).replies == [] and store.count() == 0


def test_stop_scores_the_running_drill(library, store):
    service = _service(library, store)
    session = _started(service)
    service.reply(HANS, session, "我给您便宜点", ["concession"])
    outcome = service.stop("rep-2", HANS, session)
    card = outcome.replies[0].custom
    assert outcome.session is None and card["outcome"] == "stopped" and card["score"] == 0
    assert [r.drill_id for r in store.results("rep-2")] == ["price_margin"]
    again = service.stop("rep-2", EN, session)  # already stopped: nothing runs any more
    assert again.replies[0].text.startswith("No drill is running") and store.count() == 1


def test_a_store_that_fails_still_gives_the_scorecard(library):
    service = _service(library, BrokenStore())
    session = _started(service)
    service.reply(HANS, session, "理解您", ["acknowledge"])
    reply = service.stop("rep-3", EN, session).replies[0]
    assert reply.custom["saved"] is False and reply.custom["score"] == 10
    assert reply.text.endswith(ui("result_not_saved", EN))
    assert service.progress_rows("rep-3") == []


def test_a_new_drill_ends_the_running_one(library, store):
    service = _service(library, store)
    running = _started(service)
    service.reply(HANS, running, "理解您", ["acknowledge"])
    button = '/start_drill{"drill_id": "policy_needs"}'
    outcome = service.start("rep-1", HANS, button, "policy_needs", running)
    assert _types(outcome) == ["scorecard", "drill_intro", "customer_line"]
    assert outcome.replies[0].custom["outcome"] == "stopped" and running.ended == "stopped"
    assert outcome.session.drill_id == "policy_needs" and outcome.session.id != running.id
    assert [r.drill_id for r in store.results("rep-1")] == ["price_margin"]


def test_nothing_to_start_keeps_the_running_drill(library, store):
    service = _service(library, store)
    running = _started(service)
    outcome = service.start("rep-1", HANS, "/start_drill", "nope", running)
    assert outcome.kept and outcome.session is running and running.running
    assert _types(outcome) == ["drill_menu", None] and store.count() == 0


def test_progress_and_suggestion_follow_the_reps_results(library, store):
    service = _service(library, store)
    session = _started(service)
    service.reply(HANS, session, "算了", ["give_up"])
    service.finish("rep-4", EN, session)
    rows = service.progress_rows("rep-4")
    assert [(r.objection, r.attempts, r.best_score) for r in rows] == [("objection_price", 1, 0)]
    suggestion = service.suggest("rep-4", exclude="price_margin")
    assert suggestion is not None and suggestion.objections[0] != "objection_price"  # never tried first
    [progress] = service.progress("rep-4", EN).replies
    assert progress.custom["next_drill"]["drill_id"] == suggestion.id
    assert service.progress("rep-5", EN).replies[0].custom["rows"] == []
