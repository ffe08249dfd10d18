"""Hostile and broken input, checked by coach/server/channels/inbound.py alone (no server).

Bad text, sender ids and bodies raise an InboundError with a 4xx status and a message saying
what to send; names that look like SQL or HTML pass verbatim; a failure inside the coach gives
the "restarting" reply. Through the running servers: tests/integration/test_hostile_input.py.
"""
from __future__ import annotations

import asyncio
import json
import logging
from types import SimpleNamespace
from typing import Any, Optional

import pytest

from coach.errors import InboundError
from coach.server.channels.inbound import (
    MAX_MESSAGE,
    Turn,
    check_sender,
    clean_message,
    handle,
    json_body,
    unavailable_messages,
)
from tests.conftest import HTML_NAME, SQL_NAMES

# --- the text, the sender id and the body ----------------------------------------------------------------

@pytest.mark.parametrize("raw, cleaned", [
    ("老板说\x00太贵\x07了\x1b", "老板说太贵了"),  # C0 controls go
    ("a\x85b\x9fc", "abc"),  # C1 controls go
    ("line 1\r\nline 2\rline 3\n\tindented", "line 1\nline 2\nline 3\n\tindented"),
    ("太贵\ud800了", "太贵\ufffd了"),  # a lone surrogate from JSON "\ud800"
    ("\udc00", "\ufffd"),
    ("\u200f老板说太贵了", "\u200f老板说太贵了"),  # RTL mark kept
    ("😀👍", "😀👍"),
    ("👨\u200d👩\u200d👧 老闆說太貴了", "👨\u200d👩\u200d👧 老闆說太貴了"),  # ZWJ sequence, Traditional kept
    ("e\u0301", "\u00e9"),  # NFC
    ("ＡＢＣ１２３", "ＡＢＣ１２３"),  # not NFKC: the NLU does its own normalisation
    ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
])
def test_clean_message(raw, cleaned):
    assert clean_message(raw) == cleaned


@pytest.mark.parametrize("value, status, words", [
    (None, 400, "missing"), (5, 400, "string"), (["a"], 400, "string"), ({"text": "a"}, 400, "string"),
    (True, 400, "string"), ("", 400, "empty"), ("  \n\t ", 400, "empty"), ("\x00\x07", 400, "empty"),
    ("\u200f\u200d", 400, "empty"), ("x" * (MAX_MESSAGE + 1), 413, "2,000"), ("x" * 20000, 413, "2,000"),
])
def test_bad_messages_raise_a_status_and_a_clear_message(value, status, words):
    with pytest.raises(InboundError) as caught:
        clean_message(value)
    assert caught.value.status == status and words in caught.value.message


def test_the_limit_itself_is_accepted():
    assert clean_message("价" * MAX_MESSAGE) == "价" * MAX_MESSAGE


@pytest.mark.parametrize("sender", ["rep-7", "王小明", *SQL_NAMES, HTML_NAME, "x" * 100, "  spaced  "])
def test_sender_ids_pass_verbatim(sender):
    assert check_sender(sender) == sender


@pytest.mark.parametrize("sender, words", [(None, "missing"), (7, "string"), ("", "empty"), ("  ", "empty"),
                                           ("x" * 101, "at most 100"), ("a\x00b", "control"),
                                           ("a\nb", "control"), ("a\ud800", "control")])
def test_bad_sender_ids_are_400(sender, words):
    with pytest.raises(InboundError) as caught:
        check_sender(sender)
    assert caught.value.status == 400 and words in caught.value.message


def _request(body: bytes, content_type: Optional[str] = "application/json") -> Any:
    return SimpleNamespace(headers={"content-type": content_type} if content_type else {}, body=body)


@pytest.mark.parametrize("content_type, body, status", [
    ("text/plain", b'{"message": "hi"}', 415), ("application/x-www-form-urlencoded", b"message=hi", 415),
    (None, b'{"message": "hi"}', 415), ("application/json", b'{"message": ', 400),
    ("application/json", b"", 400), ("application/json", b"[1, 2]", 400), ("application/json", b'"hi"', 400),
    ("application/json", b"\xff\xfe\x00", 400), ("application/json", b"[" * 50000, 400),
    ("application/json", b'{"message": "' + b"x" * 70000 + b'"}', 413),
])
def test_json_body_refuses_what_is_not_a_json_object(content_type, body, status):
    with pytest.raises(InboundError) as caught:
        json_body(_request(body, content_type), '{"message": "..."}')
    assert caught.value.status == status and caught.value.message


def test_json_body_reads_an_object():
    request = _request(b'{"message": "\\ud800"}', "application/json; charset=utf-8")
    assert json_body(request, "") == {"message": "\ud800"}


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_handle_returns_the_replies():
    async def answers(message):
        await message.output_channel.send_text_message(message.sender_id, "hello")

    turn = _run(handle(answers, "hi", "rep-1", "rest"))
    assert not turn.failed and turn.messages == [{"recipient_id": "rep-1", "text": "hello"}]


@pytest.mark.parametrize("text, lang, words", [("老板说太贵了", "zh-Hans", "重启"),
                                               ("老闆說太貴了", "zh-Hant", "重"),
                                               ("the owner says no", "en", "restarting")])
def test_no_reply_at_all_gives_the_restarting_reply_in_the_reps_language(text, lang, words, caplog):
    async def silent(message):  # what Rasa does when the action server is down
        return None

    with caplog.at_level(logging.ERROR, logger="coach.server.channels.inbound"):
        turn = _run(handle(silent, text, "rep-1", "coach"))
    assert turn.failed
    [say, custom] = turn.messages
    assert words in say["text"]
    assert custom["custom"] == {"type": "service_unavailable", "retry": True, "lang": lang}
    [resend] = say["buttons"]
    assert resend["payload"] == text and text in resend["title"]  # one tap sends the same message again
    assert "action server" in caplog.text


def test_an_exception_gives_the_restarting_reply_and_is_logged_not_shown(caplog):
    async def broken(message):
        raise RuntimeError("secret-detail /srv/db.sqlite")

    with caplog.at_level(logging.ERROR, logger="coach.server.channels.inbound"):
        turn = _run(handle(broken, "the owner says it's too expensive", "rep-1", "rest"))
    assert turn.failed and turn.messages == unavailable_messages("the owner says it's too expensive", "rep-1")
    assert "secret-detail" not in json.dumps(turn.messages) and "Traceback" not in json.dumps(turn.messages)
    assert "secret-detail" in caplog.text and "Traceback" in caplog.text  # logger.exception: for the operator


def test_the_page_does_not_replay_a_restarting_reply_for_a_retried_id(monkeypatch):
    from coach.server.channels.web import CoachWebInput

    monkeypatch.setenv("COACH_CHAT_SECRET", "test")
    channel, calls = CoachWebInput(), []

    async def run(failed: bool) -> Turn:
        calls.append(failed)
        return Turn([{"text": str(len(calls))}], failed=failed)

    async def scenario():
        await channel._answer(("rep", "1"), lambda: run(True))
        await channel._answer(("rep", "1"), lambda: run(False))  # the retry runs again...
        return await channel._answer(("rep", "1"), lambda: run(False))  # ...and is then answered once

    assert _run(scenario()).messages == [{"text": "2"}] and calls == [True, False]


def test_the_send_again_button_shows_a_short_preview_but_resends_everything():
    text = "老板说你们的价格比隔壁那家贵了整整两块钱一盒，他不想进货了"
    [say, _] = unavailable_messages(text, "rep-1")
    [resend] = say["buttons"]
    assert resend["payload"] == text
    assert resend["title"] == f"↻ 再发一次：{text[:20]}…"
