"""Moves found with spaCy's PhraseMatcher and Matcher on the NLU's tokens.

Two sets of cues, both editable without retraining: each drill's key moves (in the drill file)
and cue phrases for the generic moves (data/moves/patterns.yml), which widen what the Rasa
MoveClassifier finds. A key move is normally learned from its `examples` (coach/moves/keys.py);
`phrases` (plain words) and `patterns` (spaCy token patterns) are optional and add to it.
Chinese phrases are added to jieba's dictionary so that jieba keeps them whole inside a sentence;
otherwise "算一笔账" could be cut differently in context than on its own and never match.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import jieba
import yaml
from spacy.matcher import Matcher, PhraseMatcher

from coach.content.drills import Drill, KeyMove
from coach.content.moves import generic_names
from coach.i18n import normalize_text
from coach.moves.keys import learned_for
from coach.nlp.tokens import doc, zh_nlp
from coach.settings import MOVE_PATTERNS

GENERIC_PATTERNS = MOVE_PATTERNS

_HAN = re.compile(r"[\u3400-\u9fff]")
_lock = threading.Lock()


class MoveMatcher:
    """Compiled matchers for a set of moves (name -> KeyMove with phrases and patterns)."""

    def __init__(self, moves: Mapping[str, KeyMove]) -> None:
        nlp = zh_nlp()
        self.names = tuple(moves)
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._tokens = Matcher(nlp.vocab)
        with _lock:  # jieba's dictionary is global to the process
            for key in moves.values():
                phrases = [normalize_text(p).lower() for p in key.phrases]
                for phrase in phrases:
                    if _HAN.search(phrase) and " " not in phrase:
                        jieba.add_word(phrase)
                if phrases:
                    self._phrases.add(key.name, [nlp.make_doc(p) for p in phrases])
                if key.patterns:
                    self._tokens.add(key.name, [list(p) for p in key.patterns])
        self._learned = learned_for(moves)

    def find(self, text: str) -> list[str]:
        """Key move names present in `text`, in the drill's order."""
        if not self.names or not text.strip():
            return []
        parsed = doc(text)
        vocab = parsed.vocab
        hits = {vocab.strings[match_id] for match_id, _, _ in self._phrases(parsed)}
        if len(self._tokens):  # spaCy warns when a Matcher without patterns is called
            hits |= {vocab.strings[match_id] for match_id, _, _ in self._tokens(parsed)}
        if self._learned is not None:
            hits |= set(self._learned.find(text))
        return [name for name in self.names if name in hits]


_compiled: dict[tuple[str, str], MoveMatcher] = {}  # (drill id, file version) -> its matcher


def matcher_for(drill: Drill) -> MoveMatcher:
    """Cached per drill file version: a trainer's edit recompiles, other messages reuse it."""
    key = (drill.id, drill.version)
    matcher = _compiled.get(key)
    if matcher is None:
        matcher = _compiled[key] = MoveMatcher(drill.key_moves)
        for stale in [k for k in _compiled if k[0] == drill.id and k != key]:
            del _compiled[stale]
    return matcher


def load_generic_patterns(path: Path = GENERIC_PATTERNS) -> dict[str, KeyMove]:
    """name -> KeyMove for the generic moves' cue phrases; a name that is not a generic move is an error."""
    with Path(path).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    unknown = set(data["moves"]) - set(generic_names())
    if unknown:
        raise ValueError(f"{path}: {sorted(unknown)} are not generic moves; "
                         f"allowed: {', '.join(generic_names())}")
    return {name: KeyMove(name, {}, {}, tuple(spec.get("phrases", [])), tuple(spec.get("patterns", [])))
            for name, spec in data["moves"].items()}


@lru_cache(maxsize=1)
def generic_matcher() -> MoveMatcher:
    return MoveMatcher(load_generic_patterns())


def prepare_all(drills: Iterable[Drill]) -> None:
    """Compile every matcher now. Each adds its phrases to jieba's one dictionary, so compiling them
    all up front makes tokenisation the same whichever drill a rep happens to run first."""
    generic_matcher()
    for drill in drills:
        matcher_for(drill)


def detect_moves(drill: Drill, text: str, nlu_moves: Iterable[str]) -> list[str]:
    """All moves in a rep reply: the NLU's (Rasa), the generic cue phrases, this drill's key moves."""
    found = [m for m in nlu_moves if m in drill.moves]
    for matcher in (generic_matcher(), matcher_for(drill)):
        found += [m for m in matcher.find(text) if m not in found]
    return found
