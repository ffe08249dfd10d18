"""Labels from several readers: how far two people agree, and the labels a third reader settles.

The held-out and development replies were each labelled by one person. A second reader labelled the
same texts blind, from data/moves/moves.yml alone. Where the two differ on a generic move, a third
reader settled it: they saw moves.yml and, for each disputed reply and move, only the question "does
this reply make this move?" (held-out and development questions mixed, never either reader's labels,
the model's output or the training replies). A settled reply keeps the moves both readers gave it and
the disputed ones the third reader said it makes: two readers of three. The gate scores those labels;
the first reader's alone are reported beside them.

Files, next to a labelled set X.yml: X_second_reader.yml (`replies: [{text, moves}]`, X's order) and
X_third_reader.yml (`answers: [{text, move, makes_it, why}]`). A set without them is scored on its own
labels.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from coach.content.moves import generic_names
from coach.moves.evaluate import HELDOUT, Item, exact_share, micro_f1, read_heldout
from coach.settings import PROJECT_ROOT

DEV = PROJECT_ROOT / "tests" / "moves" / "dev.yml"
LABELLED = (DEV, HELDOUT)


def second_reader(labelled: Path) -> Path:
    return labelled.with_name(f"{labelled.stem}_second_reader.yml")


def third_reader(labelled: Path) -> Path:
    return labelled.with_name(f"{labelled.stem}_third_reader.yml")


Pair = tuple[Item, Item]


def _paired(labelled: Path, second: Path) -> list[Pair]:
    first, other = read_heldout(labelled), read_heldout(second)
    if [i.text for i in first] != [i.text for i in other]:
        raise ValueError(f"{second}: its replies must be {labelled}'s, in the same order; "
                         "relabel the changed replies there too")
    return list(zip(first, other, strict=True))


def _generic_agreement(pairs: list[Pair]) -> tuple[float, float]:
    """(micro-F1, exactly-right share) of each pair's second labels against its first, generic moves only."""
    generic = set(generic_names())
    items = [Item(a.text, a.gold & generic, None, b.gold & generic) for a, b in pairs]
    return micro_f1(items), exact_share(items)


def agreement(labelled: Path, second: Path) -> tuple[int, float, float]:
    """(replies, micro-F1, exactly-right share) of a second reader's labels against a set's own labels,
    over the generic moves: how far two people agree, the ceiling a model's figures are read against."""
    pairs = _paired(labelled, second)
    return len(pairs), *_generic_agreement(pairs)


def read_answers(path: Path) -> dict[tuple[str, str], bool]:
    """A third reader's {(text, move): makes_it}."""
    with Path(path).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {(a["text"], a["move"]): bool(a["makes_it"]) for a in data["answers"]}


def _disputed(pairs: list[Pair]) -> list[tuple[str, str]]:
    generic = set(generic_names())
    return [(a.text, move) for a, b in pairs for move in sorted((a.gold ^ b.gold) & generic)]


def disputed(labelled: Path, second: Path) -> list[tuple[str, str]]:
    """(text, move) for each generic move one reader gave a reply and the other did not."""
    return _disputed(_paired(labelled, second))


def settled(labelled: Path) -> list[Item]:
    """The set's items with their generic moves settled by three readers (drill key moves as labelled);
    the set's own items when it has no second and third reader."""
    second, third = second_reader(labelled), third_reader(labelled)
    if not (second.is_file() and third.is_file()):
        return read_heldout(labelled)
    pairs, answers = _paired(labelled, second), read_answers(third)
    missing = [q for q in _disputed(pairs) if q not in answers]
    if missing:
        text, move = missing[0]
        raise ValueError(f"{third}: no answer for move '{move}' of reply {text!r} ({len(missing)} "
                         "unanswered); the readers' labels changed since it was written: ask a third "
                         "reader those questions, blind, and add the answers")
    generic = set(generic_names())
    items = []
    for a, b in pairs:
        kept = {m for m in (a.gold ^ b.gold) & generic if answers[(a.text, m)]}
        items.append(Item(a.text, (a.gold & b.gold) | (a.gold - generic) | kept, a.drill))
    return items


def against_first_reader(items: list[Item], labelled: Path) -> list[Item]:
    """`items` (predicted, in the set's order) with the set's own, first reader's, labels as gold."""
    own = read_heldout(labelled)
    return [Item(i.text, f.gold, i.drill, i.predicted) for i, f in zip(items, own, strict=True)]


def agreement_report() -> str:
    """Per labelled set: the second reader against the first, and each against the settled labels."""
    lines = ["| replies | reader | against | micro-F1 | exactly right |", "|---|---|---|---|---|"]
    for labelled in LABELLED:
        pairs = _paired(labelled, second_reader(labelled))
        micro, exact = _generic_agreement(pairs)
        lines.append(f"| {labelled.name} ({len(pairs)}) | second | first | {micro:.3f} | {exact:.3f} |")
        final = settled(labelled)
        for name, reader in (("first", [a for a, _ in pairs]), ("second", [b for _, b in pairs])):
            micro, exact = _generic_agreement(list(zip(final, reader, strict=True)))
            lines.append(f"| {labelled.name} ({len(pairs)}) | {name} | settled | {micro:.3f} | {exact:.3f} |")
    return "\n".join(lines)
