"""Sign-in throttling: at most `limit` failures per key within a sliding `window` of seconds.

The web channel keys failures by client address and by the person id a code names, so neither a
guessing burst from one address nor a spread-out attack on one person gets more than a handful of
tries per window. Counts are kept in memory per process (a replica restart forgets them; the
codes' 89 random bits are the real defence), for at most `max_keys` keys, oldest dropped first.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from typing import Callable, Deque, Hashable, Iterable

DEFAULT_LIMIT = 5
DEFAULT_WINDOW = 300.0  # 5 minutes
MAX_KEYS = 10_000  # bounds memory under a flood of addresses


class Throttle:
    """Failures per key; `clock` is injectable (monotonic seconds) so tests need no waiting."""

    def __init__(self, limit: int = DEFAULT_LIMIT, window: float = DEFAULT_WINDOW,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_KEYS) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a throttle needs limit >= 1 and window > 0")
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._clock = clock
        self._failures: OrderedDict[Hashable, Deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: Hashable, now: float) -> Deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, *keys: Hashable) -> int:
        """Whole seconds until every key may try again; 0 if none of them is throttled now."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.limit:
                    wait = max(wait, times[-self.limit] + self.window - now)
        return math.ceil(wait) if wait > 0 else 0

    def fail(self, keys: Iterable[Hashable]) -> None:
        """Count one failure against each key."""
        now = self._clock()
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                times.append(now)
                self._failures[key] = times
                self._failures.move_to_end(key)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        """Clear a key's failures (a person who signed in correctly)."""
        with self._lock:
            self._failures.pop(key, None)
