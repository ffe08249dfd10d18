"""Start the Rasa action server, but only with a valid playbook; load the drills first too.

rasa_sdk would start and then fail per request (or exit with a traceback); validating first
gives trainers one clear list of what to fix. A broken playbook stops the start; a broken drill
is reported and skipped (the others keep working, and it is picked up once fixed).
The server listens on loopback (SANIC_HOST to change it) and answers only calls that carry the
Rasa server's secret (coach/server/action_secret.py); files it creates are owner-only.
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
    os.umask(0o077)  # the results database and any file created here: owner-only
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
    logging.basicConfig(level=logging.INFO, format="[actions] %(message)s")
    quiet_startup()
    serve(args.port)
    return 0


def serve(port: int) -> None:
    """rasa_sdk's `run`, with the secret check in front of every action call."""
    # Imported late: slow, not needed to validate, and sanic must load after quiet_startup (logs.py).
    from rasa_sdk import utils
    from rasa_sdk.endpoint import create_app

    from coach.server.action_secret import HEADER, actions_secret, require_secret

    secret = actions_secret()  # before serving: a bad .state/actions_secret stops the start, clearly
    app = create_app("actions", cors_origins=None)  # only the Rasa server calls it: no CORS
    require_secret(app, secret)
    # Loopback unless told otherwise: only the Rasa server needs to reach this port.
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    logging.getLogger(__name__).info("Action endpoint is up and running on http://%s:%s (calls need the %s "
                                     "header)", host, port, HEADER)
    app.run(host, port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
