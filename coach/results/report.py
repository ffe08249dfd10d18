"""Drill results per rep and objection, or per drill, from the results store.

  python -m coach.results.report      # the action server's store (COACH_RESULTS_DB or .state/results.db)
  python -m coach.results.report --db PATH --rep REP_ID --csv progress.csv
  python -m coach.results.report --by drill --csv drills.csv   # one row per drill: pass rate, difficulty flag
  python -m coach.results.report --db postgresql://user:password@host:5432/results   # a shared store

Attempts without a rep reply (old databases have them) are left out of every report. CSV goes
through coach.results.csv_export, which escapes cells a spreadsheet would run as formulas.
"""
from __future__ import annotations

import argparse
import datetime
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from coach.content.drills import Drill
from coach.content.library import default_library
from coach.errors import ResultsStoreError
from coach.i18n import HANS, LANGUAGES, localize
from coach.results import csv_export
from coach.results.shared import add_db_argument
from coach.results.store import DrillResult, ProgressRow, ResultsStore, default_path
from coach.settings import is_url

CSV_HEADER = ("rep_id", "objection", "attempts", "first_score", "best_score", "latest_score", "passed",
              "last_at")
_TABLE_HEADER = ("rep", "objection", "attempts", "first", "best", "latest", "passed", "last drill (UTC)")
_NUMERIC = {2, 3, 4, 5, 6}  # right-aligned columns
# One row per drill (drill_table); the terminal table and the CSV have these columns.
DRILL_COLUMNS = ("drill_id", "title", "objection", "difficulty", "attempts", "pass_rate", "avg_score",
                 "truth_rate", "avg_turns", "top_penalty", "flag")
_DRILL_NUMERIC = {3, 4, 5, 6, 7, 8}
FLAG_MIN_ATTEMPTS = 5  # fewer attempts say nothing about a drill's difficulty
TOO_HARD_BELOW, TOO_EASY_ABOVE = 0.2, 0.9  # pass rates


def replied(result: DrillResult) -> bool:
    """The attempt has a rep reply: a moves entry per rep turn and a "rep" line in the transcript.

    New attempts without one are not stored; older databases have them (score 0, nothing said).
    """
    return bool(result.moves) and any(isinstance(line, dict) and line.get("speaker") == "rep"
                                      for line in result.transcript)


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


def _aligned(header: Sequence[str], lines: List[List[str]], numeric: set[int]) -> str:
    cells = [list(header), *lines]
    widths = [max(display_width(line[i]) for line in cells) for i in range(len(header))]
    cells.insert(1, ["-" * w for w in widths])
    return "\n".join("  ".join(_pad(cell, widths[i], i in numeric) for i, cell in enumerate(line)).rstrip()
                     for line in cells)


def format_table(rows: Sequence[ProgressRow]) -> str:
    """An aligned text table, one line per rep and objection."""
    return _aligned(_TABLE_HEADER, [
        [display_text(row.rep_id), display_text(short_objection(row.objection)), str(row.attempts),
         str(row.first_score), str(row.best_score), str(row.latest_score), str(row.passed),
         _utc(row.last_at, "%Y-%m-%d %H:%M")] for row in rows], _NUMERIC)


def _progress_json(row: ProgressRow) -> Dict[str, Any]:
    return {"rep_id": row.rep_id, "objection": short_objection(row.objection), "attempts": row.attempts,
            "first_score": row.first_score, "best_score": row.best_score, "latest_score": row.latest_score,
            "passed": row.passed, "last_at": _utc(row.last_at, "%Y-%m-%dT%H:%M:%SZ")}


def write_csv(rows: Iterable[ProgressRow], path: str | Path) -> Path:
    """Write the progress rows as CSV (last_at in ISO-8601 UTC); returns the path written."""
    return csv_export.write_csv(path, CSV_HEADER, (_progress_json(row) for row in rows))


# --- per drill ------------------------------------------------------------------------------------

def _top_penalty(results: Sequence[DrillResult]) -> Optional[str]:
    """The penalty most often given in these attempts (ties: by name); None for results stored before
    transcripts kept each turn's penalties, or when none was given."""
    counted: Counter[str] = Counter(
        str(penalty[0]) for result in results for line in result.transcript
        if isinstance(line, dict) and line.get("speaker") == "rep"
        for penalty in line.get("penalties") or () if isinstance(penalty, list | tuple) and penalty)
    return min(counted.items(), key=lambda item: (-item[1], item[0]))[0] if counted else None


def _flag(attempts: int, pass_rate: Optional[float]) -> Optional[str]:
    if attempts < FLAG_MIN_ATTEMPTS or pass_rate is None:
        return None
    if pass_rate < TOO_HARD_BELOW:
        return "too_hard"
    return "too_easy" if pass_rate > TOO_EASY_ABOVE else None


def _rate(count: float, total: int, digits: int = 3) -> Optional[float]:
    return round(count / total, digits) if total else None


def _drill_row(drill_id: str, title: str, objection: str, difficulty: int,
               results: Sequence[DrillResult]) -> Dict[str, Any]:
    n = len(results)
    pass_rate = _rate(sum(r.passed for r in results), n)
    return {"drill_id": drill_id, "title": title, "objection": objection, "difficulty": difficulty,
            "attempts": n, "pass_rate": pass_rate, "avg_score": _rate(sum(r.score for r in results), n, 1),
            "truth_rate": _rate(sum(r.truth_uncovered for r in results), n),
            "avg_turns": _rate(sum(len(r.moves) for r in results), n, 1),
            "top_penalty": _top_penalty(results), "flag": _flag(n, pass_rate)}


def drill_table(results: Iterable[DrillResult], drills: Sequence[Drill],
                lang: str = HANS) -> List[Dict[str, Any]]:
    """One row per drill: the library's, in its order, then ids only found in results (a removed drill).

    Rates are fractions from 0 to 1 (None without attempts); flags need FLAG_MIN_ATTEMPTS attempts.
    Only attempts with a rep reply count.
    """
    by_drill: Dict[str, List[DrillResult]] = {}
    for result in results:
        if replied(result):
            by_drill.setdefault(result.drill_id, []).append(result)
    rows = [_drill_row(d.id, localize(d.title, lang), d.objections[0], d.difficulty, by_drill.get(d.id, []))
            for d in drills]
    known = {d.id for d in drills}
    for drill_id in sorted(set(by_drill) - known):
        done = by_drill[drill_id]
        latest = max(done, key=lambda r: r.finished_at)
        rows.append(_drill_row(drill_id, drill_id, latest.objection, latest.difficulty, done))
    return rows


def _shown(value: Any, column: str) -> str:
    if value is None:
        return "-"
    if column in ("pass_rate", "truth_rate"):
        return f"{value * 100:.0f}%"
    return display_text(short_objection(value) if column == "objection" else str(value))


def format_drill_table(rows: Sequence[Dict[str, Any]]) -> str:
    """An aligned text table of drill_table rows (rates as percentages)."""
    lines = [[_shown(row[c], c) for c in DRILL_COLUMNS] for row in rows]
    return _aligned(DRILL_COLUMNS, lines, _DRILL_NUMERIC)


# --- the command ----------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coach.results.report",
                                     description="Drill results per rep and objection, or per drill.")
    add_db_argument(parser)
    parser.add_argument("--rep", metavar="REP_ID", help="only this rep (the Rasa sender id)")
    parser.add_argument("--by", choices=("rep", "drill"), default="rep",
                        help="rep: per rep and objection (default); drill: one row per drill")
    parser.add_argument("--lang", choices=LANGUAGES, default=HANS,
                        help="language of the drill titles (--by drill)")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the rows to this CSV file")
    return parser


def _read(path: Union[Path, str], rep: Optional[str]) -> Tuple[List[ProgressRow], Union[Path, str]]:
    """The rows, and where they were read (for a URL: without its password)."""
    with ResultsStore(path) as store:
        return store.progress(rep), store.path


def _read_drills(path: Union[Path, str], rep: Optional[str],
                 lang: str) -> Tuple[List[Dict[str, Any]], Union[Path, str]]:
    with ResultsStore(path) as store:
        results, where = store.results(rep), store.path
    if not any(replied(r) for r in results):
        return [], where
    return drill_table(results, default_library().all(), lang), where


def _target(db: Optional[str]) -> Union[Path, str]:
    if db is None:
        return default_path()
    return db if is_url(db) else Path(db)  # a URL stays a string: Path() would fold its "//"


def _report(args: argparse.Namespace, path: Union[Path, str]) -> int:
    if args.by == "drill":
        rows: Sequence[Any]
        rows, where = _read_drills(path, args.rep, args.lang)
    else:
        rows, where = _read(path, args.rep)
    if not rows:
        who = f" for rep {args.rep!r}" if args.rep is not None else ""
        print(f"No finished drills yet{who} in {where}.")
        return 0
    print(format_drill_table(rows) if args.by == "drill" else format_table(rows))
    if args.csv is not None:
        written = csv_export.write_csv(args.csv, DRILL_COLUMNS, rows) if args.by == "drill" \
            else write_csv(rows, args.csv)
        print(f"\nWrote {len(rows)} row{'s' if len(rows) != 1 else ''} to {written}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    path = _target(args.db)
    # A PostgreSQL store always "exists": connecting says whether it is reachable.
    if isinstance(path, Path) and not path.exists():
        if args.db is not None:  # an explicit path that is not there is most likely a typo: do not create it
            print(f"error: no results database at {path}; check the --db path.", file=sys.stderr)
            return 2
        # The action server creates its store on the first finished drill.
        print(f"No finished drills yet in {path}.")
        return 0
    try:
        return _report(args, path)
    except ResultsStoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
