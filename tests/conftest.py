"""Shared fixtures: tracker states from JSON (no Rasa server), and a scratch playbook copy."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from coach import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "trackers"


def make_tracker(fixture: str, text: str = "", intent: Optional[str] = None,
                 entities: Optional[List[Dict[str, Any]]] = None, text_original: Optional[str] = None,
                 slots: Optional[Dict[str, Any]] = None, moves: Optional[List[str]] = None,
                 sender_id: Optional[str] = None) -> Tracker:
    """A Tracker from tests/fixtures/trackers/<fixture>.json with the rep's latest message set.

    `slots` override the fixture's slots; `moves` is what the NLU's MoveClassifier would add.
    """
    state = json.loads((FIXTURES / f"{fixture}.json").read_text(encoding="utf-8"))
    state["slots"].update(slots or {})
    if sender_id:
        state["sender_id"] = sender_id
    state["latest_message"] = {"text": text, "intent": {"name": intent, "confidence": 0.95},
                               "entities": entities or []}
    if moves is not None:
        state["latest_message"]["moves"] = moves
    if text_original is not None:
        state["latest_message"]["text_original"] = text_original
    state["events"].append({"event": "user", "text": text_original or text,
                            "parse_data": copy.deepcopy(state["latest_message"])})
    return Tracker.from_dict(state)


def run_action(action: Any, tracker: Tracker) -> tuple:
    """Run an action like the SDK does; return (messages, events)."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture
def results_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh results store for this test (coach.results_store.default_store follows the env var)."""
    path = tmp_path / "results.db"
    monkeypatch.setenv("COACH_RESULTS_DB", str(path))
    return path


@pytest.fixture
def playbook_copy(tmp_path: Path) -> Path:
    """A writable copy of data/playbook for tests that break it on purpose."""
    target = tmp_path / "playbook"
    shutil.copytree(PROJECT_ROOT / "data" / "playbook", target)
    return target


@pytest.fixture
def edit(playbook_copy: Path) -> Callable[[str, str, str], Path]:
    """edit('price', old, new): replace text in one playbook file of the copy (must match once)."""

    def _edit(name: str, old: str, new: str) -> Path:
        path = playbook_copy / f"{name}.yml"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"test setup: {old!r} must occur exactly once in {path.name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return path

    return _edit
