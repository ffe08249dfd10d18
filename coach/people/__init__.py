"""Reps and trainers: who may sign in, with which code, in which role (the `people` table).

`PeopleStore` (store.py) invites people, issues and revokes codes and signs them in; codes.py makes
and checks the codes (Argon2 hashes), tokens.py the signed tokens and their key, throttle.py
limits sign-in failures, cli.py is `python -m coach.people.cli` (also `make trainer`).
"""
from __future__ import annotations

from coach.people.codes import ROLES
from coach.people.store import (
    PeopleStore,
    Person,
    PersonNotFound,
    Verdict,
    default_people,
    reset_default_people,
)

__all__ = ["ROLES", "PeopleStore", "Person", "PersonNotFound", "Verdict", "default_people",
           "reset_default_people"]
