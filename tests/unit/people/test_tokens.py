"""Signed tokens: the person, their token version and an expiry; and the key that signs them."""
from __future__ import annotations

import pytest

from coach.errors import CoachError
from coach.people import tokens
from coach.people.tokens import TOKEN_TTL, Claims, SigningKey, make_token, read_token, rotate_key

SECRET = b"test-secret"


def test_a_token_carries_person_version_and_expiry():
    token = make_token("rep-abc234", 3, SECRET, ttl=60, now=1000.0)
    assert read_token(token, SECRET, now=1059.0) == Claims("rep-abc234", 3, 1060)
    assert read_token(token, SECRET, now=1061.0) is None  # expired
    assert read_token(token, b"another-secret", now=1001.0) is None


def test_forged_and_junk_tokens_are_refused():
    token = make_token("rep-abc234", 1, SECRET, ttl=60, now=1000.0)
    body, signature = token.split(".")
    other = make_token("trn-abc234", 1, b"guessed", ttl=60, now=1000.0)
    assert read_token(other.split(".")[0] + "." + signature, SECRET, now=1001.0) is None
    unsigned = make_token("trn-abc234", 1, SECRET, ttl=10 ** 9, now=1000.0).split(".")[0]
    assert read_token(unsigned + "." + signature, SECRET, now=1001.0) is None
    for junk in ("", "a.b.c", "nodot", "...", "\x00.\x00", "\ud800.x", "x" * 5000, None, 7):
        assert read_token(junk, SECRET) is None


@pytest.mark.parametrize("claims", ['{"sub": "rep-abc234", "exp": 99999999999}',
                                    '{"sub": 5, "ver": 1, "exp": 99999999999}',
                                    '{"sub": "rep-abc234", "ver": "1", "exp": 99999999999}',
                                    '["rep-abc234", 1]', '"rep"'])
def test_well_signed_tokens_with_bad_claims_are_refused(claims):
    body = tokens._b64(claims.encode())
    assert read_token(f"{body}.{tokens._sign(body, SECRET)}", SECRET, now=1.0) is None


def test_trainers_tokens_end_sooner_than_reps():
    assert TOKEN_TTL["trainer"] < TOKEN_TTL["rep"] and TOKEN_TTL["trainer"] <= 24 * 3600


def test_the_key_file_is_created_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("COACH_CHAT_SECRET", raising=False)
    path = tmp_path / "state" / "secret"
    first = tokens.signing_secret(path)
    assert first == tokens.signing_secret(path) and len(first) == 64
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv("COACH_CHAT_SECRET", "from-env")
    assert tokens.signing_secret(path) == b"from-env" == SigningKey(path).current()


def test_rotating_the_key_ends_every_token_at_once(tmp_path, monkeypatch):
    monkeypatch.delenv("COACH_CHAT_SECRET", raising=False)
    path = tmp_path / "secret"
    key = SigningKey(path)
    old = key.current()
    token = make_token("rep-abc234", 1, old, ttl=60)
    assert key.current() == old and read_token(token, key.current()) is not None
    assert rotate_key(path) == path
    assert key.current() != old and read_token(token, key.current()) is None
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret"]  # no temporary file left


def test_rotating_a_key_from_the_environment_says_where_to_change_it(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_CHAT_SECRET", "from-env")
    with pytest.raises(CoachError, match="COACH_CHAT_SECRET is set.*every Rasa server"):
        rotate_key(tmp_path / "secret")
    assert not (tmp_path / "secret").exists()
