"""The drills of a folder, kept loaded and reloaded when a file is added, changed or removed.

A new or edited drill is live without retraining or restarting: `refresh()` is a stat per file,
throttled, so callers may use the library on every message (docs/drills.md).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

from coach.cache import process_cache
from coach.content.drills import DEFAULT_DIR, Drill, drill_files, drills_dir, load_drill
from coach.content.playbook import OBJECTION_INTENTS, SITUATION_INTENTS, Playbook, default_playbook
from coach.errors import Problem

logger = logging.getLogger(__name__)


@dataclass
class _Entry:
    signature: tuple[int, int]  # (mtime_ns, size) when loaded
    drill: Optional[Drill]
    problems: list[Problem] = field(default_factory=list)


class DrillLibrary:
    """All valid drills of a folder, reloaded when a file is added, changed or removed."""

    def __init__(self, folder: Union[str, Path] = DEFAULT_DIR, playbook: Optional[Playbook] = None,
                 min_interval: float = 1.0) -> None:
        self.folder = Path(folder)
        self._playbook = playbook
        self._entries: dict[Path, _Entry] = {}
        self._min_interval = min_interval
        self._checked = float("-inf")
        self._lock = threading.Lock()
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> bool:
        """Reload what changed on disk; True if the set of drills changed."""
        now = time.monotonic()
        if not force and now - self._checked < self._min_interval:
            return False
        with self._lock:
            self._checked = now
            seen = set(drill_files(self.folder))
            changed = False
            for path in sorted(seen):
                changed = self._reload(path) or changed
            for gone in set(self._entries) - seen:
                del self._entries[gone]
                logger.info("drill %s removed", gone.name)
                changed = True
            return changed

    def _reload(self, path: Path) -> bool:
        """Load one file again if it changed since last time; True if it did."""
        try:
            stat = path.stat()
        except OSError:  # removed between listing and reading: the next refresh drops it
            return False
        signature = (stat.st_mtime_ns, stat.st_size)
        entry = self._entries.get(path)
        if entry is not None and entry.signature == signature:
            return False
        drill, problems = load_drill(path, self._playbook)
        self._entries[path] = _Entry(signature, drill, problems)
        if problems:
            logger.warning("drill %s skipped:\n%s", path.name, "\n".join(map(str, problems)))
        else:
            logger.info("drill %s loaded", path.name)
        return True

    def get(self, drill_id: str) -> Optional[Drill]:
        self.refresh()
        return next((e.drill for e in self._entries.values() if e.drill and e.drill.id == drill_id), None)

    def all(self) -> list[Drill]:
        """Valid drills, by objection (playbook order), difficulty, id."""
        self.refresh()
        order = {intent: i for i, intent in enumerate(OBJECTION_INTENTS + SITUATION_INTENTS)}
        drills = [e.drill for e in self._entries.values() if e.drill is not None]
        return sorted(drills, key=lambda d: (order.get(d.objections[0], 99), d.difficulty, d.id))

    def problems(self) -> list[Problem]:
        self.refresh()
        return [p for e in self._entries.values() for p in e.problems]


@process_cache(maxsize=4)
def _library(folder: str) -> DrillLibrary:
    return DrillLibrary(folder, default_playbook())


def default_library() -> DrillLibrary:
    """The process-wide library for $COACH_DRILLS_DIR (default data/drills)."""
    return _library(str(drills_dir()))
