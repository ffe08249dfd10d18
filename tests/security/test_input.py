"""Findings 3, 4 and 7: Rasa's built-in commands, deeply nested JSON, invisible sender ids.

A "/command" is taken only if it names one of the domain's own intents (never /restart, /back,
/session_start...), with a flat object of short texts; REST metadata is dropped. Each refusal is
a 400 with a clear message and one log line with the sender and the reason.
"""
from __future__ import annotations

import json
import logging

import pytest
from rasa.shared.core.constants import DEFAULT_INTENTS
from sanic import Sanic

from coach.errors import InboundError
from coach.replies.drills import GO_ON_PAYLOAD
from coach.server.channels.inbound import MAX_ENTITY, check_command, check_sender, command_intents
from tests.asgi import asgi
from tests.security.conftest import JSON

DEEP = "[" * 600 + "]" * 600


def _rest(app: Sanic, body: dict) -> tuple:
    answer = asgi(app, "POST", "/webhooks/rest/webhook", json.dumps(body).encode(), JSON)
    return answer.status, json.loads(answer.body)


@pytest.mark.parametrize("command", ["/restart", "/back", "/session_start", "  /restart", "/restart{}",
                                     "/out_of_scope", "/nlu_fallback", "/no_such_intent", "/back@1.0"])
def test_built_in_and_unknown_commands_are_refused(rasa_app: Sanic, command: str) -> None:
    status, body = _rest(rasa_app, {"sender": "rep-1", "message": command})
    assert status == 400 and "not a command the coach takes" in body["error"]
    assert rasa_app.ctx.agent.messages == []


def test_no_built_in_is_a_command() -> None:
    assert command_intents() and not set(DEFAULT_INTENTS) & command_intents()


@pytest.mark.parametrize("payload", ['/start_drill{"drill_id": "price_margin"}', "/list_drills",
                                     "/my_progress",
                                     '/choose_branch{"branch": "price.higher.margin"}', GO_ON_PAYLOAD,
                                     '/switch_language{"language": "en"}', "/objection_price",
                                     '/stop_drill{"drill_id": "price_margin"}', "/start_drill@0.1"])
def test_button_payloads_still_reach_rasa(rasa_app: Sanic, payload: str) -> None:
    assert _rest(rasa_app, {"sender": "rep-1", "message": payload})[0] == 200
    assert [m.text for m in rasa_app.ctx.agent.messages] == [payload]


@pytest.mark.parametrize("payload, words", [
    ('/choose_branch{"branch": ' + DEEP + "}", "is a list"),
    ('/start_drill{"drill_id": {"id": "price_margin"}}', "is an object"),
    ('/start_drill{"drill": {"turn": 99}}', "is an object"),
    ('/start_drill{"drill_id": 7}', "is a number"),
    ('/start_drill{"drill_id": "' + "a" * (MAX_ENTITY + 1) + '"}', f"at most {MAX_ENTITY}"),
    ('/start_drill{"drill_id": "x"', "malformed"), ('/start_drill{"drill_id": "x"} and more', "malformed"),
    ("/start_drill[1]", "not a command"), ('/start_drill{"drill_id": nope}', "not valid JSON"),
    ('/start_drill{"a": "' + "[" * 500 + '"}', f"at most {MAX_ENTITY}"),
])
def test_payload_entities_must_be_short_flat_texts(rasa_app: Sanic, payload: str, words: str) -> None:
    status, body = _rest(rasa_app, {"sender": "rep-1", "message": payload})
    assert status == 400 and words in body["error"], body
    assert rasa_app.ctx.agent.messages == []


@pytest.mark.parametrize("text", ["/", "/ 老板说太贵了", "老板说 /restart", "a/b"])
def test_text_that_is_not_a_payload_is_left_to_the_nlu(text: str) -> None:
    check_command(text)  # no error


@pytest.mark.parametrize("metadata", [{"x": json.loads(DEEP)}, {"lang": "en", "y": "z" * 5000}, "junk"])
def test_rest_metadata_is_dropped(rasa_app: Sanic, metadata) -> None:
    assert _rest(rasa_app, {"sender": "rep-1", "message": "hi", "metadata": metadata})[0] == 200
    assert [m.metadata for m in rasa_app.ctx.agent.messages] == [None]


@pytest.mark.parametrize("sender, code", [("rep-1\u200b", "U+200B"), ("\u202erep-1", "U+202E"),
                                          ("\ufeffrep-1", "U+FEFF"), ("rep\u2060-1", "U+2060")])
def test_invisible_characters_in_sender_ids_are_refused(rasa_app: Sanic, sender: str, code: str) -> None:
    status, body = _rest(rasa_app, {"sender": sender, "message": "hi"})
    assert status == 400 and code in body["error"] and "invisible" in body["error"]
    with pytest.raises(InboundError):
        check_sender(sender)
    assert check_sender("王小明-7 😀") == "王小明-7 😀"  # visible Unicode stays welcome


def test_a_refusal_is_one_log_line_with_the_sender_and_the_reason(rasa_app: Sanic,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        _rest(rasa_app, {"sender": "rep-9", "message": "/restart"})
        _rest(rasa_app, {"sender": "rep\u200b-9\n", "message": "hi"})
        _rest(rasa_app, {"sender": "rep-9", "message": '/start_drill{"a\\nrefused forged": 1}'})
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused")]
    assert len(lines) == 3 and all("\n" not in line for line in lines)
    assert "'rep-9'" in lines[0] and "/restart" in lines[0]
    assert "'rep\\u200b-9\\n'" in lines[1] and "invisible" in lines[1]  # escaped: no forged log lines
    assert not any(r.exc_info for r in caplog.records)
