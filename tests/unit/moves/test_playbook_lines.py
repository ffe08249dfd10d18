"""data/moves/playbook_lines.yml is generated from the playbook's sample lines and kept in sync."""
from __future__ import annotations

import pytest

from coach.content.moves import generic_names
from coach.moves import playbook_lines
from coach.moves.model import read_replies


def test_playbook_lines_file_is_up_to_date_with_the_playbook():
    expected = playbook_lines.render(playbook_lines.collect())
    assert playbook_lines.OUTPUT.read_text(encoding="utf-8") == expected, (
        "data/moves/playbook_lines.yml is out of date: run `python -m coach.moves.playbook_lines`")
    assert playbook_lines.main(["--check"]) == 0


def test_playbook_lines_are_labelled_with_generic_moves_only():
    replies = read_replies(playbook_lines.OUTPUT)
    assert replies, "the playbook's sample lines carry `moves:`"
    assert all(moves and set(moves) <= set(generic_names()) for _, moves in replies)


def test_a_line_with_an_unknown_move_names_the_file_and_the_fix(tmp_path):
    (tmp_path / "x.yml").write_text(
        "branches:\n  - id: b\n    lines:\n      - {zh: 好, en: OK, moves: [flatter]}\n", encoding="utf-8")
    expected = r"x\.yml: branch 'b', line 1: \['flatter'\].*fix the line's `moves:`"
    with pytest.raises(ValueError, match=expected):
        playbook_lines.collect(tmp_path)


def test_check_fails_when_the_file_is_stale(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "playbook_lines.yml"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(playbook_lines, "OUTPUT", stale)
    assert playbook_lines.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
