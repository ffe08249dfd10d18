"""Sign-in codes: self-locating, random, parsed strictly, stored only as Argon2 hashes."""
from __future__ import annotations

import pytest

from coach.people import codes


@pytest.mark.parametrize("role, prefix", [("rep", "rep-"), ("trainer", "trn-")])
def test_person_ids_name_their_role_and_are_lowercase_ascii(role, prefix):
    ids = {codes.new_person_id(role) for _ in range(50)}
    assert len(ids) == 50
    for person_id in ids:
        assert person_id.startswith(prefix) and person_id.isascii() and person_id == person_id.lower()
        assert codes.is_person_id(person_id)


def test_an_unknown_role_gets_no_id():
    with pytest.raises(ValueError, match="rep, trainer"):
        codes.new_person_id("admin")


def test_a_code_names_its_person_and_parses_back():
    person_id, secret = codes.new_person_id("rep"), codes.new_secret()
    code = codes.make_code(person_id, secret)
    assert codes.parse_code(code) == (person_id, secret)
    # typed from paper: capitals and spaces are forgiven
    assert codes.parse_code("  " + code.upper().replace(".", " . ") + "\n") == (person_id, secret)


def test_secrets_are_long_random_and_without_look_alikes():
    secrets = {codes.new_secret() for _ in range(200)}
    assert len(secrets) == 200
    assert all(len(s) == codes.SECRET_LENGTH for s in secrets)
    assert not set("".join(secrets)) & set("01ilo")


@pytest.mark.parametrize("text", [
    "", "coach-local", "rep-abc234", "rep-abc234.", ".abcdefghjkmnpqrstu", "adm-abc234.abcdefghjkmnpqrstu",
    "rep-abc234.abcdefghjkmnpqrst",  # one character short
    "rep-abc234.abcdefghjkmnpqrst0",  # a look-alike that is never issued
    "rep-abc234.abcdefghjkmnpqrstu.x", "'; DROP TABLE people; --", "<img src=x onerror=alert(1)>",
    "rep-abc234.abcdefghjkmnpqrs\ud800", "rep-abc234.ａｂｃdefghjkmnpqrstu", "x" * 5000, None, 42, ["rep"],
])
def test_anything_else_is_not_a_code_and_says_what_one_looks_like(text):
    with pytest.raises(ValueError, match="rep-abc234"):
        codes.parse_code(text)


def test_the_hash_verifies_the_secret_only():
    secret = codes.new_secret()
    stored = codes.hash_secret(secret)
    assert stored.startswith("$argon2id$") and secret not in stored
    assert codes.verify_secret(stored, secret)
    assert not codes.verify_secret(stored, codes.new_secret())
    assert not codes.verify_secret("not a hash", secret)
    assert codes.hash_secret(secret) != stored  # salted
