"""Sign-in codes: `<person_id>.<secret>`, generated here, stored only as an Argon2 hash of the secret.

The person id in front makes a code self-locating: signing in reads one row and runs one Argon2
verify, never a scan over everyone's hashes. Ids and secrets use lowercase letters and digits
without look-alikes (no 0/o, 1/l/i), so a code read aloud or copied from paper still works;
typed codes are lower-cased and stripped of spaces before they are parsed.
"""
from __future__ import annotations

import re
import secrets
from typing import Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES = ("rep", "trainer")
ID_PREFIX = {"rep": "rep", "trainer": "trn"}
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # 31 symbols, no look-alikes
ID_LENGTH = 6  # 31**6 ≈ 8.9e8 ids per role: collisions are retried (store.py)
SECRET_LENGTH = 18  # 31**18 ≈ 2**89: beyond guessing even without the sign-in throttle
MAX_CODE = 100  # anything longer is not a code: refused before any hashing
PERSON_ID = re.compile(rf"^(?:{'|'.join(ID_PREFIX.values())})-[{ALPHABET}]{{{ID_LENGTH}}}$")
_SECRET = re.compile(rf"^[{ALPHABET}]{{{SECRET_LENGTH}}}$")

# The secret is random (89 bits), not a person's password, so the hash only has to make a stolen
# database useless, not resist a dictionary: OWASP's minimum Argon2id profile (19 MiB, t=2) keeps
# a sign-in at ~25 ms on a 2-core machine instead of ~150 ms with the library's defaults.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Verified against when the person id is unknown, so a wrong id takes as long as a wrong secret.
_DUMMY_HASH = HASHER.hash(secrets.token_hex(16))


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_person_id(role: str) -> str:
    """A fresh id for a person of `role`, e.g. rep-k3m9q2 or trn-x7wpa4."""
    if role not in ID_PREFIX:
        raise ValueError(f"role {role!r} is not one of {', '.join(ROLES)}")
    return f"{ID_PREFIX[role]}-{_random(ID_LENGTH)}"


def new_secret() -> str:
    return _random(SECRET_LENGTH)


def make_code(person_id: str, secret: str) -> str:
    return f"{person_id}.{secret}"


def parse_code(code: object) -> Tuple[str, str]:
    """(person_id, secret) of a sign-in code; ValueError saying what a code looks like otherwise."""
    if not isinstance(code, str) or len(code) > MAX_CODE:
        raise ValueError("A sign-in code is text like rep-abc234.xxxxxxxxxxxxxxxxxx (from your trainer).")
    cleaned = "".join(code.split()).lower()
    person_id, _, secret = cleaned.partition(".")
    if not PERSON_ID.match(person_id) or not _SECRET.match(secret):
        raise ValueError("This is not a sign-in code: it looks like rep-abc234.xxxxxxxxxxxxxxxxxx. "
                         "Copy it again from your trainer's message, or use the sign-in link.")
    return person_id, secret


def is_person_id(text: str) -> bool:
    return bool(PERSON_ID.match(text))


def hash_secret(secret: str) -> str:
    return HASHER.hash(secret)


def verify_secret(secret_hash: str, secret: str) -> bool:
    """True if `secret` matches the stored hash; False for a mismatch or a damaged hash."""
    try:
        return HASHER.verify(secret_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def burn_time(secret: str) -> None:
    """One verify that can't succeed: an unknown person costs what a wrong secret costs."""
    verify_secret(_DUMMY_HASH, secret)
