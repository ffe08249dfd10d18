"""CSV exports: formula cells are escaped, everything else round-trips through a CSV reader."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from coach.results.csv_export import cell, csv_text, write_csv


def _read(text: str) -> list:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("value", ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"])
def test_formula_cells_get_a_leading_quote(value):
    [header, row] = _read(csv_text(["name"], [{"name": value}]))
    assert header == ["name"] and row == ["'" + value]


@pytest.mark.parametrize("value, written", [
    ("王小明", "王小明"), ('a, "quoted" name', 'a, "quoted" name'), ("1=1", "1=1"), ("", ""),
    (None, ""), (True, "true"), (False, "false"), (-5, "-5"), (0.25, "0.25"), (3, "3"),
])
def test_other_cells_are_written_as_they_are(value, written):
    assert cell(value) == written
    assert _read(csv_text(["v"], [{"v": value}]))[1] == [written]


def test_columns_keep_their_order_and_extra_keys_are_ignored():
    text = csv_text(["b", "a"], [{"a": 1, "b": 2, "c": 3}, {"a": "x", "b": "=y"}])
    assert _read(text) == [["b", "a"], ["2", "1"], ["'=y", "x"]]
    assert text.endswith("\r\n")


def test_a_missing_column_is_an_error_naming_it():
    with pytest.raises(ValueError, match="row 2 has no score column"):
        csv_text(["rep_id", "score"], [{"rep_id": "a", "score": 1}, {"rep_id": "b"}])


def test_write_csv_creates_folders_and_writes_utf8_with_a_bom_for_excel(tmp_path: Path):
    path = write_csv(tmp_path / "out" / "team.csv", ["rep_id", "name"], [{"rep_id": "r1", "name": "=王"}])
    assert path == tmp_path / "out" / "team.csv"
    assert path.read_bytes().startswith("\ufeffrep_id".encode())
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["rep_id", "name"], ["r1", "'=王"]]


def test_times_are_written_as_utc_dates_in_time_columns_only():
    text = csv_text(["last_at", "score"], [{"last_at": 1795996800.5, "score": 1795996800}])
    assert _read(text)[1] == ["2026-11-30 00:00 UTC", "1795996800"]
