"""Playbook loading and validation: real content loads; broken content is refused with file:line."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coach.content.playbook import OBJECTION_INTENTS, SEED_FILES, load_playbook
from coach.errors import ContentError
from tests.conftest import line_of_text

# Case splits the seed documents require, as dotted branch paths.
REQUIRED_BRANCHES = [
    "price.comparable", "price.higher", "price.higher.sell_through", "price.higher.margin",
    "policy.excuse", "policy.wants_support",
    "bad_market.really_bad", "bad_market.hesitating", "bad_market.no_need",
    "consignment.poor_credit", "consignment.wants_control",
    "no_money.really_short", "no_money.excuse",
    "existing_contract.really_signed", "existing_contract.excuse",
]


def _walk(branches):
    for b in branches:
        yield b
        yield from _walk(b.children)


def test_real_playbook_covers_every_objection():
    playbook = load_playbook()
    assert sorted(playbook.objections) == sorted(OBJECTION_INTENTS)
    assert [o.intent for o in playbook.ordered()] == list(OBJECTION_INTENTS)


@pytest.mark.parametrize("path", REQUIRED_BRANCHES)
def test_documented_case_splits_exist(path):
    found = load_playbook().branch(path)
    assert found is not None, f"missing branch {path}"
    assert found[1].path == path


def test_every_strategy_cites_a_seed_and_has_two_to_four_lines():
    for objection in load_playbook().ordered():
        assert objection.source.file in SEED_FILES
        for branch in _walk(objection.branches):
            assert branch.source.file in SEED_FILES and branch.source.section.strip()
            assert 2 <= len(branch.lines) <= 4, branch.path
            for text in (branch.strategy, branch.principle, *branch.lines):
                assert text["zh"] and text["en"]


def test_supplier_relationship_says_how_it_is_built():
    entry = load_playbook().for_intent("objection_supplier_relationship")
    assert entry.note is not None
    cited = {b.source.file for b in _walk(entry.branches)}
    assert len(cited) >= 2, "built from several seeds, so it should cite more than one"


@pytest.mark.parametrize("path", ["price", "price.nope", "nope.comparable", "../../etc/passwd",
                                  "price..higher", ""])
def test_unknown_branch_paths_are_rejected(path):
    assert load_playbook().branch(path) is None


# ---- broken content -------------------------------------------------------------------------

def _rewrite(folder: Path, name: str, mutate) -> tuple[Path, str]:
    path = folder / f"{name}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")
    return path, text


def _problems(folder: Path) -> str:
    with pytest.raises(ContentError) as info:
        load_playbook(folder)
    return str(info.value)


def test_unknown_field_is_reported_with_its_line(playbook_copy):
    _, text = _rewrite(playbook_copy, "price", lambda d: d.update(colour="red"))
    message = _problems(playbook_copy)
    assert f"price.yml:{line_of_text(text, 'colour:')}: [E012] unknown field 'colour'" in message
    assert "fix: Remove it or fix its spelling" in message


def test_missing_field_names_the_field_and_the_mapping_line(playbook_copy):
    def drop(d):
        del d["branches"][0]["principle"]
    _, text = _rewrite(playbook_copy, "policy", drop)
    message = _problems(playbook_copy)
    first_branch_line = line_of_text(text, "- id: ")
    assert f"policy.yml:{first_branch_line}: [E011] missing required field 'branches[0].principle'" in message


def test_too_many_sample_lines(playbook_copy):
    def pad(d):
        d["branches"][0]["lines"] = d["branches"][0]["lines"] * 3  # 9 lines: over the 8 a branch may hold
    _rewrite(playbook_copy, "exclusivity", pad)
    message = _problems(playbook_copy)
    assert "exclusivity.yml:" in message and "[E014] 'branches[0].lines' has" in message
    assert "2 to 8 items" in message


def test_button_label_too_long_for_a_phone(playbook_copy):
    def long_label(d):
        d["branches"][0]["label"]["zh"] = "这是一个非常非常非常长的按钮标签文字"
    _, text = _rewrite(playbook_copy, "bad_market", long_label)
    message = _problems(playbook_copy)
    line = line_of_text(text, "这是一个非常非常非常长的按钮标签文字")
    assert f"bad_market.yml:{line}: [E015] 'branches[0].label.zh' is too long" in message


def test_citing_a_file_that_is_not_a_seed(playbook_copy):
    def cite(d):
        d["source"]["file"] = "999_0000000000000000.txt"
    _, text = _rewrite(playbook_copy, "no_money", cite)
    message = _problems(playbook_copy)
    assert f"no_money.yml:{line_of_text(text, '999_0000000000000000.txt')}: [E105]" in message


def test_yaml_syntax_error_points_at_the_line(playbook_copy):
    path = playbook_copy / "consignment.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append('title: {zh: "unclosed')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _problems(playbook_copy)
    assert "consignment.yml:" in message and "[E002] YAML syntax error" in message


def test_duplicate_key_is_not_silently_dropped(playbook_copy):
    path = playbook_copy / "past_failure.yml"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\nid: past_failure\n", encoding="utf-8")
    message = _problems(playbook_copy)
    assert f"past_failure.yml:{len(text.splitlines()) + 1}: [E003] duplicate key 'id'" in message


def test_id_must_match_file_name_and_intents_must_be_unique(playbook_copy):
    original = (playbook_copy / "price.yml").read_text(encoding="utf-8")
    (playbook_copy / "price_copy.yml").write_text(original, encoding="utf-8")
    message = _problems(playbook_copy)
    assert "price_copy.yml:" in message and "[E101]" in message


def test_missing_objection_file_is_reported(playbook_copy):
    (playbook_copy / "past_failure.yml").unlink()
    message = _problems(playbook_copy)
    assert "[E103] no playbook entry for objection intent 'objection_past_failure'" in message


def test_every_problem_is_reported_not_just_the_first(playbook_copy):
    _rewrite(playbook_copy, "price", lambda d: d.update(colour="red"))
    _rewrite(playbook_copy, "policy", lambda d: d.update(size="xl"))
    message = _problems(playbook_copy)
    assert "price.yml:" in message and "policy.yml:" in message
    assert message.startswith("2 problems in content files:")


def test_empty_folder(tmp_path):
    assert "[E106]" in _problems(tmp_path)


# ---- moves: what each case recommends, what each sample line does --------------------------

def test_every_sample_line_names_its_moves_and_every_case_what_it_recommends():
    from coach.content.moves import generic_names
    known = set(generic_names())
    for objection in load_playbook().ordered():
        for branch in _walk(objection.branches):
            assert branch.recommends and set(branch.recommends) <= known, branch.path
            assert not set(branch.recommends) & set(branch.discourages), branch.path
            assert [s.text for s in branch.samples] == list(branch.lines)
            for sample in branch.samples:
                assert sample.moves and set(sample.moves) <= known, (branch.path, sample.text)
                assert not set(sample.moves) & set(branch.discourages), (branch.path, sample.text)


def test_the_seeds_graceful_exits_are_the_goal_of_polite_no_cases():
    playbook = load_playbook()
    for path in ("bad_market.no_need", "supplier_relationship.long_term"):
        assert playbook.branch(path)[1].goal_moves == ("keep_in_touch",)
    # a hidden worry is not closed by keeping in touch: it is uncovered and answered
    for path in ("no_money.excuse", "existing_contract.excuse"):
        assert "keep_in_touch" not in playbook.branch(path)[1].recommends
    assert "conditional_offer" in playbook.branch("exclusivity.volume")[1].recommends
    assert "concession" in playbook.branch("exclusivity.volume")[1].discourages


def test_cases_lists_every_branch_parents_first():
    paths = [b.path for b in load_playbook().cases()]
    assert set(REQUIRED_BRANCHES) <= set(paths)
    assert paths.index("price.higher") < paths.index("price.higher.margin")


def _set_line_moves(d):
    d["branches"][0]["lines"][1]["moves"] = ["probbe"]


def _discourage_probe(d):
    d["branches"][0]["discourages"] = ["probe"]


@pytest.mark.parametrize("mutate, needle, expected", [
    (_set_line_moves, "probbe", "[E107] unknown move 'probbe' in 'moves'\n"
                                "    fix: Use a generic move from data/moves/moves.yml: acknowledge, probe"),
    (_discourage_probe, "discourages:", "[E108] case 'comparable' both recommends and discourages 'probe'"),
])
def test_move_problems_in_a_case_are_reported_with_their_line(playbook_copy, mutate, needle, expected):
    _, text = _rewrite(playbook_copy, "price", mutate)
    assert f"price.yml:{line_of_text(text, needle)}: {expected}" in _problems(playbook_copy)


def test_a_sample_line_without_moves_and_a_case_without_recommends_are_refused(playbook_copy):
    def strip(d):
        del d["branches"][0]["recommends"]
        del d["branches"][0]["lines"][0]["moves"]
    _rewrite(playbook_copy, "policy", strip)
    message = _problems(playbook_copy)
    assert "[E011] missing required field 'branches[0].recommends'" in message
    assert "[E011] missing required field 'branches[0].lines[0].moves'" in message
