"""Credentials for the web chat: a person's own sign-in code once per device, then a signed token.

The code (coach/people/codes.py) names its person, so a sign-in is one row and one Argon2 verify.
The token (coach/people/tokens.py) carries the person id and their token_version; every request
checks it against the people table, so a revoked person, a new code or a rotated key ends it at
once. Sign-in failures are throttled per client address and per person, and each is logged on one
line (address, person id tried, reason; never the code). README, "Signing in".
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable, Dict, List, Optional, Tuple

from sanic.request import Request

from coach.errors import InboundError
from coach.people import PeopleStore, Person, default_people
from coach.people.codes import parse_code
from coach.people.throttle import Throttle
from coach.people.tokens import TOKEN_TTL, SigningKey, make_token, read_token

logger = logging.getLogger(__name__)

SIGN_IN_AGAIN = "Please sign in again."
WRONG_CODE = "This sign-in code is not valid. Ask your trainer for a new one."
TRAINERS_ONLY = "Only trainers can open this. Sign in with a trainer's code, or ask a trainer."


class Throttled(InboundError):
    """429: too many failed sign-ins; `retry_after` seconds until the next try is taken."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        plural = "s" if minutes != 1 else ""
        super().__init__(429, f"Too many sign-in attempts. Wait {minutes} minute{plural} and try again, "
                              "or use the sign-in link your trainer sent.")
        self.retry_after = retry_after


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header[7:] if header.startswith("Bearer ") else ""


def client_address(request: Request) -> str:
    """The client's address: the proxy's forwarded one when Sanic is configured to trust it."""
    return str(request.remote_addr or request.ip or "unknown")


def person_for_token(token: str, key: bytes, store: PeopleStore) -> Optional[Person]:
    """The active person a well-signed, unexpired token names, if it is still at their token_version."""
    claims = read_token(token, key)
    return None if claims is None else store.current(claims.person_id, claims.version)


def _keys(address: str, person_id: str) -> List[Tuple[str, str]]:
    """The throttle's keys for an attempt: its address, and the person its code names (if any)."""
    return [("address", address)] + ([("person", person_id)] if person_id else [])


class SignIn:
    """Codes to tokens, with the throttle and the failure log."""

    def __init__(self, key: SigningKey, throttle: Optional[Throttle] = None,
                 people: Callable[[], PeopleStore] = default_people) -> None:
        self.key = key
        self.throttle = throttle or Throttle()
        self._people = people
        # One Argon2 verify at a time: a burst sent at once can't slip past the throttle before its
        # failures are counted, nor take both cores (a verify is ~25 ms: 40 sign-ins a second).
        self._verifying = asyncio.Lock()

    def person(self, request: Request) -> Optional[Person]:
        return person_for_token(bearer(request), self.key.current(), self._people())

    def _refuse(self, address: str, person_id: str, reason: str, error: InboundError) -> InboundError:
        logger.warning("sign-in refused: address=%s person=%s reason=%s", address, person_id or "-", reason)
        if not isinstance(error, Throttled):
            self.throttle.fail(_keys(address, person_id))
        return error

    def _check_throttle(self, address: str, person_id: str = "") -> None:
        wait = self.throttle.retry_after(*_keys(address, person_id))
        if wait:
            raise self._refuse(address, person_id, "throttled", Throttled(wait))

    async def __call__(self, code: object, address: str) -> Dict[str, Any]:
        """{"token", "sender", "name", "role", "team"} for a good code; InboundError if refused."""
        try:
            person_id, malformed = parse_code(code)[0], ""
        except ValueError as exc:
            person_id, malformed = "", str(exc)
        self._check_throttle(address, person_id)  # before any answer: a throttled guess learns nothing
        if malformed:
            raise self._refuse(address, "", "malformed code", InboundError(400, malformed))
        async with self._verifying:
            self._check_throttle(address, person_id)  # failures counted while this one waited
            # Off the event loop: other reps' messages go on meanwhile.
            verdict = await asyncio.to_thread(self._people().verify, str(code))
            person = verdict.person
            if person is None:
                raise self._refuse(address, person_id, verdict.reason, InboundError(401, WRONG_CODE))
        self.throttle.forget(("person", person_id))
        token = make_token(person.person_id, verdict.version, self.key.current(), TOKEN_TTL[person.role])
        return {"token": token, "sender": person.person_id, "name": person.name, "role": person.role,
                "team": person.team}
