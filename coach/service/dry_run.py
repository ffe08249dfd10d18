"""A drill played without Rasa and without storing anything: a trainer's dry run.

Each rep line goes through the same detection and engine a rep's reply does: the generic move model
(trained here on the same replies the NLU's MoveClassifier learns from), the drill's key moves, the
engine step, and the practice feedback the rep would read (also in exam mode, where a rep sees
nothing until the scorecard: the trainer wants to see why).

    python -m coach.service.dry_run price_margin               # type rep lines, an empty line ends
    python -m coach.service.dry_run exclusivity_volume --strategy --lang en   # say the drill's own lines
    python -m coach.service.dry_run exclusivity_volume --playbook   # say the playbook's lines for its case
    python -m coach.service.dry_run my_draft --file data/drills/_my_draft.yml < lines.txt
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, Sequence, TextIO

from coach.content.drills import Drill, load_drill
from coach.content.playbook import default_playbook
from coach.drill import engine
from coach.drill.rubric import move_label
from coach.drill.scoring import score
from coach.drill.session import DrillSession
from coach.i18n import EN, HANS, localize
from coach.moves.matcher import detect_moves
from coach.moves.model import MoveModel, training_set
from coach.nlp.tokens import tokenize
from coach.replies import drills as replies
from coach.settings import DRILLS_DIR, MOVE_REPLIES

LANGS = {"zh": HANS, "en": EN}


@lru_cache(maxsize=1)
def generic_model() -> MoveModel:
    """The generic move model as the NLU component trains it: same replies, same tokens."""
    texts, labels, weights = training_set(path for path in MOVE_REPLIES if path.is_file())
    return MoveModel().fit([tokenize(t) for t in texts], texts, labels, weights)


@dataclass
class DryTurn:
    """What one rep line did, as the rep would see it, plus the numbers behind it."""

    text: str
    moves: list[str]
    credited: list[str]
    penalties: list[tuple[str, int]]
    red_lines: list[str]
    state: str
    customer: str
    trust: int
    stage: int
    feedback: str
    ended: Optional[str]


class DryRun:
    """One drill, one language, nothing stored. `say` a line, read the turn; `scorecard` at the end."""

    def __init__(self, drill: Drill, lang: str = HANS, seed: int = 0,
                 model: Optional[MoveModel] = None) -> None:
        self.drill, self.lang = drill, lang
        self.model = model or generic_model()
        self.session, self.opening = engine.start(drill, lang, seed=seed)

    @property
    def session_state(self) -> DrillSession:
        return self.session

    def say(self, text: str) -> DryTurn:
        stage = self.session.stage
        nlu_moves = self.model.predict([tokenize(text)], [text])[0]
        result = engine.step(self.drill, self.session, text, detect_moves(self.drill, text, nlu_moves))
        feedback = replies.feedback(self.drill, result, text, self.lang).text
        return DryTurn(text, result.moves, result.credited, result.penalties, result.red_lines,
                       result.state, result.customer, self.session.trust, stage, feedback, result.ended)

    def scorecard(self) -> str:
        if not self.session.turns:
            return replies.not_scored(self.drill, self.lang).text
        if self.session.running:
            engine.stop(self.session)
        return replies.scorecard(self.drill, score(self.drill, self.session), self.session, self.lang).text


def replay(drill: Drill, lines: Sequence[str], lang: str = HANS, seed: int = 0) -> Dict[str, Any]:
    """The drill played from its start over `lines`, as JSON for the trainer's desk; nothing is stored.

    The same seed gives the same customer lines, so a trainer adding one line sees the earlier turns
    unchanged. Lines after the drill ended are counted in "ignored", not played.
    """
    run = DryRun(drill, lang, seed=seed)
    turns = []
    for line in lines:
        if not run.session.running:
            break
        turn = asdict(run.say(line))
        turn["penalties"] = [{"move": move, "points": points} for move, points in turn["penalties"]]
        turns.append(turn)
    ended = run.session.ended
    card = score(drill, run.session) if ended and run.session.turns else None
    named = {m for turn in turns for m in [*turn["moves"], *turn["credited"], *turn["red_lines"],
                                           *(p["move"] for p in turn["penalties"])]}
    return {"drill_id": drill.id, "lang": lang, "persona": localize(drill.persona_name, lang) or drill.id,
            "move_labels": {m: move_label(drill, m, lang) for m in sorted(named)},
            "opening": run.opening, "turns": turns, "ignored": len(lines) - len(turns), "ended": ended,
            "scorecard": run.scorecard() if card else None,
            "score": card.score if card else None, "passed": card.passed if card else None}


def strategy_lines(drill: Drill, lang: str) -> list[str]:
    """The drill's own model lines, stage by stage, in the rep's language."""
    return [localize(step.line, lang) for stage in drill.stages for step in stage.strategy]


def playbook_lines(drill: Drill, lang: str) -> list[str]:
    """The playbook's sample lines for each stage's cases, in order (lines that need context left out)."""
    playbook, lines = default_playbook(), []
    for stage in drill.stages:
        for case in stage.cases:
            found = playbook.branch(case)
            if found is not None:
                lines += [localize(s.text, lang) for s in found[1].samples if not s.needs_context]
    return lines


def find_drill(drill_id: str, file: Optional[Path] = None) -> Drill:
    """The drill by id from data/drills, or the given file (a draft); a clear error otherwise."""
    path = file or DRILLS_DIR / f"{drill_id}.yml"
    if not path.is_file():
        known = sorted(p.stem for p in DRILLS_DIR.glob("*.yml") if not p.name.startswith("_"))
        raise SystemExit(f"no drill file {path}. Known drills: {', '.join(known)}")
    drill, problems = load_drill(path, default_playbook())
    if drill is None or problems:
        raise SystemExit("\n".join(str(p) for p in problems) or f"{path}: could not be loaded")
    return drill


def _print_turn(turn: DryTurn, name: str, out: TextIO) -> None:
    out.write(f"\nrep    : {turn.text}\n")
    out.write(f"moves  : {', '.join(turn.moves) or '-'}   credited: {', '.join(turn.credited) or '-'}\n")
    if turn.penalties or turn.red_lines:
        out.write(f"penalty: {turn.penalties or '-'}   red lines: {turn.red_lines or '-'}\n")
    out.write(f"state  : {turn.state} (trust {turn.trust}, stage {turn.stage + 1})"
              f"{'  ENDED: ' + turn.ended if turn.ended else ''}\n")
    out.write(f"{name}: {turn.customer}\n")
    out.write("feedback:\n" + "\n".join("  " + line for line in turn.feedback.splitlines()) + "\n")


def play(drill: Drill, lines: Iterable[str], lang: str, out: TextIO, seed: int = 0) -> DryRun:
    run = DryRun(drill, lang, seed=seed)
    name = localize(drill.persona_name, lang) or drill.id
    out.write(f"[dry run] {drill.id} ({lang}); nothing is stored\n{name}: {run.opening}\n")
    for line in lines:
        if not line.strip():
            break
        if not run.session.running:
            out.write("(the drill is over; further lines are ignored)\n")
            break
        _print_turn(run.say(line.strip()), name, out)
    out.write("\n" + run.scorecard() + "\n")
    return run


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("drill", help="drill id (data/drills/<id>.yml)")
    parser.add_argument("--file", type=Path, help="a drill file outside data/drills, e.g. a _draft.yml")
    parser.add_argument("--lang", choices=sorted(LANGS), default="zh")
    parser.add_argument("--strategy", action="store_true", help="say the drill's own strategy lines")
    parser.add_argument("--playbook", action="store_true", help="say its cases' playbook lines")
    parser.add_argument("--seed", type=int, default=0, help="which customer lines are picked")
    args = parser.parse_args(argv)
    drill, lang = find_drill(args.drill, args.file), LANGS[args.lang]
    if args.strategy or args.playbook:
        lines: Iterable[str] = strategy_lines(drill, lang) if args.strategy else playbook_lines(drill, lang)
    else:
        if sys.stdin.isatty():
            print("type the rep's lines, one per line; an empty line ends (Ctrl-D too)", file=sys.stderr)
        lines = iter(sys.stdin.readline, "")
    play(drill, lines, lang, sys.stdout, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
