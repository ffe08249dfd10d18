"""The web chat channel over HTTP against the running coach: the page, login, tokens, retries.

Credentials and message shaping without a server: tests/unit/server/channels/test_web.py.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request


def _call(port, path, body=None, token=None, headers=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/coach/{path}", data=data,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null"), dict(exc.headers)


def _login(port, name):
    status, body, _ = _call(port, "login", {"name": name, "code": "coach-local"})
    assert status == 200, body
    return body["token"]


def test_page_is_served_with_a_strict_content_policy(servers):
    with urllib.request.urlopen(f"http://127.0.0.1:{servers.port}/webhooks/coach/") as response:
        assert response.status == 200 and b"<html" in response.read().lower()
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "Access-Control-Allow-Origin" not in response.headers
    status, _, _ = _call(servers.port, "static/..%2F..%2Fcredentials.yml")
    assert status == 404


def test_login_needs_the_team_code(servers):
    assert _call(servers.port, "login", {"name": "a", "code": "wrong"})[0] == 401
    assert _call(servers.port, "login", {"name": "", "code": "coach-local"})[0] == 400
    assert _call(servers.port, "login", b"{not json")[0] == 400


def test_messages_need_a_valid_token_and_well_formed_json(servers):
    assert _call(servers.port, "message", {"message": "hi", "id": "1"})[0] == 401
    assert _call(servers.port, "message", {"message": "hi", "id": "1"}, token="forged.token")[0] == 401
    token = _login(servers.port, "web-api")
    assert _call(servers.port, "message", b"{broken", token=token)[0] == 400
    assert _call(servers.port, "message", {"text": "hi"}, token=token)[0] == 400
    assert _call(servers.port, "message", {"message": "x" * 2001, "id": "long"}, token=token)[0] == 413
    assert _call(servers.port, "message", {"message": "hi"}, token=token,
                 headers={"Origin": "http://evil.example"})[0] == 403


def test_a_retried_message_is_answered_once(servers):
    token = _login(servers.port, "web-retry")
    first = _call(servers.port, "message", {"message": "练习价格异议", "id": "start"}, token=token)
    reply = _call(servers.port, "message", {"message": "理解您", "id": "r1"}, token=token)
    again = _call(servers.port, "message", {"message": "理解您", "id": "r1"}, token=token)
    assert first[0] == reply[0] == again[0] == 200 and reply[1] == again[1]
    turns = [m["custom"]["turn"] for m in reply[1]["messages"]
             if (m.get("custom") or {}).get("type") == "customer_line"]
    assert turns == [1]
    nxt = _call(servers.port, "message", {"message": "您主要担心什么？", "id": "r2"}, token=token)
    assert [m["custom"]["turn"] for m in nxt[1]["messages"] if m["custom"]["type"] == "customer_line"] == [2]


def test_each_rep_only_reaches_their_own_conversation(servers):
    alice, bob = _login(servers.port, "web-alice"), _login(servers.port, "web-bob")
    _call(servers.port, "message", {"message": "练习价格异议", "id": "a1"}, token=alice)
    status, body, _ = _call(servers.port, "message", {"message": "我的成绩", "id": "b1"}, token=bob)
    kinds = [m["custom"]["type"] for m in body["messages"] if m.get("custom")]
    assert status == 200 and kinds == ["progress"]  # Bob is not inside Alice's drill
