"""The results backends, chosen by the URL scheme of COACH_RESULTS_DB (or --db).

A plain file path selects SQLite (coach/results/backends/sqlite.py); postgresql:// and postgres://
select PostgreSQL (coach/results/backends/postgres.py). Another database is one module with a
Backend subclass (coach/results/backends/base.py) registered here with `register_backend`.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Type, TypeVar

from coach.errors import ResultsStoreError
from coach.results.backends.base import Backend, Target, redact
from coach.results.backends.postgres import PostgresBackend
from coach.results.backends.sqlite import SQLiteBackend
from coach.settings import PATH_SCHEME, url_scheme

__all__ = ["BACKENDS", "Backend", "PostgresBackend", "SQLiteBackend", "accepted", "backend_for",
           "register_backend"]

B = TypeVar("B", bound=Type[Backend])

BACKENDS: Dict[str, Type[Backend]] = {}  # URL scheme (PATH_SCHEME: a file path) -> backend class


def register_backend(*schemes: str) -> Callable[[B], B]:
    """Class decorator: use this backend for targets with these URL schemes (PATH_SCHEME: file paths)."""
    def register(cls: B) -> B:
        for scheme in schemes:
            BACKENDS[scheme.lower()] = cls
        return cls
    return register


for _builtin in (SQLiteBackend, PostgresBackend):
    register_backend(*_builtin.schemes)(_builtin)


def accepted() -> List[str]:
    """What COACH_RESULTS_DB may start with, for messages: 'postgres://', 'postgresql://', ..."""
    return [f"{scheme}://" for scheme in sorted(BACKENDS) if scheme != PATH_SCHEME]


def backend_for(target: Target) -> Type[Backend]:
    """The backend class for a path or URL; ResultsStoreError naming the accepted schemes otherwise."""
    scheme = url_scheme(target)
    try:
        return BACKENDS[scheme]
    except KeyError:
        paths = "a file path for SQLite or to " if PATH_SCHEME in BACKENDS else ""
        raise ResultsStoreError(
            f"unsupported results database URL {redact(target)} (scheme {scheme!r}); set COACH_RESULTS_DB "
            f"(or --db) to {paths}a URL starting with one of: {', '.join(accepted())}") from None
