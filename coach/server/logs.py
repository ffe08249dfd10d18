"""Quiet start-up: the third-party warnings and chatty loggers that buried "Objection Coach is up".

Rasa 3.6 and its dependencies warn about each other's deprecated APIs (pkg_resources, pyparsing,
click, SQLAlchemy 2.0, jax) every time a server starts; none of it is ours to fix. Those warnings
are ignored here by category AND by the module that warns, so a new warning, or any warning
from the coach's own code, still shows. A few loggers that repeat themselves go to WARNING.

`quiet_startup()` is called by the coach's entry points: the Rasa launcher (coach/server/__main__.py,
used by scripts/run.sh and scripts/shell.sh), each input channel (they load inside `rasa run`) and
the action server (actions/__main__.py). It can be called any number of times.
"""
from __future__ import annotations

import logging
import os
import re
import warnings
from typing import Tuple, Type

# (category, module that warns). Subclasses count: SQLAlchemy's MovedIn20Warning and pyparsing's
# PyparsingDeprecationWarning are DeprecationWarnings.
NOISY_WARNINGS: Tuple[Tuple[Type[Warning], str], ...] = (
    (DeprecationWarning, "rasa.core.tracker_store"),  # SQLAlchemy 1.4 APIs that 2.0 drops
    (DeprecationWarning, "rasa.shared.utils.validation"),  # imports pkg_resources
    (DeprecationWarning, "pkg_resources"),  # declare_namespace('mpl_toolkits'), ('ruamel')
    (DeprecationWarning, "sanic_cors.extension"),  # distutils LooseVersion
    (DeprecationWarning, "tensorflow.lite.python.util"),  # jax.xla_computation
    (DeprecationWarning, "matplotlib.fontconfig_pattern"),  # pyparsing 3 renames
    (DeprecationWarning, "packaging.markers"),
    (DeprecationWarning, "packaging.requirements"),
    (DeprecationWarning, "typer"),  # click 8.2 renames
    (DeprecationWarning, "typer.completion"),
    (DeprecationWarning, "spacy.cli._util"),
    (DeprecationWarning, "jieba._compat"),  # imports pkg_resources
)

# logger -> level: INFO lines that repeat themselves at every start.
QUIET_LOGGERS = {
    "rasa.nlu.utils.spacy_utils": logging.WARNING,  # "Trying to load SpaCy model", once per component
    "rasa_sdk.executor": logging.WARNING,  # "Registered function for ...", once per action
    "sanic.root": logging.WARNING,  # the action server's Sanic banner; its errors still show
    # The action server's log format has no access-log fields: each request printed an empty line.
    "sanic.access": logging.WARNING,
}

# Set before TensorFlow loads (it reads them once): no C++ info lines, no oneDNN notice.
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2"}


def _module_pattern(module: str) -> str:
    return re.escape(module) + r"\Z"


def install_warning_filters() -> None:
    """Put the filters for NOISY_WARNINGS first, ahead of any "once"/"default" filter added since.

    filterwarnings moves a filter that is already there to the front instead of adding it twice.
    """
    for category, module in reversed(NOISY_WARNINGS):
        warnings.filterwarnings("ignore", category=category, module=_module_pattern(module))


def quiet_startup() -> None:
    """Quiet the known start-up noise (see the module docstring); safe to call repeatedly."""
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)
    # sanic.app turns every DeprecationWarning on ("once") when it is imported, ahead of existing
    # filters: import it first, so that ours go in front of it.
    import sanic.app  # noqa: F401

    install_warning_filters()
    for name, level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
