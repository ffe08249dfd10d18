"""endpoints.yml takes the action server's port from the environment (scripts/run.sh exports it)."""
from __future__ import annotations

import pytest
from rasa.utils.endpoints import read_endpoint_config

from coach.settings import PROJECT_ROOT


def test_action_endpoint_follows_action_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_PORT", "5155")
    monkeypatch.setenv("COACH_TRACKER_DB", ".state/tracker.db")
    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "action_endpoint")
    assert config is not None and config.url == "http://127.0.0.1:5155/webhook"


def test_tracker_store_follows_coach_tracker_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_PORT", "5055")
    monkeypatch.setenv("COACH_TRACKER_DB", "/tmp/elsewhere.db")
    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "tracker_store")
    assert config is not None and config.kwargs["db"] == "/tmp/elsewhere.db"
