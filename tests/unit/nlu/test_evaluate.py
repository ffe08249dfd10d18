"""The NLU gates in `make test` really fail below the bar (coach/nlu/evaluate.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.content.playbook import OBJECTION_INTENTS, SITUATION_INTENTS
from coach.nlu import evaluate as nlu_report

SCORED = OBJECTION_INTENTS + SITUATION_INTENTS


def _report(scores: dict) -> dict:
    return {i: {"precision": f, "recall": f, "f1-score": f, "support": 30, "confused_with": {}}
            for i, f in scores.items()}


def test_macro_f1_is_over_the_nine_objections_and_the_five_situations():
    assert nlu_report.SCORED_INTENTS == SCORED and len(SCORED) == 14
    scores = {i: 1.0 for i in SCORED}
    scores["out_of_scope"] = 0.0  # reported, not averaged in
    scores["situation_rumour"] = 0.86
    assert nlu_report.macro_f1(_report(scores)) == pytest.approx(1 - 0.14 / 14)


def test_passes_at_the_bar():
    assert nlu_report.failures(_report({i: 0.975 for i in SCORED})) == []


def test_one_weak_intent_fails_even_with_a_good_average():
    scores = {i: 1.0 for i in SCORED}
    scores["situation_complaint"] = 0.89
    assert nlu_report.below_target(_report(scores), None, 0) == ["situation_complaint F1 is 0.890, below 0.9"]


def test_low_macro_fails():
    problems = nlu_report.below_target(_report({i: 0.96 for i in SCORED}), None, 0)
    assert problems == ["macro-F1 over the 14 objection and situation intents is 0.960, below 0.97"]
    assert nlu_report.failures(_report({i: 0.94 for i in SCORED}))  # below the gate: make test fails


def test_gates_never_stand_above_the_targets():
    assert nlu_report.MIN_MACRO_F1 <= nlu_report.TARGET_MACRO_F1
    assert nlu_report.MIN_INTENT_F1 <= nlu_report.TARGET_INTENT_F1
    assert 0 < nlu_report.MIN_MARGIN <= nlu_report.TARGET_MARGIN


def test_missing_situation_counts_as_zero():
    scores = {i: 1.0 for i in OBJECTION_INTENTS}
    assert any("situation_follow_up F1 is 0.000" in p for p in nlu_report.failures(_report(scores)))


def test_must_beat_the_baseline_by_a_point():
    shipped = _report({i: 0.98 for i in SCORED})
    assert nlu_report.below_target(shipped, _report({i: 0.97 for i in SCORED}), 0) == []
    problems = nlu_report.below_target(shipped, _report({i: 0.975 for i in SCORED}), 0)
    assert problems == ["macro-F1 0.980 does not beat the TF-IDF baseline's 0.975 by 0.01"]


def test_any_confident_out_of_scope_card_fails():
    shipped = _report({i: 1.0 for i in SCORED})
    assert nlu_report.failures(shipped, oos=1) == [
        "1 out-of-scope held-out lines would get an objection/situation card (allowed: 0)"]


def _line(gold: str, predicted: str, confidence: float) -> dict:
    return {"text": "x", "intent": gold, "intent_prediction": {"name": predicted, "confidence": confidence}}


def test_oos_cards_count_only_confident_objection_or_situation_predictions(tmp_path: Path):
    errors = [_line("out_of_scope", "objection_price", 0.93),     # a wrong card
              _line("out_of_scope", "situation_rumour", 0.50),    # at the threshold: a card
              _line("out_of_scope", "objection_policy", 0.49),    # below: the fallback menu
              _line("out_of_scope", "help", 0.99),                # not a card
              _line("objection_price", "objection_policy", 0.99)]  # not out of scope
    (tmp_path / "intent_errors.json").write_text(json.dumps(errors), encoding="utf-8")
    cards = nlu_report.oos_cards(tmp_path, 0.5)
    assert [c["intent_prediction"]["name"] for c in cards] == ["objection_price", "situation_rumour"]


def test_card_threshold_is_the_fallback_classifiers(tmp_path: Path):
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: DIETClassifier\n"
                      "  - name: FallbackClassifier\n    threshold: 0.6\n", encoding="utf-8")
    assert nlu_report.card_threshold(config) == 0.6
    assert nlu_report.card_threshold() == 0.5  # config.yml as shipped


def test_check_command_exit_code(tmp_path: Path, capsys, monkeypatch):
    scores = {i: 0.5 for i in SCORED}
    (tmp_path / "intent_report.json").write_text(json.dumps(_report(scores)), encoding="utf-8")
    baseline = _report({i: 0.4 for i in SCORED})
    monkeypatch.setattr(nlu_report, "baseline_results", lambda results: (baseline, tmp_path / "baseline"))
    assert nlu_report.main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL: macro-F1" in out and "baseline: macro-F1" in out
