"""The TF-IDF baseline (coach/nlu/baseline.py) and the cross-validation plumbing (coach/nlu/compare.py)."""
from __future__ import annotations

import json
from pathlib import Path

from coach.nlu import baseline, compare, compare_report
from coach.nlu.evaluate import read_examples
from coach.settings import PROJECT_ROOT

PRICE = ("太贵了", "价格太高", "too expensive", "你们的价钱太贵")
CONSIGNMENT = ("要铺货", "先铺货后结款", "stock me on credit", "卖了再给钱")
OTHER = ("今天天气怎么样", "what's the weather", "讲个笑话", "你几岁")
TRAIN = ([("objection_price", t) for t in PRICE] + [("objection_consignment", t) for t in CONSIGNMENT]
         + [("out_of_scope", t) for t in OTHER])


def test_baseline_learns_char_ngrams_and_normalises_traditional():
    model = baseline.Baseline().fit(TRAIN)
    (intent, confidence), = model.predict(["價格太貴"])  # Traditional: normalised before the n-grams
    assert intent == "objection_price" and 0 < confidence <= 1


def test_baseline_report_has_rasas_shape(tmp_path: Path):
    predictions = baseline.Baseline().fit(TRAIN).evaluate(TRAIN)
    report = baseline.write_results(predictions, tmp_path)
    assert report["accuracy"] == 1.0
    assert {"precision", "recall", "f1-score", "support", "confused_with"} <= set(report["objection_price"])
    saved = json.loads((tmp_path / "predictions.json").read_text(encoding="utf-8"))
    assert saved[0]["intent_prediction"]["name"] == saved[0]["intent"]


def test_baseline_trains_on_every_example_in_data_nlu_only():
    # (that no held-out line is in data/nlu is test_data_split.py's job)
    training = baseline.training_examples()
    files = sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml"))
    assert len(training) == sum(len(read_examples(f)) for f in files) > 500


def test_folds_are_stratified_seeded_and_cover_every_line_once():
    class Ex(dict):  # rasa Message-like: .get("intent")
        pass

    examples = [Ex(intent=f"i{k % 3}") for k in range(30)]
    first = compare.folds(examples, 5, seed=0)
    assert first == compare.folds(examples, 5, seed=0)
    assert sorted(i for fold in first for i in fold) == list(range(30))
    assert all(sorted(examples[i]["intent"] for i in fold) == ["i0", "i0", "i1", "i1", "i2", "i2"]
               for fold in first)


def test_cv_config_drops_the_move_classifier_and_ignores_comments(tmp_path: Path):
    config = tmp_path / "a.yml"
    text = (PROJECT_ROOT / "config.yml").read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    names = [c["name"] for c in compare.intent_pipeline(config)["pipeline"]]
    assert "DIETClassifier" in names and not set(names) & compare.NOT_FOR_INTENTS
    data = PROJECT_ROOT / "data" / "nlu"
    commented = tmp_path / "b.yml"
    commented.write_text("# another comment\n" + text, encoding="utf-8")
    assert compare.fingerprint(config, data, 5, 0) == compare.fingerprint(commented, data, 5, 0)
    assert compare.fingerprint(config, data, 5, 0) != compare.fingerprint(config, data, 5, 1)


def test_every_compared_config_exists_and_keeps_diets_seed():
    import yaml

    for pipeline in compare.PIPELINES:
        data = yaml.safe_load((PROJECT_ROOT / pipeline.config).read_text(encoding="utf-8"))
        diet = [c for c in data["pipeline"] if c["name"] == "DIETClassifier"]
        assert len(diet) == 1 and diet[0].get("random_seed") is not None, pipeline.config


def test_summarise_counts_out_of_scope_cards_after_the_fallback():
    records = [{"text": "a", "intent": "objection_price", "predicted": "objection_price", "confidence": 0.9,
                "acted_on": "objection_price"},
               {"text": "b", "intent": "out_of_scope", "predicted": "objection_price", "confidence": 0.4,
                "acted_on": "nlu_fallback"},
               {"text": "c", "intent": "out_of_scope", "predicted": "objection_price", "confidence": 0.8,
                "acted_on": "objection_price"}]
    row = compare.summarise({"name": "x", "config": "x.yml", "train_seconds": [1.0], "records": records})
    assert (row.oos_cards, row.oos_total) == (1, 2)
    assert row.scored == ("objection_price",) and row.macro == 0.5  # P 1/3, R 1 -> F1 0.5


def test_regenerating_docs_nlu_keeps_the_hand_written_reading(tmp_path: Path):
    doc = tmp_path / "nlu.md"
    row = compare_report.Row("shipped", "config.yml", 0.98, "objection_price", 0.95, 0.9, 0, 40, 0.02, 30.0,
                      ("objection_price",))
    compare_report.write_doc([row], compare.PIPELINES[:1], "", doc, 3, 0, "abcd1234")
    assert "(no reading yet)" in doc.read_text(encoding="utf-8")
    text = doc.read_text(encoding="utf-8").replace("(no reading yet)", "char 1-3 counts help.")
    doc.write_text(text, encoding="utf-8")
    notes = compare_report.kept_notes(doc)
    compare_report.write_doc([row], compare.PIPELINES[:1], notes, doc, 3, 0, "abcd1234")
    regenerated = doc.read_text(encoding="utf-8")
    assert "char 1-3 counts help." in regenerated and "| shipped | `config.yml` | 0.980 |" in regenerated


def test_blend_mixes_diet_and_tfidf_and_ranks_best_first():
    from coach.nlu.blend import blend

    diet = {"objection_price": 0.6, "objection_policy": 0.4}
    mixed = blend(diet, {"objection_policy": 0.9, "greet": 0.1}, 0.5)
    assert mixed[0][0] == "objection_policy" and abs(mixed[0][1] - 0.65) < 1e-9
    assert dict(mixed) == {"objection_policy": 0.65, "objection_price": 0.3, "greet": 0.05}
    assert blend({"a": 0.7, "b": 0.3}, {"b": 1.0}, 0.0)[0] == ("a", 0.7)  # weight 0: DIET alone


def test_fallback_rule_as_the_fallback_classifier_applies_it():
    assert compare.acted_on([("objection_price", 0.8), ("greet", 0.1)], 0.5, 0.05) == "objection_price"
    assert compare.acted_on([("objection_price", 0.45), ("greet", 0.1)], 0.5, 0.05) == "nlu_fallback"
    assert compare.acted_on([("objection_price", 0.52), ("greet", 0.49)], 0.5, 0.05) == "nlu_fallback"


def test_blend_run_trains_the_tfidf_model_on_the_other_folds_only():
    records = [{"text": t, "intent": i, "fold": k % 2, "predicted": i, "confidence": 0.9, "acted_on": i,
                "ranking": {i: 0.9}} for k, (i, t) in enumerate(TRAIN * 2)]
    diet_run = {"name": "previous", "config": "configs/previous.yml", "train_seconds": [1.0, 1.0],
                "records": records}
    run = compare.blend_run(diet_run, 0.5)
    assert run["name"] == "previous + tfidf blend w=0.5" and len(run["records"]) == len(records)
    assert all(r["predicted"] == r["intent"] for r in run["records"])


def test_cv_ignores_the_blend_and_the_ranking_length_when_fingerprinting(tmp_path: Path):
    data = PROJECT_ROOT / "data" / "nlu"
    plain = PROJECT_ROOT / "configs" / "previous.yml"
    text = plain.read_text(encoding="utf-8")
    blended = tmp_path / "blended.yml"
    blended.write_text(text.replace("    random_seed: 42\n", "    random_seed: 42\n    ranking_length: 0\n")
                       .replace("  - name: FallbackClassifier\n",
                                "  - name: coach.nlu.blend.TfidfBlend\n    weight: 0.3\n"
                                "  - name: FallbackClassifier\n"), encoding="utf-8")
    assert compare.blend_weight(blended) == 0.3 and compare.blend_weight(plain) is None
    assert compare.fingerprint(blended, data, 3, 0) == compare.fingerprint(plain, data, 3, 0)
