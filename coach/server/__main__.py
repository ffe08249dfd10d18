"""`rasa`, started with the coach's start-up quiet: `python -m coach.server run ...` (scripts/run.sh).

The same command line as `rasa`; the difference is that coach.server.logs.quiet_startup() runs
before the Rasa CLI imports its dependencies, so their deprecation warnings are filtered at the
source instead of being printed before our channels load.
"""
from __future__ import annotations

import sys
from typing import Any

from coach.server.logs import quiet_startup


def main() -> None:
    quiet_startup()
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
