"""The web chat's credentials and message shaping, without a server."""
from __future__ import annotations

import pytest

from coach.server.channels.auth import check_code, make_token, read_token, sender_for, signing_secret
from coach.server.channels.web import merge

SECRET = b"test-secret"


def test_token_roundtrip_and_tampering():
    token = make_token("王小明", SECRET, now=1000.0)
    assert read_token(token, SECRET, now=1001.0) == "王小明"
    body, signature = token.split(".")
    forged = make_token("rep-other", b"guessed", now=1000.0).split(".")[0] + "." + signature
    assert read_token(forged, SECRET, now=1001.0) is None
    assert read_token(token, b"another-secret", now=1001.0) is None
    assert read_token(token, SECRET, now=1000.0 + 31 * 24 * 3600) is None  # expired
    for junk in ("", "a.b.c", "nodot", "...", "\x00.\x00"):
        assert read_token(junk, SECRET) is None


@pytest.mark.parametrize("name, sender", [("  王小明 ", "王小明"), ("ＲＥＰ－７", "REP-7"),
                                          ("a\x00b\nc", "abc"),
                                          ("<script>", "<script>"), ("Anna  Lee", "Anna Lee")])
def test_sender_ids_are_cleaned_but_kept(name, sender):
    assert sender_for(name) == sender


@pytest.mark.parametrize("name", ["", "   ", "\x00\x01", "x" * 41])
def test_bad_names_are_refused_with_a_message(name):
    with pytest.raises(ValueError, match="name|characters"):
        sender_for(name)


def test_access_code_from_the_environment(monkeypatch):
    assert check_code("coach-local")
    monkeypatch.setenv("COACH_ACCESS_CODE", "team-42")
    assert check_code("team-42") and not check_code("coach-local")


def test_signing_secret_is_created_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("COACH_CHAT_SECRET", raising=False)
    path = tmp_path / "secret"
    first = signing_secret(path)
    assert first == signing_secret(path) and len(first) == 64
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv("COACH_CHAT_SECRET", "from-env")
    assert signing_secret(path) == b"from-env"


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
