"""Check content files the way the coach loads them: `make validate-drills` (trainers) and CI.

Usage: python -m coach.content.validate [DRILL_FILE_OR_FOLDER ...]
With no arguments it checks the playbook and every drill in data/drills/ (a .yaml file there is an
error: drills end in .yml). A folder's drafts (_name.yml) are listed, not checked; name a draft to
check it. Each problem is printed as file:line, an error code, what is wrong and how to fix it.
Exit status 1 if any.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence, Union

from coach import skip_tensorflow
from coach.content.drills import drills_dir, folder_files, is_draft, load_drill
from coach.content.playbook import Playbook, load_playbook
from coach.errors import ContentError, Problem


def _drill_files(paths: Sequence[Union[str, Path]]) -> tuple[list[Path], list[Path], list[Problem]]:
    """(files to check, drafts left out, problems) for the files and folders named. A folder's drafts
    are left out, as the coach leaves them out; a draft named directly is checked."""
    files: list[Path] = []
    drafts: list[Path] = []
    problems: list[Problem] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = folder_files(path)
            if not found:
                problems.append(Problem.make("E211", path, None, folder=path))
            files += [p for p in found if not is_draft(p)]
            drafts += [p for p in found if is_draft(p)]
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem.make("E001", path, None, detail="no such file or folder"))
    return files, drafts, problems


def check_drills(paths: Sequence[Union[str, Path]],
                 playbook: Optional[Playbook]) -> tuple[int, list[Problem]]:
    """(number of valid drills, problems) for the given files and folders."""
    files, drafts, problems = _drill_files(paths)
    valid = 0
    for path in files:
        drill, found = load_drill(path, playbook)
        problems += found
        valid += drill is not None
        draft = " (a draft: never served to reps)" if is_draft(path) else ""
        print(f"  {'ok ' if drill else 'BAD'} {path}{draft}")
    for path in drafts:
        print(f"  --- {path} (a draft: not served nor checked here; check it with DRILLS={path})")
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
