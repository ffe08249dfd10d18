"""Check content files the way the coach loads them: `make validate-drills` (trainers) and CI.

Usage: python -m coach.content.validate [DRILL_FILE_OR_FOLDER ...]
With no arguments it checks the playbook and every drill in data/drills/. Each problem is
printed as file:line, an error code, what is wrong and how to fix it. Exit status 1 if any.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence, Union

from coach import skip_tensorflow
from coach.content.drills import drill_files, drills_dir, load_drill
from coach.content.playbook import Playbook, load_playbook
from coach.errors import ContentError, Problem


def _drill_files(paths: Sequence[Union[str, Path]]) -> tuple[list[Path], list[Problem]]:
    """The drill files named or inside the named folders, and a problem for each name that has none."""
    files: list[Path] = []
    problems: list[Problem] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = drill_files(path)
            if not found:
                problems.append(Problem.make("E211", path, None, folder=path))
            files += found
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem.make("E001", path, None, detail="no such file or folder"))
    return files, problems


def check_drills(paths: Sequence[Union[str, Path]],
                 playbook: Optional[Playbook]) -> tuple[int, list[Problem]]:
    """(number of valid drills, problems) for the given files and folders."""
    files, problems = _drill_files(paths)
    valid = 0
    for path in files:
        drill, found = load_drill(path, playbook)
        problems += found
        valid += drill is not None
        print(f"  {'ok ' if drill else 'BAD'} {path}")
    return valid, problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("paths", nargs="*",
                        help="drill files or folders (default: the playbook and data/drills)")
    args = parser.parse_args(argv)
    skip_tensorflow()
    problems: list[Problem] = []
    playbook = None
    try:
        playbook = load_playbook()
        if not args.paths:
            print(f"playbook: {len(playbook.objections)} objections OK")
    except ContentError as exc:
        problems += exc.problems
    print("drills:")
    valid, found = check_drills(args.paths or [drills_dir()], playbook)
    problems += found
    if problems:
        print(f"\n{len(problems)} problem{'s' if len(problems) != 1 else ''}:", file=sys.stderr)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"all OK: {valid} drill{'s' if valid != 1 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
