"""Finding 10: scripts/run.sh says "up" only after a message went through Rasa and the action server;
otherwise it stops and says what is wrong, naming the action endpoint Rasa calls."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from coach.settings import PROJECT_ROOT
from tests.conftest import MODEL, _free_port

pytestmark = pytest.mark.servers


def test_run_stops_with_the_reason_when_rasa_cannot_reach_the_action_server(tmp_path: Path) -> None:
    assert MODEL.is_file(), "no trained model: run `make test` (it trains first)"
    rasa_port, action_port, wrong_port = _free_port(), _free_port(), _free_port()
    endpoints = tmp_path / "endpoints.yml"  # what `RASA_PORT=5105 ACTION_PORT=5155` got wrong: another port
    endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:{wrong_port}/webhook\n"
                         f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp_path / 'tracker.db'}\n")
    env = {**os.environ, "COACH_ENDPOINTS": str(endpoints), "COACH_RESULTS_DB": str(tmp_path / "results.db")}
    done = subprocess.run(["bash", "scripts/run.sh", str(rasa_port), str(action_port)], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=400, start_new_session=True)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-3000:]
    assert "Objection Coach is up" not in output
    assert f"http://127.0.0.1:{wrong_port}/webhook" in output and f"127.0.0.1:{action_port}" in output
    assert "make them match" in output.lower() or "Make them match" in output
