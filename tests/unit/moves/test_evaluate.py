"""Move-detection figures: counts, F1, the report's tables, and the drill matchers on top of the NLU."""
from __future__ import annotations

import re

import pytest

from coach.moves import evaluate
from coach.moves.evaluate import Item, counts, f1, micro_f1, per_label


def _item(gold, predicted, drill=None, text="理解您") -> Item:
    return Item(text, frozenset(gold), drill, frozenset(predicted))


ITEMS = [
    _item({"acknowledge", "probe"}, {"acknowledge"}),
    _item({"probe"}, {"probe", "argue"}),
    _item(set(), set()),
    _item({"margin_math"}, {"margin_math"}, drill="price_margin"),
]


def test_counts_and_f1():
    assert counts(ITEMS) == (3, 1, 1)
    assert counts(ITEMS, {"probe"}) == (1, 0, 1)
    p, r, f = f1(3, 1, 1)
    assert (p, r) == (0.75, 0.75) and f == pytest.approx(0.75)
    assert f1(0, 0, 0) == (0.0, 0.0, 0.0)
    assert micro_f1(ITEMS, {"argue"}) == 0.0


def test_per_label_lists_generic_moves_in_order_then_key_moves():
    rows = per_label(ITEMS)
    assert [r[0] for r in rows] == ["acknowledge", "probe", "argue", "margin_math"]
    assert rows[1] == ("probe", 1.0, 0.5, pytest.approx(2 / 3), 2)


def test_report_and_errors_tables():
    text = evaluate.report(ITEMS)
    assert f"- **micro-F1, all labels: 0.750** (the earlier bar, {evaluate.MIN_MICRO_F1}," in text
    assert "- replies whose predicted set is exactly right: 0.500" in text
    assert "- held-out replies: 4 (1 in a drill's context)" in text
    assert "| zh-Hans | 4 | 0.750 |" in text
    wrong = evaluate.errors([*ITEMS, _item({"probe"}, set(), text="a|b")])
    assert wrong.splitlines()[2:] == ["| 理解您 | acknowledge, probe | acknowledge |",
                                      "| 理解您 | probe | argue, probe |", "| a\\|b | probe | — |"]


def test_header_names_date_commit_and_machine():
    lines = evaluate.header("Title")
    assert lines[0] == "# Title" and lines[1] == "" and lines[-1] == ""
    assert re.match(r"Generated \d{4}-\d\d-\d\d at commit \S+ on ", lines[2])


def test_markdown_writes_the_whole_report(tmp_path, monkeypatch):
    # cross-validation takes minutes of fitting
    monkeypatch.setattr("coach.moves.crossval.cross_validate", lambda: "CV TABLE")
    out = tmp_path / "moves.md"
    evaluate.markdown(ITEMS, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Move detection on held-out rep replies\n")
    for part in (evaluate.HOW_IT_WORKS, evaluate.report(ITEMS), "## How the threshold was chosen\n\nCV TABLE",
                 "## Replies the detector got wrong\n\n" + evaluate.errors(ITEMS)):
        assert part in text


def test_apply_drills_adds_key_moves_only_in_a_drill():
    text = "您两家店加起来，一个月估计能走多少盒？咱们把总利润算一下。"
    items = [Item(text, frozenset(), "price_margin"), Item(text, frozenset(), None)]
    evaluate.apply_drills(items, [["probe"], ["probe"]])
    assert "margin_math" in items[0].predicted and "probe" in items[0].predicted
    assert "margin_math" not in items[1].predicted and "probe" in items[1].predicted


def test_apply_drills_refuses_an_unknown_drill():
    with pytest.raises(SystemExit, match="not a valid drill"):
        evaluate.apply_drills([Item("好的", frozenset(), "no_such_drill")], [[]])


def test_apply_drills_needs_one_nlu_result_per_reply():
    with pytest.raises(ValueError):
        evaluate.apply_drills([Item("好的", frozenset(), None)], [])


def test_figures_and_the_gate():
    heldout = [_item({"probe"}, {"probe"}), _item({"value"}, {"value", "argue"})]
    negation = [_item(set(), {"concession"}), _item({"concession"}, {"concession"}), _item(set(), set())]
    keys = [_item({"ask_volume"}, {"ask_volume"}, drill="exclusivity_volume")]
    measured = evaluate.figures(heldout, keys, negation)
    assert measured["generic_f1"] == pytest.approx(0.8) and measured["exact"] == 0.5
    assert measured["key_f1"] == 1.0 and measured["false_concessions"] == 1.0
    failures = evaluate.gate_failures(measured)
    assert len(failures) == 3
    assert "false concessions on negated give-aways 1.000 is above the gate 0" in failures[2]
    table = evaluate.gate_table(measured)
    bars = {bar.key: bar for bar in evaluate.GATE}
    generic, keys = bars["generic_f1"], bars["key_f1"]
    assert f"| 0.800 | {generic.target} | {generic.gate} | **BELOW TARGET** |" in table
    assert f"| 1.000 | {keys.target} | {keys.gate} | meets target |" in table
    assert generic.target == 0.90 and bars["exact"].target == 0.75 and keys.target == 0.85
    assert bars["false_concessions"].target == bars["false_concessions"].gate == 0


def test_a_missing_held_out_file_is_reported_not_skipped():
    measured = evaluate.figures(None, None, None)
    failures = evaluate.gate_failures(measured)
    assert len(failures) == 4
    assert all("does not exist, so this figure was not measured" in f for f in failures)
    assert evaluate.gate_table(measured).count("NOT MEASURED (file missing)") == 4


def test_key_moves_are_measured_from_examples_alone():
    drill = "exclusivity_volume"
    items = [Item("独家可以谈，您一个月大概能保证卖多少箱？", frozenset({"ask_volume"}), drill),
             Item("理解您的顾虑。", frozenset(), drill)]
    evaluate.key_move_items(items)
    assert items[0].predicted == {"ask_volume"} and items[1].predicted == frozenset()
    with pytest.raises(SystemExit, match="not a valid drill"):
        evaluate.key_move_items([Item("好", frozenset(), "no_such_drill")])
