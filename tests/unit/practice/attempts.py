"""Realistic finished attempts for the practice and desk tests, built the way the service stores them."""
from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Optional, Tuple

from coach.results.store import DrillResult

DAY = 86_400.0
T0 = 1_714_550_400.0  # 2024-05-01 08:00 UTC
OBJECTION = {"price_margin": "objection_price", "price_comparable": "objection_price",
             "price_sell_through": "objection_price", "policy_needs": "objection_policy",
             "policy_excuse": "objection_policy", "no_money_small": "objection_no_money"}
DIFFICULTY = {"price_margin": 1, "price_comparable": 2, "price_sell_through": 3, "policy_needs": 2,
              "policy_excuse": 1, "no_money_small": 1}

# (rep line, moves, penalties) per turn of a typical price drill.
TURNS: List[Tuple[str, List[str], List[List[Any]]]] = [
    ("理解，您跟哪家比的？", ["acknowledge", "compare"], []),
    ("那我给您便宜一点吧", ["concession"], [["concession", 15]]),
    ("咱们算一笔总利润的账", ["margin_math"], []),
]


@dataclasses.dataclass(frozen=True)
class Person:
    """Stands for coach.people.store.Person: only what the desk and the assignments read."""

    person_id: str
    name: str
    team: str


def transcript(turns: int, detailed: bool = True) -> List[Dict[str, Any]]:
    """The customer's opening, then per rep turn its line (with moves, penalties, feedback if detailed)
    and the customer's answer."""
    lines: List[Dict[str, Any]] = [{"turn": 0, "speaker": "customer", "text": "你们的价格太贵了。"}]
    for n, (text, moves, penalties) in enumerate(TURNS[:turns], start=1):
        rep: Dict[str, Any] = {"turn": n, "speaker": "rep", "text": text}
        if detailed:
            rep.update(moves=moves, penalties=penalties, feedback=f"你说：「{text}」")
        lines += [rep, {"turn": n, "speaker": "customer", "text": "嗯，你接着说。"}]
    return lines


def attempt(result_id: str, rep_id: str = "rep-wang", drill_id: str = "price_margin", score: int = 80,
            passed: Optional[bool] = None, day: float = 0.0, turns: int = 3, detailed: bool = True,
            **changes: Any) -> DrillResult:
    """A finished attempt `day` days after T0; `turns` 0 is an attempt without a rep reply."""
    passed = score >= 70 if passed is None else passed
    finished = T0 + day * DAY
    base = DrillResult(
        result_id=result_id, rep_id=rep_id, drill_id=drill_id,
        objection=OBJECTION.get(drill_id, "objection_price"), difficulty=DIFFICULTY.get(drill_id, 1),
        score=score, passed=passed,
        outcome="goal" if passed else "out_of_turns", truth_uncovered=passed,
        moves=[moves for _, moves, _ in TURNS[:turns]], transcript=transcript(turns, detailed),
        started_at=finished - 300, finished_at=finished)
    return dataclasses.replace(base, **changes)
