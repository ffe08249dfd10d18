"""scripts/bench.py works (a tiny smoke run against the real servers); it measures nothing here."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import yaml

from coach.settings import PROJECT_ROOT

_spec = importlib.util.spec_from_file_location("bench", PROJECT_ROOT / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench"] = bench  # dataclasses look their module up there
_spec.loader.exec_module(bench)




def test_every_scripted_message_is_one_the_coach_understands() -> None:
    branches = bench._first_branch_payloads()
    assert set(branches) == {objection for _, objection in bench.OBJECTIONS}
    script = bench.rep_script(0, branches)
    assert script[1].startswith("/choose_branch") and script[2].startswith("/start_drill") and len(script) == 8


def test_percentiles_use_nearest_rank() -> None:
    level = bench.LevelResult(reps=1, latencies_ms=[float(x) for x in range(1, 101)], messages=100, seconds=10)
    assert (level.percentile(50), level.percentile(95), level.percentile(99)) == (50.0, 95.0, 99.0)
    assert level.summary()["msgs_per_s"] == 10.0


def test_bare_assistant_has_the_coachs_intents_and_only_static_responses(tmp_path: Path) -> None:
    bench.write_bare_project(tmp_path)
    domain = yaml.safe_load((tmp_path / "domain.yml").read_text(encoding="utf-8"))
    coach_domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    coach_intents = {i if isinstance(i, str) else next(iter(i)) for i in coach_domain["intents"]}
    assert set(domain["intents"]) == coach_intents
    assert "actions" not in domain and "forms" not in domain and "slots" not in domain
    rules = yaml.safe_load((tmp_path / "rules.yml").read_text(encoding="utf-8"))["rules"]
    assert {r["steps"][1]["action"] for r in rules} <= set(domain["responses"])


def test_report_is_spliced_between_markers_keeping_hand_written_text(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text("# Perf\nintro\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n## Notes\nkept\n", encoding="utf-8")
    bench.splice(doc, "new table")
    text = doc.read_text(encoding="utf-8")
    assert "new table" in text and "old table" not in text and text.endswith("## Notes\nkept\n")
