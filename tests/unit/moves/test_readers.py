"""Labels from several readers (no model): agreement between two people, and labels a third settles."""
import pytest

from coach.moves.evaluate import read_heldout
from coach.moves.readers import LABELLED, agreement, disputed, second_reader, settled, third_reader


def _write(path, rows):
    lines = ["replies:"]
    for text, moves in rows:
        lines += [f'  - text: "{text}"', f"    moves: [{', '.join(moves)}]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _answers(path, rows):
    lines = ["answers:"]
    for text, move, makes_it in rows:
        lines += [f'  - text: "{text}"', f"    move: {move}", f"    makes_it: {str(makes_it).lower()}",
                  "    why: test"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_agreement_counts_generic_moves_only(tmp_path):
    first, second = tmp_path / "a.yml", tmp_path / "b.yml"
    _write(first, [("理解您。", ["acknowledge"]), ("哪家？", ["compare", "ask_volume"]), ("好的。", [])])
    _write(second, [("理解您。", ["acknowledge"]), ("哪家？", ["compare", "probe"]), ("好的。", [])])
    n, micro, exact = agreement(first, second)
    # ask_volume is a drill's key move, not generic: only probe differs (2 TP, 1 FP, 0 FN)
    assert n == 3 and micro == pytest.approx(0.8) and exact == pytest.approx(2 / 3)


def test_agreement_refuses_replies_in_another_order(tmp_path):
    first, second = tmp_path / "a.yml", tmp_path / "b.yml"
    _write(first, [("一", []), ("二", [])])
    _write(second, [("二", []), ("一", [])])
    with pytest.raises(ValueError, match="same order"):
        agreement(first, second)


def _three_readers(tmp_path, answers):
    labelled = tmp_path / "set.yml"
    _write(labelled, [("理解，您跟哪家比？", ["acknowledge", "compare", "ask_brand"]), ("好的。", ["value"])])
    _write(second_reader(labelled), [("理解，您跟哪家比？", ["compare", "probe"]), ("好的。", [])])
    _answers(third_reader(labelled), answers)
    return labelled


def test_a_disputed_move_stands_when_the_third_reader_says_the_reply_makes_it(tmp_path):
    labelled = _three_readers(tmp_path, [("理解，您跟哪家比？", "acknowledge", True),
                                         ("理解，您跟哪家比？", "probe", False), ("好的。", "value", False)])
    assert disputed(labelled, second_reader(labelled)) == [
        ("理解，您跟哪家比？", "acknowledge"), ("理解，您跟哪家比？", "probe"), ("好的。", "value")]
    items = settled(labelled)
    # agreed compare stays, acknowledge confirmed, probe refused; the key move is the first reader's
    assert items[0].gold == {"compare", "acknowledge", "ask_brand"}
    assert items[1].gold == set()


def test_an_unanswered_dispute_is_an_error_naming_the_file_and_the_move(tmp_path):
    labelled = _three_readers(tmp_path, [("理解，您跟哪家比？", "acknowledge", True)])
    with pytest.raises(ValueError, match=r"set_third_reader.yml: no answer for move 'probe'.*2 unanswered"):
        settled(labelled)


def test_a_set_without_other_readers_keeps_its_own_labels(tmp_path):
    labelled = tmp_path / "solo.yml"
    _write(labelled, [("好的。", ["value"])])
    assert [i.gold for i in settled(labelled)] == [{"value"}]


def test_the_shipped_sets_are_settled_on_every_disputed_move():
    for labelled in LABELLED:
        n, micro, exact = agreement(labelled, second_reader(labelled))
        assert n > 400 and 0.5 < micro < 1 and 0.5 < exact < 1
        first, final = read_heldout(labelled), settled(labelled)
        changed = sum(a.gold != b.gold for a, b in zip(first, final, strict=True))
        assert 0 < changed <= len(disputed(labelled, second_reader(labelled)))
