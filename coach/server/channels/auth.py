"""Credentials for the web chat: a team access code to log in, then a signed token per rep.

The token carries the rep's sender id and an expiry, signed with HMAC-SHA256, so the server
needs no session table and one rep cannot post as another. Secrets come from the environment;
the defaults are for a laptop only (README, "Web chat: secrets").
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import unicodedata
from pathlib import Path
from typing import Optional

from coach import settings
from coach.settings import STATE_DIR

TOKEN_TTL = 30 * 24 * 3600  # a month: reps should not have to log in before every visit
MAX_NAME = 40
SECRET_FILE = STATE_DIR / "chat_secret"


def access_code() -> str:
    return settings.current().access_code


def signing_secret(path: Path = SECRET_FILE) -> bytes:
    """$COACH_CHAT_SECRET, else a random secret created once in .state/ (so tokens survive restarts)."""
    configured = settings.current().chat_secret
    if configured:
        return configured.encode()
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def check_code(given: str) -> bool:
    return hmac.compare_digest(given.encode(), access_code().encode())


def sender_for(name: str) -> str:
    """The sender id for a rep's name or id: trimmed, NFKC, no control characters, ≤ 40 characters."""
    cleaned = "".join(ch for ch in unicodedata.normalize("NFKC", name or "")
                      if unicodedata.category(ch)[0] != "C")
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise ValueError("Enter your name or rep id.")
    if len(cleaned) > MAX_NAME:
        raise ValueError(f"A name or id has at most {MAX_NAME} characters.")
    return cleaned


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(sender: str, secret: bytes, now: Optional[float] = None, ttl: int = TOKEN_TTL) -> str:
    claims = {"sub": sender, "exp": int((now or time.time()) + ttl)}
    body = _b64(json.dumps(claims, ensure_ascii=False).encode())
    signature = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


def read_token(token: str, secret: bytes, now: Optional[float] = None) -> Optional[str]:
    """The sender id in a valid, unexpired token; None for anything else."""
    try:
        body, signature = token.split(".")
        expected = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(signature, expected):
            return None
        claims = json.loads(_unb64(body))
        if claims["exp"] < (now or time.time()):
            return None
        return str(claims["sub"])
    except (ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None
