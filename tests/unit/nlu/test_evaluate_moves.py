"""`make test-moves`: the command fails below the gate, without needing Rasa in these tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from coach.moves.evaluate import NEGATION, read_heldout
from coach.nlu import evaluate_moves


@pytest.fixture
def perfect_nlu(monkeypatch):
    """The NLU answers with the gold generic moves: what is left to test is the command itself."""
    gold = {i.text: sorted(i.gold) for i in read_heldout() + read_heldout(NEGATION)}
    monkeypatch.setattr(evaluate_moves, "nlu_moves", lambda texts, model: [gold[t] for t in texts])
    # Learning every drill's key moves takes a while; tests/unit/content/test_key_move_examples.py covers it.
    monkeypatch.setattr(evaluate_moves, "key_move_items", _perfect_keys)


def _perfect_keys(items):
    for item in items:
        item.predicted = item.gold
    return items


@pytest.fixture
def model(tmp_path) -> Path:
    path = tmp_path / "model.tar.gz"
    path.write_bytes(b"")
    return path


def test_missing_model_exits_2(tmp_path, capsys):
    assert evaluate_moves.main(["check", "--model", str(tmp_path / "none.tar.gz")]) == 2
    assert "run `make train` first" in capsys.readouterr().err


def test_check_passes_when_detection_is_good(perfect_nlu, model, capsys):
    assert evaluate_moves.main(["check", "--model", str(model)]) == 0
    out = capsys.readouterr().out
    assert "micro-F1, all labels" in out and "micro-F1 over the generic moves" in out


def test_check_fails_below_the_bar(monkeypatch, model, capsys):
    monkeypatch.setattr(evaluate_moves, "nlu_moves", lambda texts, model: [[] for _ in texts])
    monkeypatch.setattr(evaluate_moves, "key_move_items", _perfect_keys)
    assert evaluate_moves.main(["check", "--model", str(model)]) == 1
    assert "FAIL: move detection micro-F1" in capsys.readouterr().err


def test_false_concessions_on_the_negation_set_fail_the_check(monkeypatch, model, capsys):
    gold = {i.text: sorted(i.gold) for i in read_heldout()}
    monkeypatch.setattr(evaluate_moves, "nlu_moves",
                        lambda texts, model: [gold.get(t, ["concession"]) for t in texts])
    monkeypatch.setattr(evaluate_moves, "key_move_items", _perfect_keys)
    assert evaluate_moves.main(["check", "--model", str(model)]) == 1
    assert "false concessions on negated give-aways" in capsys.readouterr().err


def test_a_missing_held_out_file_fails_and_says_so(perfect_nlu, model, tmp_path, capsys):
    missing = tmp_path / "negation.yml"
    assert evaluate_moves.main(["check", "--model", str(model), "--negation", str(missing)]) == 1
    assert f"{missing} does not exist, so this figure was not measured" in capsys.readouterr().err


def test_markdown_writes_the_report(perfect_nlu, monkeypatch, model, tmp_path):
    monkeypatch.setattr("coach.moves.crossval.cross_validate", lambda: "CV TABLE")
    out = tmp_path / "moves.md"
    assert evaluate_moves.main(["markdown", str(out), "--model", str(model)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "CV TABLE" in text and "## The gate (`make test-moves`)" in text


def test_default_model_is_the_trained_one():
    assert evaluate_moves.MODEL == Path(evaluate_moves.__file__).parents[2] / "models" / "coach.tar.gz"
