"""Chinese script conversion: one Simplified text serves both scripts, OpenCC makes Traditional.

Which Traditional: Taiwan standard forms, OpenCC's ``s2tw``.
  The reps who read zh-Hant expect Taiwan's character forms: 裡 (not 裏), 為 (not 爲), 著 for the
  particle 着 (看著, 急著), 才 (not 纔). Plain ``s2t`` gives the older OpenCC standard forms (裏, 爲,
  着, 纔), which Taiwan readers see as mainland or dated.
Why not ``s2twp`` (Taiwan forms plus Taiwan vocabulary):
  it also swaps words, and on the coach's own content it swaps them wrongly: 推广支持 becomes
  推廣支援 (援 is "rescue"), 权限 becomes 許可權, 用户需求 becomes 使用者需求 and 数据 becomes 資料.
  Sales advice must say what the playbook says, so the coach changes characters, never words.
On top of ``s2tw``, `TAIWAN_FIXES` corrects the phrases OpenCC gets wrong in our content
(白干 "work for nothing" is 白幹, not the liquor 白乾); add a phrase there, with a test in
tests/unit/i18n/test_script.py, when a reader reports another.

The converter is opencc-python-reimplemented (pure Python, in requirements.lock), which ships the
s2tw and s2twp configurations; no other package is needed for Taiwan forms.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")  # character test only (only_simplified): any Traditional standard will do
_S2TW = opencc.OpenCC("s2tw")

# Simplified phrase -> the Taiwan form readers expect, where s2tw picks the wrong one.
TAIWAN_FIXES = {
    "白干": "白幹",  # "work for nothing" (等于白干); s2tw reads it as the liquor 白乾
    "复盘": "復盤",  # "review what happened"; s2tw gives 覆盤
    "周转": "周轉",  # cash flow (资金周转): Taiwan's standard form is 周轉; s2tw gives 週轉
}
_FIXES = re.compile("|".join(sorted(map(re.escape, TAIWAN_FIXES), key=len, reverse=True)))


def to_simplified(text: str) -> str:
    """Traditional -> Simplified Chinese; other characters pass through unchanged."""
    return _T2S.convert(text)


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Simplified -> Traditional in Taiwan forms (s2tw plus TAIWAN_FIXES); cached per card line."""
    parts: list[str] = []
    start = 0
    for found in _FIXES.finditer(text):
        parts += [_S2TW.convert(text[start:found.start()]), TAIWAN_FIXES[found.group()]]
        start = found.end()
    parts.append(_S2TW.convert(text[start:]))
    return "".join(parts)


def normalize_text(text: str) -> str:
    """What the NLU sees: NFKC (full-width letters/digits to ASCII) then Simplified script."""
    return to_simplified(unicodedata.normalize("NFKC", text))


def only_traditional(char: str) -> bool:
    """A character OpenCC changes going t2s exists only in Traditional script."""
    return _T2S.convert(char) != char


def only_simplified(char: str) -> bool:
    return _S2T.convert(char) != char
