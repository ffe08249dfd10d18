"""Seed titles and citations: cards name a seed by title and short section, never by file or garbled text."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from coach.content.playbook import SEED_FILES, Source
from coach.content.sources import citation, garbled, title, titles
from coach.i18n import EN, HANS, HANT
from coach.replies.objections import branch_detail, full_detail, objection_card
from coach.settings import DRILLS_DIR, PLAYBOOK_DIR

# The nine objection cards this module was written with; newer files are checked for garbling only.
OBJECTIONS = ("price", "policy", "exclusivity", "bad_market", "consignment", "no_money",
              "supplier_relationship", "existing_contract", "past_failure")
SHORT = 40  # a cited section fits on a phone line or two
SEED = "002_073c97fee827a29c.txt"


def _sources(node: Any, where: str) -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        if isinstance(node.get("source"), dict):
            yield where, node["source"]
        for key, value in node.items():
            yield from _sources(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _sources(value, f"{where}[{index}]")


def _content_sources(folder: Path) -> Iterator[tuple[str, dict]]:
    for path in sorted(folder.glob("*.yml")):
        with path.open(encoding="utf-8") as fh:
            yield from _sources(yaml.safe_load(fh), path.name)


def test_every_seed_file_has_a_title_in_both_languages():
    assert set(titles()) == set(SEED_FILES)
    for file in SEED_FILES:
        for lang in (HANS, HANT, EN):
            assert title(file, lang) and title(file, lang) != file
            assert not garbled(title(file, lang))


@pytest.mark.parametrize("text, damaged", [
    ("管理根深蒂固的關(guān)系,利益和做法", True),
    ("中國銷售培訓(xùn)網(wǎng)", True),
    ("管理根深蒂固的关系、利益和做法", False),
    ("三、(六) 价格太高 › 1、分析", False),   # the seed's own numbering is not damage
    ("§3 (6) Price too high", False),
])
def test_garbled_spots_the_conversion_damage(text, damaged):
    assert garbled(text) is damaged


def test_citation_reads_as_title_and_section():
    assert citation(SEED, "三、(六) 价格太高", HANS) == "《如何开发OTC市场空白点客户》三、(六) 价格太高"
    assert citation(SEED, "三、(六) 价格太高", HANT) == "《如何開發OTC市場空白點客戶》三、(六) 價格太高"
    assert citation("002_073c97fee827a29c.txt", "三、(六) 价格太高", EN, "§3 (6) Price too high") == \
        "How to develop untapped OTC customers, §3 (6) Price too high"
    # no English section written: the seed's own words rather than nothing
    assert citation("002_073c97fee827a29c.txt", "三、(六) 价格太高", EN) == \
        "How to develop untapped OTC customers, 三、(六) 价格太高"


@pytest.mark.parametrize("folder", [PLAYBOOK_DIR, DRILLS_DIR])
def test_no_cited_section_is_garbled_or_a_file_name(folder):
    for where, source in _content_sources(folder):
        for key in ("section", "section_en"):
            if key in source:
                assert not garbled(source[key]), f"{where}: {source[key]}"
                assert ".txt" not in source[key], where


def test_objection_cards_cite_short_sections_with_an_english_form():
    for name in OBJECTIONS:
        for where, source in _content_sources(PLAYBOOK_DIR):
            if where.startswith(f"{name}.yml"):
                assert len(source["section"]) <= SHORT, f"{where}: {source['section']}"
                assert source.get("section_en"), f"{where}: no section_en"


def test_every_principle_says_whose_words_it_is():
    for name in OBJECTIONS:
        with (PLAYBOOK_DIR / f"{name}.yml").open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        stack = list(data["branches"])
        while stack:
            branch = stack.pop()
            assert branch["principle_source"] in ("seed", "coach"), (name, branch["id"])
            stack += branch.get("branches", [])


def _price():
    from coach.content.playbook import load_file
    objection, problems = load_file(PLAYBOOK_DIR / "price.yml")
    assert objection is not None, problems
    return objection


@pytest.mark.parametrize("lang", [HANS, HANT, EN])
def test_cards_show_the_title_not_the_file_and_keep_the_payload_keys(lang):
    objection = _price()
    branch = objection.branches[0]
    for reply in (objection_card(objection, lang), branch_detail(objection, branch, lang),
                  full_detail(objection, lang)):
        assert "002_073c97fee827a29c" not in reply.text
        source = reply.custom["source"]
        assert source["file"] == "002_073c97fee827a29c.txt" and source["section"]  # pages still read these
        assert source["title"] == title("002_073c97fee827a29c.txt", lang)
        assert source["cite"].startswith("《" if lang != EN else "How to develop")


def test_strategy_card_labels_the_principle_by_its_source():
    objection = _price()
    seed, coach = objection.branches[0], objection.branches[1].children[0]
    assert (seed.principle_source, coach.principle_source) == ("seed", "coach")
    assert "注解（原文）：" in branch_detail(objection, seed, HANS).text
    assert "教练建议：" in branch_detail(objection, coach, HANS).text
    assert "註解（原文）：" in branch_detail(objection, seed, HANT).text
    assert "From the source: " in branch_detail(objection, seed, EN).text
    assert "Coach's note: " in branch_detail(objection, coach, EN).text
    detail = full_detail(objection, EN).custom["cases"]
    assert [c["principle_source"] for c in detail] == ["seed", "seed", "coach", "coach"]


def test_source_dataclass_keeps_its_old_shape():
    assert Source("002_073c97fee827a29c.txt", "x").section_en is None


DRILLS = ("bad_market_case", "chain_price_consignment", "consignment_cash", "contract_numbers",
          "exclusivity_volume", "no_money_small", "past_failure_diagnose", "policy_needs", "price_margin",
          "supplier_complement")


def test_the_seeds_typo_is_not_copied():
    """The seed writes 对诊下药; the idiom is 对症下药 ("prescribe for the symptom")."""
    files = [PLAYBOOK_DIR / f"{name}.yml" for name in OBJECTIONS]
    files += [DRILLS_DIR / f"{name}.yml" for name in DRILLS]
    for path in files:
        assert "对诊" not in path.read_text(encoding="utf-8"), path.name


def test_every_drill_stage_and_hidden_truth_cites_the_seed():
    for name in DRILLS:
        with (DRILLS_DIR / f"{name}.yml").open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        for index, stage in enumerate(data["stages"]):
            truth = stage["hidden_truth"]
            for where, node in ((f"stages[{index}]", stage), (f"stages[{index}].hidden_truth", truth)):
                assert node["source"]["file"] in SEED_FILES, (name, where)
                assert node["source"]["section"], (name, where)
