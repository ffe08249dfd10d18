#!/usr/bin/env python3
"""Single-rep REST latency of a running coach (start it first with `make run`).

Sends one objection per intent in each of the three scripts, several rounds, one at a time,
and prints p50 / p95 / max round-trip time. With --drill it times drill turns instead: each
round starts the price drill and sends four replies (NLU, move matchers, customer, feedback).
Not a load test: that is `make bench` (issue #5).
Usage: .venv/bin/python scripts/latency.py [--url http://localhost:5005] [--rounds 5] [--drill]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.error
import urllib.request

QUESTIONS = [
    "老板说你们的价格太高", "老闆說你們公司政策太死板", "the owner wants to be our exclusive distributor",
    "客户说最近市场不景气", "他要我們先鋪貨賣完再付款", "the boss says he has no money right now",
    "老板跟现在的厂家关系很好", "客戶說跟別的廠家簽了合同", "we sold your product there before and it failed",
]
DRILL_START = '/start_drill{"drill_id": "price_margin"}'
DRILL_REPLIES = ["理解，您是跟哪家、哪个规格比的？", "您主要是担心顾客不接受，还是担心利润不够？",
                 "咱们一起算一笔总利润的账", "I hear you. Could we start with two cases as a trial next week?"]


def _post(url: str, sender: str, message: str) -> list:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _conversations(rounds: int, drill: bool):
    """(sender, message, payload type expected, timed?) in order."""
    for round_ in range(rounds):
        if drill:
            sender = f"latency-drill-{round_}-{time.time_ns()}"
            yield sender, DRILL_START, "drill_intro", False
            for reply in DRILL_REPLIES:
                yield sender, reply, "customer_line", True
        else:
            for i, question in enumerate(QUESTIONS):
                yield f"latency-{round_}-{i}", question, "objection_card", True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--drill", action="store_true", help="time drill turns instead of objection cards")
    args = parser.parse_args()
    timings = []
    for sender, message, expected, timed in _conversations(args.rounds, args.drill):
        start = time.perf_counter()
        try:
            replies = _post(args.url, sender, message)
        except (urllib.error.URLError, ConnectionError) as exc:
            print(f"error: cannot reach the coach at {args.url} ({exc}); start it with `make run`", file=sys.stderr)
            return 1
        if timed:
            timings.append((time.perf_counter() - start) * 1000)
        if not any((r.get("custom") or {}).get("type") == expected for r in replies):
            print(f"warning: no {expected} for {message!r}", file=sys.stderr)
    timings.sort()
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    kind = "drill turns" if args.drill else "objection cards"
    print(f"{kind}: {len(timings)}  p50: {statistics.median(timings):.1f} ms  p95: {p95:.1f} ms  max: {timings[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
