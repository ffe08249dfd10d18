"""Drill files: every shipped drill is valid, and broken ones get file:line, a code and a fix."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.content.drills import drill_files, load_drill
from coach.content.library import DrillLibrary
from coach.content.playbook import OBJECTION_INTENTS, default_playbook
from coach.content.validate import main as validate_main
from coach.settings import PROJECT_ROOT
from tests.conftest import line_of_text

DRILLS = PROJECT_ROOT / "data" / "drills"
EXAMPLE = DRILLS / "price_margin.yml"


def _broken(tmp_path: Path, old: str, new: str, name: str = "price_margin.yml") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test setup: {old!r} must occur once"
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return line_of_text(path.read_text(encoding="utf-8"), needle)


def test_every_shipped_drill_is_valid():
    for path in drill_files(DRILLS):
        drill, problems = load_drill(path, default_playbook())
        assert problems == [], "\n".join(map(str, problems))
        assert drill.id == path.stem


def test_drills_cover_every_objection_and_three_levels():
    drills = [load_drill(p, default_playbook())[0] for p in drill_files(DRILLS)]
    assert {d.objections[0] for d in drills} >= set(OBJECTION_INTENTS)
    assert {d.difficulty for d in drills} == {1, 2, 3}
    assert any(len(d.stages) > 1 for d in drills), "at least one drill chains objections"
    assert {d.mode for d in drills} == {"practice", "exam"}


@pytest.mark.parametrize("old, new, code, needle", [
    ("move: compare, weight: 15", "move: comparre, weight: 15", "E202", "comparre"),
    ("pass_mark: 70", "pass_mark: 120", "E019", "pass_mark"),
    ("{move: acknowledge, weight: 10}", "{move: acknowledge, weight: 15}", "E204", "required:"),
    ("branch: price.higher.margin", "branch: price.lower", "E207", "branch:"),
    ("objections: [objection_price]", "objections: [objection_prize]", "E205", "objections:"),
    ("mode: practice", "mode: relaxed", "E016", "mode:"),
    ("id: price_margin", "id: price_other", "E201", "id: price_other"),
    ("margin_math:\n    label", "acknowledge:\n    label", "E208", "  acknowledge:"),
    ('{LOWER: "much"}', '{LOWER: "much", COLOUR: "red"}', "E209", "COLOUR"),
    # the playbook is the reference: a stage's cases exist, and what they recommend is never penalised
    ("cases: [price.higher.margin, price.higher]", "cases: [price.higher.margn, price.higher]", "E212",
     "cases:"),
    ("{move: argue, penalty: 20}", "{move: probe, penalty: 20}", "E213", "{move: probe, penalty: 20}"),
    ("\nrubric:\n", "\neffects:\n  value: {trust: -1}\n\nrubric:\n", "E214", "  value: {trust: -1}"),
    ("\nrubric:\n", "\nred_lines: [acknowledge]\n\nrubric:\n", "E215", "red_lines:"),
    ("\nrubric:\n", "\nred_lines: [overpromis]\n\nrubric:\n", "E202", "red_lines:"),
    ("    cases: [price", "    answers_truth: margin_maths\n    cases: [price", "E202", "answers_truth:"),
])
def test_broken_drill_reports_code_line_and_fix(tmp_path, old, new, code, needle):
    path = _broken(tmp_path, old, new)
    drill, problems = load_drill(path, default_playbook())
    assert drill is None
    found = [p for p in problems if p.code == code]
    assert found, f"expected {code}, got:\n" + "\n".join(map(str, problems))
    assert found[0].line == _line_of(path, needle)
    assert found[0].fix and str(found[0]).startswith(f"{path}:{found[0].line}: [{code}]")


def test_missing_opening_line_is_reported(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("      opening:\n")
    end = text.index("      neutral:\n")
    path = tmp_path / "price_margin.yml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    _, problems = load_drill(path, default_playbook())
    assert [p.code for p in problems] == ["E011"] and "opening" in problems[0].message


def test_language_listed_but_not_written(tmp_path):
    path = _broken(tmp_path, 'en: "Mr Wang"', 'xx: "Mr Wang"')
    _, problems = load_drill(path, default_playbook())
    assert any(p.code == "E012" for p in problems)  # the schema rejects the unknown key first
    path = _broken(tmp_path, ', en: "Mr Wang"}', "}")
    _, problems = load_drill(path, default_playbook())
    assert [p.code for p in problems] == ["E203"] and "persona.name" in problems[0].message


def test_yaml_syntax_error_and_duplicate_keys(tmp_path):
    path = _broken(tmp_path, "max_turns: 6", "max_turns: [6")
    _, problems = load_drill(path, default_playbook())
    assert problems[0].code == "E002" and problems[0].line
    path = _broken(tmp_path, "max_turns: 6", "max_turns: 6\nmax_turns: 7")
    _, problems = load_drill(path, default_playbook())
    assert any(p.code == "E003" for p in problems)


def test_validate_command_lists_every_problem_and_fails(tmp_path, capsys):
    shutil.copy(EXAMPLE, tmp_path / "price_margin.yml")
    _broken(tmp_path, "pass_mark: 70", "pass_mark: 101", name="bad_one.yml")
    assert validate_main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'bad_one.yml'}:{_line_of(tmp_path / 'bad_one.yml', 'pass_mark')}: [E019]" in err
    assert "fix: Use a value from 0 to 100." in err
    # the id/file-name mismatch is reported in the same run; price_margin.yml holds that id already
    assert "[E216] drill id 'price_margin' is already used by price_margin.yml" in err and "2 problems" in err
    assert validate_main([str(tmp_path / "price_margin.yml")]) == 0


def test_validate_runs_as_a_command():
    result = subprocess.run([sys.executable, "-m", "coach.content.validate"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "all OK" in result.stdout


def _touch_later(path: Path, text: str) -> None:
    # mtime resolution: make sure the signature changes even within the same clock tick
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    while path.stat().st_mtime_ns == before:
        time.sleep(0.01)
        path.write_text(text, encoding="utf-8")


def test_library_hot_reloads_added_changed_broken_and_removed_drills(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "price_margin.yml")
    library = DrillLibrary(tmp_path, default_playbook(), watch=False)
    assert [d.id for d in library.all()] == ["price_margin"]
    text = EXAMPLE.read_text(encoding="utf-8")
    # a trainer adds a drill: live without a restart
    _touch_later(tmp_path / "price_copy.yml", text.replace("id: price_margin", "id: price_copy"))
    library.refresh(wait=True)
    assert {d.id for d in library.all()} == {"price_margin", "price_copy"}
    # edits change the drill (and its version, so running sessions notice)
    old_version = library.get("price_copy").version
    _touch_later(tmp_path / "price_copy.yml", text.replace("id: price_margin", "id: price_copy")
                 .replace("max_turns: 6", "max_turns: 8"))
    library.refresh(wait=True)
    assert library.get("price_copy").max_turns == 8 and library.get("price_copy").version != old_version
    # a broken edit: reported, and the last good version stays live (tests/unit/content/test_library_live.py)
    _touch_later(tmp_path / "price_copy.yml", "id: [broken")
    library.refresh(wait=True)
    assert library.get("price_copy").max_turns == 8
    assert [p.code for p in library.problems()] == ["E002"]
    # removed
    (tmp_path / "price_copy.yml").unlink()
    library.refresh(wait=True)
    assert [d.id for d in library.all()] == ["price_margin"] and library.problems() == []


def test_new_drill_needs_no_retraining():
    # Drills are read by the action server; the model's training inputs (Makefile) never include them.
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    train_inputs = makefile.split("TRAIN_INPUTS :=", 1)[1].split("\n\n", 1)[0]
    assert "drills" not in train_inputs and "data/moves/train.yml" in train_inputs


def test_every_shipped_stage_names_its_cases_and_agrees_with_them():
    playbook = default_playbook()
    for path in drill_files(DRILLS):
        drill, _ = load_drill(path, playbook)
        for stage in drill.stages:
            assert stage.cases and all(playbook.branch(c) for c in stage.cases), (drill.id, stage.cases)
            assert stage.recommends, drill.id
            assert not {m for m, _ in drill.forbidden} & set(stage.recommends), drill.id
            assert not set(drill.red_lines) & set(stage.recommends), drill.id
        assert "overpromise" in drill.red_lines, drill.id


def test_exclusivity_credits_the_conditional_offer_and_forbids_the_give_away():
    drill, _ = load_drill(DRILLS / "exclusivity_volume.yml", default_playbook())
    stage = drill.stages[0]
    assert "conditional_offer" in stage.recommends and "conditional_offer" in stage.reveal_moves
    assert {"concession", "overpromise"} <= {m for m, _ in drill.forbidden}
    assert drill.red_lines == ("overpromise",)


def test_answers_truth_defaults_to_the_stages_first_required_key_move():
    drill, _ = load_drill(DRILLS / "chain_price_consignment.yml", default_playbook())
    assert [s.answers_truth for s in drill.stages] == ["margin_math", "cash_rule"]


def test_red_lines_default_to_overpromise(tmp_path):
    path = _broken(tmp_path, "\nrubric:\n", "\nred_lines: [overpromise, concession]\n\nrubric:\n")
    drill, problems = load_drill(path, default_playbook())
    assert problems == [] and drill.red_lines == ("overpromise", "concession")
    assert load_drill(EXAMPLE, default_playbook())[0].red_lines == ("overpromise",)
