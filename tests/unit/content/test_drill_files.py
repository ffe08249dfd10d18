"""Drill file rules: the size limit, .yml only, drafts, ids that clash, and where a YAML error is."""
from __future__ import annotations

import shutil
from pathlib import Path

from coach.content.drills import MAX_BYTES, drill_id_for, folder_files, load_drill
from coach.content.library import DrillLibrary
from coach.content.playbook import default_playbook
from coach.content.validate import main as validate_main
from coach.settings import PROJECT_ROOT
from tests.conftest import line_of_text

EXAMPLE = PROJECT_ROOT / "data" / "drills" / "price_margin.yml"
TEXT = EXAMPLE.read_text(encoding="utf-8")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _as(drill_id: str) -> str:
    assert TEXT.count("id: price_margin\n") == 1
    return TEXT.replace("id: price_margin\n", f"id: {drill_id}\n")


# --- size -------------------------------------------------------------------------------------------

def test_a_file_over_the_limit_is_refused_by_its_size_before_it_is_read(tmp_path):
    path = tmp_path / "huge.yml"
    path.write_bytes(b"\xff" * (MAX_BYTES + 1))  # not UTF-8: reading it would give E001 instead
    drill, problems = load_drill(path, default_playbook())
    assert drill is None and [p.code for p in problems] == ["E004"]
    assert "257 KB" in problems[0].message and "at most 256 KB" in problems[0].message
    assert "split it into two drills" in problems[0].fix
    assert validate_main([str(path)]) == 1


def test_a_drill_of_exactly_the_limit_loads(tmp_path):
    padding = MAX_BYTES - len(_as("padded").encode("utf-8")) - 2
    path = _write(tmp_path, "padded.yml", _as("padded") + "#" + "x" * padding + "\n")
    assert path.stat().st_size == MAX_BYTES
    drill, problems = load_drill(path, default_playbook())
    assert problems == [] and drill.id == "padded"


def test_the_size_is_shown_in_megabytes_for_a_big_file(tmp_path):
    path = tmp_path / "big.yml"
    path.write_bytes(b"# x\n" * (int(4.4 * 2**20) // 4))
    [problem] = load_drill(path)[1]
    assert problem.code == "E004" and "4.4 MB" in problem.message


# --- file names ---------------------------------------------------------------------------------------

def test_yaml_extension_is_rejected_everywhere_with_the_rename(tmp_path, capsys):
    path = _write(tmp_path, "price_yaml.yaml", _as("price_yaml"))
    drill, problems = load_drill(path, default_playbook())
    assert drill is None and [p.code for p in problems] == ["E005"]
    assert problems[0].fix == "Rename the file to price_yaml.yml."
    assert validate_main([str(path)]) == 1
    assert validate_main([str(tmp_path)]) == 1  # a folder check reports it too, not silently skips it
    assert "[E005]" in capsys.readouterr().err
    library = DrillLibrary(tmp_path, default_playbook(), watch=False)
    assert library.all() == []
    [status] = library.status()
    assert status["file"] == "price_yaml.yaml" and status["state"] == "broken"
    assert [p["code"] for p in status["problems"]] == ["E005"]


def test_a_valid_draft_passes_a_direct_check_and_is_never_served(tmp_path, capsys):
    shutil.copy(EXAMPLE, tmp_path / "price_margin.yml")
    draft = _write(tmp_path, "_price_new.yml", _as("price_new"))
    assert drill_id_for(draft) == "price_new"
    assert validate_main([str(draft)]) == 0
    assert "(a draft: never served to reps)" in capsys.readouterr().out
    library = DrillLibrary(tmp_path, default_playbook(), watch=False)
    assert [d.id for d in library.all()] == ["price_margin"] and library.get("price_new") is None
    assert {s["file"]: (s["state"], s["serving"], s["drill_id"]) for s in library.status()} == {
        "_price_new.yml": ("draft", None, "price_new"), "price_margin.yml": ("ok", "current", "price_margin")}


def test_a_broken_draft_fails_its_own_check_but_not_the_folder_check(tmp_path, capsys):
    shutil.copy(EXAMPLE, tmp_path / "price_margin.yml")
    draft = _write(tmp_path, "_wip.yml", _as("wip").replace("pass_mark: 70", "pass_mark: 101"))
    assert validate_main([str(tmp_path)]) == 0
    assert f"check it with DRILLS={draft}" in capsys.readouterr().out
    assert validate_main([str(draft)]) == 1
    assert "[E019]" in capsys.readouterr().err
    library = DrillLibrary(tmp_path, default_playbook(), watch=False)
    assert library.problems() == []  # drafts are not why a live drill is missing
    draft_status = next(s for s in library.status() if s["file"] == "_wip.yml")
    assert draft_status["state"] == "draft" and [p["code"] for p in draft_status["problems"]] == ["E019"]


def test_a_drafts_id_is_its_name_without_the_underscore(tmp_path):
    draft = _write(tmp_path, "_wip.yml", _as("other"))
    [problem] = load_drill(draft, default_playbook())[1]
    assert problem.message == "drill id 'other' does not match the file name '_wip.yml'"
    assert problem.fix == "Set 'id: wip', or rename the file to _other.yml."


def test_an_id_held_by_another_file_gets_a_new_free_id_never_an_existing_file(tmp_path):
    for name in ("price_margin", "price_margin_2"):
        _write(tmp_path, f"{name}.yml", _as(name))
    _write(tmp_path, "_price_margin_3.yml", _as("price_margin_3"))  # a draft holds that id too
    copy = _write(tmp_path, "my_copy.yml", TEXT)  # copied, id left as it was
    [problem] = load_drill(copy, default_playbook())[1]
    assert problem.code == "E216" and problem.line == line_of_text(TEXT, "id: price_margin")
    assert problem.message == "drill id 'price_margin' is already used by price_margin.yml"
    assert "set 'id: my_copy' to match the file name" in problem.fix
    assert "set 'id: price_margin_4' and rename this file to price_margin_4.yml" in problem.fix
    taken = {p.name for p in folder_files(tmp_path)}
    assert not any(f"to {name}" in problem.fix for name in taken)  # never a rename onto an existing file


def test_a_mismatched_id_nobody_holds_may_still_be_renamed_to(tmp_path):
    path = _write(tmp_path, "new_drill.yml", _as("fresh"))
    [problem] = load_drill(path, default_playbook())[1]
    assert problem.code == "E201" and problem.fix == "Set 'id: new_drill', or rename the file to fresh.yml."


def test_an_empty_file_is_a_problem_not_a_silent_skip(tmp_path):
    path = _write(tmp_path, "empty.yml", "")
    drill, problems = load_drill(path)
    assert drill is None and [p.code for p in problems] == ["E001"] and "empty" in problems[0].message


# --- YAML syntax errors point at the line to fix ----------------------------------------------------

def _syntax_line(tmp_path: Path, old: str, new: str) -> tuple[int, str, str]:
    assert TEXT.count(old) == 1
    text = TEXT.replace(old, new)
    [problem] = load_drill(_write(tmp_path, "price_margin.yml", text))[1]
    assert problem.code == "E002"
    return problem.line, text, problem.message


def test_an_unclosed_bracket_points_at_its_own_line_not_the_next(tmp_path):
    line, text, message = _syntax_line(tmp_path, "max_turns: 6", "max_turns: [6")
    assert line == line_of_text(text, "max_turns: [6")
    assert f"at line {line + 1}" in message  # where the parser noticed it, said in the message


def test_an_unclosed_quote_points_at_the_quote(tmp_path):
    # the file's last text: no later quote closes it, and the parser stops at the end of the file
    line, text, message = _syntax_line(tmp_path, 'a discount first."', "a discount first.")
    assert line == line_of_text(text, '  en: "Acknowledge, then ask who he compares with.')
    assert "quoted scalar" in message


def test_a_misplaced_line_is_reported_at_that_line(tmp_path):
    line, text, _ = _syntax_line(tmp_path, "difficulty: 1\n", "difficulty: 1\n  mode: x: y\n")
    assert line == line_of_text(text, "  mode: x: y")
    line, text, _ = _syntax_line(tmp_path, "difficulty: 1\n", "difficulty: 1\n\tmode: practice\n")
    assert line == line_of_text(text, "\tmode: practice")


def test_an_error_at_the_end_points_inside_the_file(tmp_path):
    path = _write(tmp_path, "end.yml", TEXT + 'extra: "never closed\n')
    [problem] = load_drill(path)[1]
    assert problem.code == "E002"
    assert problem.line == len(path.read_text(encoding="utf-8").splitlines())
