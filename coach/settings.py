"""Every setting of the coach: COACH_* environment variables and the data paths, read in one place.

`current()` reads the environment once per process and returns a frozen `Settings`; `reset()`
drops it, so a test that changes the environment sees the change (tests reset it around each test).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Union

from coach.cache import process_cache

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA = PROJECT_ROOT / "data"
STATE_DIR = PROJECT_ROOT / ".state"
WEB_DIR = PROJECT_ROOT / "web"
MODEL = PROJECT_ROOT / "models" / "coach.tar.gz"
SPACY_MODEL = PROJECT_ROOT / "build" / "spacy_zh"
LEXICON = DATA / "lexicon" / "sales_terms.txt"
MOVES_FILE = DATA / "moves" / "moves.yml"
MOVE_PATTERNS = DATA / "moves" / "patterns.yml"
MOVE_TRAINING = DATA / "moves" / "train.yml"
MOVE_PLAYBOOK_LINES = DATA / "moves" / "playbook_lines.yml"  # generated from the playbook
MOVE_REPLIES = (MOVE_TRAINING, MOVE_PLAYBOOK_LINES)  # what the move model trains on
PLAYBOOK_DIR = DATA / "playbook"
DRILLS_DIR = DATA / "drills"
NLU_HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
MOVES_HELDOUT = PROJECT_ROOT / "tests" / "moves" / "heldout.yml"

DEFAULT_ACTION_PORT = 5055
DEFAULT_HOST = "127.0.0.1"  # loopback: COACH_HOST=0.0.0.0 exposes the coach (README, "Security")


PATH_SCHEME = ""  # the "scheme" of a plain file path (or ':memory:')
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def url_scheme(target: Union[str, Path]) -> str:
    """'postgresql' for 'postgresql://...', PATH_SCHEME ('') for a file path or ':memory:'."""
    if isinstance(target, Path):
        return PATH_SCHEME
    match = _SCHEME.match(target)
    return match.group(1).lower() if match else PATH_SCHEME


def is_url(target: Union[str, Path]) -> bool:
    """'postgresql://…' is a URL; a file path (even one containing ':' or '://') is not."""
    return url_scheme(target) != PATH_SCHEME


@dataclass(frozen=True)
class Settings:
    playbook_dir: Path
    drills_dir: Path
    results_db: Union[Path, str]  # a SQLite file, or a database URL kept as given
    chat_secret: Optional[str]  # None: a key is created once in .state/chat_secret
    rasa_speedups: str  # "all", "none" or comma-separated patch names
    action_port: int
    host: str  # where Rasa listens; loopback unless COACH_HOST exposes it
    api_token: Optional[str]  # REST needs "Authorization: Bearer <it>" when set
    actions_secret: Optional[str]  # None: one is created once in .state/actions_secret
    allowed_hosts: tuple[str, ...]  # Host headers the channels answer; empty: the defaults

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        results = env.get("COACH_RESULTS_DB") or ""
        return cls(
            playbook_dir=Path(env.get("COACH_PLAYBOOK_DIR") or PLAYBOOK_DIR),
            drills_dir=Path(env.get("COACH_DRILLS_DIR") or DRILLS_DIR),
            results_db=results if is_url(results) else Path(results or STATE_DIR / "results.db"),
            chat_secret=env.get("COACH_CHAT_SECRET") or None,
            rasa_speedups=(env.get("COACH_RASA_SPEEDUPS") or "all").strip(),
            action_port=int(env.get("ACTION_PORT") or DEFAULT_ACTION_PORT),
            host=(env.get("COACH_HOST") or DEFAULT_HOST).strip(),
            api_token=env.get("COACH_API_TOKEN") or None,
            actions_secret=env.get("COACH_ACTIONS_SECRET") or None,
            allowed_hosts=tuple(h.strip().lower() for h in (env.get("COACH_ALLOWED_HOSTS") or "").split(",")
                                if h.strip()),
        )


@process_cache
def current() -> Settings:
    return Settings.from_env(os.environ)


def reset() -> None:
    current.cache_clear()
