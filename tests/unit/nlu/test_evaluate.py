"""The quality gate in `make test` really fails below the bar."""
from __future__ import annotations

import json

from coach.content.playbook import OBJECTION_INTENTS
from coach.nlu import evaluate as nlu_report


def _report(scores: dict) -> dict:
    return {i: {"precision": f, "recall": f, "f1-score": f, "support": 30, "confused_with": {}}
            for i, f in scores.items()}


def test_passes_at_the_bar():
    assert nlu_report.failures(_report({i: 0.96 for i in OBJECTION_INTENTS})) == []


def test_one_weak_objection_fails_even_with_a_good_average():
    scores = {i: 1.0 for i in OBJECTION_INTENTS}
    scores["objection_no_money"] = 0.89
    problems = nlu_report.failures(_report(scores))
    assert problems == ["objection_no_money F1 is 0.890, below 0.9"]


def test_low_macro_fails():
    problems = nlu_report.failures(_report({i: 0.92 for i in OBJECTION_INTENTS}))
    assert problems == ["macro-F1 over the nine objections is 0.920, below 0.95"]


def test_missing_objection_counts_as_zero():
    scores = {i: 1.0 for i in OBJECTION_INTENTS[:-1]}
    assert any("objection_past_failure F1 is 0.000" in p for p in nlu_report.failures(_report(scores)))


def test_check_command_exit_code(tmp_path, capsys):
    scores = {i: 0.5 for i in OBJECTION_INTENTS}
    (tmp_path / "intent_report.json").write_text(json.dumps(_report(scores)), encoding="utf-8")
    assert nlu_report.main(["check", str(tmp_path)]) == 1
    assert "FAIL: macro-F1" in capsys.readouterr().out
