"""scripts/bench.py works (a tiny smoke run against the real servers); it measures nothing here."""
from __future__ import annotations

import json

from tests.conftest import load_script

bench = load_script("bench")


def test_smoke_run_drives_real_reps_without_errors(servers, capsys) -> None:
    assert bench.main(["smoke", "--url", f"http://127.0.0.1:{servers.port}"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["reps"] == 2 and summary["errors"] == 0
    assert summary["messages"] >= 2 * 7  # objection, branch, start, at least 4 drill replies each
    assert 0 < summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"] and summary["msgs_per_s"] > 0
