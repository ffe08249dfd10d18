"""Does one long conversation get slower, or slow other reps? 300 messages from one sender, timed.

Starts the coach with scripts/run.sh on free ports and fresh stores, once per COACH_RASA_SPEEDUPS
setting, and prints the median time of messages 1-20 and 281-300 of the long sender, and of
other reps' first messages: 20 before the long conversation, and one after each of its last 20
messages (figures only, nothing gated). By default it compares all speed patches with all but
"session_cap" (coach/server/patches.py). `make bench` runs it after the load benchmark.

    .venv/bin/python scripts/bench_long_conversation.py [--messages 300] [--speedups all ...]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import List, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Quick answers as a rep sends them mid-visit: objections, buttons and follow-ups, never a drill.
MESSAGES = ["老板说你们价格太高了", "/more_detail", '/choose_branch{"branch": "price.higher.margin"}',
            "怎么回他", "他要我们先铺货，卖完再结款", "/another_objection",
            "the owner wants to be our sole agent", "/objection_price", "客户说现在市场不景气，生意难做",
            "他说跟隔壁的比的"]
WINDOW = 20  # messages at each end


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send(port: int, sender: str, text: str) -> float:
    """Seconds for one REST message and its replies."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        replies = json.loads(response.read())
    elapsed = time.perf_counter() - start
    if not replies or any((r.get("custom") or {}).get("type") == "service_unavailable" for r in replies):
        raise RuntimeError(f"message {text!r} failed: {replies}")
    return elapsed


def start(work: Path, speedups: str) -> tuple:
    """scripts/run.sh on free ports with stores under `work`; (process, Rasa port) once it is up."""
    port = free_port()
    env = {**os.environ, "COACH_RASA_SPEEDUPS": speedups, "COACH_TRACKER_DB": str(work / "tracker.db"),
           "COACH_RESULTS_DB": str(work / "results.db")}
    log = work / "run.log"
    process = subprocess.Popen(["bash", "scripts/run.sh", str(port), str(free_port())], cwd=ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 300
    while "Objection Coach is up" not in log.read_text():
        if process.poll() is not None or time.time() > deadline:
            stop(process)
            raise RuntimeError(f"the coach did not start:\n{log.read_text()[-2000:]}")
        time.sleep(1)
    return process, port


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


class Figures(NamedTuple):
    long: List[float]  # ms per message of the long sender, in order
    others_before: List[float]  # ms of other reps' first messages before it
    others_during: List[float]  # ms of other reps' first messages during its last WINDOW messages


def run(speedups: str, count: int) -> Figures:
    """One fresh coach: other reps, then one sender's `count` messages with other reps near the end."""
    with tempfile.TemporaryDirectory(prefix="bench-long-") as tmp:
        process, port = start(Path(tmp), speedups)
        try:
            other = "老板说你们价格太高了"
            before = [1000 * send(port, f"bench-other-a{n}", other) for n in range(WINDOW)]
            long, during = [], []
            for n in range(count):
                long.append(1000 * send(port, "bench-long", MESSAGES[n % len(MESSAGES)]))
                if n >= count - WINDOW:
                    during.append(1000 * send(port, f"bench-other-b{n}", other))
            return Figures(long, before, during)
        finally:
            stop(process)


def main(argv: List[str]) -> int:
    from coach.server.patches import PATCHES

    without_cap = ",".join(name for name in PATCHES if name != "session_cap")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--speedups", nargs="+", default=["all", without_cap],
                        help="COACH_RASA_SPEEDUPS values to compare")
    args = parser.parse_args(argv)
    if args.messages < 2 * WINDOW:
        parser.error(f"--messages must be at least {2 * WINDOW}")
    last = f"{args.messages - WINDOW + 1}-{args.messages}"
    print(f"medians, ms | long sender 1-{WINDOW} | long sender {last} | other reps before "
          f"| other reps during {last} | COACH_RASA_SPEEDUPS")
    for speedups in args.speedups:
        got = run(speedups, args.messages)
        shown = [statistics.median(v) for v in (got.long[:WINDOW], got.long[-WINDOW:], got.others_before,
                                                 got.others_during)]
        print(" | ".join(f"{v:.1f}" for v in shown) + f" | {speedups}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
