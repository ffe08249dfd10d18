"""Reps and trainers in the results database (the `people` table, coach/results/backends/base.py).

A person is invited by a trainer (or, for the first trainer, from the command line) and gets a
sign-in code shown once (coach/people/codes.py); only its Argon2 hash is kept. `token_version`
goes up on every new code and on revoking, which ends the person's tokens at once
(coach/people/tokens.py). Like ResultsStore, one backend connection per store behind a lock, and
a process-wide store for COACH_RESULTS_DB that reopens when the variable changes.
"""
from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass
from typing import List, NamedTuple, Optional, Tuple

from coach.errors import ResultsStoreError
from coach.people import codes
from coach.people.codes import ROLES
from coach.results.backends.base import Row
from coach.results.shared import DatabaseStore, SharedStore

MAX_NAME = 40
MAX_TEAM = 40
_ID_ATTEMPTS = 5  # fresh ids to try if one is taken (1 in ~10^8 per try)
_FIELDS = "person_id, name, role, team, created_at, created_by, revoked_at"


class PersonNotFound(ValueError):
    """No person has this id."""


@dataclass(frozen=True)
class Person:
    person_id: str  # the Rasa sender id and results.rep_id
    name: str
    role: str  # one of ROLES
    team: str
    created_at: float
    created_by: str  # a trainer's person_id, or "cli"
    revoked_at: Optional[float]

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Verdict(NamedTuple):
    """What a sign-in code gets: the person ("ok") or None and why, and the token_version to sign."""

    person: Optional[Person]
    reason: str  # "ok", "unknown person", "wrong code", "revoked"
    version: int


def clean_field(value: object, field: str, limit: int, required: bool = True) -> str:
    """Trimmed, NFKC, inner spaces collapsed; ValueError naming the problem and the fix."""
    if not isinstance(value, str):
        raise ValueError(f"The {field} must be text.")
    text = unicodedata.normalize("NFKC", value).strip()
    bad = next((ch for ch in text if unicodedata.category(ch)[0] == "C"), None)
    if bad is not None:  # a line break, a zero-width or direction mark: invisible in every list
        raise ValueError(f"The {field} contains an invisible or control character (U+{ord(bad):04X}); "
                         "remove it and type the text again.")
    text = " ".join(text.split())  # only spaces are left to collapse
    if required and not text:
        raise ValueError(f"Enter a {field}.")
    if len(text) > limit:
        raise ValueError(f"The {field} has {len(text)} characters; use at most {limit}.")
    return text


def _person(row: Row) -> Person:
    return Person(row[0], row[1], row[2], row[3], float(row[4]), row[5],
                  None if row[6] is None else float(row[6]))


class PeopleStore(DatabaseStore):
    """Reps and trainers in SQLite (a file path) or PostgreSQL (a URL); safe to share by threads."""

    kind = "people store"

    def invite(self, name: str, role: str = "rep", team: str = "",
               created_by: str = "cli") -> Tuple[Person, str]:
        """A new person and their sign-in code (shown once: only its hash is kept)."""
        if role not in ROLES:
            raise ValueError(f"Unknown role {role!r}; use one of: {', '.join(ROLES)}.")
        name = clean_field(name, "name", MAX_NAME)
        team = clean_field(team, "team", MAX_TEAM, required=False)
        secret = codes.new_secret()
        secret_hash, now = codes.hash_secret(secret), time.time()
        for _ in range(_ID_ATTEMPTS):
            person_id = codes.new_person_id(role)
            added = self._execute(
                "INSERT INTO people (person_id, name, role, team, secret_hash, token_version, created_at, "
                "created_by) VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (person_id) DO NOTHING",
                (person_id, name, role, team, secret_hash, now, str(created_by)))
            if added:
                return Person(person_id, name, role, team, now, str(created_by), None), \
                    codes.make_code(person_id, secret)
        raise ResultsStoreError(f"could not find a free person id in {_ID_ATTEMPTS} tries; try again")

    def new_code(self, person_id: str) -> str:
        """A new code for the person (a revoked one is let back in); the old code and tokens stop working."""
        secret = codes.new_secret()
        changed = self._execute(
            "UPDATE people SET secret_hash = ?, token_version = token_version + 1, revoked_at = NULL "
            "WHERE person_id = ?", (codes.hash_secret(secret), person_id))
        if not changed:
            raise PersonNotFound(f"No person has the id {person_id!r}; `list` shows everyone's id.")
        return codes.make_code(person_id, secret)

    def revoke(self, person_id: str) -> bool:
        """End the person's access and tokens now; False if unknown or already revoked."""
        return bool(self._execute(
            "UPDATE people SET revoked_at = ?, token_version = token_version + 1 "
            "WHERE person_id = ? AND revoked_at IS NULL", (time.time(), person_id)))

    def get(self, person_id: str) -> Optional[Person]:
        rows = self._fetch(f"SELECT {_FIELDS} FROM people WHERE person_id = ?", (person_id,))
        return _person(rows[0]) if rows else None

    def people(self, role: Optional[str] = None) -> List[Person]:
        """Everyone (or one role), revoked included, sorted by team, name (the same on every database)."""
        where, params = ("WHERE role = ?", (role,)) if role is not None else ("", ())
        found = [_person(row) for row in self._fetch(f"SELECT {_FIELDS} FROM people {where}", params)]
        return sorted(found, key=lambda p: (p.team, p.name, p.person_id))

    def verify(self, code: str) -> Verdict:
        """The person a code signs in, or None and why; ValueError (saying what a code looks like) for
        text that is not a code at all."""
        person_id, secret = codes.parse_code(code)
        rows = self._fetch(f"SELECT {_FIELDS}, secret_hash, token_version FROM people WHERE person_id = ?",
                           (person_id,))
        if not rows:
            codes.burn_time(secret)
            return Verdict(None, "unknown person", 0)
        person, version = _person(rows[0]), int(rows[0][8])
        if not codes.verify_secret(rows[0][7], secret):  # before the revoked check: same time either way
            return Verdict(None, "wrong code", 0)
        return Verdict(person, "ok", version) if person.active else Verdict(None, "revoked", 0)

    def sign_in(self, code: str) -> Optional[Person]:
        """The person a code belongs to; None for a wrong, unknown or revoked one (ValueError: not a code)."""
        return self.verify(code).person

    def token_version(self, person_id: str) -> Optional[int]:
        """The person's current token version; None if unknown or revoked."""
        rows = self._fetch("SELECT token_version FROM people WHERE person_id = ? AND revoked_at IS NULL",
                           (person_id,))
        return int(rows[0][0]) if rows else None

    def current(self, person_id: str, version: int) -> Optional[Person]:
        """The person if active and still at token `version` (one query per request); else None."""
        rows = self._fetch(f"SELECT {_FIELDS} FROM people WHERE person_id = ? AND token_version = ? "
                           "AND revoked_at IS NULL", (person_id, version))
        return _person(rows[0]) if rows else None


_shared: SharedStore[PeopleStore] = SharedStore(PeopleStore, f"{__name__}.default_people")


def default_people() -> PeopleStore:
    """The process-wide store for settings.current().results_db."""
    return _shared.get()


reset_default_people = _shared.reset
