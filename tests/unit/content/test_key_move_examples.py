"""A key move written as `examples:` only (no phrases, no patterns) is learned when the drill loads."""
from __future__ import annotations

import pytest

from coach.content.drills import load_drill
from coach.content.playbook import default_playbook
from coach.moves.matcher import MoveMatcher, detect_moves
from coach.settings import PROJECT_ROOT

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "drills" / "examples_only.yml"


@pytest.fixture(scope="module")
def drill():
    loaded, problems = load_drill(FIXTURE, default_playbook())
    assert problems == [], "\n".join(map(str, problems))
    return loaded


@pytest.fixture(scope="module")
def matcher(drill) -> MoveMatcher:
    return MoveMatcher(drill.key_moves)


def test_fixture_key_move_has_examples_and_nothing_else(drill):
    key = drill.key_moves["volume_first"]
    assert 3 <= len(key.examples) <= 10 and key.phrases == () and key.patterns == ()


# Written for this test: none is one of the fixture's examples.
@pytest.mark.parametrize("text", ["您一个月能卖多少件？给我个数。", "独家的前提是量，您每月能保多少？",
                                  "How much volume can you promise per month?", "您能承诺月销多少箱？",
                                  "您每個月能保證賣多少？"])
def test_unseen_wording_of_the_key_move_is_found(matcher, text):
    assert matcher.find(text) == ["volume_first"]


@pytest.mark.parametrize("text", ["独家我现在就答应您。", "理解您的顾虑。", "下周二我带协议过来。",
                                  "We can't do exclusivity, sorry.", "那算了，不打扰了。", ""])
def test_near_misses_and_other_moves_are_not_the_key_move(matcher, text):
    assert matcher.find(text) == []


def test_detect_moves_joins_learned_key_moves_with_the_nlus(drill):
    found = detect_moves(drill, "理解。您一个月能卖多少件？", ["acknowledge"])
    assert found == ["acknowledge", "volume_first"]


def test_examples_count_is_checked_by_the_schema(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    start = text.index("    examples:\n")
    end = text.index("\n\n", start)
    broken = text[:start] + '    examples: ["您每月能保多少？", "一个月能走多少？"]' + text[end:]
    path = tmp_path / "examples_only.yml"
    path.write_text(broken, encoding="utf-8")
    _, problems = load_drill(path, default_playbook())
    assert problems and any("examples" in str(p) for p in problems)


def test_a_key_move_needs_examples_phrases_or_patterns(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    start = text.index("    # Examples only")
    end = text.index("\n\n", start)
    path = tmp_path / "examples_only.yml"
    path.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    _, problems = load_drill(path, default_playbook())
    assert problems and any("volume_first" in str(p) for p in problems)
