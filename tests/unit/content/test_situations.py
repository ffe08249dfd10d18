"""The five situations (a brush-off, a complaint, a key account leaving, a rumour, a follow-up).

Each has a card in data/playbook/ (kind: situation) that loads, cites a seed and has zh and en
lines; the card action answers its intent like an objection's; each has a drill whose documented
strategy reaches the goal and passes. The nine objections keep their own checks: a situation is
never counted as one of them.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from actions.objections import ActionBranchStrategy, ActionObjectionCard
from coach.content.drills import Drill, load_drill
from coach.content.playbook import OBJECTION_INTENTS, SEED_FILES, SITUATION_INTENTS, load_playbook
from coach.drill import picker
from coach.drill.scoring import score
from coach.errors import ContentError
from coach.i18n import EN, HANS, localize
from coach.service.dry_run import DryRun
from coach.settings import DRILLS_DIR, PLAYBOOK_DIR
from tests.conftest import line_of_text, make_tracker, run_action, slot_events

PLAYBOOK = load_playbook()
NAMES = [intent.removeprefix("situation_") for intent in SITUATION_INTENTS]


def _walk(branches):
    for branch in branches:
        yield branch
        yield from _walk(branch.children)


def _custom(messages, kind):
    found = [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind]
    assert found, f"no {kind} payload in {messages}"
    return found[0]


# ---- the cards ----------------------------------------------------------------------------------

@pytest.mark.parametrize("intent", SITUATION_INTENTS)
def test_situation_card_loads_cites_a_seed_and_has_zh_and_en_lines(intent):
    entry = PLAYBOOK.for_intent(intent)
    assert entry is not None and entry.kind == "situation" and entry.intent == intent
    assert entry.source.file in SEED_FILES and entry.note is not None, "say what the coach added"
    assert entry.aliases, "aliases let a rep ask for the drill by name"
    for branch in _walk(entry.branches):
        assert branch.source.file in SEED_FILES and branch.source.section.strip(), branch.path
        assert branch.principle_source in ("seed", "coach"), branch.path
        assert branch.recommends and 2 <= len(branch.samples) <= 8, branch.path
        for sample in branch.samples:
            assert sample.text["zh"].strip() and sample.text["en"].strip() and sample.moves, branch.path
            assert not set(sample.moves) & set(branch.discourages), (branch.path, sample.text)


@pytest.mark.parametrize("name", NAMES)
def test_every_situation_case_says_whose_principle_it_is(name):
    """The loader defaults a missing principle_source to "coach"; the files say it outright."""
    data = yaml.safe_load((PLAYBOOK_DIR / f"{name}.yml").read_text(encoding="utf-8"))
    assert data["kind"] == "situation"
    for branch in data["branches"]:
        assert branch["principle_source"] in ("seed", "coach"), (name, branch["id"])


def test_the_complaint_card_teaches_the_eight_steps():
    expired = PLAYBOOK.branch("complaint.expired")[1]
    # one line per step: thank, say why, apologise, promise, get facts, fix fast, check, prevent
    assert len(expired.samples) == 8
    assert expired.source.file == "001_fab1691d02cd859c.txt" and "八步法" in expired.source.section
    moves = [set(s.moves) for s in expired.samples]
    assert moves[0] == moves[1] == moves[2] == {"acknowledge"}  # thank, say why, apologise
    assert "probe" in moves[4] and "probe" in moves[6]  # get the facts, check he is satisfied
    assert "next_step" in moves[3] and "next_step" in moves[5]  # promise to act, fix it fast


def test_situations_are_kept_apart_from_the_nine_objections():
    assert sorted(PLAYBOOK.objections) == sorted(OBJECTION_INTENTS)
    assert [o.intent for o in PLAYBOOK.ordered()] == list(OBJECTION_INTENTS)
    everything = [o.intent for o in PLAYBOOK.ordered(situations=True)]
    assert everything == list(OBJECTION_INTENTS) + list(SITUATION_INTENTS)
    paths = {b.path for b in PLAYBOOK.cases()}
    assert {"complaint.expired", "brush_off.next_time", "follow_up.long_term"} <= paths
    assert PLAYBOOK.by_id("rumour").intent == "situation_rumour"
    assert PLAYBOOK.branch("key_account.rival_terms")[1].path == "key_account.rival_terms"
    assert PLAYBOOK.branch("rumour.nope") is None


# ---- broken situation files are refused with file:line ------------------------------------------

@pytest.fixture
def playbook_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "playbook"
    shutil.copytree(PLAYBOOK_DIR, folder)
    return folder


def _problems(folder: Path) -> str:
    with pytest.raises(ContentError) as info:
        load_playbook(folder)
    return str(info.value)


def test_a_situation_without_kind_is_refused_at_its_intent_line(playbook_dir):
    path = playbook_dir / "rumour.yml"
    text = path.read_text(encoding="utf-8").replace("kind: situation\n", "")
    path.write_text(text, encoding="utf-8")
    message = _problems(playbook_dir)
    line = line_of_text(text, "intent: situation_rumour")
    assert f"rumour.yml:{line}: [E016] 'kind' value 'objection'" in message
    assert "fix: Use one of: situation" in message


def test_an_unknown_situation_intent_is_refused(playbook_dir):
    path = playbook_dir / "follow_up.yml"
    text = path.read_text(encoding="utf-8").replace("situation_follow_up", "situation_followup")
    path.write_text(text, encoding="utf-8")
    message = _problems(playbook_dir)
    assert f"follow_up.yml:{line_of_text(text, 'situation_followup')}: [E016] 'intent' value" in message
    assert "situation_follow_up" in message  # the fix lists the known situations


def test_an_objection_marked_as_a_situation_is_refused(playbook_dir):
    path = playbook_dir / "price.yml"
    text = path.read_text(encoding="utf-8").replace("intent: objection_price\n",
                                                    "intent: objection_price\nkind: situation\n")
    path.write_text(text, encoding="utf-8")
    assert f"price.yml:{line_of_text(text, 'kind: situation')}: [E016]" in _problems(playbook_dir)


def test_a_missing_objection_is_still_reported_with_situations_present(playbook_dir):
    (playbook_dir / "past_failure.yml").unlink()
    assert "[E103] no playbook entry for objection intent 'objection_past_failure'" in _problems(playbook_dir)


# ---- the card action ----------------------------------------------------------------------------

@pytest.mark.parametrize("intent", SITUATION_INTENTS)
def test_card_action_answers_each_situation(intent):
    tracker = make_tracker("new_rep", "老板说他很忙，让我下次再来", intent)
    messages, events = run_action(ActionObjectionCard(), tracker)
    entry = PLAYBOOK.for_intent(intent)
    card = _custom(messages, "objection_card")
    assert card["objection"] == entry.id and card["intent"] == intent and card["lang"] == "zh-Hans"
    text = messages[0]["text"]
    assert entry.title["zh"] in text and entry.opener["zh"] in text
    assert len(text) <= 320 and text.count("\n") <= 9, f"{intent} card too long for a phone"
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    for branch in entry.branches:
        assert "/choose_branch" + json.dumps({"branch": branch.path}, ensure_ascii=False) in payloads
    assert slot_events(events) == {"language": "zh-Hans", "objection": entry.id}


@pytest.mark.parametrize("intent", SITUATION_INTENTS)
def test_card_action_answers_in_english(intent):
    tracker = make_tracker("new_rep", "the owner says he's too busy, come back next time", intent)
    messages, _ = run_action(ActionObjectionCard(), tracker)
    assert PLAYBOOK.for_intent(intent).title["en"] in messages[0]["text"]
    assert _custom(messages, "objection_card")["lang"] == "en"


def test_a_situation_case_button_gives_its_strategy():
    tracker = make_tracker("after_price_card_en", "/choose_branch", "choose_branch",
                           [{"entity": "branch", "value": "complaint.broken_promise"}])
    messages, events = run_action(ActionBranchStrategy(), tracker)
    payload = _custom(messages, "strategy")
    branch = PLAYBOOK.branch("complaint.broken_promise")[1]
    assert payload["branch"] == "complaint.broken_promise" and payload["principle"] == branch.principle["en"]
    assert slot_events(events)["objection"] == "complaint"


# ---- the drills ---------------------------------------------------------------------------------

def _drill_file(name: str) -> Path:
    path = DRILLS_DIR / f"situation_{name}.yml"
    assert path.is_file(), f"no drill for situation_{name}"
    return path


@pytest.fixture
def situation_drill_loader():
    def load(name: str, tmp_path: Path) -> Drill:
        path = tmp_path / f"situation_{name}.yml"
        shutil.copy(_drill_file(name), path)
        drill, problems = load_drill(path, PLAYBOOK)
        assert drill is not None and not problems, "\n".join(map(str, problems))
        return drill
    return load


@pytest.mark.parametrize("name", NAMES)
def test_each_situation_has_a_drill_built_on_its_card(name, situation_drill_loader, tmp_path):
    drill = situation_drill_loader(name, tmp_path)
    raw = yaml.safe_load(_drill_file(name).read_text(encoding="utf-8"))
    assert drill.objections == (f"situation_{name}",)
    for stage, raw_stage in zip(drill.stages, raw["stages"], strict=True):
        assert stage.cases and all(case.split(".")[0] == name for case in stage.cases)
        assert raw_stage["source"]["file"] in SEED_FILES
        assert raw_stage["hidden_truth"]["source"]["file"] in SEED_FILES
    for key, spec in raw.get("key_moves", {}).items():
        assert set(spec) == {"label", "means", "examples"}, f"{key}: examples only"
        assert 5 <= len(spec["examples"]) <= 8, key


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", [HANS, EN])
def test_the_drills_own_strategy_reaches_the_goal_and_passes(name, lang, situation_drill_loader, tmp_path):
    drill = situation_drill_loader(name, tmp_path)
    run = DryRun(drill, lang, seed=1)
    for stage in drill.stages:
        for step in stage.strategy:
            turn = run.say(localize(step.line, lang))
            assert not turn.penalties and not turn.red_lines, (step.move, turn)
            assert step.move in turn.credited, (step.move, turn.moves)
    assert run.session.ended == "goal"
    card = score(drill, run.session)
    assert card.passed and card.truth_answered, card


@pytest.mark.parametrize("name", NAMES)
def test_the_situation_drills_are_live(name):
    path = DRILLS_DIR / f"situation_{name}.yml"
    drill, problems = load_drill(path, PLAYBOOK)
    assert drill is not None and not problems, "\n".join(map(str, problems))


def test_a_drill_request_names_the_situation():
    assert picker.objections_named("练习投诉处理", PLAYBOOK) == ["situation_complaint"]
    assert picker.objections_named("practice a key account who wants to delist us", PLAYBOOK) == \
        ["situation_key_account"]
