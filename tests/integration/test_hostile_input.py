"""Hostile and broken input through both channels (REST and the page), against the running coach.

Every request gets bot replies (2xx) or a 4xx with {"error": "..."}; never a 500 or a stack trace.
"/intent{...}" payloads can't set the drill session or reach another rep, names that look like
SQL or HTML are stored verbatim, and a failure inside the coach gives the "restarting" reply.
"""
from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
from typing import Any, Optional

import pytest

from tests.conftest import HTML_NAME, SQL_NAMES, payload, post
from tests.integration.test_sign_in import signed_in

OBJECTION = "老板说你们价格太高了"
LEAKS = ("Traceback", 'File "', "Exception")


# --- both channels against the running coach -----------------------------------------------------------

def _http(port: int, path: str, body: Any, content_type: str = "application/json",
          token: Optional[str] = None) -> tuple:
    """(status, raw body text); never raises on 4xx/5xx."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                     headers={"Content-Type": content_type})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _checked(status: int, raw: str, bot: bool = True) -> tuple:
    """Replies (2xx; `bot`: the bot's) or an {"error"} (4xx), nothing else, no internals.

    Returns (status, parsed body).
    """
    assert not any(leak in raw for leak in LEAKS), raw[:500]
    assert 200 <= status < 300 or 400 <= status < 500, (status, raw[:500])
    parsed = json.loads(raw)
    if status >= 400:
        assert isinstance(parsed, dict) and isinstance(parsed.get("error"), str), parsed
        assert len(parsed["error"]) > 10, parsed
    elif bot:
        replies = parsed if isinstance(parsed, list) else parsed["messages"]
        assert replies and all(r.get("text") or r.get("custom") for r in replies), parsed
    return status, parsed


def rest(port: int, body: Any, content_type: str = "application/json") -> tuple:
    return _checked(*_http(port, "/webhooks/rest/webhook", body, content_type))


def login(servers, name: str) -> tuple:
    """(token, sender id) of a new rep called `name`, invited and signed in through the page."""
    answer = signed_in(servers, name)
    assert answer["name"] == name  # kept verbatim: it is only ever a bound parameter
    return answer["token"], answer["sender"]


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
    return login(servers, "hostile-page")[0]


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
    (5, 400, "string"), (None, 400, "missing"), (["老板说太贵了"], 400, "string"),
    ({"text": "hi"}, 400, "string"),
]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("message, status, expect", MESSAGES, ids=range(len(MESSAGES)))
def test_hostile_messages(servers, page_token, channel, message, status, expect):
    got, parsed = _send(channel, servers, page_token, message)
    assert got == status, parsed
    if status >= 400:
        assert expect in parsed["error"]
    elif expect:
        assert expect in kinds(parsed)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("body, content_type, status", [
    (b'{"sender": "hostile-raw", "message": "\\ud800", "id": "s1"}', "application/json", 200),
    (b'{"sender": "hostile-raw", "message": "\\u8001\\u677f\\u8bf4\\ud800\\u592a\\u8d35\\u4e86", "id": "s2"}',
     "application/json", 200),
    (b'{"sender": "hostile-raw", "message": ', "application/json", 400),
    (b'[{"sender": "hostile-raw", "message": "hi"}]', "application/json", 400),
    (b'"hi"', "application/json", 400),
    (b'{"sender": "hostile-raw"}', "application/json", 400),
    (b'{"sender": "hostile-raw", "message": "hi"}', "text/plain", 415),
    (b"sender=hostile-raw&message=hi", "application/x-www-form-urlencoded", 415),
])
def test_broken_bodies(servers, page_token, channel, body, content_type, status):
    if channel == "rest":
        got, parsed = rest(servers.port, body, content_type)
    else:
        got, parsed = page(servers.port, page_token, body, content_type)
    assert got == status, parsed


@pytest.mark.parametrize("body, words", [
    ({"message": "hi"}, "missing"), ({"sender": None, "message": "hi"}, "missing"),
    ({"sender": 42, "message": "hi"}, "string"), ({"sender": ["a"], "message": "hi"}, "string"),
    ({"sender": "", "message": "hi"}, "empty"), ({"sender": "x" * 101, "message": "hi"}, "at most 100"),
    ({"sender": "rep\x00-7", "message": "hi"}, "control"), ({"sender": "rep\n7", "message": "hi"}, "control"),
])
def test_rest_sender_must_be_a_clean_id(servers, body, words):
    status, parsed = rest(servers.port, body)
    assert status == 400 and words in parsed["error"]


def test_rest_health_and_stream_still_work(servers):
    with urllib.request.urlopen(f"http://127.0.0.1:{servers.port}/webhooks/rest/") as response:
        assert json.loads(response.read()) == {"status": "ok"}
    status, raw = _http(servers.port, "/webhooks/rest/webhook?stream=true", {"sender": "hostile-stream",
                                                                             "message": OBJECTION})
    lines = [json.loads(line) for line in raw.splitlines() if line.strip()]
    assert status == 200 and "objection_card" in [m["custom"]["type"] for m in lines if m.get("custom")]


# --- "/intent{...}" payloads --------------------------------------------------------------------------

def _drill_menu(parsed: Any) -> dict:
    menu = payload(replies(parsed), "drill_menu")
    assert menu["drills"], "the menu lists the drills to pick from"
    return menu


INJECTIONS_NO_DRILL = [
    '/start_drill{"drill_id": "../../etc/passwd"}', '/start_drill{"drill_id": "/etc/passwd"}',
    '/start_drill{"drill_id": "no_such_drill"}', '/start_drill{"drill_id": "price_margin' + "x" * 80 + '"}',
]
# Not a payload a button sends (nested, not text, too long, broken): refused before Rasa (400).
INJECTIONS_REFUSED = [
    '/start_drill{"drill": {"turn": 99}}', '/start_drill{"drill_id":',
    '/start_drill{"drill_id": {"id": "price_margin"}}',
    '/start_drill{"drill_id": 7}', '/start_drill{"drill_id": "' + "a" * 1900 + '"}',
    '/start_drill{"drill_id": "price_margin' + "x" * 1950 + '"}',
]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("message", INJECTIONS_NO_DRILL, ids=range(len(INJECTIONS_NO_DRILL)))
def test_forged_drill_ids_get_the_drill_menu(servers, page_token, channel, message):
    status, parsed = _send(channel, servers, page_token, message, sender="hostile-forge")
    assert status == 200 and "drill_intro" not in kinds(parsed)
    menu = _drill_menu(parsed)
    text = replies(parsed)[0]["text"]
    assert menu["drills"] and ("没有这个练习" in text or "no such drill" in text)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("message", INJECTIONS_REFUSED, ids=range(len(INJECTIONS_REFUSED)))
def test_payloads_no_button_sends_are_refused(servers, page_token, channel, message):
    status, parsed = _send(channel, servers, page_token, message, sender="hostile-forge")
    assert status == 400 and "/start_drill" in parsed["error"], parsed


@pytest.mark.parametrize("channel", CHANNELS)
def test_other_payloads_get_a_clear_reply(servers, page_token, channel):
    # "/" alone is not a payload: the NLU reads it like any text. Unknown intents, Rasa's built-ins
    # and entities that are not short texts are refused (tests/security/test_input.py).
    for message, status_expected, expected in [
            ("/no_such_intent", 400, "not a command"),
            ('/no_such_intent{"drill_id": "price_margin"}', 400, None), ("/restart", 400, "not a command"),
            ("/", 200, None), ("/start_drill@0.1", 200, "drill_menu"),
            ('/my_progress{"sender": "other-rep"}', 200, "progress"),
            ('/switch_language{"language": {"evil": 1}}', 400, "short texts"),
            ('/choose_branch{"branch": ["../../x", {"y": 1}]}', 400, "short texts")]:
        status, parsed = _send(channel, servers, page_token, message, sender="hostile-payloads")
        assert status == status_expected, (message, parsed)
        if status == 200:
            assert not {"drill_intro", "scorecard"} & set(kinds(parsed)), (message, parsed)
        if expected:
            assert expected in (kinds(parsed) if status == 200 else parsed["error"]), (message, parsed)


def test_a_stale_drill_id_does_not_stick(servers):
    """An unknown id must not stay in the drill_id slot: '练习独家异议' would get the 'no such drill' menu."""
    sender = "hostile-stale"
    _drill_menu(post(servers.port, sender, '/start_drill{"drill_id": "gone_drill"}'))
    intro = payload(post(servers.port, sender, "练习独家异议"), "drill_intro")
    assert intro["drill_id"] == "exclusivity_volume"
    post(servers.port, sender, "退出")
    post(servers.port, sender, "/stop_drill")  # a stop asks once; its button confirms
    assert payload(post(servers.port, sender, "练习价格异议"), "drill_intro")["drill_id"] == "price_margin"
    post(servers.port, sender, "退出")
    post(servers.port, sender, "/stop_drill")


def _turns(messages: list, kind: str) -> list:
    return [m["custom"]["turn"] for m in messages if (m.get("custom") or {}).get("type") == kind]


def test_payloads_mid_drill_cannot_touch_the_session(servers):
    """Forged drill ids and entities during a drill: the drill goes on at the right turn."""
    sender = "hostile-midrill"
    start = post(servers.port, sender, '/start_drill{"drill_id": "price_margin"}')
    assert _turns(start, "customer_line") == [0]
    assert _turns(post(servers.port, sender, "理解您的顾虑"), "customer_line") == [1]
    for message in INJECTIONS_NO_DRILL + INJECTIONS_REFUSED + ['/my_progress{"sender": "other-rep"}',
                                                               "/no_such_intent", "/restart", "/back",
                                                               '/choose_branch{"branch": "price.higher"}']:
        status, answer = rest(servers.port, {"sender": sender, "message": message})
        assert status in (200, 400), (message, answer)
        if status == 200:
            assert answer and not {"drill_intro", "scorecard"} & set(kinds(answer)), (message, answer)
    answer = post(servers.port, sender, "您主要是担心什么？")
    assert _turns(answer, "customer_line") == [2] and _turns(answer, "drill_feedback") == [2]
    post(servers.port, sender, "退出")  # a stop asks once; its button confirms
    card = payload(post(servers.port, sender, "/stop_drill"), "scorecard")
    assert card["drill_id"] == "price_margin" and card["turns"] == 2


# --- names, the results store and other reps ------------------------------------------------------------

def _results(servers, rep_id: str) -> list:
    with sqlite3.connect(servers.results_db) as db:
        return db.execute("SELECT rep_id, drill_id FROM results WHERE rep_id = ?", (rep_id,)).fetchall()


def _tables(servers) -> set:
    with sqlite3.connect(servers.results_db) as db:
        return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.mark.parametrize("name", SQL_NAMES + [HTML_NAME])
def test_hostile_names_are_just_names(servers, name):
    status, parsed = rest(servers.port, {"sender": name, "message": OBJECTION})
    assert status == 200 and "objection_card" in kinds(parsed)
    token, sender = login(servers, name)
    assert sender != name  # the page's sender id comes from the credential, never from a name
    status, parsed = page(servers.port, token, OBJECTION)
    assert status == 200 and "objection_card" in kinds(parsed)
    assert "results" in _tables(servers)


@pytest.mark.parametrize("channel, name", [("rest", SQL_NAMES[0]), ("page", SQL_NAMES[1])])
def test_a_rep_named_like_sql_finishes_a_drill_and_is_stored_verbatim(servers, channel, name):
    # REST: the name is the sender id; the page: the name is the person's, the id their credential's.
    token, rep_id = login(servers, name) if channel == "page" else ("", name)
    before = _results(servers, rep_id)
    start = _send(channel, servers, token, '/start_drill{"drill_id": "price_margin"}', sender=name)[1]
    assert payload(replies(start), "drill_intro")["drill_id"] == "price_margin"
    _send(channel, servers, token, "理解您的顾虑", sender=name)
    _send(channel, servers, token, "退出", sender=name)  # a stop asks once; its button confirms
    card = payload(replies(_send(channel, servers, token, "/stop_drill", sender=name)[1]), "scorecard")
    assert card["outcome"] == "stopped"
    assert _results(servers, rep_id) == before + [(rep_id, "price_margin")]
    assert {"results"} <= _tables(servers)


def test_one_rep_cannot_reach_another_reps_drill_or_results_over_rest(servers):
    victim, attacker = "hostile-victim", "hostile-attacker"
    post(servers.port, victim, '/start_drill{"drill_id": "price_margin"}')
    post(servers.port, victim, "理解您的顾虑")  # a drill without a reply would not be stored
    post(servers.port, victim, "退出")
    post(servers.port, victim, "/stop_drill")  # the victim has a stored result...
    post(servers.port, victim, '/start_drill{"drill_id": "price_margin"}')
    # ...and a drill at turn 1
    assert _turns(post(servers.port, victim, "理解您的顾虑"), "customer_line") == [1]
    answer = rest(servers.port, {"sender": attacker, "message": f'/my_progress{{"sender": "{victim}"}}'})[1]
    progress = payload(replies(answer), "progress")
    assert progress["rows"] == []  # the attacker's own (empty) progress, not the victim's
    # The attacker names the victim everywhere he can; he even runs a drill of his own (left running).
    for message in [f'/stop_drill{{"sender": "{victim}"}}', f"{victim} 退出",
                    f'/my_progress{{"sender_id": "{victim}"}}',
                    f'/start_drill{{"drill": {{"turn": 99, "sender": "{victim}"}}}}',
                    f'/start_drill{{"drill_id": "price_margin", "sender": "{victim}"}}',
                    f"{victim}，您主要担心什么？"]:
        status, _ = rest(servers.port, {"sender": attacker, "message": message, "sender_id": victim,
                                        "input_channel": victim, "metadata": {"sender": victim}})
        assert status in (200, 400)  # 400: a payload no button sends (a nested "drill")
    answer = post(servers.port, victim, "您主要是担心什么？")
    assert _turns(answer, "customer_line") == [2] and _turns(answer, "drill_feedback") == [2]
    assert len(_results(servers, victim)) == 1 and len(_results(servers, "other-rep")) == 0
    post(servers.port, victim, "退出")
    post(servers.port, victim, "/stop_drill")


def test_one_rep_cannot_reach_another_reps_drill_over_the_page(servers):
    victim, victim_id = login(servers, "hostile-page-victim")
    attacker, _ = login(servers, "hostile-page-attacker")
    page(servers.port, victim, {"message": '/start_drill{"drill_id": "price_margin"}', "id": "v1"})
    status, first = page(servers.port, victim, {"message": "理解您的顾虑", "id": "v2"})
    assert _turns(replies(first), "customer_line") == [1]
    # the victim's client id, the victim's name in the body and in payloads: all stay the attacker's own
    status, parsed = page(servers.port, attacker, {"message": "退出", "id": "v2", "sender": victim_id})
    assert status == 200 and parsed != first and "customer_line" not in kinds(parsed)
    page(servers.port, attacker, f'/stop_drill{{"sender": "{victim_id}"}}')
    page(servers.port, attacker, f'/start_drill{{"drill": {{"turn": 99, "sender": "{victim_id}"}}}}')
    forged = attacker.split(".")[0] + "." + victim.split(".")[1]
    status, raw = _http(servers.port, "/webhooks/coach/message", {"message": "退出", "id": "f1"},
                        token=forged)
    assert status == 401 and "sign in" in json.loads(raw)["error"]
    status, parsed = page(servers.port, victim, {"message": "您主要是担心什么？", "id": "v3"})
    assert _turns(replies(parsed), "customer_line") == [2]
    assert _turns(replies(parsed), "drill_feedback") == [2]
    page(servers.port, victim, {"message": "退出", "id": "v4"})
    page(servers.port, victim, {"message": "/stop_drill", "id": "v5"})


def test_the_coach_still_answers_and_the_store_is_intact(servers):
    assert payload(post(servers.port, "hostile-after", OBJECTION), "objection_card")["objection"] == "price"
    token = login(servers, "hostile-after-page")[0]
    assert "objection_card" in kinds(page(servers.port, token, OBJECTION)[1])
    assert "results" in _tables(servers)
    never_finished = ["other-rep", HTML_NAME, "hostile-attacker", "hostile-forge"]
    for rep in never_finished:
        assert _results(servers, rep) == []
