"""The backend registry: one module per database, chosen by URL scheme; the shared default store."""
from __future__ import annotations

from pathlib import Path

import pytest

from coach import cache
from coach.errors import CoachError, ResultsStoreError
from coach.results import backends
from coach.results.backends import BACKENDS, PostgresBackend, SQLiteBackend, accepted, backend_for
from coach.results.backends.base import Backend
from coach.results.store import default_store, reset_default_store
from coach.settings import PATH_SCHEME


def test_the_builtin_backends_are_registered_by_their_schemes() -> None:
    assert BACKENDS[PATH_SCHEME] is SQLiteBackend
    assert BACKENDS["postgresql"] is BACKENDS["postgres"] is PostgresBackend
    assert accepted() == ["postgres://", "postgresql://"]
    assert all(issubclass(cls, Backend) for cls in BACKENDS.values())


@pytest.mark.parametrize("target", ["mysql://coach@db/results", "sqlite://x.db", "HTTP://db/results"])
def test_an_unknown_scheme_is_a_results_store_error_naming_the_accepted_ones(target: str) -> None:
    with pytest.raises(ResultsStoreError) as info:
        backend_for(target)
    message = str(info.value)
    scheme = target.split("://")[0].lower()
    assert f"scheme {scheme!r}" in message
    assert "postgres://, postgresql://" in message and "a file path for SQLite" in message
    assert "COACH_RESULTS_DB" in message and "--db" in message  # where to fix it
    assert isinstance(info.value, CoachError) and isinstance(info.value, RuntimeError)


def test_a_registered_backend_is_named_in_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "BACKENDS", dict(BACKENDS))
    backends.register_backend("Redis")(SQLiteBackend)  # schemes are matched in lower case
    assert backend_for("redis://somewhere") is SQLiteBackend
    with pytest.raises(ResultsStoreError, match="postgres://, postgresql://, redis://"):
        backend_for("mysql://db")


def test_without_a_path_backend_file_paths_are_not_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "BACKENDS", {"postgresql": PostgresBackend})
    with pytest.raises(ResultsStoreError) as info:
        backend_for("/srv/results.db")
    assert "scheme ''" in str(info.value) and "file path" not in str(info.value)
    assert "to a URL starting with one of: postgresql://" in str(info.value)


def test_the_default_store_is_reset_in_the_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_RESULTS_DB", str(tmp_path / "results.db"))
    first = default_store()
    reset_default_store()
    assert first.closed
    second = default_store()
    assert second is not first and not second.closed
    assert "coach.results.store.default_store" in cache.names()
    cache.reset_all()  # resets every process-wide cache, the shared store included
    assert second.closed and default_store() is not second
    reset_default_store()
