"""Hostile and broken input, through both channels (REST and the page), and coach/server/channels/inbound.py alone.

Every request gets bot replies (2xx) or a 4xx with {"error": "..."}; never a 500 or a stack trace.
"/intent{...}" payloads can't set the drill session or reach another rep, names that look like
SQL or HTML are stored verbatim, and a failure inside the coach gives the "restarting" reply.
"""
from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import urllib.error
import urllib.request
from types import SimpleNamespace
from typing import Any, Optional

import pytest

from coach.server.channels.inbound import (
    MAX_MESSAGE,
    InboundError,
    Turn,
    check_sender,
    clean_message,
    handle,
    json_body,
    unavailable_messages,
)
from tests.conftest import payload, post

SQL_NAMES = ["'; DROP TABLE results; --", '" OR 1=1 --']
HTML_NAME = "<img src=x onerror=alert(1)>"
OBJECTION = "老板说你们价格太高了"
LEAKS = ("Traceback", 'File "', "Exception")


# --- coach/server/channels/inbound.py without a server --------------------------------------------------------------

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
    assert json_body(_request(b'{"message": "\\ud800"}', "application/json; charset=utf-8"), "") == {"message": "\ud800"}


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_handle_returns_the_replies():
    async def answers(message):
        await message.output_channel.send_text_message(message.sender_id, "hello")

    turn = _run(handle(answers, "hi", "rep-1", "rest"))
    assert not turn.failed and turn.messages == [{"recipient_id": "rep-1", "text": "hello"}]


@pytest.mark.parametrize("text, lang, words", [("老板说太贵了", "zh-Hans", "重启"), ("老闆說太貴了", "zh-Hant", "重"),
                                               ("the owner says no", "en", "restarting")])
def test_no_reply_at_all_gives_the_restarting_reply_in_the_reps_language(text, lang, words, caplog):
    async def silent(message):  # what Rasa does when the action server is down
        return None

    with caplog.at_level(logging.ERROR, logger="coach.server.channels.inbound"):
        turn = _run(handle(silent, text, "rep-1", "coach"))
    assert turn.failed
    [say, custom] = turn.messages
    assert words in say["text"] and custom["custom"] == {"type": "service_unavailable", "retry": True, "lang": lang}
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


# --- both channels against the running coach -----------------------------------------------------------

def _http(port: int, path: str, body: Any, content_type: str = "application/json",
          token: Optional[str] = None) -> tuple:
    """(status, raw body text); never raises on 4xx/5xx."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers={"Content-Type": content_type})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _checked(status: int, raw: str, bot: bool = True) -> tuple:
    """Replies (2xx; `bot`: the bot's) or an {"error"} (4xx), nothing else, no internals -> (status, parsed)."""
    assert not any(leak in raw for leak in LEAKS), raw[:500]
    assert 200 <= status < 300 or 400 <= status < 500, (status, raw[:500])
    parsed = json.loads(raw)
    if status >= 400:
        assert isinstance(parsed, dict) and isinstance(parsed.get("error"), str) and len(parsed["error"]) > 10, parsed
    elif bot:
        replies = parsed if isinstance(parsed, list) else parsed["messages"]
        assert replies and all(r.get("text") or r.get("custom") for r in replies), parsed
    return status, parsed


def rest(port: int, body: Any, content_type: str = "application/json") -> tuple:
    return _checked(*_http(port, "/webhooks/rest/webhook", body, content_type))


def login(port: int, name: str) -> tuple:
    """(token, sender id) for a rep name, through the page's login."""
    status, body = _checked(*_http(port, "/webhooks/coach/login", {"name": name, "code": "coach-local"}), bot=False)
    assert status == 200, body
    return body["token"], body["sender"]


_ids = iter(range(10 ** 6))


def page(port: int, token: str, body: Any, content_type: str = "application/json") -> tuple:
    if isinstance(body, str):
        body = {"message": body, "id": f"hostile-{next(_ids)}"}
    return _checked(*_http(port, "/webhooks/coach/message", body, content_type, token))


def replies(parsed: Any) -> list:
    return parsed if isinstance(parsed, list) else parsed["messages"]


def kinds(parsed: Any) -> list:
    return [r["custom"]["type"] for r in replies(parsed) if r.get("custom")]


@pytest.fixture(scope="module")
def page_token(servers) -> str:
    return login(servers.port, "hostile-page")[0]


def _send(channel: str, servers, token: str, message: Any, sender: str = "hostile-rest") -> tuple:
    if channel == "rest":
        return rest(servers.port, {"sender": sender, "message": message})
    return page(servers.port, token, {"message": message, "id": f"hostile-{next(_ids)}"})


CHANNELS = ["rest", "page"]
# (message, expected status, what the reply must show)
MESSAGES = [
    ("", 400, "empty"), ("   \n\t  ", 400, "empty"), ("\u200f", 400, "empty"),
    ("x" * 20000, 413, "2,000"), ("价" * 2001, 413, "2,000"),
    ("老板说\x00你们价格\x07太高了\x1b[31m", 200, "objection_card"),
    ("\u200f老板说你们价格太高了", 200, "objection_card"),
    ("老板说你们价格太高了😀😀", 200, "objection_card"),
    ("👨\u200d👩\u200d👧 老闆說你們價格太高了", 200, "objection_card"),
    ("'; DROP TABLE results; --", 200, None), ('" OR 1=1 --', 200, None),
    ("<img src=x onerror=alert(1)>", 200, None), ("<script>alert(1)</script>老板说太贵了", 200, None),
    (5, 400, "string"), (None, 400, "missing"), (["老板说太贵了"], 400, "string"), ({"text": "hi"}, 400, "string"),
]










# --- "/intent{...}" payloads --------------------------------------------------------------------------

def _drill_menu(parsed: Any) -> dict:
    menu = payload(replies(parsed), "drill_menu")
    assert menu["drills"], "the menu lists the drills to pick from"
    return menu


INJECTIONS_NO_DRILL = [
    '/start_drill{"drill_id": "../../etc/passwd"}', '/start_drill{"drill_id": "/etc/passwd"}',
    '/start_drill{"drill_id": "no_such_drill"}', '/start_drill{"drill": {"turn": 99}}',
    '/start_drill{"drill_id":', '/start_drill{"drill_id": {"id": "price_margin"}}', '/start_drill{"drill_id": 7}',
    '/start_drill{"drill_id": "%s"}' % ("a" * 1900), '/start_drill{"drill_id": "price_margin' + "x" * 1950 + '"}',
]








def _turns(messages: list, kind: str) -> list:
    return [m["custom"]["turn"] for m in messages if (m.get("custom") or {}).get("type") == kind]




# --- names, the results store and other reps ------------------------------------------------------------

def _results(servers, rep_id: str) -> list:
    with sqlite3.connect(servers.results_db) as db:
        return db.execute("SELECT rep_id, drill_id FROM results WHERE rep_id = ?", (rep_id,)).fetchall()


def _tables(servers) -> set:
    with sqlite3.connect(servers.results_db) as db:
        return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}












def test_the_send_again_button_shows_a_short_preview_but_resends_everything():
    text = "老板说你们的价格比隔壁那家贵了整整两块钱一盒，他不想进货了"
    [say, _] = unavailable_messages(text, "rep-1")
    [resend] = say["buttons"]
    assert resend["payload"] == text
    assert resend["title"] == f"↻ 再发一次：{text[:20]}…"
