"""scripts/bench.py's parts that need no server: rep scripts, percentiles, the bare assistant, the report."""
from __future__ import annotations

from pathlib import Path

import yaml

from coach.settings import PROJECT_ROOT
from tests.conftest import load_script

bench = load_script("bench")


def test_every_scripted_message_is_one_the_coach_understands() -> None:
    branches = bench.load.first_branch_payloads()
    assert set(branches) == {objection for _, objection in bench.load.OBJECTIONS}
    script = bench.load.rep_script(0, branches)
    assert script[1].startswith("/choose_branch") and script[2].startswith("/start_drill")
    assert len(script) == 8


def test_percentiles_use_nearest_rank() -> None:
    latencies = [float(x) for x in range(1, 101)]
    level = bench.load.LevelResult(reps=1, latencies_ms=latencies, messages=100, seconds=10)
    assert (level.percentile(50), level.percentile(95), level.percentile(99)) == (50.0, 95.0, 99.0)
    assert level.summary()["msgs_per_s"] == 10.0


def test_bare_assistant_has_the_coachs_intents_and_only_static_responses(tmp_path: Path) -> None:
    bench.servers.write_bare_project(tmp_path)
    domain = yaml.safe_load((tmp_path / "domain.yml").read_text(encoding="utf-8"))
    coach_domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    coach_intents = {i if isinstance(i, str) else next(iter(i)) for i in coach_domain["intents"]}
    assert set(domain["intents"]) == coach_intents
    assert "actions" not in domain and "forms" not in domain and "slots" not in domain
    rules = yaml.safe_load((tmp_path / "rules.yml").read_text(encoding="utf-8"))["rules"]
    assert {r["steps"][1]["action"] for r in rules} <= set(domain["responses"])


def test_report_is_spliced_between_markers_keeping_hand_written_text(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text("# Perf\nintro\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n## Notes\nkept\n",
                   encoding="utf-8")
    bench.report.splice(doc, "new table")
    text = doc.read_text(encoding="utf-8")
    assert "new table" in text and "old table" not in text and text.endswith("## Notes\nkept\n")


def test_every_command_is_wired_and_no_part_is_over_400_lines() -> None:
    assert set(bench.COMMANDS) == {"run", "fixes", "store", "load", "smoke"}
    for command in bench.COMMANDS:
        assert bench.parser().parse_args([command, "--url", "http://x"] if command in ("load", "smoke")
                                         else [command]).command == command
    scripts = PROJECT_ROOT / "scripts"
    for part in [scripts / "bench.py", *(scripts / "benchlib").glob("*.py")]:
        assert len(part.read_text(encoding="utf-8").splitlines()) <= 400, part
