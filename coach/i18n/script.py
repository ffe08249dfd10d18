"""Chinese script conversion: one Simplified text serves both scripts, OpenCC makes Traditional."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified Chinese; other characters pass through unchanged."""
    return _T2S.convert(text)


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Simplified -> Traditional; cached because the same card lines are converted on every reply."""
    return _S2T.convert(text)


def normalize_text(text: str) -> str:
    """What the NLU sees: NFKC (full-width letters/digits to ASCII) then Simplified script."""
    return to_simplified(unicodedata.normalize("NFKC", text))


def only_traditional(char: str) -> bool:
    """A character OpenCC changes going t2s exists only in Traditional script."""
    return _T2S.convert(char) != char


def only_simplified(char: str) -> bool:
    return _S2T.convert(char) != char
