"""Read `rasa test nlu` results: check the quality bar, write the reports in docs/.

  python -m coach.nlu.evaluate check results/nlu            # exit 1 below the bar
  python -m coach.nlu.evaluate markdown results/nlu docs/nlu_report.md
  python -m coach.nlu.evaluate compare docs/nlu.md "shipped=results/compare/shipped" ...
                                                    # (scripts/compare_pipelines.sh)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional, Union

import yaml

from coach import i18n
from coach.content.playbook import OBJECTION_INTENTS
from coach.moves.evaluate import SCRIPTS, header
from coach.settings import NLU_HELDOUT

Report = dict[str, Any]  # rasa's intent_report.json: intent -> figures, plus "accuracy" and averages

HELDOUT = NLU_HELDOUT
MIN_MACRO_F1 = 0.95  # the quality bar, over the nine objections
MIN_INTENT_F1 = 0.90  # for every objection


def read_examples(path: Union[str, Path]) -> list[tuple[str, str]]:
    """(intent, example) for every `- example` line of every intent block, in file order."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [(block["intent"], line[2:].strip())
            for block in data.get("nlu", []) if "intent" in block
            for line in block["examples"].splitlines() if line.startswith("- ")]


def load(results_dir: Path) -> Report:
    path = Path(results_dir) / "intent_report.json"
    if not path.is_file():
        raise SystemExit(f"error: {path} not found; "
                         f"run `rasa test nlu --nlu tests/nlu/heldout.yml --out {results_dir}` first")
    return json.loads(path.read_text(encoding="utf-8"))


def objection_scores(report: Report) -> dict[str, float]:
    """F1 per objection intent; an intent absent from the report (never predicted, no support) scores 0."""
    return {i: float(report.get(i, {}).get("f1-score", 0.0)) for i in OBJECTION_INTENTS}


def macro_f1(report: Report) -> float:
    scores = objection_scores(report)
    return sum(scores.values()) / len(scores)


def failures(report: Report, min_macro: float = MIN_MACRO_F1, min_each: float = MIN_INTENT_F1) -> list[str]:
    """Human-readable reasons the report misses the bar; empty when it passes."""
    out = []
    macro = macro_f1(report)
    if macro < min_macro:
        out.append(f"macro-F1 over the nine objections is {macro:.3f}, below {min_macro}")
    for intent, f1 in objection_scores(report).items():
        if f1 < min_each:
            out.append(f"{intent} F1 is {f1:.3f}, below {min_each}")
    return out


def _most_confused(figures: dict[str, Any]) -> str:
    """The two intents this one was most often mistaken for, with counts."""
    confused = sorted(figures.get("confused_with", {}).items(), key=lambda kv: -kv[1])[:2]
    return ", ".join(f"{k} ({v})" for k, v in confused) or "-"


def table(report: Report) -> str:
    intents = [i for i in report if isinstance(report[i], dict) and "f1-score" in report[i]
               and i not in ("macro avg", "weighted avg", "micro avg")]
    ordered = ([i for i in OBJECTION_INTENTS if i in intents]
               + sorted(i for i in intents if i not in OBJECTION_INTENTS))
    rows = ["| intent | precision | recall | F1 | support | most confused with |",
            "|---|---|---|---|---|---|"]
    for i in ordered:
        r = report[i]
        rows.append(f"| {i} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1-score']:.3f} "
                    f"| {r['support']} | {_most_confused(r)} |")
    return "\n".join(rows)


def _worst(scores: dict[str, float]) -> str:
    """The weakest objection (the first one, on a tie)."""
    return min(scores, key=lambda intent: scores[intent])


def summary(report: Report) -> str:
    scores = objection_scores(report)
    worst = _worst(scores)
    return (f"macro-F1 (nine objections): {macro_f1(report):.3f}; worst: {worst} {scores[worst]:.3f}; "
            f"accuracy (all intents): {report.get('accuracy', 0):.3f}")


def _originals(heldout: Path) -> dict[str, str]:
    """Normalised text -> text as written: rasa reports the text after ScriptNormalizer ran."""
    return {i18n.normalize_text(text): text for _, text in read_examples(heldout)}


def by_script(results_dir: Path, heldout: Path = HELDOUT) -> str:
    """Objection accuracy per script, from rasa's per-example files (needs `rasa test nlu --successes`)."""
    originals = _originals(heldout)
    rows: dict[str, tuple[int, int]] = {}  # script -> (correct, total)
    for name in ("intent_successes.json", "intent_errors.json"):
        path = Path(results_dir) / name
        if not path.is_file():
            return ""
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item["intent"] not in OBJECTION_INTENTS:
                continue
            script = i18n.script(originals.get(item["text"], item["text"]))
            ok, total = rows.get(script, (0, 0))
            rows[script] = (ok + int(item["intent_prediction"]["name"] == item["intent"]), total + 1)
    out = ["| script | objection utterances | correct | accuracy |", "|---|---|---|---|"]
    for script in SCRIPTS:
        ok, total = rows.get(script, (0, 0))
        if total:
            out.append(f"| {script} | {total} | {ok} | {ok / total:.3f} |")
    return "\n".join(out)


def cmd_check(args: argparse.Namespace) -> int:
    report = load(args.results)
    print(table(report))
    print(summary(report))
    problems = failures(report, args.min_macro, args.min_each)
    for p in problems:
        print(f"FAIL: {p}")
    if not problems:
        print(f"OK: macro-F1 >= {args.min_macro} and every objection F1 >= {args.min_each}")
    return 1 if problems else 0


def cmd_markdown(args: argparse.Namespace) -> int:
    report = load(args.results)
    lines = header("NLU per-intent report (held-out set)") + [
        "Command: `make nlu-report` (trains if needed, then `rasa test nlu --nlu tests/nlu/heldout.yml`).",
        "",
        f"**{summary(report)}**", "",
        f"Bar enforced by `make test`: macro-F1 >= {MIN_MACRO_F1}, each objection >= {MIN_INTENT_F1}.", "",
        table(report), ""]
    scripts = by_script(args.results)
    if scripts:
        lines += ["Objection accuracy by the script the rep wrote in (mixed = Chinese with English words):",
                  "", scripts, ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


COMPARE_INTRO = (
    "Command: `make compare-pipelines` (scripts/compare_pipelines.sh). Every pipeline is trained on "
    "`data/nlu` with the same seed and evaluated on `tests/nlu/heldout.yml`. "
    "`config.yml` (shipped): SpacyNLP + SpacyTokenizer over a blank zh pipeline with the jieba segmenter, "
    "DIET without transformer layers. `configs/jieba_tokenizer.yml`: the same with JiebaTokenizer "
    "(whitespace tokens removed) instead of spaCy. `configs/diet_transformer.yml`: the shipped pipeline "
    "with DIET's default 2 transformer layers. Training time is wall-clock `rasa train nlu` on this machine "
    "(2 cores), including start-up. The shipped row can differ slightly from docs/nlu_report.md, which "
    "evaluates the model `make train` builds with `rasa train` (the same NLU data plus the dialogue data).")


def cmd_compare(args: argparse.Namespace) -> int:
    rows = ["| pipeline | macro-F1 (objections) | worst objection | accuracy (all intents) | training time |",
            "|---|---|---|---|---|"]
    for spec in args.runs:
        name, _, folder = spec.partition("=")
        report = load(Path(folder))
        scores = objection_scores(report)
        worst = _worst(scores)
        seconds = Path(folder) / "train_seconds.txt"
        took = f"{seconds.read_text().strip()} s" if seconds.is_file() else "-"
        rows.append(f"| {name} | {macro_f1(report):.3f} | {worst} {scores[worst]:.3f} | "
                    f"{report.get('accuracy', 0):.3f} | {took} |")
    lines = header("NLU pipeline comparison on the held-out set") + [COMPARE_INTRO, "", *rows, ""]
    if args.note:
        lines += [args.note, ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(rows))
    print(f"wrote {args.out}")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="NLU evaluation reports")
    sub = parser.add_subparsers(dest="cmd", required=True)
    check = sub.add_parser("check")
    check.add_argument("results", type=Path)
    check.add_argument("--min-macro", type=float, default=MIN_MACRO_F1)
    check.add_argument("--min-each", type=float, default=MIN_INTENT_F1)
    check.set_defaults(func=cmd_check)
    md = sub.add_parser("markdown")
    md.add_argument("results", type=Path)
    md.add_argument("out", type=Path)
    md.set_defaults(func=cmd_markdown)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("out", type=Path)
    cmp_.add_argument("runs", nargs="+", help="name=results_dir")
    cmp_.add_argument("--note", default="")
    cmp_.set_defaults(func=cmd_compare)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
