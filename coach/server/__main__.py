"""`rasa`, started with the coach's start-up quiet and network defaults: `python -m coach.server run ...`
(scripts/run.sh, scripts/shell.sh).

The same command line as `rasa`, with three differences:
- coach.server.logs.quiet_startup() runs before the Rasa CLI imports its dependencies, so their
  deprecation warnings are filtered at the source instead of being printed before our channels load;
- `rasa run` listens on COACH_HOST (default 127.0.0.1, loopback) unless `--interface` is given, and
  an `--interface` given becomes COACH_HOST, so the channels know where they are exposed
  (the REST channel turns itself off beyond loopback without COACH_API_TOKEN);
- files it creates (the SQLite tracker store and its -wal/-shm) are owner-only (umask 077), and
  the app is hardened and the action server's secret attached before Rasa builds them
  (coach/server/channels/base.py, coach/server/action_secret.py), whatever the channels.
"""
from __future__ import annotations

import os
import sys
from typing import Any, List

from coach import settings
from coach.server.logs import quiet_startup

INTERFACE_FLAGS = ("-i", "--interface")


def with_interface(argv: List[str]) -> List[str]:
    """`rasa run` arguments with the interface made explicit and COACH_HOST set to match it."""
    if not argv or argv[0] != "run":
        return argv
    for index, arg in enumerate(argv):
        given = None
        if arg in INTERFACE_FLAGS and index + 1 < len(argv):
            given = argv[index + 1]
        elif arg.startswith("--interface="):
            given = arg.split("=", 1)[1]
        if given is not None:
            os.environ["COACH_HOST"] = given
            settings.reset()
            return argv
    return [*argv, "--interface", settings.current().host]


def main() -> None:
    os.umask(0o077)  # the tracker store and anything else this process creates: owner-only
    quiet_startup()
    sys.argv[1:] = with_interface(sys.argv[1:])
    from coach.server.channels.base import install_app_hooks

    install_app_hooks()  # also for `rasa shell`, whose channel is not one of ours
    import rasa.__main__ as rasa_cli

    configure = rasa_cli.configure_logging_and_warnings

    def configure_then_quiet(*args: Any, **kwargs: Any) -> None:
        configure(*args, **kwargs)
        quiet_startup()  # Rasa's filters ("once" for every UserWarning) went in front: ours go back ahead

    rasa_cli.configure_logging_and_warnings = configure_then_quiet
    rasa_cli.main()


if __name__ == "__main__":
    sys.argv[0] = "rasa"  # usage and error messages name the command the user knows
    main()
