"""The page's state check (GET /webhooks/coach/state) and the page language, without a server."""
from __future__ import annotations

import asyncio

import pytest

from actions.base import language
from coach.content.library import default_library
from coach.drill import engine
from coach.errors import InboundError
from coach.i18n import EN, HANS, HANT, localize
from coach.server.channels.state import drill_state, rep_state
from coach.server.channels.web import page_metadata
from tests.conftest import make_tracker

DRILL = "price_margin"


def _session(lang=HANS):
    drill = default_library().get(DRILL)
    session, opening = engine.start(drill, lang, seed=5)
    return drill, session, opening


def test_no_drill_malformed_slot_or_ended_drill_reads_as_none():
    drill, session, _ = _session()
    assert drill_state(None, default_library(), EN) is None
    assert drill_state({"v": 1, "drill": DRILL}, default_library(), EN) is None
    assert drill_state(engine.stop(session).to_slot(), default_library(), EN) is None


def test_a_running_drill_is_shown_in_the_page_language_with_the_customers_last_line():
    drill, session, opening = _session(HANS)
    state = drill_state(session.to_slot(), default_library(), EN)
    assert state is not None
    assert state["drill_id"] == DRILL and state["turn"] == 0
    assert state["title"] == localize(drill.title, EN) and state["lang"] == EN
    assert state["persona"]["name"] == localize(drill.persona_name, EN)
    assert state["persona"]["speaks_as"] == localize(drill.persona_name, HANS)
    assert state["last_customer_line"] == opening and state["customer_lang"] == HANS


def test_after_a_turn_the_state_has_the_new_turn_and_the_latest_line():
    drill, session, opening = _session(HANS)
    result = engine.step(drill, session, "理解您，您是跟哪家比的？", ["acknowledge", "probe"])
    state = drill_state(result.session.to_slot(), default_library(), "xx")
    assert state is not None and state["turn"] == 1
    assert state["lang"] == HANS  # an unknown page language: the drill's own
    said = [line.text for line in result.session.transcript if line.speaker == "customer"]
    assert state["last_customer_line"] == said[-1] and len(said) == 2


class _NoDrills:
    def get(self, drill_id):
        return None


def test_a_drill_whose_file_is_gone_reads_as_none():
    _, session, _ = _session()
    assert drill_state(session.to_slot(), _NoDrills(), EN) is None


class _Tracker:
    def __init__(self, slots):
        self.slots = slots

    def get_slot(self, name):
        return self.slots.get(name)


class _Store:
    def __init__(self, tracker=None, fails=False):
        self.tracker, self.fails, self.asked = tracker, fails, []

    async def retrieve(self, sender):
        self.asked.append(sender)
        if self.fails:
            raise OSError("database is locked")
        return self.tracker


class _Agent:
    def __init__(self, store):
        self.tracker_store = store


def test_rep_state_reads_the_reps_own_tracker():
    _, session, _ = _session(HANT)
    store = _Store(_Tracker({"drill": session.to_slot()}))
    state = asyncio.run(rep_state(_Agent(store), "rep-7", HANT))
    assert store.asked == ["rep-7"]
    assert state["drill"]["drill_id"] == DRILL and state["drill"]["customer_lang"] == HANT
    assert asyncio.run(rep_state(_Agent(_Store(None)), "new-rep", EN)) == {"drill": None}


@pytest.mark.parametrize("agent", [None, _Agent(None), _Agent(_Store(fails=True))])
def test_rep_state_without_an_agent_or_store_is_a_503_with_a_message(agent):
    with pytest.raises(InboundError) as caught:
        asyncio.run(rep_state(agent, "rep-7", EN))
    assert caught.value.status == 503 and "moment" in caught.value.message


@pytest.mark.parametrize("body, metadata", [({"lang": "en"}, {"lang": "en"}),
                                            ({"lang": "zh-Hant"}, {"lang": HANT}), ({"lang": "fr"}, None),
                                            ({"lang": ["en"]}, None), ({}, None)])
def test_the_page_language_becomes_message_metadata(body, metadata):
    assert page_metadata(body) == metadata


def _first(text, metadata=None, previous=None):
    tracker = make_tracker("new_rep", text, "start_drill", slots={"language": previous})
    if metadata is not None:
        tracker.events[-1]["metadata"] = metadata
    return language(tracker)


def test_a_first_button_is_answered_in_the_page_language():
    lang, events = _first('/start_drill{"drill_id": "price_margin"}', {"lang": EN})
    assert lang == EN and events and events[0]["value"] == EN


def test_the_page_language_does_not_override_words_or_an_earlier_language():
    assert _first("练习价格异议", {"lang": EN})[0] == HANS  # the rep's own words win
    assert _first('/start_drill{"drill_id": "price_margin"}', {"lang": EN}, previous=HANT)[0] == HANT
    assert _first('/start_drill{"drill_id": "price_margin"}')[0] == HANS  # REST, no metadata: as before
    assert _first('/start_drill{"drill_id": "price_margin"}', {"lang": "klingon"})[0] == HANS
