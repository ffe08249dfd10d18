"""Drill progress per rep and objection, from the results store.

  python -m coach.results.report      # the action server's store (COACH_RESULTS_DB or .state/results.db)
  python -m coach.results.report --db PATH --rep REP_ID --csv progress.csv
  python -m coach.results.report --db postgresql://user:password@host:5432/results   # a shared store
"""
from __future__ import annotations

import argparse
import csv
import datetime
import sys
import unicodedata
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from coach.errors import ResultsStoreError
from coach.results.store import ProgressRow, ResultsStore, default_path
from coach.settings import is_url

CSV_HEADER = ("rep_id", "objection", "attempts", "first_score", "best_score", "latest_score", "passed",
              "last_at")
_TABLE_HEADER = ("rep", "objection", "attempts", "first", "best", "latest", "passed", "last drill (UTC)")
_NUMERIC = {2, 3, 4, 5, 6}  # right-aligned columns


def short_objection(intent: str) -> str:
    """objection_price -> price; anything else is shown as it is."""
    prefix = "objection_"
    return intent[len(prefix):] if intent.startswith(prefix) and len(intent) > len(prefix) else intent


def display_text(text: str) -> str:
    # A rep id is whatever the channel sent: a newline or tab in it would break the table.
    return "".join(ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) == "Cc" else ch
                   for ch in text)


def display_width(text: str) -> int:
    """Terminal columns: CJK wide/fullwidth take two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def _utc(ts: float, fmt: str) -> str:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc).strftime(fmt)


def format_table(rows: Sequence[ProgressRow]) -> str:
    """An aligned text table, one line per rep and objection."""
    cells = [list(_TABLE_HEADER)]
    for row in rows:
        cells.append([display_text(row.rep_id), display_text(short_objection(row.objection)),
                      str(row.attempts), str(row.first_score), str(row.best_score), str(row.latest_score),
                      str(row.passed), _utc(row.last_at, "%Y-%m-%d %H:%M")])
    widths = [max(display_width(line[i]) for line in cells) for i in range(len(_TABLE_HEADER))]
    cells.insert(1, ["-" * w for w in widths])
    return "\n".join("  ".join(_pad(cell, widths[i], i in _NUMERIC) for i, cell in enumerate(line)).rstrip()
                     for line in cells)


def write_csv(rows: Iterable[ProgressRow], path: str | Path) -> Path:
    """Write the progress rows as CSV (last_at in ISO-8601 UTC); returns the path written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for row in rows:
            writer.writerow([row.rep_id, short_objection(row.objection), row.attempts, row.first_score,
                             row.best_score, row.latest_score, row.passed,
                             _utc(row.last_at, "%Y-%m-%dT%H:%M:%SZ")])
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coach.results.report",
                                     description="Drill progress per rep and objection.")
    parser.add_argument("--db", metavar="PATH|URL",
                        help="results database: a SQLite file or a postgresql://user:password@host:port/db "
                             "URL (default: $COACH_RESULTS_DB or .state/results.db)")
    parser.add_argument("--rep", metavar="REP_ID", help="only this rep (the Rasa sender id)")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the rows to this CSV file")
    return parser


def _read(path: Union[Path, str], rep: Optional[str]) -> Tuple[List[ProgressRow], Union[Path, str]]:
    """The rows, and where they were read (for a URL: without its password)."""
    with ResultsStore(path) as store:
        return store.progress(rep), store.path


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.db is None:
        path = default_path()
    else:  # a URL stays a string: Path() would fold its "//"
        path = args.db if is_url(args.db) else Path(args.db)
    # A PostgreSQL store always "exists": connecting says whether it is reachable.
    if isinstance(path, Path) and not path.exists():
        if args.db is not None:  # an explicit path that is not there is most likely a typo: do not create it
            print(f"error: no results database at {path}; check the --db path.", file=sys.stderr)
            return 2
        # The action server creates its store on the first finished drill.
        print(f"No finished drills yet in {path}.")
        return 0
    try:
        rows, where = _read(path, args.rep)
    except ResultsStoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    if not rows:
        who = f" for rep {args.rep!r}" if args.rep is not None else ""
        print(f"No finished drills yet{who} in {where}.")
        return 0
    print(format_table(rows))
    if args.csv is not None:
        written = write_csv(rows, args.csv)
        print(f"\nWrote {len(rows)} row{'s' if len(rows) != 1 else ''} to {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
