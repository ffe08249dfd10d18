"""`make test-moves`: the command fails below the bar, without needing Rasa in these tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from coach.moves.evaluate import read_heldout
from coach.nlu import evaluate_moves


@pytest.fixture
def perfect_nlu(monkeypatch):
    """The NLU answers with the gold generic moves: what is left to test is the command itself."""
    gold = {i.text: sorted(i.gold) for i in read_heldout()}
    monkeypatch.setattr(evaluate_moves, "nlu_moves", lambda texts, model: [gold[t] for t in texts])


def test_missing_model_exits_2(tmp_path, capsys):
    assert evaluate_moves.main(["check", "--model", str(tmp_path / "none.tar.gz")]) == 2
    assert "run `make train` first" in capsys.readouterr().err


def test_check_passes_when_detection_is_good(perfect_nlu, tmp_path, capsys):
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    assert evaluate_moves.main(["check", "--model", str(model)]) == 0
    assert "micro-F1, all labels" in capsys.readouterr().out


def test_check_fails_below_the_bar(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(evaluate_moves, "nlu_moves", lambda texts, model: [[] for _ in texts])
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    assert evaluate_moves.main(["check", "--model", str(model)]) == 1
    assert "FAIL: move detection micro-F1" in capsys.readouterr().err


def test_markdown_writes_the_report(perfect_nlu, monkeypatch, tmp_path):
    monkeypatch.setattr("coach.moves.evaluate.cross_validate", lambda: "CV TABLE")
    model, out = tmp_path / "model.tar.gz", tmp_path / "moves.md"
    model.write_bytes(b"")
    assert evaluate_moves.main(["markdown", str(out), "--model", str(model)]) == 0
    assert "CV TABLE" in out.read_text(encoding="utf-8")


def test_default_model_is_the_trained_one():
    assert evaluate_moves.MODEL == Path(evaluate_moves.__file__).parents[2] / "models" / "coach.tar.gz"
