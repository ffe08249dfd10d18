"""The coach never contradicts its playbook.

Every sample line of every playbook case (zh and en), and every `strategy` step line of every
drill, is said as the rep's first reply in a drill stage of its own case: a one-stage drill built
from the case, and each shipped drill stage that names the case. The reply goes through the real
detection (the generic move model trained here as the NLU trains it, joined with the drill's
key-move matchers by coach.moves.matcher.detect_moves) and the real engine step. Required:
no penalty, no red line, no loss of trust, no pushing, cooling or walking away; the drill neither
ends (unless the line is a documented goal move of the case, which ends it with the goal) nor
switches stage; and the turn earns at least one of the moves the line names. A line marked
`needs_context` in the playbook is counted and skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

import pytest

from coach.content.drills import Drill, Stage, Step, drill_files, load_drill
from coach.content.playbook import Branch, Playbook, SampleLine, default_playbook
from coach.drill import engine
from coach.i18n import EN, HANS
from coach.moves.matcher import detect_moves, prepare_all
from coach.moves.model import MoveModel
from coach.nlp.tokens import tokenize
from coach.service.dry_run import generic_model
from coach.settings import PROJECT_ROOT

TEMPLATE = PROJECT_ROOT / "data" / "drills" / "price_margin.yml"  # persona and customer lines only
LANGS = {"zh": HANS, "en": EN}
BAD_STATES = ("pushes", "cooler", "walk_away")


@dataclass(frozen=True)
class Case:
    """A line to say, the stage to say it in, and the moves it must earn one of."""

    where: str  # for the failure report: the case path or drill stage, and the line
    drill: Drill
    stage: int
    text: str
    lang: str
    moves: tuple[str, ...]
    may_close: bool  # the line is a goal move of the case: ending the drill with the goal is right


@pytest.fixture(scope="module")
def model(shipped: list[Drill]) -> MoveModel:
    """The generic move model, trained in-process on the same replies the NLU component learns.

    The drills' matchers add their phrases to jieba's one dictionary, which changes how later text is
    cut. They are all compiled first, so that the model learns and reads with the same tokens (in the
    coach, training and reading both happen in the Rasa process, which compiles no matcher).
    """
    prepare_all(shipped)
    return generic_model()


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    return default_playbook()


@pytest.fixture(scope="module")
def shipped(playbook: Playbook) -> list[Drill]:
    drills = [load_drill(path, playbook) for path in drill_files(PROJECT_ROOT / "data" / "drills")]
    assert all(drill for drill, _ in drills), [p for _, p in drills]
    return [drill for drill, _ in drills if drill]


def _case_drill(case: Branch, objection: str, template: Drill) -> Drill:
    """A one-stage drill that trains exactly this case: its rubric is what the case recommends."""
    base = template.stages[0]
    steps = tuple(Step(s.moves[0], case.strategy, s.text) for s in case.samples)
    stage = replace(base, objection=objection, branch=case.path, cases=(case.path,), strategy=steps,
                    recommends=case.recommends, closes=case.goal_moves, reveal_moves=("probe",),
                    goal_moves=case.goal_moves or ("next_step",), needs_truth=not case.goal_moves,
                    goal_min_trust=0, answers_truth=None)
    moves = {name: move for name, move in template.moves.items() if move.generic}
    weight = 100 // len(case.recommends)
    return replace(template, id=f"case_{case.path.replace('.', '_')}", objections=(objection,),
                   key_moves={}, moves=moves, stages=(stage,),
                   required=tuple(replace(template.required[0], kind="move", move=m, weight=weight)
                                  for m in case.recommends),
                   forbidden=tuple((m, 20) for m in case.discourages), mode="practice")


def _sample_cases(playbook: Playbook, shipped: list[Drill], template: Drill) -> Iterator[Case | str]:
    """Every sample line in its own case's drills; a needs_context line yields its reason instead."""
    for branch in playbook.cases():
        objection = playbook.by_id(branch.path.split(".")[0])
        assert objection is not None
        drills = [(_case_drill(branch, objection.intent, template), 0)]
        drills += [(d, i) for d in shipped for i, s in enumerate(d.stages) if branch.path in s.cases]
        for number, sample in enumerate(branch.samples, 1):
            if sample.needs_context:
                yield f"{branch.path} line {number}: {sample.needs_context}"
                continue
            yield from _said(branch, number, sample, drills)


def _said(branch: Branch, number: int, sample: SampleLine,
          drills: list[tuple[Drill, int]]) -> Iterator[Case]:
    closes = bool(set(sample.moves) & set(branch.goal_moves))
    for lang, code in LANGS.items():
        for drill, stage in drills:
            if lang in drill.languages and lang in sample.text:
                yield Case(f"{branch.path} line {number} in {drill.id}", drill, stage, sample.text[lang],
                           code, sample.moves, closes)


def _step_cases(shipped: list[Drill]) -> Iterator[Case]:
    for drill in shipped:
        for index, stage in enumerate(drill.stages):
            for number, step in enumerate(stage.strategy, 1):
                for lang, code in LANGS.items():
                    if lang in drill.languages and lang in step.line:
                        yield Case(f"{drill.id} stages[{index}].strategy[{number - 1}]", drill, index,
                                   step.line[lang], code, (step.move,), step.move in stage.closes)


def _problems(case: Case, model: MoveModel) -> list[str]:
    """What goes wrong when the line is said; empty when the coach agrees with its playbook."""
    session, _ = engine.start(case.drill, case.lang, seed=1, now=0.0)
    session.stage = case.stage
    nlu = model.predict([tokenize(case.text)], [case.text])[0]
    result = engine.step(case.drill, session, case.text, detect_moves(case.drill, case.text, nlu))
    problems = [f"penalised {result.penalties}"] if result.penalties else []
    problems += [f"red line {result.red_lines}"] if result.red_lines else []
    problems += ["lost trust"] if session.trust < 0 else []
    problems += [f"customer {result.state}"] if result.state in BAD_STATES else []
    if result.ended and not (case.may_close and result.ended == "goal"):
        problems.append(f"ended: {result.ended}")
    problems += ["switched stage"] if session.stage != case.stage else []
    if not set(result.credited) & set(case.moves):
        problems.append(f"earned none of {list(case.moves)}")
    return [f"{case.where} [{case.lang}] {case.text!r}: {'; '.join(problems)} (found {result.moves})"] \
        if problems else []


def _report(name: str, cases: list[Case], failures: list[str], skipped: list[str]) -> str:
    return (f"\n{name}: {len(cases)} lines said, {len(failures)} failed, {len(skipped)} need context"
            + "".join(f"\n  needs context: {s}" for s in skipped)
            + "".join(f"\n  FAIL {f}" for f in failures))


def test_every_playbook_line_is_credited_in_its_own_case(model, playbook, shipped, capsys):
    template, _ = load_drill(TEMPLATE, playbook)
    assert template is not None
    found = list(_sample_cases(playbook, shipped, template))
    cases = [c for c in found if isinstance(c, Case)]
    skipped = [c for c in found if isinstance(c, str)]
    failures = [p for case in cases for p in _problems(case, model)]
    with capsys.disabled():
        print(_report("playbook invariant", cases, failures, skipped))
    assert cases and not failures, _report("playbook invariant", cases, failures, skipped)


def test_every_drill_strategy_step_is_credited(model, shipped, capsys):
    cases = list(_step_cases(shipped))
    failures = [p for case in cases for p in _problems(case, model)]
    with capsys.disabled():
        print(_report("drill strategy steps", cases, failures, []))
    assert cases and not failures, _report("drill strategy steps", cases, failures, [])


def test_a_case_drill_is_a_valid_drill_stage(playbook):
    """The synthetic drills are built like real ones: one stage, the case named, its moves known."""
    template, _ = load_drill(TEMPLATE, playbook)
    assert template is not None
    case = playbook.branch("bad_market.no_need")
    assert case is not None
    drill = _case_drill(case[1], "objection_bad_market", template)
    stage: Stage = drill.stages[0]
    assert stage.cases == ("bad_market.no_need",) and "keep_in_touch" in stage.recommends
    assert stage.goal_moves == ("keep_in_touch",) and not stage.needs_truth
    assert all(m in drill.moves for m in stage.recommends)
    assert [step.line for step in stage.strategy] == [sample.text for sample in case[1].samples]
