"""Signing in on the chat page against the running coach: people's own codes, tokens that end.

People are created in the servers' own results database (what `make trainer` and the desk do).
Deliberate failures come from their own loopback addresses (127.0.0.x), so the sign-in throttle
they trip never blocks the other tests, which sign in from 127.0.0.1. `signed_in` and `http` are
shared with the other page tests (test_web_channel.py, test_hostile_input.py, tests/browser/).
"""
from __future__ import annotations

import itertools
import json
import sqlite3
import subprocess
import sys
import urllib.request
from http.client import HTTPConnection
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import pytest

from coach.people import PeopleStore
from coach.people.tokens import SECRET_FILE, make_token, signing_secret
from coach.settings import PROJECT_ROOT
from tests.conftest import HTML_NAME, SQL_NAMES

PAGE = "/webhooks/coach/"
_addresses = (f"127.0.0.{n}" for n in itertools.count(10))  # one per test that trips the throttle


Answer = Tuple[int, Any, Dict[str, str]]


def http(port: int, method: str, path: str, body: Any = None, token: Optional[str] = None,
         headers: Optional[Dict[str, str]] = None, source: str = "127.0.0.1") -> Answer:
    """(status, parsed JSON, headers) of one request to the page's channel, sent from `source`."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    conn = HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    try:
        conn.request(method, PAGE + path, body=data, headers=sent)
        answer = conn.getresponse()
        raw = answer.read()
        return answer.status, json.loads(raw or b"null"), {k.lower(): v for k, v in answer.getheaders()}
    finally:
        conn.close()


def invite(servers, name: str, team: str = "", role: str = "rep") -> Tuple[Any, str]:
    """A new person in the servers' results database and their code, as a trainer would hand it over."""
    with PeopleStore(servers.results_db) as people:
        return people.invite(name, role=role, team=team, created_by="tests")


def sign_in(port: int, code: Any, source: str = "127.0.0.1") -> Answer:
    return http(port, "POST", "login", {"code": code}, source=source)


def signed_in(servers, name: str, team: str = "", role: str = "rep") -> Dict[str, Any]:
    """Invite `name` and sign in with the code: {"token", "sender", "name", "role", "team", "code"}."""
    _, code = invite(servers, name, team, role)
    status, body, _ = sign_in(servers.port, code)
    assert status == 200, body
    return {**body, "code": code}


def message(port: int, token: str, text: str = "老板说你们价格太高了", **extra: Any) -> Tuple[int, Any]:
    status, body, _ = http(port, "POST", "message", {"message": text, "id": "", **extra}, token=token)
    return status, body


def test_a_person_signs_in_with_their_own_code_and_nothing_else(servers):
    person, code = invite(servers, "王小明", team="华东")
    status, body, headers = sign_in(servers.port, code)
    assert status == 200 and headers["cache-control"] == "no-store"
    assert {k: body[k] for k in ("sender", "name", "role", "team")} == {
        "sender": person.person_id, "name": "王小明", "role": "rep", "team": "华东"}
    status, answer = message(servers.port, body["token"], sender="someone-else", name="Boss")
    assert status == 200 and answer["messages"]


def test_the_page_prefills_nothing(servers):
    with urllib.request.urlopen(f"http://127.0.0.1:{servers.port}{PAGE}") as response:
        html = response.read().decode()
    assert 'id="login-code"' in html and 'id="login-name"' not in html
    assert "coach-local" not in html and 'value="' not in html


def _refused(servers, token: str) -> None:
    assert message(servers.port, token)[:2] == (401, {"error": "Please sign in again."})
    assert http(servers.port, "GET", "state", token=token)[0] == 401


def test_forged_and_expired_tokens_are_refused(servers):
    rep = signed_in(servers, "forger")
    victim = signed_in(servers, "victim")
    body, signature = rep["token"].split(".")
    _refused(servers, victim["token"].split(".")[0] + "." + signature)  # someone else's claims, my signature
    _refused(servers, make_token(victim["sender"], 1, b"a guessed key", ttl=3600))
    key = signing_secret()  # the servers' own key (COACH_CHAT_SECRET or .state/chat_secret)
    _refused(servers, make_token(rep["sender"], 1, key, ttl=3600, now=0))  # well signed, long expired
    assert message(servers.port, make_token(rep["sender"], 1, key, ttl=3600))[0] == 200  # the same, fresh
    _refused(servers, make_token(rep["sender"], 2, key, ttl=3600))  # a version the person never had
    for junk in ("", "forged.token", "a.b.c", "x" * 3000):
        assert message(servers.port, junk)[0] == 401


def test_a_revoked_persons_token_code_and_replays_are_refused_at_once(servers):
    rep = signed_in(servers, "leaver")
    assert message(servers.port, rep["token"])[0] == 200
    with PeopleStore(servers.results_db) as people:
        assert people.revoke(rep["sender"])
    _refused(servers, rep["token"])
    _refused(servers, rep["token"])  # replayed: still refused
    status, body, _ = sign_in(servers.port, rep["code"], source=next(_addresses))
    assert (status, body["error"]) == (401, "This sign-in code is not valid. Ask your trainer for a new one.")


def test_a_new_code_ends_the_old_code_and_every_token(servers):
    rep = signed_in(servers, "lost phone")
    with PeopleStore(servers.results_db) as people:
        new = people.new_code(rep["sender"])
    _refused(servers, rep["token"])
    assert sign_in(servers.port, rep["code"], source=next(_addresses))[0] == 401
    status, body, _ = sign_in(servers.port, new)
    assert status == 200 and body["sender"] == rep["sender"]  # the same person: their results stay theirs
    assert message(servers.port, body["token"])[0] == 200


@pytest.fixture
def restored_key():
    """The key file as it was, put back after the test: other developers' servers on this machine
    sign with it too (rotating it logs their pages out, as it should in production)."""
    before = SECRET_FILE.read_bytes() if SECRET_FILE.is_file() else None
    yield
    if before is not None:
        spare = SECRET_FILE.with_name(".chat_secret.restore")
        spare.write_bytes(before)
        spare.chmod(0o600)
        spare.replace(SECRET_FILE)


def test_rotating_the_key_ends_every_token_at_once(servers, restored_key):
    rep = signed_in(servers, "rotated")
    assert message(servers.port, rep["token"])[0] == 200
    done = subprocess.run([sys.executable, "-m", "coach.people.cli", "rotate-key"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _refused(servers, rep["token"])
    status, body, _ = sign_in(servers.port, rep["code"])  # codes are unchanged: sign in again
    assert status == 200 and message(servers.port, body["token"])[0] == 200


def _log_tail(servers, start: int) -> str:
    return Path(servers.log).read_text(encoding="utf-8", errors="replace")[start:]


def test_a_guessing_burst_is_throttled_and_every_failure_logged(servers):
    target, code = invite(servers, "target")
    source, start = next(_addresses), len(Path(servers.log).read_text(encoding="utf-8", errors="replace"))
    secret = code.split(".")[1]
    guesses = [f"{target.person_id}.{c * 18}" for c in "abcdefg" if c * 18 != secret]
    answers = [sign_in(servers.port, guess, source=source) for guess in guesses[:6]]
    assert [a[0] for a in answers] == [401] * 5 + [429]
    status, body, headers = answers[5]
    assert 0 < int(headers["retry-after"]) <= 300
    assert "Too many sign-in attempts. Wait 5 minutes" in body["error"]
    assert sign_in(servers.port, code, source=source)[0] == 429  # not even the right code, from there
    assert sign_in(servers.port, code)[0] == 429  # nor for this person from anywhere else
    assert signed_in(servers, "bystander")["sender"]  # everyone else signs in as usual
    log = _log_tail(servers, start)
    tried = f"sign-in refused: address={source} person={target.person_id} reason="
    assert log.count(tried + "wrong code") == 5 and log.count(tried + "throttled") == 2
    assert f"address=127.0.0.1 person={target.person_id} reason=throttled" in log
    assert secret not in log and not any(guess.split(".")[1] in log for guess in guesses)


@pytest.mark.parametrize("path, method, body", [
    ("login", "POST", {"code": "rep-abc234.abcdefghjkmnpqrstu"}), ("message", "POST", {"message": "hi"}),
    ("state", "GET", None)])
def test_another_sites_origin_is_refused(servers, path, method, body):
    token = signed_in(servers, "origin")["token"]
    status, answer, _ = http(servers.port, method, path, body, token=token,
                             headers={"Origin": "https://evil.example"}, source=next(_addresses))
    assert status == 403 and "other sites" in answer["error"]


@pytest.mark.parametrize("text", SQL_NAMES + [HTML_NAME])
def test_sql_and_html_in_names_and_teams_are_data(servers, text):
    rep = signed_in(servers, text, team=text[:40])
    assert (rep["name"], rep["team"]) == (text, text[:40])  # verbatim: never run, never rendered here
    assert rep["sender"].startswith("rep-")  # the id comes from the credential, never from the name
    assert message(servers.port, rep["token"])[0] == 200
    with sqlite3.connect(servers.results_db) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        [(stored,)] = db.execute("SELECT name FROM people WHERE person_id = ?", (rep["sender"],))
    assert {"people", "results"} <= tables and stored == text


BAD_CODES = SQL_NAMES + [HTML_NAME, "coach-local", "", "rep-abc234.abcdefghjkmnpqrs\ud800", "ＲＥＰ",
                         "rep-abc234.abcdefghjkmnpqrstu" + "\u202e" * 50, 42, None, ["rep"], {"code": "x"}]


@pytest.mark.parametrize("code", BAD_CODES, ids=range(len(BAD_CODES)))
def test_codes_that_are_not_codes_get_a_clear_400(servers, code):
    status, body, _ = sign_in(servers.port, code, source=next(_addresses))
    assert status == 400 and "sign-in code" in body["error"] and "Traceback" not in body["error"]


def test_huge_and_broken_sign_in_bodies_are_4xx(servers):
    source = next(_addresses)
    assert sign_in(servers.port, "x" * 100_000, source=source)[0] == 413
    for raw in (b"{broken", b"[]", b'"code"'):
        assert http(servers.port, "POST", "login", raw, source=source)[0] == 400
    status, _, _ = http(servers.port, "POST", "login", b"code=x", source=source,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415
