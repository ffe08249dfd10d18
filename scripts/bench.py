#!/usr/bin/env python3
"""Load benchmark: simulated reps through the REST channel, against the coach and a bare-Rasa ceiling.

Each simulated rep has its own sender id and runs a realistic script: an objection, a branch
choice, then a drill of five turns (stopped if it has not ended by then). The same messages go
to a bare Rasa assistant (same config.yml pipeline and policies, same NLU data, static
responses only): its throughput is the ceiling the coach is compared with.

  bench.py run    [--levels 1,10,50] [--out docs/performance.md] [--skip-train] [--speedups all]
                  train, start both setups, load them, write the report (make bench)
  bench.py fixes  the coach with each coach/server/patches.py patch added in turn (before/after table)
  bench.py store  tracker store retrieve/save times of a recorded conversation, stock rasa vs patched
  bench.py load   --url http://127.0.0.1:5005 [--levels 1,10,50] [--json out.json]
                  drive servers that are already running (make scale-test uses this)
  bench.py smoke  --url ...   two reps, one script each; exits 1 on any error (make test)

Figures only; nothing here asserts on speed. The parts are in scripts/benchlib/: the simulated
reps (load.py), the servers (servers.py), the report (report.py), the tracker store (store.py).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
for _path in (ROOT, SCRIPTS):  # coach/ and benchlib/, however this file was loaded
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from benchlib import load, report, servers, store  # noqa: E402
from benchlib.servers import BENCH_DIR, Setup  # noqa: E402

DOC = ROOT / "docs" / "performance.md"


def _setups() -> List[Setup]:
    return [Setup("coach", ROOT / "models" / "coach.tar.gz", with_actions=True),
            Setup("bare", BENCH_DIR / "models" / "bare.tar.gz", with_actions=False)]


def _train(coach: Setup, bare: Setup) -> None:
    data = ROOT / "data"
    coach.train_s, coach.model = servers.train("coach", ROOT / "domain.yml",
                                               [data / "nlu", data / "rules.yml", data / "stories.yml"])
    bare.train_s, bare.model = servers.train("bare", BENCH_DIR / "bare" / "domain.yml",
                                             [data / "nlu", BENCH_DIR / "bare" / "rules.yml"])


def cmd_run(args: argparse.Namespace) -> int:
    levels = [int(x) for x in args.levels.split(",")]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    servers.write_bare_project(BENCH_DIR / "bare")
    coach, bare = _setups()
    if not args.skip_train:
        _train(coach, bare)
    for setup in (coach, bare):
        if not setup.model.is_file():
            print(f"error: no model at {setup.model}; run without --skip-train", file=sys.stderr)
            return 1
        setup.model_mb = setup.model.stat().st_size / 1024 ** 2
    servers.run_interleaved([coach, bare], levels, args.repeats, args.speedups)
    command = ("make bench" if args.levels == "1,10,50" and args.speedups == "all" and not args.skip_train
               else "python scripts/bench.py " + " ".join(sys.argv[1:]))
    table = report.render(coach, bare, levels, command, args.repeats)
    figures = json.dumps({"coach": asdict(coach), "bare": asdict(bare)}, default=str, indent=1)
    (BENCH_DIR / "figures.json").write_text(figures, encoding="utf-8")
    report.splice(Path(args.out), table)
    print(table)
    print(f"[bench] wrote {args.out}")
    return 0


def _fixes_row(spec: str, coach: Setup, bare: Setup) -> str:
    one, ten, ceiling = report.level(coach, 1), report.level(coach, 10), report.level(bare, 10)
    added = "none (stock rasa)" if spec == "none" else f"+ `{spec.split(',')[-1]}`"
    nan = float("nan")
    return (f"| {added} | {one['p95_ms']:.0f} | {ten['msgs_per_s']:.1f} "
            f"| {ten['msgs_per_s'] / ceiling['msgs_per_s']:.2f}× "
            f"| {ten['cpu_ms_per_msg'].get('rasa', nan):.1f} "
            f"| {ceiling['cpu_ms_per_msg'].get('rasa', nan):.1f} |")


def cmd_fixes(args: argparse.Namespace) -> int:
    """Before/after of each speed fix: stage k runs the coach with the first k patches.

    The models are the ones `make bench` built.
    """
    from coach.server.patches import PATCHES

    names = list(PATCHES)
    stages = ["none"] + [",".join(names[:k]) for k in range(1, len(names) + 1)]
    rows = []
    for spec in stages:
        print(f"[bench] fixes: COACH_RASA_SPEEDUPS={spec}", flush=True)
        coach, bare = _setups()
        if not bare.model.is_file():
            print("error: no bare model: run `make bench` first (it trains build/bench/models/bare.tar.gz)",
                  file=sys.stderr)
            return 1
        servers.run_interleaved([coach, bare], [1, 10], args.repeats, spec)
        rows.append(_fixes_row(spec, coach, bare))
    block = "\n".join([
        f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} with "
        f"`python scripts/bench.py {' '.join(sys.argv[1:])}`: the coach with "
        "the patches of `coach/server/patches.py` added one at a time (`COACH_RASA_SPEEDUPS`), "
        "each stage against "
        f"the stock-Rasa ceiling started beside it; 1 and 10 reps, {args.repeats} run(s) each.",
        "",
        "| patches | 1 rep p95 (ms) | 10 reps msg/s | ÷ ceiling | Rasa CPU ms/msg | ceiling CPU ms/msg |",
        "|---|---|---|---|---|---|", *rows])
    report.splice(Path(args.out), block, marker="fixes")
    print(block)
    return 0


def cmd_store(args: argparse.Namespace) -> int:
    """Tracker store retrieve/save of the longest benchmark conversation, stock rasa vs rasa_speedups."""
    source = BENCH_DIR / "coach" / "tracker.db"
    if not source.is_file():
        print(f"error: {source} is missing: run `make bench` first (it records the conversations)",
              file=sys.stderr)
        return 1
    sender = store.longest_conversation(source)
    rows = store.store_table(source, sender, args.rounds)
    print(f"SQLite tracker store, conversation {sender!r} from {source.relative_to(ROOT)}, "
          f"{args.rounds} rounds:")
    print("\n".join(["| | events | retrieve (ms) | save 11 new events (ms) |", "|---|---|---|---|", *rows]))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    summaries = load.drive(args.url.rstrip("/"), [int(x) for x in args.levels.split(",")], args.tag)
    if args.json:
        Path(args.json).write_text(json.dumps(summaries, indent=1), encoding="utf-8")
    return 0


def cmd_smoke(args: argparse.Namespace) -> int:
    """Two reps, one script each: checks the driver and the figures work, not how fast anything is."""
    level = asyncio.run(load.run_level(args.url.rstrip("/"), 2, 1, "smoke", load.first_branch_payloads()))
    summary = level.summary()
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if summary["errors"] or summary["messages"] < 8 else 0


COMMANDS: Dict[str, Callable[[argparse.Namespace], int]] = {
    "run": cmd_run, "load": cmd_load, "smoke": cmd_smoke, "fixes": cmd_fixes, "store": cmd_store}


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = main_parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run",
                         help="train, start the coach and the bare ceiling, load both, write the report")
    run.add_argument("--levels", default="1,10,50")
    run.add_argument("--out", default=str(DOC))
    run.add_argument("--skip-train", action="store_true",
                     help="reuse models/coach.tar.gz and build/bench/models/bare.tar.gz")
    run.add_argument("--repeats", type=int, default=2, help="runs per level and setup, interleaved")
    run.add_argument("--speedups", default="all",
                     help="coach/server/patches.py patches for the coach: all, none, or names joined by "
                          "commas")
    fixes = sub.add_parser("fixes",
                           help="the coach with each rasa_speedups patch added in turn, against the ceiling")
    fixes.add_argument("--out", default=str(DOC))
    fixes.add_argument("--repeats", type=int, default=1)
    store_cmd = sub.add_parser("store", help="tracker store retrieve/save times, stock rasa vs rasa_speedups")
    store_cmd.add_argument("--rounds", type=int, default=100)
    load_cmd = sub.add_parser("load", help="drive servers that are already running")
    load_cmd.add_argument("--url", required=True)
    load_cmd.add_argument("--levels", "--reps", dest="levels", default="1,10,50")
    load_cmd.add_argument("--json")
    load_cmd.add_argument("--tag", default="load", help="sender id prefix (keeps runs apart)")
    smoke = sub.add_parser("smoke", help="tiny run that checks the benchmark works (used by make test)")
    smoke.add_argument("--url", required=True)
    return main_parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
