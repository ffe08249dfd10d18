"""A random secret kept in a file under .state/: created once, owner-only, read by every process.

The sign-in key (coach/people/tokens.py) and the Rasa-to-action-server secret
(coach/server/action_secret.py) both live this way when no environment variable sets them.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _write_new(path: Path) -> Path:
    """A fresh random secret in a new file beside `path` (0600), fully written; its path."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return temporary


def read_or_create(path: Path, setting: str) -> str:
    """The secret in `path`, created first if it is missing; `setting` names the variable that replaces it.

    Written under a temporary name and linked into place, so two processes starting together never
    read a half-written file: the second one reads the first one's secret.
    """
    if not path.is_file():
        temporary = _write_new(path)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temporary.unlink()
    secret = path.read_text(encoding="utf-8").strip()
    if not secret:
        raise RuntimeError(f"{path} is empty: delete it (a new secret is created) or set {setting}")
    return secret


def replace(path: Path) -> Path:
    """Put a new random secret in `path` atomically: readers see the old one or the new one, never half."""
    os.replace(_write_new(path), path)
    return path
