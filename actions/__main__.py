"""Start the Rasa action server, but only with a valid playbook; load the drills first too.

rasa_sdk would start and then fail per request (or exit with a traceback); validating first
gives trainers one clear list of what to fix. A broken playbook stops the start; a broken drill
is reported and skipped (the others keep working, and it is picked up once fixed).
Usage: python -m actions [--port 5055]
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from coach import settings, skip_tensorflow
from coach.content.drills import drills_dir
from coach.content.library import default_library
from coach.content.playbook import default_playbook
from coach.errors import ContentError
from coach.server.logs import quiet_startup


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=settings.current().action_port)
    args = parser.parse_args(argv)
    skip_tensorflow()
    try:
        playbook = default_playbook()
    except ContentError as exc:
        print(exc, file=sys.stderr)
        print("\nThe action server did not start: fix the playbook files above and run again.",
              file=sys.stderr)
        return 2
    print(f"[actions] playbook OK: {len(playbook.objections)} objections")
    library = default_library()
    problems = library.problems()
    for problem in problems:
        print(problem, file=sys.stderr)
    skipped = f", {len({p.file for p in problems})} skipped (see above)" if problems else ""
    print(f"[actions] drills: {len(library.all())} loaded from {drills_dir()}{skipped};"
          " edits are picked up live")
    # spaCy and every drill's matchers load now rather than on the first drill reply.
    from coach.moves.matcher import prepare_all

    prepare_all(library.all())
    # Bind to loopback unless told otherwise: only the Rasa server needs to reach this port.
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")
    logging.basicConfig(level=logging.INFO, format="[actions] %(message)s")
    quiet_startup()
    from rasa_sdk.endpoint import run  # imported late: it is slow and not needed to validate

    run("actions", port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
