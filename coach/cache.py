"""Process-wide caches, declared in the open so that tests can list and reset them.

`@process_cache` is `functools.lru_cache` that also registers the function, so `reset_all()`
empties every cache at once (settings, loaded content, models) instead of tests reaching into
private attributes. Process-wide state that is not a cached function (an open database store)
registers its own reset with `on_reset`.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict, List, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_registry: Dict[str, Callable[[], None]] = {}  # name -> what empties it


def process_cache(func: F = None, *, maxsize: int = 1) -> Any:  # type: ignore[assignment]
    """Decorator: `@process_cache` or `@process_cache(maxsize=4)`."""

    def wrap(f: F) -> F:
        cached = lru_cache(maxsize=maxsize)(f)
        _registry[f"{f.__module__}.{f.__qualname__}"] = cached.cache_clear
        return cached  # type: ignore[return-value]

    return wrap(func) if func is not None else wrap


def on_reset(name: str, clear: Callable[[], None]) -> None:
    """Register process-wide state that is not a cached function, so that reset_all() drops it too."""
    _registry[name] = clear


def names() -> List[str]:
    return sorted(_registry)


def reset_all() -> None:
    for clear in _registry.values():
        clear()
