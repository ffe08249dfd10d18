"""The live drill library: a broken save keeps the last good version, loading happens off the
callers' thread, and status() tells the trainer page what each file is doing."""
from __future__ import annotations

import random
import shutil
import threading
import time
from pathlib import Path

import pytest

from coach.content import library as library_module
from coach.content.drills import MAX_BYTES
from coach.content.library import DrillLibrary
from coach.content.playbook import default_playbook
from coach.i18n import HANS
from coach.results.store import ResultsStore
from coach.service.drills import DrillService
from coach.settings import PROJECT_ROOT
from tests.conftest import line_of_text

EXAMPLE = PROJECT_ROOT / "data" / "drills" / "price_margin.yml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
BROKEN = TEXT.replace("max_turns: 6", "max_turns: [6")
STATUS_KEYS = {"file", "drill_id", "state", "serving", "problems", "loaded_at"}


def _save(path: Path, text: str) -> None:
    """Write so that the file's signature changes even within one clock tick."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    while path.stat().st_mtime_ns == before:
        time.sleep(0.01)
        path.write_text(text, encoding="utf-8")


def _wait_for(condition, what: str) -> None:
    """Poll until the watcher has done its work (a liveness bound, not a timing assertion)."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"the watcher never {what}"
        time.sleep(0.02)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "drills"
    target.mkdir()
    shutil.copy(EXAMPLE, target / "price_margin.yml")
    return target


@pytest.fixture
def library(folder: Path) -> DrillLibrary:
    return DrillLibrary(folder, default_playbook(), watch=False)


def _status(library: DrillLibrary, name: str) -> dict:
    return next(s for s in library.status() if s["file"] == name)


def test_a_broken_save_keeps_the_running_drill_going_and_its_result_is_stored(folder, library, tmp_path):
    with ResultsStore(tmp_path / "results.db") as store:
        service = DrillService(library=lambda: library, store=lambda: store, rng=random.Random(1))
        session = service.start("rep-live", HANS, "/start_drill", "price_margin", None).session
        assert service.reply(HANS, session, "理解，您跟哪家比的？", ["acknowledge", "compare"]).session.turns
        _save(folder / "price_margin.yml", BROKEN)
        library.refresh(wait=True)
        answer = service.reply(HANS, session, "您主要担心什么？", ["probe"])
        assert not answer.over and [r.custom["type"] for r in answer.replies][-1] == "customer_line"
        card = service.stop("rep-live", HANS, session).replies[0].custom
        assert card["type"] == "scorecard" and card["outcome"] == "stopped"
        [result] = store.results("rep-live")
        assert result.drill_id == "price_margin" and len(result.moves) == 2


def test_status_says_stale_with_the_problem_and_its_fix(folder, library):
    before = _status(library, "price_margin.yml")
    assert set(before) == STATUS_KEYS
    assert (before["state"], before["serving"], before["drill_id"], before["problems"]) == \
        ("ok", "current", "price_margin", [])
    _save(folder / "price_margin.yml", BROKEN)
    assert library.refresh(wait=True) is True
    after = _status(library, "price_margin.yml")
    assert (after["state"], after["serving"], after["drill_id"]) == ("stale", "last_good", "price_margin")
    [problem] = after["problems"]
    assert problem["code"] == "E002" and problem["line"] == line_of_text(BROKEN, "max_turns: [6")
    assert problem["message"].startswith("YAML syntax error") and problem["fix"]
    assert after["loaded_at"] >= before["loaded_at"]
    assert library.get("price_margin").max_turns == 6 and [p.code for p in library.problems()] == ["E002"]
    # fixed: the new version is served again
    _save(folder / "price_margin.yml", TEXT.replace("max_turns: 6", "max_turns: 7"))
    library.refresh(wait=True)
    assert _status(library, "price_margin.yml")["state"] == "ok"
    assert library.get("price_margin").max_turns == 7


def test_a_new_broken_file_serves_nothing(folder, library):
    _save(folder / "price_new.yml", BROKEN.replace("id: price_margin", "id: price_new"))
    library.refresh(wait=True)
    status = _status(library, "price_new.yml")
    assert (status["state"], status["serving"], status["drill_id"]) == ("broken", None, None)
    assert library.get("price_new") is None and [d.id for d in library.all()] == ["price_margin"]


def test_a_too_large_save_is_reported_and_the_last_good_version_stays(folder, library):
    _save(folder / "price_margin.yml", TEXT + "#" * MAX_BYTES)
    library.refresh(wait=True)
    status = _status(library, "price_margin.yml")
    assert (status["state"], status["serving"]) == ("too_large", "last_good")
    assert [p["code"] for p in status["problems"]] == ["E004"] and status["problems"][0]["line"] is None
    assert library.get("price_margin") is not None


def test_a_removed_file_is_no_longer_served(folder, library):
    (folder / "price_margin.yml").unlink()
    library.refresh(wait=True)
    assert library.get("price_margin") is None and library.status() == []


def test_readers_never_wait_for_a_load_in_progress(folder, monkeypatch):
    library = DrillLibrary(folder, default_playbook(), min_interval=0.05)
    real_load, started, release, log = library_module.load_drill, threading.Event(), threading.Event(), []

    def slow_load(path, playbook=None):
        log.append("load started")
        started.set()
        release.wait(30)  # held until the test has read
        log.append("load done")
        return real_load(path, playbook)

    monkeypatch.setattr(library_module, "load_drill", slow_load)
    _save(folder / "price_margin.yml", TEXT.replace("max_turns: 6", "max_turns: 9"))
    assert library.refresh() is False  # wakes the watcher and returns at once
    assert started.wait(30), "the watcher never started loading"
    drill, served, status, refreshed = library.get("price_margin"), library.all(), library.status(), \
        library.refresh()
    log.append("read")
    release.set()
    assert log == ["load started", "read"]  # every read above happened while the load was held
    assert drill.max_turns == 6 and [d.id for d in served] == ["price_margin"] and refreshed is False
    assert status[0]["state"] == "ok"
    _wait_for(lambda: library.get("price_margin").max_turns == 9, "swapped the new version in")
    assert log[:3] == ["load started", "read", "load done"]


def test_the_watcher_picks_up_a_new_file_without_any_caller(folder):
    library = DrillLibrary(folder, default_playbook(), min_interval=0.05)
    _save(folder / "price_copy.yml", TEXT.replace("id: price_margin", "id: price_copy"))
    _wait_for(lambda: library.get("price_copy") is not None, "loaded the new file")
    assert {d.id for d in library.all()} == {"price_margin", "price_copy"}


def test_load_hooks_run_in_the_loading_thread_for_each_new_version(folder, library):
    seen = []
    library.on_load(lambda drill: seen.append((drill.id, drill.max_turns, threading.current_thread().name)))
    library.on_load(lambda drill: 1 / 0)  # a failing hook is logged, the drill is served anyway
    _save(folder / "price_margin.yml", TEXT.replace("max_turns: 6", "max_turns: 8"))
    library.refresh(wait=True)
    _save(folder / "price_margin.yml", BROKEN)
    library.refresh(wait=True)
    assert seen == [("price_margin", 8, threading.current_thread().name)]  # none for the broken save
    assert library.get("price_margin").max_turns == 8


def test_an_unused_librarys_watcher_stops(folder):
    before = set(threading.enumerate())
    library = DrillLibrary(folder, default_playbook(), min_interval=0.05)
    watchers = [t for t in set(threading.enumerate()) - before if t.name.startswith("drill-watcher")]
    assert len(watchers) == 1 and library.get("price_margin")
    del library
    for watcher in watchers:
        watcher.join(30)
        assert not watcher.is_alive()


def test_publishing_a_draft_by_renaming_it_over_the_live_file(folder, library):
    draft = folder / "_price_margin.yml"
    draft.write_text(TEXT.replace("max_turns: 6", "max_turns: 8"), encoding="utf-8")
    library.refresh(wait=True)
    assert library.get("price_margin").max_turns == 6
    assert _status(library, "_price_margin.yml")["state"] == "draft"
    draft.rename(folder / "price_margin.yml")
    library.refresh(wait=True)
    assert library.get("price_margin").max_turns == 8
    assert [(s["file"], s["state"]) for s in library.status()] == [("price_margin.yml", "ok")]
