"""Language and script detection, explicit switches, localisation."""
from __future__ import annotations

import pytest

from coach import i18n


@pytest.mark.parametrize("text, expected", [
    ("老板说你们价格太高了", i18n.HANS),
    ("老闆說你們價格太高了", i18n.HANT),
    ("the owner says our price is too high", i18n.EN),
    ("老板说price太高,怎么办", i18n.HANS),
    ("客戶說our margin太薄", i18n.HANT),
    ("customer says 太贵 what do I say", i18n.EN),
    ("太高了", None),        # characters shared by both scripts: no clue
    ("ok", None),            # one word: too weak to switch language
    ("/objection_price", None),
    ("", None),
])
def test_detect(text, expected):
    assert i18n.detect(text) == expected


def test_reply_language_prefers_pin_then_message_then_previous():
    assert i18n.reply_language("老板说太贵", pinned=i18n.EN, previous=i18n.HANS) == i18n.EN
    assert i18n.reply_language("老闆說太貴", pinned=None, previous=i18n.EN) == i18n.HANT
    assert i18n.reply_language("/more_detail", pinned=None, previous=i18n.HANT) == i18n.HANT
    assert i18n.reply_language("hi", pinned=None, previous=None) == i18n.EN
    assert i18n.reply_language("好", pinned=None, previous=None) == i18n.DEFAULT


@pytest.mark.parametrize("text, expected", [
    ("说英文", i18n.EN), ("English please", i18n.EN), ("請用繁體中文", i18n.HANT),
    ("切换到简体", i18n.HANS), ("reply in Chinese", i18n.HANS), ("switch language", None),
])
def test_requested(text, expected):
    assert i18n.requested(text) == expected


def test_traditional_is_generated_from_simplified():
    text = {"zh": "价格太高，不好卖", "en": "Too expensive"}
    assert i18n.localize(text, i18n.HANT) == "價格太高，不好賣"
    assert i18n.localize(text, i18n.HANS) == "价格太高，不好卖"
    assert i18n.localize(text, i18n.EN) == "Too expensive"


def test_normalize_text_maps_traditional_and_fullwidth():
    assert i18n.normalize_text("鋪貨ＡＢＣ１２") == "铺货ABC12"


@pytest.mark.parametrize("text, expected", [
    ("老板说太贵", i18n.HANS), ("老闆說太貴", i18n.HANT), ("the owner says too expensive", i18n.EN),
    ("老板说price太高", "mixed"), ("太高了", i18n.HANS),
])
def test_script_for_reports(text, expected):
    assert i18n.script(text) == expected
