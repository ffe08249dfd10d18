"""The web chat's sign-in, tokens and message shaping through the channel's routes (ASGI, no server).

Sign-in with a person's own code, the person resolved from the token on every request (revoked,
new code, forged, expired: 401), trainers apart from reps, the throttle and its log line.
The real server: tests/integration/test_sign_in.py.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
from types import SimpleNamespace
from typing import Any, List

import pytest
from rasa.core.channels.channel import register
from sanic import Sanic

from coach.errors import InboundError
from coach.people import PeopleStore
from coach.people.tokens import TOKEN_TTL, SigningKey, make_token
from coach.server.channels.auth import SignIn
from coach.server.channels.web import CoachWebInput, merge
from tests.conftest import HTML_NAME, SQL_NAMES
from tests.unit.server.channels.test_base import call

SECRET = "test-secret"
LOGIN = "/webhooks/coach/login"
_apps = itertools.count()


class _Agent:
    """Echoes who Rasa was told sent each message, and remembers whose tracker /state read."""

    def __init__(self) -> None:
        self.read: List[str] = []
        self.tracker_store = SimpleNamespace(retrieve=self._retrieve)

    async def _retrieve(self, sender: str) -> None:
        self.read.append(sender)

    async def handle_message(self, message: Any) -> None:
        reply = f"{message.sender_id}: {message.text}"
        await message.output_channel.send_text_message(message.sender_id, reply)


@pytest.fixture
def people(results_db, monkeypatch):
    monkeypatch.setenv("COACH_CHAT_SECRET", SECRET)
    with PeopleStore(results_db) as store:
        yield store


@pytest.fixture
def channel(people) -> CoachWebInput:
    return CoachWebInput()


@pytest.fixture
def app(channel) -> Sanic:
    sanic = Sanic(f"coach-web-test-{next(_apps)}")
    sanic.ctx.agent = _Agent()
    register([channel], sanic, route="/webhooks/")
    return sanic


def _login(app, code: Any, client: str = "127.0.0.1", headers=()):
    body = json.dumps({"code": code}).encode()
    return call(app, "POST", LOGIN, body, [("content-type", "application/json"), *headers], client)


def _message(app, token: str, text: str = "hi", **extra: Any):
    body = json.dumps({"message": text, "id": "", **extra}).encode()
    headers = [("content-type", "application/json"), ("authorization", f"Bearer {token}")]
    return call(app, "POST", "/webhooks/coach/message", body, headers)


def _texts(answer) -> List[str]:
    return [m["text"] for m in answer[1]["messages"]]


def test_a_code_signs_in_its_person_and_the_sender_comes_from_the_token(app, people):
    rep, code = people.invite("王小明", team="华东")
    status, body, headers = _login(app, code)
    assert status == 200 and headers["cache-control"] == "no-store"
    assert {k: v for k, v in body.items() if k != "token"} == {
        "sender": rep.person_id, "name": "王小明", "role": "rep", "team": "华东"}
    # a name or sender in the body changes nothing: the token says who is talking
    assert _texts(_message(app, body["token"], sender="rep-victim", name="Boss")) == [f"{rep.person_id}: hi"]
    state = call(app, "GET", "/webhooks/coach/state", headers=[("authorization", f"Bearer {body['token']}")])
    assert state[0] == 200 and app.ctx.agent.read == [rep.person_id]


def test_a_typed_code_with_capitals_and_spaces_still_signs_in(app, people):
    _, code = people.invite("Anna")
    assert _login(app, f"  {code.upper()} ")[0] == 200


REFUSED = [
    ("rep-abc234.abcdefghjkmnpqrstu", 401, "not valid. Ask your trainer for a new one"),
    ("coach-local", 400, "sign-in code"), ("", 400, "sign-in code"), (None, 400, "sign-in code"),
    (12345, 400, "sign-in code"), (["rep-abc234"], 400, "sign-in code"), ("x" * 70000, 413, "too large"),
    ("'; DROP TABLE people; --", 400, "sign-in code"), (HTML_NAME, 400, "sign-in code"),
    ("rep-abc234.abcdefghjkmnpqrs\ud800", 400, "sign-in code"),
]


@pytest.mark.parametrize("code, status, words", REFUSED, ids=range(len(REFUSED)))
def test_wrong_and_malformed_codes_are_refused_clearly(app, people, code, status, words):
    got, body, _ = _login(app, code)
    assert got == status and words in body["error"]
    assert people.people() == []  # nothing was created or changed


def test_a_wrong_secret_and_a_revoked_person_get_the_same_answer(app, people):
    rep, code = people.invite("Anna")
    wrong = code[:-1] + ("a" if code[-1] != "a" else "b")
    first = _login(app, wrong)
    people.revoke(rep.person_id)
    assert first[:2] == _login(app, code)[:2] == (401, {
        "error": "This sign-in code is not valid. Ask your trainer for a new one."})


def test_the_login_refuses_other_sites_and_bodies_that_are_not_json(app, people):
    _, code = people.invite("Anna")
    assert _login(app, code, headers=[("origin", "https://evil.example")])[0] == 403
    assert call(app, "POST", LOGIN, b"{broken", [("content-type", "application/json")])[0] == 400
    form = [("content-type", "application/x-www-form-urlencoded")]
    assert call(app, "POST", LOGIN, b"code=x", form)[0] == 415


def _token(app, people, role: str = "rep"):
    person, code = people.invite(f"someone {role}", role=role)
    return person, _login(app, code)[1]["token"]


def test_tokens_stop_working_on_revoke_and_on_a_new_code(app, people):
    rep, token = _token(app, people)
    assert _message(app, token)[0] == 200
    new = people.new_code(rep.person_id)
    assert _message(app, token)[:2] == (401, {"error": "Please sign in again."})
    token = _login(app, new)[1]["token"]
    assert _message(app, token)[0] == 200
    people.revoke(rep.person_id)
    assert _message(app, token)[0] == 401
    state = call(app, "GET", "/webhooks/coach/state", headers=[("authorization", f"Bearer {token}")])
    assert state[0] == 401


def test_forged_expired_and_junk_tokens_are_refused(app, people):
    rep, token = _token(app, people)
    trainer, _ = people.invite("Boss", role="trainer")
    body, signature = token.split(".")
    as_trainer = make_token(trainer.person_id, 1, b"guessed key", ttl=3600).split(".")[0] + "." + signature
    expired = make_token(rep.person_id, 1, SECRET.encode(), ttl=TOKEN_TTL["rep"], now=0)
    future_version = make_token(rep.person_id, 2, b"guessed key", ttl=3600)
    for bad in (as_trainer, expired, future_version, "", "a.b", token + "x", "\x00"):
        assert _message(app, bad)[0] == 401, bad
    assert call(app, "POST", "/webhooks/coach/message", b'{"message": "hi"}',
                [("content-type", "application/json")])[0] == 401  # no token at all


def _request(token: str, origin: str = "") -> Any:
    headers = {"authorization": f"Bearer {token}", "host": "coach.test"}
    if origin:
        headers["origin"] = origin
    return SimpleNamespace(headers=headers, ctx=SimpleNamespace())


def test_the_desk_checks_tell_trainers_from_reps(app, channel, people):
    rep, rep_token = _token(app, people)
    trainer, trainer_token = _token(app, people, role="trainer")
    assert channel._person(_request(rep_token)) == rep
    assert channel._trainer(_request(trainer_token)) == trainer
    with pytest.raises(InboundError) as refused:
        channel._trainer(_request(rep_token))
    assert refused.value.status == 403 and "trainer" in refused.value.message
    for check, token, origin, status in [(channel._person, "forged.token", "", 401),
                                         (channel._trainer, trainer_token, "https://evil.example", 403)]:
        with pytest.raises(InboundError) as refused:
            check(_request(token, origin))
        assert refused.value.status == status


def test_guessing_is_throttled_per_address_and_person_and_every_failure_logged(app, people, caplog):
    rep, code = people.invite("Anna")
    other, other_code = people.invite("Bob")
    wrong = [code[:-1] + ch for ch in "abcdefgh" if ch != code[-1]]
    caplog.set_level(logging.WARNING, logger="coach.server.channels.auth")
    assert [_login(app, guess, client="10.0.0.1")[0] for guess in wrong[:5]] == [401] * 5
    status, body, headers = _login(app, code, client="10.0.0.1")  # even the right code waits now
    assert status == 429 and 0 < int(headers["retry-after"]) <= 300 and "Wait 5 minutes" in body["error"]
    assert _login(app, code, client="10.0.0.2")[0] == 429  # Anna is throttled from anywhere
    assert _login(app, other_code, client="10.0.0.2")[0] == 200  # Bob from another address is not
    assert _login(app, other_code, client="10.0.0.1")[0] == 429  # nor anyone from the guessing address
    lines = [r.getMessage() for r in caplog.records if r.name == "coach.server.channels.auth"]
    assert lines[:5] == [f"sign-in refused: address=10.0.0.1 person={rep.person_id} reason=wrong code"] * 5
    assert lines[5] == f"sign-in refused: address=10.0.0.1 person={rep.person_id} reason=throttled"
    assert len(lines) == 8 and not any(code.split(".")[1] in line or guess.split(".")[1] in line
                                       for line in lines for guess in wrong)


def test_a_burst_sent_at_once_gets_no_more_tries_than_one_sent_in_turn(people):
    sign_in = SignIn(SigningKey(), people=lambda: people)
    rep, code = people.invite("Anna")
    guesses = [f"{rep.person_id}.{ch * 18}" for ch in "abcdefghjk"]

    async def burst() -> List[Any]:
        attempts = (sign_in(guess, "10.0.0.9") for guess in guesses)
        return await asyncio.gather(*attempts, return_exceptions=True)

    refused = asyncio.run(burst())
    assert all(isinstance(error, InboundError) for error in refused)
    assert sorted(error.status for error in refused) == [401] * 5 + [429] * 5


def test_malformed_codes_count_as_failures_too(app, people, caplog):
    caplog.set_level(logging.WARNING, logger="coach.server.channels.auth")
    for text in SQL_NAMES + ["a", "b", "c"]:
        assert _login(app, text, client="10.0.0.3")[0] == 400
    assert _login(app, "d", client="10.0.0.3")[0] == 429
    lines = [r.getMessage() for r in caplog.records if r.name == "coach.server.channels.auth"]
    assert lines[0] == "sign-in refused: address=10.0.0.3 person=- reason=malformed code"
    assert lines[-1] == "sign-in refused: address=10.0.0.3 person=- reason=throttled"


def test_merge_joins_text_and_payload_of_one_reply():
    messages = [{"recipient_id": "r", "text": "card", "buttons": [{"title": "a", "payload": "/a"}]},
                {"recipient_id": "r", "custom": {"type": "objection_card"}},
                {"recipient_id": "r", "text": "plain"},
                {"recipient_id": "r", "custom": {"type": "customer_line"}},
                {"recipient_id": "r", "custom": {"type": "orphan"}}]
    assert merge(messages) == [
        {"text": "card", "buttons": [{"title": "a", "payload": "/a"}], "custom": {"type": "objection_card"}},
        {"text": "plain", "custom": {"type": "customer_line"}},
        {"custom": {"type": "orphan"}},
    ]
