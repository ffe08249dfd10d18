"""Every objection, situation and case can be looked up, and every drill started, in zh-Hans, zh-Hant and en.

Traditional is converted from Simplified (OpenCC s2tw): a zh-Hant card must read as Traditional, with
no Simplified-only character left behind, and never show a raw seed file name.
"""
from __future__ import annotations

import pytest

from coach.content.drills import drill_files, load_drill
from coach.content.playbook import Playbook, default_playbook
from coach.drill import engine
from coach.i18n import EN, HANS, HANT
from coach.replies import drills as drill_replies
from coach.replies import objections as replies
from coach.settings import DRILLS_DIR

SCRIPTS = (HANS, HANT, EN)
# Simplified forms that never appear in Traditional text (a sample that covers the playbook's words).
SIMPLIFIED_ONLY = set("们这说价钱没货厂样认为让还应该对谈问题么时间进经销")


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return default_playbook()


def _check(text: str, lang: str, where: str) -> None:
    assert text.strip(), f"{where} ({lang}): empty"
    assert ".txt" not in text, f"{where} ({lang}): shows a raw seed file name"
    if lang == HANT:
        left = sorted(set(text) & SIMPLIFIED_ONLY)
        assert not left, f"{where} (zh-Hant): Simplified characters {left}"
    if lang == EN:
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{where} (en): Chinese text in English"


@pytest.mark.parametrize("lang", SCRIPTS)
def test_every_card_and_case_reads_in_each_script(playbook: Playbook, lang: str) -> None:
    kinds = {o.intent.split("_")[0] for o in playbook.ordered(situations=True)}
    assert kinds == {"objection", "situation"}, kinds
    for objection in playbook.ordered(situations=True):
        _check(replies.objection_card(objection, lang).text, lang, objection.id)
        for case in playbook.cases():
            if case.path.split(".")[0] == objection.id:
                _check(replies.branch_detail(objection, case, lang).text, lang, case.path)


@pytest.mark.parametrize("lang", SCRIPTS)
def test_every_drill_starts_in_each_script(playbook: Playbook, lang: str) -> None:
    for path in drill_files(DRILLS_DIR):
        drill, problems = load_drill(path, playbook)
        assert drill is not None and not problems, problems
        session, opening = engine.start(drill, lang, seed=1)
        _check(drill_replies.intro(drill, lang).text, lang, f"{drill.id} intro")
        line = drill_replies.customer_line(drill, session, opening, "opening")
        _check(line.text, lang, f"{drill.id} opening")
