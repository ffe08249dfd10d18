"""The NLU's tokenisation, outside Rasa: normalise, then spaCy zh with jieba and the sales lexicon.

The move classifier tokenises its own training file and the drill matchers tokenise rep replies
with this, so both see exactly the tokens SpacyTokenizer gives DIET (tests/unit/moves/test_moves.py checks).
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Union

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from coach.i18n import normalize_text
from coach.settings import LEXICON, SPACY_MODEL

_loaded: set[str] = set()  # contents of the dictionaries already in jieba


def load_user_dictionary(path: Path) -> None:
    """Add the entries of a jieba user dictionary to jieba's global one (idempotent per content).

    Both tokenisation paths segment with jieba's global dictionary (spaCy's zh tokenizer with the
    jieba segmenter, and JiebaTokenizer), so loading it once keeps them identical.
    """
    content = Path(path).read_text(encoding="utf-8")
    if content in _loaded:
        return
    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(path))
    _loaded.add(content)


@lru_cache(maxsize=2)
def zh_nlp(model: Union[str, Path] = SPACY_MODEL) -> Language:
    """The blank zh pipeline built by the setup (`make setup`), with the sales terms loaded."""
    if not Path(model, "meta.json").is_file():
        raise FileNotFoundError(f"spaCy pipeline {model} is missing: run `make setup` to build it from code.")
    load_user_dictionary(LEXICON)
    return spacy.load(model)


def doc(text: str) -> Doc:
    """A spaCy Doc of the normalised text (NFKC, Simplified), as the NLU sees it."""
    return zh_nlp()(normalize_text(text))


def tokenize(text: str) -> list[str]:
    """Token texts without whitespace tokens, as SpacyTokenizer produces them.

    Lower-cased first, as SpacyNLP does by default (case_sensitive: false).
    """
    return [t.text for t in zh_nlp()(normalize_text(text).lower()) if not t.is_space]
