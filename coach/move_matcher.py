"""Key moves of a drill, found with spaCy's PhraseMatcher and Matcher on the NLU's tokens.

Trainers write `phrases` (plain words) and `patterns` (spaCy token patterns) per key move in the
drill file. Chinese phrases are added to jieba's dictionary so that jieba keeps them whole inside
a sentence; otherwise "算一笔账" could be cut differently in context than on its own and never match.
"""
from __future__ import annotations

import re
import threading
from typing import Iterable

import jieba
from spacy.matcher import Matcher, PhraseMatcher

from coach.drills import Drill
from coach.i18n import normalize_text
from coach.nlu.tokens import doc, zh_nlp

_HAN = re.compile(r"[\u3400-\u9fff]")
_lock = threading.Lock()


class KeyMoveMatcher:
    """Compiled matchers for one drill's key moves."""

    def __init__(self, drill: Drill) -> None:
        nlp = zh_nlp()
        self.names = tuple(drill.key_moves)
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._tokens = Matcher(nlp.vocab)
        with _lock:  # jieba's dictionary is global to the process
            for key in drill.key_moves.values():
                phrases = [normalize_text(p).lower() for p in key.phrases]
                for phrase in phrases:
                    if _HAN.search(phrase) and " " not in phrase:
                        jieba.add_word(phrase)
                if phrases:
                    self._phrases.add(key.name, [nlp.make_doc(p) for p in phrases])
                if key.patterns:
                    self._tokens.add(key.name, [list(p) for p in key.patterns])

    def find(self, text: str) -> list:
        """Key move names present in `text`, in the drill's order."""
        if not self.names or not text.strip():
            return []
        parsed = doc(text)
        vocab = parsed.vocab
        hits = {vocab.strings[match_id] for match_id, _, _ in self._phrases(parsed)}
        hits |= {vocab.strings[match_id] for match_id, _, _ in self._tokens(parsed)}
        return [name for name in self.names if name in hits]


_compiled: dict = {}  # (drill id, file version) -> KeyMoveMatcher


def matcher_for(drill: Drill) -> KeyMoveMatcher:
    """Cached per drill file version: a trainer's edit recompiles, other messages reuse it."""
    key = (drill.id, drill.version)
    matcher = _compiled.get(key)
    if matcher is None:
        matcher = _compiled[key] = KeyMoveMatcher(drill)
        for stale in [k for k in _compiled if k[0] == drill.id and k != key]:
            del _compiled[stale]
    return matcher


def detect_moves(drill: Drill, text: str, nlu_moves: Iterable[str]) -> list:
    """All moves in a rep reply: generic ones from the NLU (Rasa) plus this drill's key moves."""
    found = [m for m in nlu_moves if m in drill.moves]
    found += [m for m in matcher_for(drill).find(text) if m not in found]
    return found
