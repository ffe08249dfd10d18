"""The service tests' fakes: a fixed drill library, a scratch results store, one that fails."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, List, Optional

import pytest

from coach.content.drills import Drill, drill_files, load_drill
from coach.content.playbook import default_playbook
from coach.results.store import DrillResult, ProgressRow, ResultsStore
from coach.settings import PROJECT_ROOT

ALL = [load_drill(p, default_playbook())[0] for p in drill_files(PROJECT_ROOT / "data" / "drills")]


class FakeLibrary:
    def __init__(self, drills: List[Drill]) -> None:
        self.drills = list(drills)

    def get(self, drill_id: str) -> Optional[Drill]:
        return next((d for d in self.drills if d.id == drill_id), None)

    def all(self) -> List[Drill]:
        return list(self.drills)


class BrokenStore:
    def add(self, result: DrillResult) -> bool:
        raise OSError("disk full")

    def progress(self, rep_id: Optional[str] = None) -> List[ProgressRow]:
        raise OSError("disk full")


@pytest.fixture
def library() -> FakeLibrary:
    return FakeLibrary(ALL)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ResultsStore]:
    with ResultsStore(tmp_path / "results.db") as opened:
        yield opened
