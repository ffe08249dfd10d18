"""The comparison's table and docs/nlu.md, from the cross-validation runs of coach/nlu/compare.py."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from coach.nlu import baseline as base
from coach.nlu import evaluate as ev

if TYPE_CHECKING:
    from coach.nlu.compare import Pipeline


@dataclass(frozen=True)
class Row:
    name: str
    config: str
    macro: float
    worst: str
    worst_f1: float
    accuracy: float
    oos_cards: int
    oos_total: int
    menu_rate: float  # objection/situation lines the FallbackClassifier sent to the menu instead of a card
    seconds: float
    scored: tuple[str, ...]


def summarise(result: dict[str, Any]) -> Row:
    records = result["records"]
    predictions = [base.Prediction(r["text"], r["intent"], r["predicted"], r["confidence"]) for r in records]
    report = base.intent_report(predictions)
    present = {r["intent"] for r in records}
    scored = tuple(i for i in ev.SCORED_INTENTS if i in present)
    scores = ev.intent_scores(report, scored)
    worst = ev.worst(scores)
    oos = [r for r in records if r["intent"] == ev.OUT_OF_SCOPE]
    cards = [r for r in oos if r["acted_on"] in ev.SCORED_INTENTS]
    in_scope = [r for r in records if r["intent"] in ev.SCORED_INTENTS]
    menu = sum(r["acted_on"] not in ev.SCORED_INTENTS for r in in_scope) / max(len(in_scope), 1)
    seconds = result["train_seconds"]
    return Row(result["name"], result["config"], ev.macro_f1(report, scored), worst, scores[worst],
               float(report["accuracy"]), len(cards), len(oos), menu, sum(seconds) / max(len(seconds), 1),
               scored)


def table(rows: Sequence[Row]) -> str:
    lines = ["| pipeline | config | CV macro-F1 | worst intent | CV accuracy (all intents) "
             "| out-of-scope lines given a card | objection/situation lines sent to the menu "
             "| training time per fold |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.name} | `{r.config}` | {r.macro:.3f} | {r.worst} {r.worst_f1:.3f} "
                     f"| {r.accuracy:.3f} | {r.oos_cards} of {r.oos_total} | {r.menu_rate:.1%} "
                     f"| {r.seconds:.0f} s |")
    return "\n".join(lines)


INTRO = (
    "Command: `make compare-pipelines` (`python -m coach.nlu.compare`). The pipelines are chosen by "
    "{n}-fold cross-validation on `data/nlu` (stratified by intent, folds seeded with {seed}, the same folds "
    "for every row); `tests/nlu/heldout.yml` plays no part here, it is only used for the final figures in "
    "docs/nlu_report.md. Each fold trains the pipeline on the other folds (regexes and lookup tables "
    "included; the move classifier, which does not touch intents, left out) and parses the fold's lines. "
    "**CV macro-F1** is the mean F1 over the {k} objection and situation intents present in data/nlu "
    "({intents}), scored on the arg-max intent as `rasa test nlu` scores it. **Out-of-scope lines given a "
    "card**: out_of_scope lines the coach would have answered with an objection or situation card "
    "(an objection/situation intent that passed the FallbackClassifier; the baseline has no fallback, "
    "so every arg-max counts). **Sent to the menu**: objection/situation lines whose intent the "
    "FallbackClassifier replaced by nlu_fallback (the coach offers the menu instead of the card; the "
    "price of a high threshold). Training time is wall-clock per fold on this shared 2-core machine, "
    "so only the ratios mean something.")


def write_doc(rows: Sequence[Row], pipelines: Sequence[Pipeline], notes: str, doc: Path,
              n: int, seed: int, version: str) -> None:
    scored = max((r.scored for r in rows), key=len)
    described = "\n".join(f"- `{p.name}` (`{p.config}`): {p.what}" for p in pipelines)
    lines = ev.header("NLU pipeline comparison (cross-validation on data/nlu)") + [
        INTRO.format(n=n, seed=seed, k=len(scored), intents=", ".join(scored)), "",
        f"Data: `data/nlu` version {version} (hash of the files and the lexicon); a row marked *stale* was "
        "measured on an earlier version and is shown until it is re-run.", "",
        table(rows), "", "The pipelines:", "", described,
        f"- `baseline_c*` (`coach/nlu/baseline.py`): character 1-3-gram TF-IDF (sublinear tf, after the same "
        f"script normalisation) + logistic regression with C as named; the held-out gate uses "
        f"C={base.C:g}.", ""]
    lines += [NOTES_MARKER, "", notes.strip() or "(no reading yet)", ""]
    doc.write_text("\n".join(lines), encoding="utf-8")


NOTES_MARKER = "<!-- Below: the hand-written reading of the table; the generator keeps it as it is. -->"


def kept_notes(doc: Path) -> str:
    """The hand-written part of docs/nlu.md (after NOTES_MARKER), which a regeneration keeps."""
    text = doc.read_text(encoding="utf-8") if doc.is_file() else ""
    return text.split(NOTES_MARKER, 1)[1] if NOTES_MARKER in text else ""
