"""The development helpers that need no model: agreement between two people's labels."""
import pytest

from coach.moves.development import SECOND_READERS, agreement


def _write(path, rows):
    lines = ["replies:"]
    for text, moves in rows:
        lines += [f'  - text: "{text}"', f"    moves: [{', '.join(moves)}]"]
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


def test_the_shipped_second_readers_match_their_sets():
    for labelled, second in SECOND_READERS.items():
        n, micro, exact = agreement(labelled, second)
        assert n > 400 and 0.5 < micro <= 1 and 0.5 < exact <= 1
