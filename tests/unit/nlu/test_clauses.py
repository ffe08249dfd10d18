"""ClauseReader's plain parts: the clause splitter and the per-clause objection model (no Rasa model).

The model is trained here on the same NLU data `make train` gives it (data/nlu/*.yml); the two-objection
lines are tests/unit/nlu/two_objections.yml, the single-objection lines the held-out set."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from coach.nlu.clauses import CLAUSES, ClauseModel, ClauseReader, find_clauses, split_clauses
from coach.settings import PROJECT_ROOT

LINES = yaml.safe_load((Path(__file__).parent / "two_objections.yml").read_text(encoding="utf-8"))["lines"]


def _examples(*paths: Path) -> list[tuple[str, str]]:
    out = []
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in item:
                out += [(line.strip()[2:].strip(), item["intent"]) for line in item["examples"].splitlines()
                        if line.strip().startswith("- ")]
    return out


TRAIN = _examples(*sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")))
HELDOUT = [(t, i) for t, i in _examples(PROJECT_ROOT / "tests" / "nlu" / "heldout.yml")
           if i.startswith(("objection_", "situation_"))]


@pytest.fixture(scope="module")
def model() -> ClauseModel:
    return ClauseModel().fit([t for t, _ in TRAIN], [i for _, i in TRAIN])


@pytest.mark.parametrize("text, clauses", [
    ("又嫌贵又要先铺货", ["嫌贵", "要先铺货"]),
    ("老板嫌贵，而且还要我们先铺货", ["老板嫌贵", "还要我们先铺货"]),
    ("老板要铺货，还要当总代理", ["老板要铺货", "还要当总代理"]),
    ("生意难做，老板还想让我们铺货", ["生意难做", "老板还想让我们铺货"]),  # 「老板」 is no clause of its own
    ("價格太貴，而且要先鋪貨", ["价格太贵", "要先铺货"]),  # Traditional is read as Simplified
    ("he says it's too expensive and he also wants it on consignment",
     ["he says it's too expensive", "he", "wants it on consignment"]),
    ("price too high plus he wants consignment", ["price too high", "he wants consignment"]),
    ("药店老板说你们的价格太高了", ["药店老板说你们的价格太高了"]),
    ("还是去找别家吧", ["还是去找别家吧"]),  # 还是 starts no clause
])
def test_split_clauses(text, clauses):
    assert split_clauses(text) == clauses


def test_two_objections_are_found_in_order(model):
    found = find_clauses("又嫌贵又要先铺货", model)
    assert [c["intent"] for c in found] == ["objection_price", "objection_consignment"]
    assert all(set(c) == {"text", "intent", "confidence"} for c in found)


def test_most_two_objection_lines_are_read_clause_by_clause(model):
    right = [text for text, want in LINES if [c["intent"] for c in find_clauses(text, model) or []] == want]
    print(f"two-objection lines read right (clause model alone): {len(right)}/{len(LINES)}")
    assert len(right) >= 0.85 * len(LINES)


def test_single_objection_lines_almost_never_split_when_diet_is_sure(model):
    # In the pipeline DIET's ranking backs each clause up; a confident DIET on a single-objection
    # line leaves the other objections near 0, so a second clause must be SURE on its own.
    # At most 1 in 100: some single-intent lines do carry a second one (a policy line that also
    # complains that near-expiry stock is not exchanged), and reading both is then no error.
    lines = HELDOUT + [(t, i) for t, i in TRAIN if i.startswith("objection_")]
    split = [text for text, intent in lines if find_clauses(text, model, support={intent: 1.0})]
    print(f"single-objection lines split in two: {len(split)} of {len(lines)}: {split}")
    assert len(split) <= len(lines) // 100, split


def test_one_objection_is_no_clauses(model):
    assert find_clauses("老板说你们价格太高了，利润太薄，不好卖", model) is None
    assert find_clauses("太贵了", model) is None


def test_component_adds_clauses_only_for_two_objections(model):
    reader = ClauseReader(ClauseReader.get_default_config(), None, None, model)  # type: ignore[arg-type]
    two = Message({TEXT: "老板嫌贵，而且还要我们先铺货",
                   INTENT: {"name": "objection_price", "confidence": 0.7},
                   INTENT_RANKING_KEY: [{"name": "objection_price", "confidence": 0.7},
                                        {"name": "objection_consignment", "confidence": 0.25}]})
    one = Message({TEXT: "老板说跟现在的厂家感情很好,暂时不考虑别家",
                   INTENT_RANKING_KEY: [{"name": "objection_supplier_relationship", "confidence": 0.99}]})
    button = Message({TEXT: "/objection_price"})
    reader.process([two, one, button])
    assert [c["intent"] for c in two.get(CLAUSES)] == ["objection_price", "objection_consignment"]
    assert CLAUSES in two.output_properties, "the action reads it from the parse"
    assert one.get(CLAUSES) is None and button.get(CLAUSES) is None


def test_a_fragment_that_looks_sure_alone_needs_diets_backing(model):
    # 「不考虑别家」 alone reads as no money; DIET, on the whole line, all but rules it out.
    text = "他跟现在的厂家感情很好，不考虑别家"
    support = {"objection_supplier_relationship": 0.97, "objection_no_money": 0.004}
    assert find_clauses(text, model, support=support) is None
    backed = {"objection_supplier_relationship": 0.6, "objection_no_money": 0.3}
    found = find_clauses(text, model, support=backed)
    assert found is None or [c["intent"] for c in found][0] == "objection_supplier_relationship"
