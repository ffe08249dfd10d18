"""Tracker store retrieve/save times of a recorded conversation, stock rasa vs the coach's patches.

`bench.py store` reads the longest conversation `make bench` recorded (build/bench/coach/tracker.db)
and times, per round, one retrieve and one save of a message's worth of new events.
"""
from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any, List, Tuple

from benchlib.servers import BENCH_DIR, ROOT

NEW_EVENTS = 11  # what one rep message adds to a tracker (user, actions, slots, bot replies)


def longest_conversation(source: Path) -> str:
    with sqlite3.connect(source) as db:
        query = "SELECT sender_id FROM events GROUP BY sender_id ORDER BY count(*) DESC LIMIT 1"
        return str(db.execute(query).fetchone()[0])


async def _measure(reader: Any, writer: Any, domain: Any, sender: str,
                   rounds: int) -> Tuple[int, float, float]:
    """(events, retrieve ms, save ms) per round."""
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = await reader.retrieve(sender)
    start = time.perf_counter()
    for _ in range(rounds):
        await reader.retrieve(sender)
    retrieve_ms = (time.perf_counter() - start) * 1000 / rounds
    events, saving = list(tracker.events), 0.0
    for i in range(rounds):  # one message's worth of new events onto a stored tracker
        head = DialogueStateTracker.from_events(f"s{i}", events[:-NEW_EVENTS], domain.slots)
        await writer.save(head)
        full = DialogueStateTracker.from_events(f"s{i}", events, domain.slots)
        start = time.perf_counter()
        await writer.save(full)
        saving += time.perf_counter() - start
    return len(events), retrieve_ms, saving * 1000 / rounds


def store_table(source: Path, sender: str, rounds: int) -> List[str]:
    """One markdown row per setup: stock rasa, then with the coach's patches installed."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    from coach.server import patches as rasa_speedups

    domain = Domain.load(str(ROOT / "domain.yml"))
    rows = []
    for label in ("stock rasa", "with rasa_speedups"):
        if label != "stock rasa":
            rasa_speedups.install()
        scratch = BENCH_DIR / f"store-{len(rows)}.db"
        for leftover in BENCH_DIR.glob(f"{scratch.name}*"):
            leftover.unlink()
        reader = SQLTrackerStore(domain, dialect="sqlite", db=str(source))
        writer = SQLTrackerStore(domain, dialect="sqlite", db=str(scratch))
        count, retrieve_ms, save_ms = asyncio.run(_measure(reader, writer, domain, sender, rounds))
        rows.append(f"| {label} | {count} | {retrieve_ms:.2f} | {save_ms:.2f} |")
    return rows
