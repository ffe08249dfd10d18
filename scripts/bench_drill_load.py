#!/usr/bin/env python3
"""The slowest rep reply while a drill file is saved into the running coach.

Ten simulated reps run drills through the REST channel (start, four replies, stop, again) in three
phases of equal length: nothing saved; a 5 MB drill file saved (refused by its size, E004); a valid
250 KB drill saved (read, checked and served). Each phase prints the replies' count, median, 95th
percentile and maximum; the last line is the same as JSON. Figures only: nothing is asserted.

  .venv/bin/python scripts/bench_drill_load.py              # own servers (scripts/run.sh, free ports)
  .venv/bin/python scripts/bench_drill_load.py --port 5005 --drills /path/the/action/server/watches
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
for _path in (ROOT, SCRIPTS):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from benchlib.servers import free_port  # noqa: E402

EXAMPLE = ROOT / "data" / "drills" / "price_margin.yml"
DRILLS = ["price_margin", "exclusivity_volume", "consignment_cash", "policy_needs", "contract_excuse",
          "no_money_small", "past_failure_store", "supplier_complement", "bad_market_case",
          "situation_rumour"]
REPLIES = ["理解您的顾虑，您是跟哪家比的？", "您主要担心的是利润，还是卖不动？", "您一个月大概能卖多少盒？",
           "咱们一起算一笔总利润的账。"]
REPS = 10


def _post(port: int, sender: str, message: str) -> float:
    """Send one message; the reply's latency in milliseconds."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        json.loads(response.read())
    return (time.perf_counter() - start) * 1000


def _rep(port: int, n: int, until: float, latencies: List[float]) -> None:
    """One rep: drills over and over until the phase ends; every reply's latency is kept."""
    round_ = 0
    while time.monotonic() < until:
        sender = f"bench-drill-load-{n}-{round_}-{time.monotonic_ns()}"
        messages = [f'/start_drill{{"drill_id": "{DRILLS[n % len(DRILLS)]}"}}', *REPLIES,
                    "/stop_drill", "/stop_drill"]
        for message in messages:
            latencies.append(_post(port, sender, message))
            if time.monotonic() >= until:
                return
        round_ += 1


def _phase(port: int, seconds: float, save: Optional[Callable[[], None]]) -> Dict[str, float]:
    """REPS reps for `seconds`; `save` runs once a second in. Returns the reply figures (ms)."""
    latencies: List[float] = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_rep, args=(port, n, until, latencies)) for n in range(REPS)]
    for thread in threads:
        thread.start()
    if save is not None:
        time.sleep(1)
        save()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)
    return {"replies": len(ordered), "p50_ms": round(statistics.median(ordered)),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))]), "max_ms": round(ordered[-1])}


def big_drill(size: int, drill_id: str) -> bytes:
    """A valid drill preceded by comment lines up to `size` bytes."""
    drill = EXAMPLE.read_text(encoding="utf-8").replace("id: price_margin", f"id: {drill_id}").encode()
    line = "# 很长的培训材料，不该放在练习文件里。\n".encode()
    return line * ((size - len(drill)) // len(line)) + drill


@contextmanager
def own_servers() -> Iterator[Tuple[int, Path, Path]]:
    """(REST port, drill folder, log) of a coach started by scripts/run.sh on free ports."""
    with tempfile.TemporaryDirectory(prefix="bench-drill-load-") as tmp:
        work = Path(tmp)
        drills, log = work / "drills", work / "servers.log"
        shutil.copytree(ROOT / "data" / "drills", drills)
        rasa_port, action_port = free_port(), free_port()
        env = {**os.environ, "COACH_TRACKER_DB": str(work / "tracker.db"),
               "COACH_RESULTS_DB": str(work / "results.db"), "COACH_DRILLS_DIR": str(drills)}
        with log.open("w") as out:
            process = subprocess.Popen(["bash", "scripts/run.sh", str(rasa_port), str(action_port)], cwd=ROOT,
                                       env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            while "Objection Coach is up" not in log.read_text(errors="replace"):
                if process.poll() is not None:
                    raise SystemExit(f"scripts/run.sh exited:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(1)
            yield rasa_port, drills, log
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def run(port: int, drills: Path, seconds: float) -> Dict[str, Dict[str, float]]:
    _phase(port, 3, None)  # warm-up: every drill's matchers compiled, not measured
    figures = {"nothing saved": _phase(port, seconds, None)}
    for name, size, drill_id in (("5 MB file saved", 5 * 2**20, "bench_huge"),
                                 ("250 KB drill saved", 250 * 1024, "bench_big")):
        path, data = drills / f"{drill_id}.yml", big_drill(size, drill_id)
        figures[name] = _phase(port, seconds, lambda p=path, d=data: p.write_bytes(d))
        time.sleep(2)
        path.unlink()
        time.sleep(2)
    return figures


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--port", type=int, help="REST port of a running coach (default: start one)")
    parser.add_argument("--drills", type=Path, help="with --port: the drill folder its action server watches")
    parser.add_argument("--seconds", type=float, default=10, help="length of each phase")
    args = parser.parse_args(argv)
    if args.port:
        if not args.drills:
            parser.error("--port needs --drills")
        figures = run(args.port, args.drills, args.seconds)
    else:
        with own_servers() as (port, drills, log):
            figures = run(port, drills, args.seconds)
            noticed = [line for line in log.read_text(errors="replace").splitlines() if "bench_" in line]
            print("\n".join(noticed[:6]))
    for name, row in figures.items():
        print(f"{name:20} {row['replies']:5d} replies  p50 {row['p50_ms']:6d} ms  p95 {row['p95_ms']:6d} ms"
              f"  max {row['max_ms']:6d} ms")
    print(json.dumps({"reps": REPS, "seconds": args.seconds, "phases": figures}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
