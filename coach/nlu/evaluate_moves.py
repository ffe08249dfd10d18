"""Move detection on the held-out rep replies, through the trained Rasa model (`make test-moves`).

Generic moves come from the trained model (MoveClassifier in the NLU pipeline); a reply labelled
with a `drill` also goes through that drill's matchers, as in a real drill. Key moves learned from
examples alone and the negation set are measured too (coach.moves.evaluate.GATE); a held-out file
that does not exist fails the check with a message saying so. The figures and reports are
coach.moves.evaluate's; this module only adds what needs Rasa.

  python -m coach.nlu.evaluate_moves check   [--model models/coach.tar.gz]    # exit 1 below the gate
  python -m coach.nlu.evaluate_moves markdown docs/moves.md [--model ...]
  python -m coach.nlu.evaluate_moves cv       # cross-validation on the TRAINING replies (threshold choice)
  python -m coach.nlu.evaluate_moves dev      # the development set (choices CV leaves open), outside Rasa
  python -m coach.nlu.evaluate_moves cues [--patterns FILE]  # what each move's cue phrases add (CV, dev)
  python -m coach.nlu.evaluate_moves agreement  # two people's labels for the same replies, compared
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence

from coach.moves.evaluate import (
    HELDOUT,
    KEYMOVES,
    NEGATION,
    Figures,
    Item,
    apply_drills,
    figures,
    gate_failures,
    gate_table,
    key_move_items,
    markdown,
    read_heldout,
    read_key_moves,
    report,
)
from coach.settings import MODEL, MOVE_PATTERNS


def nlu_moves(texts: Sequence[str], model: Path) -> list[list[str]]:
    """The generic moves the trained model's MoveClassifier finds in each text."""
    import logging

    import structlog
    from rasa.core.agent import Agent  # slow import: only when evaluating

    # Outside Rasa's CLI nothing configures structlog, and its default prints every parse at debug
    # level: hundreds of lines, each quoting a held-out reply.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    agent = Agent.load(str(model))

    async def parse_all() -> list[list[str]]:
        return [(await agent.parse_message(t)).get("moves") or [] for t in texts]

    return asyncio.run(parse_all())


def predict(items: list[Item], model: Path = MODEL) -> list[Item]:
    """Fill `predicted`: the NLU first for all replies, then the drill matchers (they add jieba words)."""
    return apply_drills(items, nlu_moves([i.text for i in items], model))


def measure(args: argparse.Namespace) -> tuple[list[Item], Figures]:
    """The held-out items (predicted; generic moves settled by three readers, coach/moves/readers.py) and
    the gate's figures; a missing file gives None, not a skip."""
    from coach.moves.readers import settled

    heldout = settled(args.heldout) if args.heldout.is_file() else None
    negation = read_heldout(args.negation) if args.negation.is_file() else None
    both = (heldout or []) + (negation or [])
    predict(both, args.model)
    keys = key_move_items(read_key_moves(args.keymoves)) if args.keymoves.is_file() else None
    return heldout or [], figures(heldout, keys, negation)


def first_reader(items: list[Item], path: Path) -> str:
    """The generic-move figures against the held-out file's own (first reader's) labels alone."""
    from coach.moves.readers import against_first_reader

    alone = figures(against_first_reader(items, path), None, None)
    return (f"Against {path.name}'s own labels (its first reader alone): micro-F1 over the generic moves "
            f"{alone['generic_f1']:.3f}, exactly right {alone['exact']:.3f}.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("command", choices=("check", "markdown", *STUDIES))
    parser.add_argument("output", nargs="?", type=Path, help="markdown file to write (markdown command)")
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument("--keymoves", type=Path, default=KEYMOVES)
    parser.add_argument("--negation", type=Path, default=NEGATION)
    parser.add_argument("--patterns", type=Path, default=MOVE_PATTERNS, help="cue phrases (cues command)")
    return parser


def _cross_validation(args: argparse.Namespace) -> str:
    from coach.moves.crossval import cross_validate

    return cross_validate()


def _development(args: argparse.Namespace) -> str:
    from coach.moves.development import dev_report

    return dev_report()


def _agreement(args: argparse.Namespace) -> str:
    from coach.moves.readers import agreement_report

    return agreement_report()


def _cues(args: argparse.Namespace) -> str:
    from coach.moves.development import cue_report

    return cue_report(args.patterns)


# The commands that need no trained model: each prints a report made outside Rasa.
STUDIES: dict[str, Callable[[argparse.Namespace], str]] = {
    "cv": _cross_validation, "dev": _development, "agreement": _agreement, "cues": _cues}


def main(argv: Optional[list[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in STUDIES:
        print(STUDIES[args.command](args))
        return 0
    if not args.model.is_file():
        print(f"error: model {args.model} not found; run `make train` first", file=sys.stderr)
        return 2
    # Cross-validation runs before the held-out pass: that pass's drill matchers add words to jieba's one
    # dictionary, and the model is trained (in Rasa) without them, so afterwards CV would see other tokens.
    cv_table = _cross_validation(args) if args.command == "markdown" else None
    items, measured = measure(args)
    alone = first_reader(items, args.heldout) if items else ""
    if args.command == "markdown":
        markdown(items, args.output, measured, cv_table, alone)
        print(f"wrote {args.output}")
    print(gate_table(measured))
    print(alone)
    if items:
        print("\n" + report(items))
    read = {HELDOUT: args.heldout, KEYMOVES: args.keymoves, NEGATION: args.negation}
    failures = gate_failures(measured, read)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if args.command == "check" and failures else 0


if __name__ == "__main__":
    sys.exit(main())
