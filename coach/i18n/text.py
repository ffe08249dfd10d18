"""The one bilingual text type, and the one way to show it in a language.

Content is written in zh (Simplified) and en; Traditional is generated from zh. A drill may be
written in one language only, so both keys are optional and `localize` falls back.
"""
from __future__ import annotations

from typing import Iterable, TypedDict

from coach.i18n.script import to_traditional

HANS, HANT, EN = "zh-Hans", "zh-Hant", "en"


class Text(TypedDict, total=False):
    """{"zh": ..., "en": ...} as written in the YAML and sent in JSON payloads."""

    zh: str
    en: str


def localize(text: Text, lang: str) -> str:
    """`text` in `lang`; when that language is missing, the other one rather than nothing.

    en wants "en" and falls back to "zh"; both Chinese scripts want "zh" (Traditional is generated
    from it) and fall back to "en". An empty text gives "".
    """
    if lang == EN:
        return text.get("en") or text.get("zh", "")
    if "zh" not in text:
        return text.get("en", "")
    return to_traditional(text["zh"]) if lang == HANT else text["zh"]


def list_join(items: Iterable[str], lang: str) -> str:
    """An inline list: ", " in English, the enumeration comma "、" in Chinese."""
    return (", " if lang == EN else "、").join(items)
