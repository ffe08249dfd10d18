"""Languages: detect the rep's language and script, honour explicit switches, localise text.

One Simplified-Chinese text serves both scripts: Traditional is produced with OpenCC,
so content is written once in zh and en.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

from coach.i18n.script import (
    normalize_text,
    only_simplified,
    only_traditional,
    to_simplified,
    to_traditional,
)
from coach.i18n.text import EN, HANS, HANT, Text, list_join, localize

__all__ = [
    "DEFAULT", "EN", "HANS", "HANT", "LANGUAGES", "LANGUAGE_NAMES", "Text", "detect", "list_join",
    "localize", "normalize_text", "quote", "reply_language", "requested", "script", "to_simplified",
    "to_traditional", "ui",
]

LANGUAGES = (HANS, HANT, EN)
DEFAULT = HANS
LANGUAGE_NAMES = {HANS: "简体中文", HANT: "繁體中文", EN: "English"}

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_DETECT_CHARS = 400  # the start of a message tells its language; a 20,000-character paste needn't be scanned

# Explicit language requests; checked in order, so "繁体中文" matches Traditional before "中文".
_REQUESTS = (
    (HANT, ("繁体", "繁體", "正体", "正體", "traditional", "cantonese")),
    (HANS, ("简体", "簡體", "简中", "simplified")),
    (EN, ("英文", "英语", "英語", "english")),
    (HANS, ("中文", "汉语", "漢語", "普通话", "普通話", "chinese")),
)


def detect(text: str) -> Optional[str]:
    """Language and script of a message, or None when it gives no clear clue.

    No clue: a '/payload', a single word like 'ok', or Chinese that both scripts share ('太高了').
    """
    if not text or text.startswith("/"):
        return None
    text = text[:_DETECT_CHARS]
    han = _HAN.findall(text)
    latin_words = len(_LATIN_WORD.findall(text))
    if not han:
        return EN if latin_words >= 2 else None
    if latin_words > len(han):
        return EN
    traditional = sum(1 for ch in han if only_traditional(ch))
    simplified = sum(1 for ch in han if only_simplified(ch))
    if traditional > simplified:
        return HANT
    if simplified > traditional:
        return HANS
    return None  # only characters shared by both scripts: keep whatever was used before


def script(text: str) -> str:
    """For reports: zh-Hans / zh-Hant / en, or 'mixed' when Chinese carries English words."""
    lang = detect(text) or HANS
    if lang != EN and _LATIN_WORD.search(text):
        return "mixed"
    return lang


def requested(text: str) -> Optional[str]:
    """The language a switch request asks for ('说英文' -> 'en'), or None."""
    lowered = text.lower()
    for lang, keywords in _REQUESTS:
        if any(k in lowered for k in keywords):
            return lang
    return None


def reply_language(text: str, pinned: Optional[str], previous: Optional[str]) -> str:
    """An explicit choice wins; otherwise the language of this message, else the last one used."""
    if pinned in LANGUAGES:
        return pinned
    found = detect(text)
    if found:
        return found
    if previous in LANGUAGES:
        return previous
    # First message with only a weak clue: 'hi' is still more likely English than Chinese.
    return EN if _LATIN_WORD.search(text or "") and not text.startswith("/") else DEFAULT


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Any]:
    """ui.yml, then each ui_<area>.yml (sign-in, trainer desk...): one key is defined in one file only."""
    folder = Path(__file__).parent
    merged: dict[str, Any] = {}
    for path in [folder / "ui.yml", *sorted(folder.glob("ui_*.yml"))]:
        with path.open(encoding="utf-8") as fh:
            entries = yaml.safe_load(fh) or {}
        clash = sorted(set(entries) & set(merged))
        if clash:
            raise ValueError(f"{path}: keys already defined in another ui*.yml file: {', '.join(clash)}; "
                             "rename them (each interface string has one home)")
        merged.update(entries)
    return merged


def ui(key: str, lang: str, **values: object) -> str:
    """An interface string in `lang`, with {placeholders} filled in."""
    return localize(_catalogue()[key], lang).format(**values)


def quote(text: str, lang: str) -> str:
    """A quoted line in the style of ui.yml's `quote` (the page quotes with the same entry)."""
    return ui("quote", lang, text=text)
