"""The simulated reps: their scripts, the load driver and the per-level figures (scripts/bench.py).

Each simulated rep has its own sender id and runs a realistic script: an objection, a branch
choice, then a drill of five turns (stopped if it has not ended by then), one REST request at a
time; all reps of a level at once.
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence

import aiohttp

TIMEOUT_S = 60  # per message: far above any healthy answer, so a timeout is an error, not slowness
Summary = Dict[str, Any]  # one level's figures, as LevelResult.summary() gives them

OBJECTIONS = [  # one sender per script; rep i takes objection i mod 9 (three scripts)
    ("老板说你们的价格太高", "price"), ("老闆說你們公司政策太死板", "policy"),
    ("the owner wants to be our exclusive distributor", "exclusivity"),
    ("客户说最近市场不景气", "bad_market"),
    ("他要我們先鋪貨賣完再付款", "consignment"), ("the boss says he has no money right now", "no_money"),
    ("老板跟现在的厂家关系很好", "supplier_relationship"), ("客戶說跟別的廠家簽了合同", "existing_contract"),
    ("we sold your product there before and it failed", "past_failure"),
]
DRILLS = [  # (drill id, five rep replies); even reps take the zh drill, odd reps the en one
    ("price_margin", ["理解，进货价格谁都要算清楚。您是跟哪家、哪个规格比的？",
                      "您主要是担心顾客不接受，还是担心利润不够？",
                      "我们的品牌有广告支持，顾客认得。", "您估计一个月能卖多少？咱们一起算一笔总利润的账。",
                      "这样，先进两件试一个月，我下周二带推广方案来跟您对账。"]),
    ("exclusivity_volume", ["I understand, you want to protect what you build here.",
                            "What worries you most about having other dealers?",
                            "Before we talk exclusivity, what monthly volume could you guarantee us?",
                            "We also support our partners with training and promotions.",
                            "Let's agree you'll send me a firm monthly figure by Friday, "
                            "and I'll take it to head office."]),
]
STOP = "退出"
STOP_CONFIRM = "/stop_drill"  # a stop asks once; its "end and score" button sends this


def first_branch_payloads() -> Dict[str, str]:
    """objection id -> its first branch button payload, from the playbook (same load for both setups)."""
    from coach.content.playbook import default_playbook
    from coach.replies.objections import branch_payload

    return {o.id: branch_payload(o.branches[0].path) for o in default_playbook().objections.values()}


def rep_script(rep: int, branches: Dict[str, str]) -> List[str]:
    text, objection = OBJECTIONS[rep % len(OBJECTIONS)]
    drill, replies = DRILLS[rep % len(DRILLS)]
    start = "/start_drill" + json.dumps({"drill_id": drill})
    return [text, branches[objection], start, *replies]


@dataclass
class LevelResult:
    reps: int
    messages: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: List[float] = field(default_factory=list)
    error_samples: List[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(1, -(-len(ordered) * p // 100))  # nearest-rank
        return ordered[int(rank) - 1]

    def summary(self) -> Summary:
        return {"reps": self.reps, "messages": self.messages, "errors": self.errors,
                "p50_ms": round(self.percentile(50), 1), "p95_ms": round(self.percentile(95), 1),
                "p99_ms": round(self.percentile(99), 1),
                "msgs_per_s": round(self.messages / self.seconds, 1) if self.seconds else 0.0,
                "seconds": round(self.seconds, 2), "error_samples": self.error_samples[:5]}


async def _send(session: aiohttp.ClientSession, url: str, sender: str, message: str,
                result: LevelResult) -> List[Dict[str, Any]]:
    start = time.perf_counter()
    replies: List[Dict[str, Any]] = []
    problem = None
    body = {"sender": sender, "message": message}
    try:
        async with session.post(f"{url}/webhooks/rest/webhook", json=body) as resp:
            text = await resp.text()
            if resp.status != 200:
                problem = f"HTTP {resp.status}: {text[:120]}"
            else:
                replies = json.loads(text)
                if not replies:
                    problem = "empty reply"
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    result.latencies_ms.append((time.perf_counter() - start) * 1000)
    result.messages += 1
    if problem:
        result.errors += 1
        result.error_samples.append(f"{sender} {message[:30]!r}: {problem}")
    return replies


def _drill_over(replies: list) -> bool:
    return any((r.get("custom") or {}).get("type") in ("scorecard", "drill_end") for r in replies)


async def _rep(session: aiohttp.ClientSession, url: str, rep: int, rounds: int, tag: str,
               branches: Dict[str, str], result: LevelResult) -> None:
    for round_ in range(rounds):
        sender = f"bench-{tag}-r{rep}-{round_}"
        script = rep_script(rep, branches)
        over = False
        for i, message in enumerate(script):
            if i > 2 and over:
                break  # the drill ended early (goal reached): the rep moves on
            over = _drill_over(await _send(session, url, sender, message, result))
        if not over:
            await _send(session, url, sender, STOP, result)
            await _send(session, url, sender, STOP_CONFIRM, result)


async def run_level(url: str, reps: int, rounds: int, tag: str, branches: Dict[str, str]) -> LevelResult:
    result = LevelResult(reps)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        start = time.perf_counter()
        await asyncio.gather(*(_rep(session, url, rep, rounds, tag, branches, result) for rep in range(reps)))
        result.seconds = time.perf_counter() - start
    return result


def rounds_for(reps: int) -> int:
    """Enough messages per level for stable percentiles (~50-450) without a long run."""
    return max(1, min(6, 60 // reps))


def report_level(tag: str, summary: Summary) -> None:
    cpu = f"  CPU ms/msg {summary['cpu_ms_per_msg']}" if "cpu_ms_per_msg" in summary else ""
    print(f"[bench] {tag}: {summary['reps']:>3} reps  {summary['messages']:>4} msgs  "
          f"errors {summary['errors']}  "
          f"p50 {summary['p50_ms']} ms  p95 {summary['p95_ms']} ms  p99 {summary['p99_ms']} ms  "
          f"{summary['msgs_per_s']} msg/s{cpu}", flush=True)
    for sample in summary["error_samples"]:
        print(f"[bench]   error: {sample}", flush=True)


def drive(url: str, levels: Sequence[int], tag: str, warmup: bool = True) -> List[Summary]:
    branches = first_branch_payloads()
    if warmup:  # first-use costs (lazy imports, caches) are start-up, not load
        asyncio.run(run_level(url, 1, 1, f"{tag}-warm", branches))
    out = []
    for reps in levels:
        summary = asyncio.run(run_level(url, reps, rounds_for(reps), f"{tag}-{reps}", branches)).summary()
        report_level(tag, summary)
        out.append(summary)
    return out
