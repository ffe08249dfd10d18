"""Seed documents by readable title: how a card names where its advice comes from.

Playbook cases and drills cite a seed by file name (002_073c97fee827a29c.txt) and a short
section path in the seed's own words. Nobody reading on a phone should see a hash, so cards
show a citation instead: 《如何开发OTC市场空白点客户》三、(六) 价格太高 › 1、分析 in Chinese, and
"How to develop untapped OTC customers, §3 (6) Price too high › 1. Analysis" in English.
Each seed file gets its title once, in data/sources.yml.

Files 000 and 004 went through a bad GBK-to-Big5 conversion (關(guān) for 关): a citation must
never show that damage. `garbled()` spots it; the tests run it over every cited section.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Union

import yaml

from coach import settings
from coach.cache import process_cache
from coach.i18n import EN, HANT, to_traditional

SOURCES_FILE = settings.DATA / "sources.yml"

# The bad conversion leaves a character followed by its pinyin in brackets: 關(guān), 培訓(xùn).
_GARBLED = re.compile(r"[\u3400-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")


def garbled(text: str) -> bool:
    """True if `text` carries the seed's conversion damage (a character with pinyin in brackets)."""
    return bool(_GARBLED.search(text))


@process_cache
def titles(path: Union[str, Path, None] = None) -> dict[str, dict[str, str]]:
    """file name -> {"zh": title, "en": title}, from data/sources.yml."""
    with Path(path or SOURCES_FILE).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {str(name): {"zh": str(t["zh"]), "en": str(t["en"])} for name, t in data.items()}


def title(file: str, lang: str) -> str:
    """The seed's readable title in `lang`; the file name only for a seed with no title (never shipped)."""
    found = titles().get(file)
    if found is None:
        return file
    if lang == EN:
        return found["en"]
    return to_traditional(found["zh"]) if lang == HANT else found["zh"]


def citation(file: str, section: str, lang: str, section_en: Optional[str] = None) -> str:
    """One line naming the source: 《title》section (zh), or "Title, section" (en).

    English uses `section_en` when the content gives one, else the seed's own (Chinese) words.
    """
    if lang == EN:
        return f"{title(file, lang)}, {section_en or section}"
    where = to_traditional(section) if lang == HANT else section
    return f"《{title(file, lang)}》{where}"
