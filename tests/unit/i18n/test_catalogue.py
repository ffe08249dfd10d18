"""The pages' strings: every ui*.yml key per language, exactly as the server localizes them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from coach import i18n
from coach.i18n.catalogue import catalogue
from coach.settings import PROJECT_ROOT

UI_FILES = sorted(Path(i18n.__file__).parent.glob("ui*.yml"))
WEB = PROJECT_ROOT / "web"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _source() -> dict:
    merged: dict = {}
    for path in UI_FILES:
        merged.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return merged


def _page_code() -> str:
    files = [*sorted(WEB.glob("*.html")), *sorted((WEB / "js").rglob("*.js"))]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_key_is_there_and_matches_ui(lang):
    strings = catalogue(lang)
    assert set(strings) == set(_source())
    for key, text in strings.items():
        if not PLACEHOLDER.search(text):
            assert text == i18n.ui(key, lang), key


def test_traditional_is_generated_from_simplified_with_opencc():
    hant, hans = catalogue(i18n.HANT), catalogue(i18n.HANS)
    assert hans["page_title"] == "异议应对教练"
    assert hant["page_title"] == "異議應對教練" == i18n.to_traditional(hans["page_title"])
    assert hant["quote"] == "「{text}」"
    assert catalogue(i18n.EN)["page_title"] == "Objection Coach"


def test_placeholders_are_left_for_the_page_to_fill():
    assert catalogue(i18n.HANS)["next_drill"] == "建议下一个练习：{title}"
    assert catalogue(i18n.EN)["page_bar_label"] == "{name}: best {best}"


@pytest.mark.parametrize("lang", ["", "zh", "fr", "ZH-HANT"])
def test_unknown_language_is_refused(lang):
    with pytest.raises(ValueError, match="zh-Hans, zh-Hant, en"):
        catalogue(lang)


def test_both_languages_use_the_same_placeholders():
    for key, text in _source().items():
        assert set(PLACEHOLDER.findall(text["zh"])) == set(PLACEHOLDER.findall(text["en"])), key


def test_every_key_the_page_names_exists_and_every_page_key_is_used():
    code = _page_code()
    keys = set(_source())
    named = set(re.findall(r'data-i18n="(\w+)"', code))
    named |= set(re.findall(r'\b(?:t|label|has)\("(\w+)"', code))
    named |= set(re.findall(r'"(page_\w+)"', code))
    named = {name for name in named if not name.endswith("_")}  # a prefix: see `dynamic`
    assert named and named <= keys, sorted(named - keys)
    dynamic = {"page_mood_": ["opens", "pushes", "cools"]}  # built as prefix + value in js/render/drill.js
    named |= {prefix + value for prefix, values in dynamic.items() for value in values}
    assert named >= {key for key in keys if key.startswith("page_")}, sorted(
        key for key in keys if key.startswith("page_") and key not in named)
    assert all(prefix + value in keys for prefix, values in dynamic.items() for value in values)


def test_the_page_code_holds_no_chinese_text_of_its_own():
    for path in sorted((WEB / "js").rglob("*.js")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//")[0]
            if "LANG_NAMES" not in code:  # each language's own name: not an interface string
                assert not HAN.search(code), f"{path.name}:{number}: {line.strip()}"
