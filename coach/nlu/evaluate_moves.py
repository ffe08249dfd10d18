"""Move detection on the held-out rep replies, through the trained Rasa model (`make test-moves`).

Generic moves come from the trained model (MoveClassifier in the NLU pipeline); a reply labelled
with a `drill` also goes through that drill's spaCy matchers, as in a real drill. The figures and
reports are coach.moves.evaluate's; this module only adds what needs Rasa.

  python -m coach.nlu.evaluate_moves check   [--model models/coach.tar.gz]    # exit 1 below the bar
  python -m coach.nlu.evaluate_moves markdown docs/moves.md [--model ...]
  python -m coach.nlu.evaluate_moves cv       # cross-validation on the TRAINING replies (threshold choice)
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Optional, Sequence

from coach.moves.evaluate import (
    HELDOUT,
    MIN_MICRO_F1,
    Item,
    apply_drills,
    cross_validate,
    markdown,
    micro_f1,
    read_heldout,
    report,
)
from coach.settings import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "coach.tar.gz"


def nlu_moves(texts: Sequence[str], model: Path) -> list[list[str]]:
    """The generic moves the trained model's MoveClassifier finds in each text."""
    from rasa.core.agent import Agent  # slow import: only when evaluating

    agent = Agent.load(str(model))

    async def parse_all() -> list[list[str]]:
        return [(await agent.parse_message(t)).get("moves") or [] for t in texts]

    return asyncio.run(parse_all())


def predict(items: list[Item], model: Path = MODEL) -> list[Item]:
    """Fill `predicted`: the NLU first for all replies, then the drill matchers (they add jieba words)."""
    return apply_drills(items, nlu_moves([i.text for i in items], model))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("command", choices=("check", "markdown", "cv"))
    parser.add_argument("output", nargs="?", type=Path, help="markdown file to write (markdown command)")
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "cv":
        print(cross_validate())
        return 0
    if not args.model.is_file():
        print(f"error: model {args.model} not found; run `make train` first", file=sys.stderr)
        return 2
    items = predict(read_heldout(args.heldout), args.model)
    if args.command == "markdown":
        markdown(items, args.output)
        print(f"wrote {args.output}")
    print(report(items))
    score = micro_f1(items)
    if args.command == "check" and score < MIN_MICRO_F1:
        print(f"\nFAIL: move detection micro-F1 {score:.3f} is below {MIN_MICRO_F1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
