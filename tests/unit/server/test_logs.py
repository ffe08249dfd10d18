"""Quiet start-up: known third-party warnings are ignored by category and module, nothing else is."""
from __future__ import annotations

import logging
import warnings
from typing import List

import pytest
import rasa.__main__ as rasa_cli

from coach.server import __main__ as launcher
from coach.server import logs


def _shown(category: type, module: str) -> bool:
    """Whether a warning of `category`, raised from `module`, gets through the current filters."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.warn_explicit("test warning", category, filename=f"{module}.py", lineno=1, module=module,
                               registry={})
    return bool(caught)


@pytest.fixture(autouse=True)
def _own_filters() -> None:
    """Every test starts from Python's filters plus sanic's "once" (what a server process has)."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.filterwarnings("once", category=DeprecationWarning)  # what importing sanic.app does
        yield


@pytest.mark.parametrize("module", ["pkg_resources", "rasa.core.tracker_store", "sanic_cors.extension",
                                    "typer"])
def test_known_noise_is_ignored(module: str) -> None:
    assert _shown(DeprecationWarning, module)
    logs.quiet_startup()
    assert not _shown(DeprecationWarning, module)


@pytest.mark.parametrize("category, module", [
    (DeprecationWarning, "coach.server.channels.web"),  # our own code: always shown
    (DeprecationWarning, "rasa.core.processor"),  # a module not on the list
    (DeprecationWarning, "pkg_resources_extra"),  # a module name is matched whole, not as a prefix
    (RuntimeWarning, "pkg_resources"),  # another category from a listed module
    (UserWarning, "typer"),
])
def test_everything_else_still_shows(category: type, module: str) -> None:
    logs.quiet_startup()
    assert _shown(category, module)


def test_calling_it_again_puts_the_filters_back_in_front_without_duplicates() -> None:
    logs.quiet_startup()
    count = len(warnings.filters)
    warnings.filterwarnings("always", category=DeprecationWarning)  # a library turns them on again
    assert _shown(DeprecationWarning, "pkg_resources")
    logs.quiet_startup()
    assert not _shown(DeprecationWarning, "pkg_resources")
    assert len(warnings.filters) == count + 1


def test_chatty_loggers_go_to_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in logs.QUIET_LOGGERS:
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    logs.quiet_startup()
    assert {name: logging.getLogger(name).level for name in logs.QUIET_LOGGERS} == logs.QUIET_LOGGERS
    # "Action endpoint is up and running" and Rasa's own progress lines stay.
    assert "rasa_sdk.endpoint" not in logs.QUIET_LOGGERS
    assert logging.getLogger("rasa_sdk.endpoint").level == logging.NOTSET


def test_the_launcher_quiets_again_after_rasa_configures(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: List[bool] = []

    def rasa_configure(*args: object, **kwargs: object) -> None:
        warnings.filterwarnings("once", category=UserWarning)  # what rasa's own configuration does

    def rasa_main() -> None:
        rasa_cli.configure_logging_and_warnings()
        # matplotlib's pyparsing warnings are UserWarnings too: rasa's "once" would show them.
        from pyparsing.warnings import PyparsingDeprecationWarning

        seen.append(_shown(PyparsingDeprecationWarning, "matplotlib.fontconfig_pattern"))

    monkeypatch.setattr(rasa_cli, "configure_logging_and_warnings", rasa_configure)
    monkeypatch.setattr(rasa_cli, "main", rasa_main)
    launcher.main()
    assert seen == [False]
