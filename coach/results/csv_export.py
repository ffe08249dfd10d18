"""CSV for every export (the report's --csv, the trainer's downloads): one writer, one escaping rule.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or CR, which some strip
before looking) as a formula, and rep ids, names and titles are typed by people: such a text cell
is written with a leading `'`, which spreadsheets show as text. Numbers are written as numbers
(a score of -5 is not a formula), booleans as true/false, None as an empty cell, and a number in
a column named `*_at` (a unix time) as a UTC date and time, which is what a trainer can read.
Files get a UTF-8 byte-order mark (BOM), so that Excel shows Chinese names correctly.
"""
from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence, Union

__all__ = ["BOM", "FORMULA_STARTS", "cell", "csv_text", "utc_time", "write_csv"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


BOM = "\ufeff"


def utc_time(ts: float) -> str:
    """A unix time as '2026-11-30 14:07 UTC'."""
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def cell(value: Any, column: str = "") -> str:
    """One value as CSV cell text, escaped if a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if column.endswith("_at") and isinstance(value, int | float):
        return utc_time(value)
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _write(handle: Any, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow([cell(c) for c in columns])
    count = 0
    for row in rows:
        missing = [c for c in columns if c not in row]
        if missing:
            raise ValueError(f"CSV row {count + 1} has no {', '.join(missing)} column; every row needs "
                             f"the columns {', '.join(columns)}")
        writer.writerow([cell(row[c], c) for c in columns])
        count += 1
    return count


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """The header and the rows' `columns`, in that order, as CSV text (CRLF line ends, RFC 4180)."""
    buffer = io.StringIO()
    _write(buffer, columns, rows)
    return buffer.getvalue()


def write_csv(path: Union[str, Path], columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Path:
    """Write csv_text(columns, rows) to `path` (UTF-8 with a BOM, folders created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        _write(handle, columns, rows)
    return path
