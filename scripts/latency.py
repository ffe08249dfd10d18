#!/usr/bin/env python3
"""Single-rep REST latency of a running coach (start it first with `make run`).

Sends one objection per intent in each of the three scripts, several rounds, one at a time,
and prints p50 / p95 / max round-trip time. Not a load test: that is `make bench` (issue #5).
Usage: .venv/bin/python scripts/latency.py [--url http://localhost:5005] [--rounds 5]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    timings = []
    for round_ in range(args.rounds):
        for i, question in enumerate(QUESTIONS):
            body = json.dumps({"sender": f"latency-{round_}-{i}", "message": question}).encode()
            request = urllib.request.Request(f"{args.url}/webhooks/rest/webhook", data=body,
                                             headers={"Content-Type": "application/json"})
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    replies = json.loads(response.read())
            except (urllib.error.URLError, ConnectionError) as exc:
                print(f"error: cannot reach the coach at {args.url} ({exc}); start it with `make run`", file=sys.stderr)
                return 1
            timings.append((time.perf_counter() - start) * 1000)
            if not any((r.get("custom") or {}).get("type") == "objection_card" for r in replies):
                print(f"warning: no objection card for {question!r}", file=sys.stderr)
    timings.sort()
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    print(f"messages: {len(timings)}  p50: {statistics.median(timings):.1f} ms  p95: {p95:.1f} ms  max: {timings[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
