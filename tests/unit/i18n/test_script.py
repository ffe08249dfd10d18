"""Traditional output uses Taiwan forms (OpenCC s2tw) and fixes the phrases OpenCC gets wrong."""
from __future__ import annotations

import pytest

from coach.i18n import HANT, localize, to_simplified, to_traditional
from coach.i18n.script import TAIWAN_FIXES


@pytest.mark.parametrize("simplified, taiwan, not_wanted", [
    ("摊下来等于白干。", "攤下來等於白幹。", "白乾"),       # work for nothing, not the liquor
    ("和他一起客观复盘当时的原因", "和他一起客觀復盤當時的原因", "覆盤"),
    ("我资金周转不过来", "我資金周轉不過來", "週轉"),
])
def test_known_phrase_errors_are_fixed(simplified, taiwan, not_wanted):
    converted = to_traditional(simplified)
    assert converted == taiwan
    assert not_wanted not in converted


@pytest.mark.parametrize("simplified, taiwan, old_form", [
    ("店里有货", "店裡有貨", "裏"),
    ("心里不踏实", "心裡不踏實", "裏"),
    ("他为什么不进货", "他為什麼不進貨", "爲"),
    ("别急着辩解", "別急著辯解", "着"),     # 着 as a verb particle
    ("您先听着，我接着说", "您先聽著，我接著說", "着"),
    ("我们才有机会", "我們才有機會", "纔"),
])
def test_taiwan_forms_replace_the_old_standard_forms(simplified, taiwan, old_form):
    converted = to_traditional(simplified)
    assert converted == taiwan
    assert old_form not in converted


def test_words_are_not_swapped_for_taiwan_vocabulary():
    """s2twp would turn 支持 into 支援 and 权限 into 許可權: the coach converts characters only."""
    assert to_traditional("推广支持") == "推廣支持"
    assert to_traditional("谁都没有权限破例") == "誰都沒有權限破例"
    assert to_traditional("挖掘用户需求") == "挖掘用戶需求"


def test_a_fix_works_anywhere_in_a_sentence_and_more_than_once():
    text = "白干一天，又白干一天，资金周转不开"
    assert to_traditional(text) == "白幹一天，又白幹一天，資金周轉不開"


def test_fixes_round_trip_to_the_same_simplified_text():
    for simplified, traditional in TAIWAN_FIXES.items():
        assert to_simplified(traditional) == simplified


def test_localize_uses_taiwan_forms():
    assert localize({"zh": "店里为什么没有货？", "en": "x"}, HANT) == "店裡為什麼沒有貨？"


def test_text_without_a_fix_is_converted_whole():
    assert to_traditional("") == ""
    assert to_traditional("OTC 市场") == "OTC 市場"
