"""The action server refuses to start on a broken playbook, and says what to fix."""
from __future__ import annotations

import os
import subprocess
import sys

from coach.settings import PROJECT_ROOT


def test_broken_playbook_stops_the_action_server(playbook_copy):
    path = playbook_copy / "price.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 2"),
                    encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "actions", "--port", "0"], cwd=PROJECT_ROOT,
        env={**os.environ, "COACH_PLAYBOOK_DIR": str(playbook_copy)}, capture_output=True, text=True,
        timeout=120)
    assert result.returncode == 2
    assert "price.yml:1: [E016] 'schema_version' value '2' is not allowed" in result.stderr
    assert "The action server did not start" in result.stderr
    assert "Action endpoint is up" not in result.stdout + result.stderr
