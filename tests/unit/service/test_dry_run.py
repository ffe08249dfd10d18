"""A trainer's dry run: the same reading and engine a rep gets, and nothing stored."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from coach.i18n import EN, HANS
from coach.service import dry_run


def test_the_drills_own_lines_reach_the_goal_and_pass() -> None:
    drill = dry_run.find_drill("exclusivity_volume")
    out = io.StringIO()
    run = dry_run.play(drill, dry_run.strategy_lines(drill, HANS), HANS, out)
    assert run.session.ended == "goal"
    text = out.getvalue()
    assert "nothing is stored" in text and "通过" in text
    assert "moves  : acknowledge" in text  # each turn shows what was read


def test_a_concession_shows_its_penalty_and_the_customer_pushes() -> None:
    run = dry_run.DryRun(dry_run.find_drill("no_money_small"), EN)
    turn = run.say("No problem, take the stock now and pay whenever it sells, and I'll add ten free boxes.")
    assert "concession" in turn.moves
    assert turn.penalties and turn.state in ("pushes", "walk_away")


def test_nothing_is_written_to_the_results_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    dry_run.play(dry_run.find_drill("price_margin"), ["您觉得贵，是怕顾客不接受，还是利润薄？"], HANS, out)
    assert not list(tmp_path.rglob("*.db"))
    assert "成绩" in out.getvalue()


def test_an_unknown_drill_names_the_known_ones() -> None:
    with pytest.raises(SystemExit) as err:
        dry_run.find_drill("no_such_drill")
    assert "no_such_drill" in str(err.value) and "price_margin" in str(err.value)


def test_a_broken_draft_says_where(tmp_path: Path) -> None:
    draft = tmp_path / "_draft.yml"
    draft.write_text("schema_version: 1\nid: _draft\n", encoding="utf-8")
    with pytest.raises(SystemExit) as err:
        dry_run.find_drill("_draft", draft)
    assert "_draft.yml" in str(err.value)


def test_the_playbooks_own_lines_for_the_case_pass_the_drill() -> None:
    drill = dry_run.find_drill("exclusivity_volume")
    lines = dry_run.playbook_lines(drill, EN)
    assert lines and all("(" not in line for line in lines)  # lines that need context are left out
    run = dry_run.play(drill, lines, EN, io.StringIO())
    assert run.session.ended == "goal"
    assert all(turn.state not in ("pushes", "cooler", "walk_away") for turn in run.session.turns)
