"""Signed sign-in tokens and the key that signs them.

A token is `<claims>.<HMAC-SHA256>`; the claims are the person id, the person's token_version at
sign-in and an expiry. The server keeps no session table: each request checks the signature, the
expiry, and the version against the people table, so revoking a person or issuing a new code
(both bump token_version) ends every token of theirs at once.

The key is $COACH_CHAT_SECRET, else a random key created once in .state/chat_secret. `rotate_key`
replaces that file and `SigningKey` notices the new file on the next request: every token signed
with the old key stops working without a restart.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple

from coach import settings
from coach.errors import CoachError
from coach.secret_file import read_or_create, replace
from coach.settings import STATE_DIR

SECRET_FILE = STATE_DIR / "chat_secret"
# Reps sign in once per device and use the coach on their phone between store visits: a month
# spares them codes they would keep in chat apps, and revoking still ends a token at once.
# A trainer's token can invite and revoke people and read every rep's results: it ends within a
# working day, so a forgotten session on a shared laptop does not stay open.
TOKEN_TTL = {"rep": 30 * 24 * 3600, "trainer": 12 * 3600}


@dataclass(frozen=True)
class Claims:
    person_id: str
    version: int
    expires: int


def signing_secret(path: Path = SECRET_FILE) -> bytes:
    """$COACH_CHAT_SECRET, else a random secret created once in .state/ (so tokens survive restarts)."""
    configured = settings.current().chat_secret
    if configured:
        return configured.encode()
    return read_or_create(path, "COACH_CHAT_SECRET").encode()


def rotate_key(path: Path = SECRET_FILE) -> Path:
    """Replace the key file with a new random key (atomically); every token signed so far stops working."""
    if settings.current().chat_secret:
        raise CoachError("COACH_CHAT_SECRET is set, so the key is not in a file: set a new value in the "
                         "environment of every Rasa server and restart them.")
    return replace(path)


class SigningKey:
    """The current key: read again when the key file changes (rotate_key), else kept in memory."""

    def __init__(self, path: Path = SECRET_FILE) -> None:
        self.path = path
        self._seen: Optional[Tuple[int, int, int]] = None
        self._key = b""

    def current(self) -> bytes:
        if settings.current().chat_secret:
            return signing_secret(self.path)
        try:
            stat = self.path.stat()
            seen: Optional[Tuple[int, int, int]] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            seen = None
        if seen is None or seen != self._seen:
            self._key = signing_secret(self.path)
            stat = self.path.stat()
            self._seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        return self._key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(body: str, secret: bytes) -> str:
    return _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())


def make_token(person_id: str, version: int, secret: bytes, ttl: int, now: Optional[float] = None) -> str:
    claims = {"sub": person_id, "ver": version, "exp": int((time.time() if now is None else now) + ttl)}
    body = _b64(json.dumps(claims, ensure_ascii=False).encode())
    return f"{body}.{_sign(body, secret)}"


def read_token(token: object, secret: bytes, now: Optional[float] = None) -> Optional[Claims]:
    """The claims of a well-signed, unexpired token; None for anything else (forged, expired, junk)."""
    if not isinstance(token, str) or len(token) > 1000:
        return None
    try:
        body, signature = token.split(".")
        if not hmac.compare_digest(signature.encode(), _sign(body, secret).encode()):
            return None
        claims = json.loads(_unb64(body))
        person_id, version, expires = claims["sub"], claims["ver"], claims["exp"]
    except (ValueError, KeyError, TypeError, UnicodeError):
        return None
    if not (isinstance(person_id, str) and type(version) is int and type(expires) is int):
        return None
    if expires < (time.time() if now is None else now):
        return None
    return Claims(person_id, version, expires)
