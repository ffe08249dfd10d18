"""Choose the NLU pipeline by cross-validation on data/nlu (the held-out set is never used here).

  python -m coach.nlu.compare                      # every pipeline in PIPELINES, then docs/nlu.md
  python -m coach.nlu.compare --only shipped char13  # some of them (cached runs are reused for the rest)
  python -m coach.nlu.compare --doc-only           # rewrite docs/nlu.md from the cached runs

Every pipeline, and the TF-IDF baseline (coach/nlu/baseline.py), sees the same stratified folds
(seeded), so the figures are paired. Each fold trains `rasa train nlu` on the other folds (regexes
and lookup tables always included) and parses the fold's lines; the arg-max intent is scored as
`rasa test nlu` scores it, and the FallbackClassifier's verdict is kept to count confident wrong cards.
Runs are cached in results/cv/<name>/ under a fingerprint of the config, the data and the folds.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import yaml

from coach.nlu import baseline as base
from coach.nlu.compare_report import kept_notes, summarise, table, write_doc
from coach.settings import LEXICON, PROJECT_ROOT

OUT = PROJECT_ROOT / "results" / "cv"
DOC = PROJECT_ROOT / "docs" / "nlu.md"
FOLDS = 3  # 3 folds x ~1.5 min per DIET training keeps a pipeline's row at ~5 minutes on 2 cores
SEED = 0
# Components that do not change the intent (they add `moves` / `clauses` to the parse): left out of
# the CV trainings to save time.
NOT_FOR_INTENTS = {"coach.nlu.move_classifier.MoveClassifier", "coach.nlu.clauses.ClauseReader"}
BASELINE_CS = (1.0, 10.0, 100.0)
BLEND_WEIGHTS = (0.3, 0.5, 0.7)  # TfidfBlend's weight, tried on every DIET run that stored its ranking


@dataclass(frozen=True)
class Pipeline:
    name: str
    config: str  # relative to the project root
    what: str
    default: bool = True  # in the plain `python -m coach.nlu.compare` run; others only with --only


PIPELINES = (
    Pipeline("shipped", "config.yml", "the shipped pipeline (see config.yml)"),
    Pipeline("previous", "configs/previous.yml",
             "the pipeline shipped before this comparison: spaCy (jieba) words + char_wb 1-4 counts, "
             "DIET 100 epochs"),
    Pipeline("char13", "configs/char13.yml",
             "previous + a third CountVectorsFeaturizer: char 1-3-grams "
             "(the baseline's features, as counts)"),
    Pipeline("char13_e200", "configs/char13_e200.yml",
             "char13 with DIET 200 epochs, drop_rate 0.3"),
    Pipeline("jieba_tokenizer", "configs/jieba_tokenizer.yml",
             "previous with JiebaTokenizer (whitespace tokens removed) instead of spaCy"),
    Pipeline("no_normalizer", "configs/no_normalizer.yml",
             "previous without the ScriptNormalizer (Traditional Chinese kept as written)"),
    Pipeline("diet_transformer", "configs/diet_transformer.yml",
             "previous with DIET's default 2 transformer layers (~10x the training time)", default=False),
)


# ----------------------------------------------------------------------------------------- folds

def load_training_data(folder: Path) -> Any:
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(folder))


def folds(examples: Sequence[Any], n: int = FOLDS, seed: int = SEED) -> list[list[int]]:
    """Indices of each fold's test lines: stratified by intent, shuffled with `seed`."""
    from sklearn.model_selection import StratifiedKFold

    labels = [e.get("intent") for e in examples]
    skf = StratifiedKFold(n_splits=n, shuffle=True, random_state=seed)
    return [list(test) for _, test in skf.split(list(range(len(labels))), labels)]


def data_digest(data: Path) -> str:
    """Which version of data/nlu (and the lexicon) a run saw."""
    digest = hashlib.sha256()
    for path in [LEXICON, *sorted(Path(data).glob("*.yml"))]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:8]


BLEND = "coach.nlu.blend.TfidfBlend"


def intent_pipeline(config: Path) -> dict[str, Any]:
    """What DIET's cross-validation run depends on: the config without its policies, without the
    components that do not change the intent (NOT_FOR_INTENTS), without TfidfBlend (applied to the stored
    DIET ranking afterwards, `blend_run`) and without DIET's ranking_length (output only)."""
    data: dict[str, Any] = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["pipeline"] = [dict(c) for c in data["pipeline"] if c.get("name") not in NOT_FOR_INTENTS | {BLEND}]
    for component in data["pipeline"]:
        if component.get("name") == "DIETClassifier":
            component.pop("ranking_length", None)
    data.pop("policies", None)
    return data


def blend_weight(config: Path) -> Optional[float]:
    """TfidfBlend's weight when the config has the component, else None."""
    from coach.nlu.blend import WEIGHT

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in data.get("pipeline", []):
        if component.get("name") == BLEND:
            return float(component.get("weight", WEIGHT))
    return None


def full_ranking(pipeline: dict[str, Any]) -> dict[str, Any]:
    """DIET reports every intent's confidence (ranking_length 0; it only truncates the output), so a
    blend with the TF-IDF model can be computed from the stored ranking (`blend_rows`)."""
    for component in pipeline["pipeline"]:
        if component.get("name") == "DIETClassifier":
            component["ranking_length"] = 0
    return pipeline


def fingerprint(config: Path, data: Path, n: int, seed: int) -> str:
    """What a CV run depends on: the intent pipeline (comments aside), the data, the lexicon, the folds."""
    digest = hashlib.sha256(json.dumps([intent_pipeline(config), n, seed], sort_keys=True).encode())
    for path in [LEXICON, *sorted(Path(data).glob("*.yml"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# ------------------------------------------------------------------------------------ one run

def _card_intent(parse: dict[str, Any]) -> Optional[str]:
    """The intent the coach acts on (nlu_fallback when the FallbackClassifier stepped in)."""
    return (parse.get("intent") or {}).get("name")


async def _parse_all(model: str, texts: Sequence[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    return [await agent.parse_message(t) for t in texts]


def run_fold(config: Path, training: Any, train_idx: Sequence[int], test_idx: Sequence[int],
             work: Path) -> tuple[list[dict[str, Any]], float]:
    """Train on `train_idx`, parse `test_idx`; the per-line records and the training seconds."""
    from rasa.model_training import train_nlu
    from rasa.nlu.classifiers.fallback_classifier import undo_fallback_prediction
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.training_data import TrainingData

    examples = training.intent_examples
    fold_data = TrainingData(training_examples=[examples[i] for i in train_idx],
                             entity_synonyms=training.entity_synonyms, regex_features=training.regex_features,
                             lookup_tables=training.lookup_tables)
    nlu_dir = work / "nlu"
    nlu_dir.mkdir(parents=True, exist_ok=True)
    RasaYAMLWriter().dump(nlu_dir / "train.yml", fold_data)
    start = time.monotonic()
    model = train_nlu(str(config), str(nlu_dir), str(work / "model"), fixed_model_name="fold")
    seconds = time.monotonic() - start
    if not model:
        raise SystemExit(f"training failed for {config}")
    test = [examples[i] for i in test_idx]
    parses = asyncio.run(_parse_all(model, [e.get("text") for e in test]))
    records = []
    for example, parse in zip(test, parses, strict=True):
        card = _card_intent(parse)
        top = undo_fallback_prediction(parse) if card == "nlu_fallback" else parse
        ranking = {r["name"]: round(float(r["confidence"]), 5) for r in top.get("intent_ranking") or []}
        records.append({"text": example.get("text"), "intent": example.get("intent"),
                        "predicted": top["intent"]["name"], "confidence": float(top["intent"]["confidence"]),
                        "acted_on": card, "ranking": ranking})
    return records, seconds


def run_pipeline(pipeline: Pipeline, data: Path, out: Path, n: int, seed: int, force: bool) -> dict[str, Any]:
    """Cross-validate one pipeline (DIET run, then TfidfBlend on its ranking when the config has it)."""
    return with_blend(pipeline, run_diet(pipeline, data, out, n, seed, force))


def with_blend(pipeline: Pipeline, result: dict[str, Any]) -> dict[str, Any]:
    weight = blend_weight(PROJECT_ROOT / pipeline.config)
    if weight is None:
        return result
    return {**blend_run(result, weight), "name": pipeline.name, "config": pipeline.config}


def run_diet(pipeline: Pipeline, data: Path, out: Path, n: int, seed: int, force: bool) -> dict[str, Any]:
    """Cross-validate the DIET part of one pipeline; a run with the same fingerprint is reused."""
    config = PROJECT_ROOT / pipeline.config
    key = fingerprint(config, data, n, seed)
    cache = out / "runs" / f"{key}.json"
    if cache.is_file() and not force:
        print(f"[cv] {pipeline.name}: cached ({cache})")
        cached: dict[str, Any] = json.loads(cache.read_text(encoding="utf-8"))
        return {**cached, "name": pipeline.name, "config": pipeline.config}
    training = load_training_data(data)
    test_folds = folds(training.intent_examples, n, seed)
    records: list[dict[str, Any]] = []
    seconds: list[float] = []
    with tempfile.TemporaryDirectory(prefix=f"cv-{pipeline.name}-") as tmp:
        cfg = Path(tmp) / "config.yml"
        cfg.write_text(yaml.safe_dump(full_ranking(intent_pipeline(config)), allow_unicode=True,
                                      sort_keys=False), encoding="utf-8")
        everything = set(range(len(training.intent_examples)))
        for k, test_idx in enumerate(test_folds):
            print(f"[cv] {pipeline.name}: fold {k + 1}/{n}", flush=True)
            train_idx = sorted(everything - set(test_idx))
            fold_records, took = run_fold(cfg, training, train_idx, test_idx, Path(tmp) / f"fold{k}")
            records += [{**r, "fold": k} for r in fold_records]
            seconds.append(took)
    result = {"fingerprint": key, "data": data_digest(data), "name": pipeline.name, "config": pipeline.config,
              "folds": n, "seed": seed, "train_seconds": seconds, "records": records}
    # latest.json: still shown (flagged stale) once the data moves on
    for path in (cache, out / pipeline.name / "latest.json"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def cached_run(pipeline: Pipeline, data: Path, out: Path, n: int, seed: int) -> Optional[dict[str, Any]]:
    cache = out / "runs" / f"{fingerprint(PROJECT_ROOT / pipeline.config, data, n, seed)}.json"
    if not cache.is_file():
        return None
    cached = json.loads(cache.read_text(encoding="utf-8"))
    return with_blend(pipeline, {**cached, "name": pipeline.name, "config": pipeline.config})


def run_baseline(data: Path, out: Path, n: int, seed: int, c: float) -> dict[str, Any]:
    """The TF-IDF baseline on the same folds (seconds, so never cached)."""
    training = load_training_data(data)
    examples = [(e.get("intent"), e.get("text")) for e in training.intent_examples]
    records = []
    seconds = []
    for test_idx in folds(training.intent_examples, n, seed):
        held = set(test_idx)
        start = time.monotonic()
        model = base.Baseline(c).fit([ex for i, ex in enumerate(examples) if i not in held])
        seconds.append(time.monotonic() - start)
        for p in model.evaluate([examples[i] for i in test_idx]):
            # The baseline has no fallback: every arg-max counts as acted on, which can only
            # make its out-of-scope figure look worse, never its macro-F1.
            records.append({"text": p.text, "intent": p.intent, "predicted": p.predicted,
                            "confidence": p.confidence, "acted_on": p.predicted})
    name = f"baseline_c{c:g}"
    result = {"name": name, "config": f"coach/nlu/baseline.py (C={c:g})", "folds": n, "seed": seed,
              "train_seconds": seconds, "records": records}
    (out / name).mkdir(parents=True, exist_ok=True)
    (out / name / "cv.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def fallback_rule(config: Path) -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of the config's FallbackClassifier (0, 0: none)."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in data.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3)), float(component.get("ambiguity_threshold", 0.1))
    return 0.0, 0.0


def acted_on(ranking: Sequence[tuple[str, float]], threshold: float, ambiguity: float) -> str:
    """The intent the coach acts on: nlu_fallback when FallbackClassifier would step in."""
    top = ranking[0][1]
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    return "nlu_fallback" if top < threshold or top - second < ambiguity else ranking[0][0]


def blend_run(result: dict[str, Any], weight: float, c: float = base.C) -> dict[str, Any]:
    """What TfidfBlend (coach/nlu/blend.py) would have answered on the same folds.

    Exact, not an approximation: per fold, the TF-IDF model is trained on the other folds' lines (the
    lines that fold's DIET was trained on) and blended with the stored full DIET ranking, as the
    component does; the FallbackClassifier rule is then applied to the blended ranking.
    """
    from coach.nlu.blend import blend

    records = result["records"]
    threshold, ambiguity = fallback_rule(PROJECT_ROOT / result["config"])
    out = []
    seconds = []
    for k in sorted({r["fold"] for r in records}):
        start = time.monotonic()
        model = base.Baseline(c).fit([(r["intent"], r["text"]) for r in records if r["fold"] != k])
        seconds.append(time.monotonic() - start)
        for r in (r for r in records if r["fold"] == k):
            mixed = blend(r["ranking"], model.probabilities(r["text"]), weight)
            out.append({**r, "predicted": mixed[0][0], "confidence": mixed[0][1],
                        "acted_on": acted_on(mixed, threshold, ambiguity), "ranking": dict(mixed[:10])})
    diet = result["train_seconds"]
    return {**result, "name": f"{result['name']} + tfidf blend w={weight:g}",
            "config": f"{result['config']} + coach.nlu.blend.TfidfBlend weight {weight:g}",
            "train_seconds": [d + s for d, s in zip(diet, seconds, strict=True)], "records": out}


def collect(args: argparse.Namespace, wanted: Sequence[Pipeline]) -> tuple[list[dict[str, Any]], str]:
    """Run (or reuse) every wanted pipeline, the blends and the baselines on one snapshot of the data."""
    with tempfile.TemporaryDirectory(prefix="cv-data-") as snapshot:
        # One copy of data/nlu for the whole comparison: files edited meanwhile do not mix data versions.
        data = Path(snapshot)
        for path in Path(args.data).glob("*.yml"):
            shutil.copy2(path, data / path.name)
        results = []
        for p in PIPELINES:
            if p in wanted and not args.doc_only:
                results.append(run_pipeline(p, data, args.out, args.folds, args.seed, args.force))
                continue
            cached = cached_run(p, data, args.out, args.folds, args.seed)
            latest = args.out / p.name / "latest.json"
            if cached:
                results.append(cached)
            elif latest.is_file():
                earlier = json.loads(latest.read_text(encoding="utf-8"))
                print(f"[cv] {p.name}: only a run on other data or config ({earlier.get('data')}); flagged")
                results.append({**earlier, "name": f"{p.name} (stale: data {earlier.get('data')})"})
            else:
                print(f"[cv] {p.name}: no run for this config and data; not in the table")
        results += [blend_run(r, w) for r in list(results) for w in BLEND_WEIGHTS
                    if "stale" not in r["name"] and blend_weight(PROJECT_ROOT / r["config"]) is None
                    and all("ranking" in x and "fold" in x for x in r["records"])]
        results += [run_baseline(data, args.out, args.folds, args.seed, c) for c in BASELINE_CS]
        version = data_digest(data)
    return results, version


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="choose the NLU pipeline by cross-validation on data/nlu")
    parser.add_argument("--only", nargs="*", default=None, help="pipeline names to (re)run")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT / "data" / "nlu")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--doc", type=Path, default=DOC)
    parser.add_argument("--force", action="store_true", help="retrain even when a cached run matches")
    parser.add_argument("--doc-only", action="store_true", help="only cached runs; skip what is not cached")
    args = parser.parse_args(argv)
    from rasa.utils.log_utils import configure_structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)  # no per-message parse lines
    wanted = [p for p in PIPELINES if (p.default if args.only is None else p.name in args.only)]
    results, version = collect(args, wanted)
    rows = [summarise(r) for r in results]
    notes = kept_notes(args.doc)
    write_doc(rows, [p for p in PIPELINES if any(r.name.split(" ")[0] == p.name for r in rows)], notes,
              args.doc, args.folds, args.seed, version)
    print(table(rows))
    print(f"wrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
