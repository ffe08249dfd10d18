"""Read `rasa test nlu` results on the held-out set: check the gates, write docs/nlu_report.md.

  python -m coach.nlu.evaluate check results/nlu            # exit 1 below a gate
  python -m coach.nlu.evaluate markdown results/nlu docs/nlu_report.md

Both also train the TF-IDF baseline (coach/nlu/baseline.py, seconds) on data/nlu, score it on the same
held-out set (its results go to <results>/baseline/) and print its macro-F1 beside the pipeline's.
The pipeline is chosen by cross-validation on data/nlu (coach/nlu/compare.py), never on these figures.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import yaml

from coach import i18n
from coach.content.playbook import OBJECTION_INTENTS, SITUATION_INTENTS
from coach.moves.evaluate import SCRIPTS, header
from coach.settings import NLU_HELDOUT, PROJECT_ROOT

Report = dict[str, Any]  # rasa's intent_report.json: intent -> figures, plus "accuracy" and averages

HELDOUT = NLU_HELDOUT
CONFIG = PROJECT_ROOT / "config.yml"
# The intents the macro-F1 is taken over: the nine objections and the five situations, the intents
# that get a card. out_of_scope and the conversation/drill intents are reported, not averaged in.
SCORED_INTENTS: tuple[str, ...] = OBJECTION_INTENTS + SITUATION_INTENTS
OUT_OF_SCOPE = "out_of_scope"
# The product's bars (targets) and what `make test` enforces (gates): the targets, now that they are met.
# A gate below its target would stand at the level reached, and the report would name it BELOW TARGET.
TARGET_MACRO_F1, MIN_MACRO_F1 = 0.97, 0.97  # macro-F1 over SCORED_INTENTS on the held-out set
TARGET_INTENT_F1, MIN_INTENT_F1 = 0.90, 0.90  # every scored intent
TARGET_MARGIN, MIN_MARGIN = 0.01, 0.01  # the shipped pipeline beats the TF-IDF baseline's macro-F1 by this
MAX_OOS_CARDS = 0  # gate: out-of-scope held-out lines given an objection/situation intent at card confidence


def read_examples(path: Union[str, Path]) -> list[tuple[str, str]]:
    """(intent, example) for every `- example` line of every intent block, in file order."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [(block["intent"], line[2:].strip())
            for block in data.get("nlu", []) if "intent" in block
            for line in block["examples"].splitlines() if line.startswith("- ")]


def card_threshold(config: Path = CONFIG) -> float:
    """The NLU confidence from which the coach shows a card: the FallbackClassifier's threshold.

    Below it the intent becomes nlu_fallback and the coach offers the menu (action_fallback); the
    actions themselves apply no threshold of their own (action_objection_card trusts the intent).
    """
    data = yaml.safe_load(Path(config).read_text(encoding="utf-8"))
    for component in data.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))  # rasa's default
    return 0.0  # no fallback at all: every prediction is acted on


def load(results_dir: Path) -> Report:
    path = Path(results_dir) / "intent_report.json"
    if not path.is_file():
        raise SystemExit(f"error: {path} not found; "
                         f"run `rasa test nlu --nlu tests/nlu/heldout.yml --out {results_dir}` first")
    report: Report = json.loads(path.read_text(encoding="utf-8"))
    return report


def intent_scores(report: Report, intents: Sequence[str] = SCORED_INTENTS) -> dict[str, float]:
    """F1 per intent; an intent absent from the report (never predicted, no support) scores 0."""
    return {i: float(report.get(i, {}).get("f1-score", 0.0)) for i in intents}


def objection_scores(report: Report) -> dict[str, float]:
    return intent_scores(report, OBJECTION_INTENTS)


def macro_f1(report: Report, intents: Sequence[str] = SCORED_INTENTS) -> float:
    scores = intent_scores(report, intents)
    return sum(scores.values()) / len(scores)


def worst(scores: dict[str, float]) -> str:
    """The weakest intent (the first one, on a tie)."""
    return min(scores, key=lambda intent: scores[intent])


def predictions(results_dir: Path) -> list[dict[str, Any]]:
    """Per-line predictions: rasa's intent_errors.json (+ intent_successes.json), or the baseline's file."""
    out: list[dict[str, Any]] = []
    for name in ("intent_errors.json", "intent_successes.json", "predictions.json"):
        path = Path(results_dir) / name
        if path.is_file():
            out += json.loads(path.read_text(encoding="utf-8"))
    return out


def oos_cards(results_dir: Path, threshold: float) -> list[dict[str, Any]]:
    """Out-of-scope lines given an objection/situation intent at or above the card threshold.

    `rasa test nlu` undoes the FallbackClassifier and records the arg-max intent and its confidence,
    so this counts every such line whose confidence reaches the threshold; the ambiguity rule could
    still send a few of them to the fallback, so the count is an upper bound (the safe side).
    """
    return [p for p in predictions(results_dir)
            if p["intent"] == OUT_OF_SCOPE
            and (p.get("intent_prediction") or {}).get("name") in SCORED_INTENTS
            and float(p["intent_prediction"].get("confidence") or 0.0) >= threshold]


def sent_to_menu(results_dir: Path, threshold: float) -> tuple[int, int]:
    """(objection/situation lines predicted below the card threshold, all objection/situation lines).

    Those get the fallback menu instead of a card: the cost of the threshold that keeps out-of-scope
    lines from getting cards. Needs `rasa test nlu --successes` (else only the errors are seen).
    """
    lines = [p for p in predictions(results_dir) if p["intent"] in SCORED_INTENTS]
    low = [p for p in lines if float((p.get("intent_prediction") or {}).get("confidence") or 0.0) < threshold]
    return len(low), len(lines)


def failures(report: Report, baseline: Optional[Report] = None, oos: int = 0,
             min_macro: float = MIN_MACRO_F1, min_each: float = MIN_INTENT_F1,
             min_margin: float = MIN_MARGIN) -> list[str]:
    """Human-readable reasons the results miss a gate; empty when they pass."""
    out = []
    macro = macro_f1(report)
    if macro < min_macro:
        out.append(f"macro-F1 over the {len(SCORED_INTENTS)} objection and situation intents is {macro:.3f}, "
                   f"below {min_macro}")
    for intent, f1 in intent_scores(report).items():
        if f1 < min_each:
            out.append(f"{intent} F1 is {f1:.3f}, below {min_each}")
    if baseline is not None:
        base = macro_f1(baseline)
        if macro < base + min_margin:
            out.append(f"macro-F1 {macro:.3f} does not beat the TF-IDF baseline's {base:.3f} by {min_margin}")
    if oos > MAX_OOS_CARDS:
        out.append(f"{oos} out-of-scope held-out lines would get an objection/situation card "
                   f"(allowed: {MAX_OOS_CARDS})")
    return out


def _most_confused(figures: dict[str, Any]) -> str:
    """The two intents this one was most often mistaken for, with counts."""
    confused = sorted(figures.get("confused_with", {}).items(), key=lambda kv: -kv[1])[:2]
    return ", ".join(f"{k} ({v})" for k, v in confused) or "-"


def table(report: Report, baseline: Optional[Report] = None) -> str:
    intents = [i for i in report if isinstance(report[i], dict) and "f1-score" in report[i]
               and i not in ("macro avg", "weighted avg", "micro avg")]
    ordered = (list(SCORED_INTENTS) + sorted(i for i in intents if i not in SCORED_INTENTS))
    rows = ["| intent | precision | recall | F1 | support | most confused with | baseline F1 |",
            "|---|---|---|---|---|---|---|"]
    for i in ordered:
        r = report.get(i) or {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0}
        b = f"{float(baseline[i]['f1-score']):.3f}" if baseline and isinstance(baseline.get(i), dict) else "-"
        rows.append(f"| {i} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1-score']:.3f} "
                    f"| {r['support']} | {_most_confused(r)} | {b} |")
    return "\n".join(rows)


def summary(report: Report) -> str:
    scores = intent_scores(report)
    weakest = worst(scores)
    return (f"macro-F1 ({len(OBJECTION_INTENTS)} objections + {len(SITUATION_INTENTS)} situations): "
            f"{macro_f1(report):.3f}; worst: {weakest} {scores[weakest]:.3f}; "
            f"objections only: {macro_f1(report, OBJECTION_INTENTS):.3f}; "
            f"situations only: {macro_f1(report, SITUATION_INTENTS):.3f}; "
            f"accuracy (all intents): {report.get('accuracy', 0):.3f}")


def oos_line(results_dir: Path, report: Report, threshold: float) -> str:
    cards = oos_cards(results_dir, threshold)
    oos = report.get(OUT_OF_SCOPE) or {}
    low, total = sent_to_menu(results_dir, threshold)
    return (f"out_of_scope: F1 {float(oos.get('f1-score', 0.0)):.3f} over {oos.get('support', 0)} lines; "
            f"given an objection/situation intent at confidence >= {threshold} (a card): {len(cards)}; "
            f"objection/situation lines below {threshold} (menu instead of a card): {low} of {total}")


def baseline_results(results_dir: Path) -> tuple[Report, Path]:
    """Train the TF-IDF baseline on data/nlu, score it on the held-out set, keep it in <results>/baseline."""
    from coach.nlu.baseline import run_heldout

    out = Path(results_dir) / "baseline"
    report, _ = run_heldout(HELDOUT, out=out)
    return report, out


def _originals(heldout: Path) -> dict[str, str]:
    """Normalised text -> text as written: rasa reports the text after ScriptNormalizer ran."""
    return {i18n.normalize_text(text): text for _, text in read_examples(heldout)}


def by_script(results_dir: Path, heldout: Path = HELDOUT) -> str:
    """Objection/situation accuracy per script, from rasa's per-line files (`rasa test nlu --successes`)."""
    originals = _originals(heldout)
    rows: dict[str, tuple[int, int]] = {}  # script -> (correct, total)
    for name in ("intent_successes.json", "intent_errors.json"):
        path = Path(results_dir) / name
        if not path.is_file():
            return ""
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item["intent"] not in SCORED_INTENTS:
                continue
            script = i18n.script(originals.get(item["text"], item["text"]))
            ok, total = rows.get(script, (0, 0))
            rows[script] = (ok + int(item["intent_prediction"]["name"] == item["intent"]), total + 1)
    out = ["| script | objection/situation utterances | correct | accuracy |", "|---|---|---|---|"]
    for script in SCRIPTS:
        ok, total = rows.get(script, (0, 0))
        if total:
            out.append(f"| {script} | {total} | {ok} | {ok / total:.3f} |")
    return "\n".join(out)


def _evaluate(results: Path, config: Path) -> tuple[Report, Report, Path, float, int]:
    report = load(results)
    baseline, baseline_dir = baseline_results(results)
    threshold = card_threshold(config)
    return report, baseline, baseline_dir, threshold, len(oos_cards(results, threshold))


def cmd_check(args: argparse.Namespace) -> int:
    report, baseline, baseline_dir, threshold, oos = _evaluate(args.results, args.config)
    print(table(report, baseline))
    print(f"shipped:  {summary(report)}")
    print(f"baseline: {summary(baseline)}  (char 1-3-gram TF-IDF + LR, {baseline_dir})")
    print(f"shipped {oos_line(args.results, report, threshold)}")
    print(f"baseline {oos_line(baseline_dir, baseline, threshold)}  (no fallback: reported, not gated)")
    problems = failures(report, baseline, oos, args.min_macro, args.min_each, args.min_margin)
    for p in problems:
        print(f"FAIL: {p}")
    for p in below_target(report, baseline, oos):
        print(f"BELOW TARGET (not a failure): {p}")
    if not problems:
        print(f"OK: macro-F1 >= {args.min_macro}, every objection/situation F1 >= {args.min_each}, "
              f">= baseline + {args.min_margin}, no out-of-scope line gets a card")
    return 1 if problems else 0


def below_target(report: Report, baseline: Optional[Report], oos: int) -> list[str]:
    """The figures that pass their gate but miss the product's target."""
    return failures(report, baseline, oos, TARGET_MACRO_F1, TARGET_INTENT_F1, TARGET_MARGIN)


def cmd_markdown(args: argparse.Namespace) -> int:
    report, baseline, baseline_dir, threshold, oos = _evaluate(args.results, args.config)
    problems, missed = failures(report, baseline, oos), below_target(report, baseline, oos)
    scored = ", ".join(SCORED_INTENTS)
    lines = header("NLU per-intent report (held-out set)") + [
        "Command: `make nlu-report` (trains if needed, then `rasa test nlu --nlu tests/nlu/heldout.yml`, "
        "then `python -m coach.nlu.evaluate markdown`, which also trains and scores the TF-IDF baseline).",
        "",
        "| | macro-F1 (objections + situations) | worst intent | objections only | situations only "
        "| accuracy (all intents) |",
        "|---|---|---|---|---|---|",
        _summary_row("shipped pipeline (config.yml)", report),
        _summary_row("baseline: char 1-3-gram TF-IDF + LR (coach/nlu/baseline.py)", baseline), "",
        f"Macro-F1 is the mean F1 over the {len(SCORED_INTENTS)} intents that get a card: {scored}. "
        "out_of_scope and the conversation and drill intents are listed below but not averaged in.", "",
        f"Out of scope: shipped {oos_line(args.results, report, threshold)}. "
        f"The card threshold is the FallbackClassifier's `threshold` in config.yml ({threshold}); "
        "the actions apply none of their own.", "",
        f"Gates enforced by `make test` (`coach.nlu.evaluate check`): macro-F1 >= {MIN_MACRO_F1}, every "
        f"objection/situation F1 >= {MIN_INTENT_F1}, macro-F1 >= baseline + {MIN_MARGIN}, "
        f"at most {MAX_OOS_CARDS} out-of-scope lines given a card. "
        + ("**All pass.**" if not problems else "**Failing:** " + "; ".join(problems) + "."), "",
        f"Targets: macro-F1 >= {TARGET_MACRO_F1}, every objection/situation F1 >= {TARGET_INTENT_F1}, "
        f"macro-F1 >= baseline + {TARGET_MARGIN}. "
        + ("**All met.**" if not missed else "**BELOW TARGET:** " + "; ".join(missed) + "."), "",
        table(report, baseline), ""]
    scripts = by_script(args.results)
    if scripts:
        lines += ["Objection and situation accuracy (shipped) by the script the rep wrote in "
                  "(mixed = Chinese with English words):", "", scripts, ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _summary_row(name: str, report: Report) -> str:
    scores = intent_scores(report)
    weakest = worst(scores)
    return (f"| {name} | {macro_f1(report):.3f} | {weakest} {scores[weakest]:.3f} "
            f"| {macro_f1(report, OBJECTION_INTENTS):.3f} | {macro_f1(report, SITUATION_INTENTS):.3f} "
            f"| {float(report.get('accuracy', 0)):.3f} |")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="NLU evaluation on the held-out set")
    sub = parser.add_subparsers(dest="cmd", required=True)
    check = sub.add_parser("check")
    check.add_argument("results", type=Path)
    check.add_argument("--min-macro", type=float, default=MIN_MACRO_F1)
    check.add_argument("--min-each", type=float, default=MIN_INTENT_F1)
    check.add_argument("--min-margin", type=float, default=MIN_MARGIN)
    check.add_argument("--config", type=Path, default=CONFIG, help="where the card threshold is read")
    check.set_defaults(func=cmd_check)
    md = sub.add_parser("markdown")
    md.add_argument("results", type=Path)
    md.add_argument("out", type=Path)
    md.add_argument("--config", type=Path, default=CONFIG)
    md.set_defaults(func=cmd_markdown)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
