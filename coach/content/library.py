"""The drills of a folder, kept live: read from an in-memory snapshot, reloaded in the background.

The action server asks the library for a drill on its event loop, on every drill message, so
readers (`get`, `all`, `problems`, `status`) never touch the disk. A daemon watcher stats the
folder every `min_interval` seconds, loads and checks what changed in its own thread and swaps the
new snapshot in whole. A file saved broken keeps its last good version live ("stale"), so reps in
the middle of that drill go on and their results are stored; a removed file's drill ends.
Drafts (`_name.yml`) are checked but never served (docs/drills.md).
"""
from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, List, Mapping, Optional, Union

from coach.cache import process_cache
from coach.content.drills import DEFAULT_DIR, Drill, drills_dir, folder_files, is_draft, load_drill
from coach.content.playbook import OBJECTION_INTENTS, SITUATION_INTENTS, Playbook, default_playbook
from coach.errors import Problem

logger = logging.getLogger(__name__)
TOO_LARGE = "E004"  # the code of a file refused by its size (coach.content.yaml_source)
_ORDER = {intent: i for i, intent in enumerate(OBJECTION_INTENTS + SITUATION_INTENTS)}


@dataclass(frozen=True)
class _Entry:
    """One file as last read: what it holds, and what reps are served from it."""

    file: Path
    signature: tuple[int, int, int]  # (mtime_ns, size, inode) when read: a rename over it counts
    state: str  # "ok", "broken", "stale", "too_large" or "draft"
    drill: Optional[Drill]  # served to reps: this version, the last good one, or none
    serving: Optional[str]  # "current", "last_good" or None
    drill_id: Optional[str]
    problems: tuple[Problem, ...]
    loaded_at: float  # time.time() when this version of the file was read

    def status(self) -> dict[str, Any]:
        return {"file": self.file.name, "drill_id": self.drill_id, "state": self.state,
                "serving": self.serving, "loaded_at": self.loaded_at,
                "problems": [{"line": p.line, "code": p.code, "message": p.message, "fix": p.fix}
                             for p in self.problems]}


@dataclass(frozen=True)
class _Snapshot:
    """Everything readers see; replaced whole, never changed in place."""

    entries: Mapping[Path, _Entry]
    by_id: Mapping[str, Drill]
    ordered: tuple[Drill, ...]  # by objection (playbook order), difficulty, id

    @classmethod
    def of(cls, entries: Mapping[Path, _Entry]) -> _Snapshot:
        served = [e.drill for e in entries.values() if e.drill is not None]
        ordered = sorted(served, key=lambda d: (_ORDER.get(d.objections[0], 99), d.difficulty, d.id))
        return cls(dict(entries), {d.id: d for d in ordered}, tuple(ordered))


def _signature(path: Path) -> Optional[tuple[int, int, int]]:
    try:
        stat = path.stat()
    except OSError:  # removed between listing and reading: the snapshot drops it
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _read(path: Path, signature: tuple[int, int, int], previous: Optional[_Entry],
          playbook: Optional[Playbook]) -> _Entry:
    """Load and check one file; a failed save keeps serving the last good version."""
    try:
        drill, problems = load_drill(path, playbook)
    except Exception as exc:  # a bug in a check must not stop the watcher nor drop a live drill
        logger.exception("drill %s: loading failed", path.name)
        drill, problems = None, [Problem.make("E001", path, None, detail=f"internal error: {exc!r}")]
    last_good = previous.drill if previous else None
    if is_draft(path):
        state, served = "draft", None
    elif drill is not None:
        state, served = "ok", drill
    else:
        served = last_good
        too_large = any(p.code == TOO_LARGE for p in problems)
        state = "too_large" if too_large else "stale" if last_good else "broken"
    serving = None if served is None else "current" if served is drill else "last_good"
    known = drill or last_good
    entry = _Entry(path, signature, state, served, serving, known.id if known else None, tuple(problems),
                   time.time())
    _log(entry)
    return entry


def _log(entry: _Entry) -> None:
    name, found = entry.file.name, "\n".join(map(str, entry.problems))
    if entry.serving == "last_good":
        logger.warning("drill %s not reloaded (%s); reps keep the last good version:\n%s", name, entry.state,
                       found)
    elif entry.problems:
        logger.warning("drill %s %s:\n%s", name, "draft has problems" if entry.state == "draft"
                       else "skipped", found)
    else:
        logger.info("drill %s loaded%s", name, " (a draft: not served)" if entry.state == "draft" else "")


def _watch(ref: weakref.ReferenceType[DrillLibrary], wake: threading.Event, interval: float) -> None:
    """The watcher thread: reload every `interval` seconds (or when woken) while the library lives."""
    while True:
        wake.wait(interval)
        wake.clear()
        library = ref()
        if library is None:
            return
        try:
            library.refresh(wait=True)
        except Exception:  # the next round tries again; readers keep the current snapshot
            logger.exception("drill folder %s: reload failed", library.folder)
        del library  # no strong reference while sleeping: an unused library is collected


class DrillLibrary:
    """The drills of a folder; readers get the latest snapshot, a watcher thread keeps it current.

    `watch=False`: no watcher; the snapshot changes only on `refresh(wait=True)` (tests).
    """

    def __init__(self, folder: Union[str, Path] = DEFAULT_DIR, playbook: Optional[Playbook] = None,
                 min_interval: float = 0.5, watch: bool = True) -> None:
        self.folder = Path(folder)
        self._playbook = playbook
        self._interval = max(min_interval, 0.05)
        self._watch = watch
        self._snapshot = _Snapshot.of({})
        self._reload_lock = threading.Lock()  # one reload at a time: watcher or refresh(wait=True)
        self._watcher_lock = threading.Lock()
        self._watcher_pid: Optional[int] = None
        self._wake = threading.Event()
        self._hooks: list[Callable[[Drill], object]] = []
        self.refresh(wait=True)  # the first load is synchronous: a new library is complete
        self._ensure_watcher()

    def refresh(self, force: bool = False, wait: bool = False) -> bool:
        """Look at the folder again. `wait` (or `force`, as existing callers say) reloads now in this
        thread and returns True if anything changed; otherwise the watcher is woken and this returns
        False at once, never blocking the caller."""
        if not (wait or force):
            self._ensure_watcher()
            self._wake.set()
            return False
        with self._reload_lock:
            old = self._snapshot.entries
            entries = self._reloaded(old)
            if entries.keys() == old.keys() and all(entries[p] is old[p] for p in entries):
                return False
            for gone in old.keys() - entries.keys():
                logger.info("drill file %s removed", gone.name)
            self._snapshot = _Snapshot.of(entries)  # one assignment: readers see all of it or none
            return True

    def _reloaded(self, old: Mapping[Path, _Entry]) -> dict[Path, _Entry]:
        """Entries for the folder now: unchanged files keep theirs, changed ones are read again."""
        entries = {}
        for path in folder_files(self.folder):
            signature = _signature(path)
            previous = old.get(path)
            if signature is None:
                continue
            if previous is not None and previous.signature == signature:
                entries[path] = previous
                continue
            entry = entries[path] = _read(path, signature, previous, self._playbook)
            if entry.serving == "current" and entry.drill is not None:
                self._run_hooks(entry.drill)
        return entries

    def on_load(self, hook: Callable[[Drill], object]) -> None:
        """Call hook(drill) in the loading thread for every drill version before it is served, e.g.
        to compile its move matcher there rather than on a rep's first reply."""
        self._hooks.append(hook)

    def _run_hooks(self, drill: Drill) -> None:
        for hook in self._hooks:
            try:
                hook(drill)
            except Exception:  # a failing hook only costs the work it would have saved
                logger.exception("drill %s: on_load hook failed", drill.id)

    def _ensure_watcher(self) -> None:
        """Start the watcher thread, once per process (a forked worker starts its own)."""
        if not self._watch or self._watcher_pid == os.getpid():
            return
        with self._watcher_lock:
            if self._watcher_pid != os.getpid():
                self._watcher_pid = os.getpid()
                threading.Thread(target=_watch, args=(weakref.ref(self), self._wake, self._interval),
                                 name=f"drill-watcher:{self.folder.name}", daemon=True).start()

    def _current(self) -> _Snapshot:
        self._ensure_watcher()
        return self._snapshot

    def get(self, drill_id: str) -> Optional[Drill]:
        """The drill served under this id (its last good version while its file is broken)."""
        return self._current().by_id.get(drill_id)

    def all(self) -> list[Drill]:
        """Served drills, by objection (playbook order), difficulty, id."""
        return list(self._current().ordered)

    def problems(self) -> list[Problem]:
        """Problems of the drill files as saved (drafts excepted: see status())."""
        entries = self._current().entries.values()
        return [p for e in entries if e.state != "draft" for p in e.problems]

    def status(self) -> List[dict]:
        """One dict per drill file, by file name, for the trainer page: file, drill_id, state
        (ok/broken/stale/too_large/draft), serving (current/last_good/None), problems, loaded_at."""
        entries = sorted(self._current().entries.values(), key=lambda e: e.file.name)
        return [e.status() for e in entries]


@process_cache(maxsize=4)
def _library(folder: str) -> DrillLibrary:
    return DrillLibrary(folder, default_playbook())


def default_library() -> DrillLibrary:
    """The process-wide library for $COACH_DRILLS_DIR (default data/drills)."""
    return _library(str(drills_dir()))
