"""What the stores in the results database share (results, people, assignments).

`DatabaseStore` is one open backend guarded by a lock: the action server calls from its asyncio
thread, but nothing stops a caller from using worker threads. `SharedStore` keeps one
process-wide instance that follows $COACH_RESULTS_DB: reopened when the setting changes (tests)
or after close().
"""
from __future__ import annotations

import argparse
import threading
from pathlib import Path
from typing import Callable, Generic, List, Optional, TypeVar, Union

from coach import cache, settings
from coach.errors import ResultsStoreError
from coach.results.backends import Backend, backend_for
from coach.results.backends.base import Row, Target


def default_path() -> Union[Path, str]:
    """$COACH_RESULTS_DB if set (a Path, or the URL string as given), else .state/results.db."""
    return settings.current().results_db


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """--db for the commands that read the results database (report, people)."""
    parser.add_argument("--db", metavar="PATH|URL",
                        help="results database: a SQLite file or a postgresql://user:password@host:port/db "
                             "URL (default: $COACH_RESULTS_DB or .state/results.db)")


class DatabaseStore:
    """One connection to the results database; `kind` names the store in messages."""

    kind = "store"

    def __init__(self, target: Target) -> None:
        self.target = str(target)  # as given (may hold a password): only compared, never shown
        backend = backend_for(target)(target)
        self.backend: str = backend.name
        self.path: Union[str, Path] = backend.location  # safe to print: no password
        self._lock = threading.Lock()
        self._backend: Optional[Backend] = backend

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    def _open(self) -> Backend:
        if self._backend is None:
            raise ResultsStoreError(f"{self.kind} {self.path} is closed")
        return self._backend

    def _fetch(self, sql: str, params: Row) -> List[Row]:
        """Rows of one query written with '?' placeholders (replaced by the backend's)."""
        with self._lock:
            backend = self._open()
            return backend.fetch(sql.replace("?", backend.param), params)

    def _execute(self, sql: str, params: Row) -> int:
        """One writing statement written with '?' placeholders, in its own transaction."""
        with self._lock:
            backend = self._open()
            return backend.execute(sql.replace("?", backend.param), params)

    @property
    def closed(self) -> bool:
        return self._backend is None

    def close(self) -> None:
        with self._lock:
            if self._backend is not None:
                self._backend.close()
                self._backend = None

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


S = TypeVar("S", bound=DatabaseStore)


class SharedStore(Generic[S]):
    """The process-wide instance of one store class; `name` registers its reset with coach.cache."""

    def __init__(self, open_store: Callable[[Union[Path, str]], S], name: str) -> None:
        self._open = open_store
        self._lock = threading.Lock()
        self._store: Optional[S] = None
        cache.on_reset(name, self.reset)

    def get(self) -> S:
        path = default_path()
        with self._lock:
            store = self._store
            if store is None or store.closed or store.target != str(path):
                if store is not None:
                    store.close()
                store = self._store = self._open(path)
            return store

    def reset(self) -> None:
        """Close and forget the instance (tests; cache.reset_all() calls it too)."""
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = None
