"""One Text type, one localize with one fallback rule, one quote style, one list style."""
from __future__ import annotations

import pytest

from coach import i18n
from coach.content.text import Text, text
from coach.i18n import EN, HANS, HANT, list_join, localize, quote

BOTH: Text = {"zh": "价格太高", "en": "Too expensive"}


@pytest.mark.parametrize("lang, expected", [(HANS, "价格太高"), (HANT, "價格太高"), (EN, "Too expensive")])
def test_localize_picks_the_language(lang, expected):
    assert localize(BOTH, lang) == expected


@pytest.mark.parametrize("lang", [HANS, HANT, EN])
def test_missing_chinese_falls_back_to_english(lang):
    assert localize({"en": "Too expensive"}, lang) == "Too expensive"


@pytest.mark.parametrize("lang, expected", [(HANS, "价格太高"), (HANT, "價格太高"), (EN, "价格太高")])
def test_missing_english_falls_back_to_chinese(lang, expected):
    # The fallback goes through the same script rule: Traditional is still generated from zh.
    assert localize({"zh": "价格太高"}, lang) == expected


def test_empty_english_falls_back_too_and_empty_text_is_empty():
    assert localize({"zh": "价格太高", "en": ""}, EN) == "价格太高"
    assert all(localize({}, lang) == "" for lang in i18n.LANGUAGES)


def test_ui_strings_go_through_the_same_localize():
    assert i18n.ui("button_more", HANT) == localize({"zh": i18n.ui("button_more", HANS)}, HANT)


def test_quote_style_per_language():
    assert quote("太贵了", HANS) == "「太贵了」"
    assert quote("太貴了", HANT) == "「太貴了」"
    assert quote("Too expensive", EN) == "\u201cToo expensive\u201d"


def test_list_join_style_per_language():
    assert list_join(["探询", "算账"], HANS) == "探询、算账"
    assert list_join(["探詢", "算賬"], HANT) == "探詢、算賬"
    assert list_join(iter(["Probe", "Do the maths"]), EN) == "Probe, Do the maths"
    assert list_join([], EN) == ""


def test_text_strips_and_keeps_only_languages():
    assert text({"zh": "  价格太高\n", "en": " Too expensive ", "note": "ignored"}) == BOTH
    assert text({"en": "Only English"}) == {"en": "Only English"}
    assert text({"zh": "只有中文"}) == {"zh": "只有中文"}


@pytest.mark.parametrize("node", [{}, {"fr": "Trop cher"}, {"zh": 5}, {"zh": "价格", "en": None}])
def test_text_refuses_what_is_not_text(node):
    with pytest.raises(ValueError):
        text(node)


def test_text_keeps_json_payloads_plain():
    built = text({"zh": "价格", "en": "Price"})
    assert type(built) is dict and list(built) == ["zh", "en"]
