"""The web chat channel over HTTP against the running coach: the page, sign-in, tokens, retries.

Sign-in without a server: tests/unit/server/channels/test_web.py; codes, revoking, the throttle
against the server: tests/integration/test_sign_in.py (which also has the helpers used here).
"""
from __future__ import annotations

import urllib.request

from tests.integration.test_sign_in import http, sign_in, signed_in


def _call(port, path, body=None, token=None, headers=None):
    return http(port, "GET" if body is None else "POST", path, body, token, headers)


def test_page_is_served_with_a_strict_content_policy(servers):
    with urllib.request.urlopen(f"http://127.0.0.1:{servers.port}/webhooks/coach/") as response:
        assert response.status == 200 and b"<html" in response.read().lower()
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "Access-Control-Allow-Origin" not in response.headers
    status, _, _ = _call(servers.port, "static/..%2F..%2Fcredentials.yml")
    assert status == 404


def test_sign_in_needs_a_persons_code(servers):
    assert sign_in(servers.port, "rep-abc234.abcdefghjkmnpqrstu", source="127.0.0.3")[0] == 401
    assert sign_in(servers.port, "coach-local", source="127.0.0.3")[0] == 400  # the old team code is gone
    assert _call(servers.port, "login", b"{not json")[0] == 400


def test_messages_need_a_valid_token_and_well_formed_json(servers):
    assert _call(servers.port, "message", {"message": "hi", "id": "1"})[0] == 401
    assert _call(servers.port, "message", {"message": "hi", "id": "1"}, token="forged.token")[0] == 401
    token = signed_in(servers, "web-api")["token"]
    assert _call(servers.port, "message", b"{broken", token=token)[0] == 400
    assert _call(servers.port, "message", {"text": "hi"}, token=token)[0] == 400
    assert _call(servers.port, "message", {"message": "x" * 2001, "id": "long"}, token=token)[0] == 413
    assert _call(servers.port, "message", {"message": "hi"}, token=token,
                 headers={"Origin": "http://evil.example"})[0] == 403


def test_a_retried_message_is_answered_once(servers):
    token = signed_in(servers, "web-retry")["token"]
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
    alice, bob = signed_in(servers, "web-alice")["token"], signed_in(servers, "web-bob")["token"]
    _call(servers.port, "message", {"message": "练习价格异议", "id": "a1"}, token=alice)
    status, body, _ = _call(servers.port, "message", {"message": "我的成绩", "id": "b1"}, token=bob)
    kinds = [m["custom"]["type"] for m in body["messages"] if m.get("custom")]
    assert status == 200 and kinds == ["progress"]  # Bob is not inside Alice's drill
