#!/usr/bin/env python3
"""Fill a results database with a scripted team, for a look at (and a screenshot of) the trainer's desk.

Ten reps in three teams practise real drills of the library over six weeks: each rep has a skill
that grows with practice and objections they find harder, so the heat map has strong and weak
cells, some failures and some reviews overdue. Two assignments are added, one for a team and one
for a rep. The same seed gives the same team. Nothing but the given database is touched.

    python scripts/demo_team.py --db /tmp/demo.db            # prints the trainer's sign-in code
    COACH_RESULTS_DB=/tmp/demo.db scripts/run.sh               # then open /webhooks/coach/desk
    python scripts/demo_team.py --shot http://127.0.0.1:5005 --code <code>   # docs/desk_heatmap.png
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coach.content.drills import Drill  # noqa: E402
from coach.content.library import DrillLibrary  # noqa: E402
from coach.i18n import HANS, localize  # noqa: E402
from coach.people import PeopleStore  # noqa: E402
from coach.practice.assignments import AssignmentStore  # noqa: E402
from coach.results.store import DrillResult, ResultsStore  # noqa: E402
from coach.settings import DRILLS_DIR  # noqa: E402

DAY = 86400.0
SHOT = ROOT / "docs" / "desk_heatmap.png"
CHROMIUM = "/usr/bin/chromium"
WEEKS = 6
TEAM: Sequence[Tuple[str, str, float]] = (  # name, team, starting skill (0..1)
    ("王芳", "华东一组", 0.85), ("李强", "华东一组", 0.70), ("张伟", "华东一组", 0.55),
    ("刘洋", "华东二组", 0.78), ("陈静", "华东二组", 0.50), ("杨磊", "华东二组", 0.90),
    ("赵敏", "华南组", 0.66), ("黄涛", "华南组", 0.74), ("周婷", "华南组", 0.45), ("吴昊", "华南组", 0.82),
)


def practice_drills(library: DrillLibrary) -> List[Drill]:
    """The practice drills (not exams), one or two per objection, so every column gets attempts."""
    chosen: dict[str, List[Drill]] = {}
    for drill in library.all():
        if not drill.exam and len(chosen.setdefault(drill.objections[0], [])) < 2:
            chosen[drill.objections[0]].append(drill)
    return [d for drills in chosen.values() for d in drills]


def attempt(rng: random.Random, rep_id: str, drill: Drill, skill: float, at: float,
            number: int) -> DrillResult:
    """One plausible finished attempt: the score follows skill and difficulty, with some luck."""
    score = int(max(0, min(100, rng.gauss(100 * skill - 12 * (drill.difficulty - 1), 12))))
    passed = score >= drill.pass_mark and rng.random() > 0.08  # now and then a red line fails a good score
    lines = [localize(step.line, HANS) for stage in drill.stages for step in stage.strategy]
    turns = max(2, min(len(lines), 2 + int(skill * 4)))
    transcript = []
    for turn in range(1, turns + 1):
        transcript.append({"turn": turn, "speaker": "rep", "text": lines[(turn - 1) % len(lines)],
                           "moves": [drill.stages[0].strategy[0].move], "penalties": [], "feedback": ""})
    outcome = "goal" if passed else rng.choice(["out_of_turns", "walked_away"])
    return DrillResult(f"demo-{rep_id}-{number}", rep_id, drill.id, drill.objections[0], drill.difficulty,
                       score, passed, outcome, passed or rng.random() < 0.3,
                       [[drill.stages[0].strategy[0].move]] * turns, transcript, at - 600, at)


def rep_history(rng: random.Random, rep_id: str, skill: float, drills: List[Drill],
                now: float) -> List[DrillResult]:
    """Six weeks of practice: a few sessions a week, skill growing with each attempt."""
    hard = set(rng.sample([d.objections[0] for d in drills], k=2))  # this rep's weak objections
    results = []
    start = now - WEEKS * 7 * DAY
    for number in range(rng.randint(8, 22)):
        at = start + rng.random() * (now - start - DAY)
        drill = rng.choice(drills)
        level = skill - (0.25 if drill.objections[0] in hard else 0) + 0.01 * number
        results.append(attempt(rng, rep_id, drill, min(level, 0.97), at, number))
    return results


def fill(db: Path, seed: int = 7, now: Optional[float] = None) -> str:
    """Write the team, their results and two assignments into `db`; the trainer's sign-in code."""
    now = time.time() if now is None else now
    rng = random.Random(seed)
    drills = practice_drills(DrillLibrary(DRILLS_DIR))
    with PeopleStore(db) as people, ResultsStore(db) as results, \
            AssignmentStore(db, clock=lambda: now - 9 * DAY) as plans:
        trainer, code = people.invite("培训师 孙老师", role="trainer", created_by="demo")
        reps = []
        for name, team, skill in TEAM:
            rep, _ = people.invite(name, team=team, created_by=trainer.person_id)
            reps.append(rep)
            for result in rep_history(rng, rep.person_id, skill, drills, now):
                results.add(result)
        plans.add("本周练习计划", [d.id for d in drills[:3]], now + 5 * DAY, trainer.person_id,
                  team="华东二组")
        plans.add("补练一次", [drills[-1].id], now - 2 * DAY, trainer.person_id, rep_id=reps[8].person_id)
    return code


def screenshot(url: str, code: str, out: Path = SHOT) -> Path:
    """The desk's heat map on a laptop screen, signed in with the trainer's code on the server at `url`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page.goto(f"{url}/webhooks/coach/#code={code}")
        page.wait_for_selector("#composer-input", state="visible")
        page.goto(f"{url}/webhooks/coach/desk")
        page.wait_for_selector(".heatmap")
        page.screenshot(path=str(out))
        browser.close()
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="the results database to fill (a new file)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shot", metavar="URL", help="screenshot the desk of the server at URL instead")
    parser.add_argument("--code", help="the trainer's sign-in code, for --shot")
    args = parser.parse_args(argv)
    if args.shot:
        if not args.code:
            parser.error("--shot needs the trainer's --code (printed when the database was filled)")
        print(f"saved {screenshot(args.shot.rstrip('/'), args.code)}")
        return 0
    if args.db is None:
        parser.error("give --db (a new file to fill) or --shot URL --code CODE")
    if args.db.exists():
        parser.error(f"{args.db} exists already: give a new file, so no real results are mixed with the demo")
    print(f"trainer sign-in code: {fill(args.db, args.seed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
