"""Quick-answer replies around the card: two objections at once, "did you mean…", the next line, and
the compact "more" (one case, one phone screen).

Payload types: two_objections, did_you_mean, next_line; the compact "more" keeps the type and keys of
objection_detail (coach/replies/objections.py) and adds `compact`, `focus` and `others`.
"""
from __future__ import annotations

from typing import Optional, Sequence

from coach.content.playbook import Branch, Objection
from coach.i18n import localize, quote, ui
from coach.replies.base import Button, Payload, Reply, button, card
from coach.replies.objections import branch_payload, full_detail

_ANOTHER = "/another_objection"
_MORE = "/more_detail"
COMPACT_LINES = 2  # sample lines in the compact "more"


def walk(branches: tuple[Branch, ...]) -> list[Branch]:
    """Every case, parents before their children."""
    out: list[Branch] = []
    for b in branches:
        out.append(b)
        out += walk(b.children)
    return out


def _principle_label(branch: Branch, lang: str) -> str:
    kind = getattr(branch, "principle_source", None)  # seed / coach, where the playbook says
    return ui({"seed": "principle_seed", "coach": "principle_coach"}.get(kind or "", "principle"), lang)


def _case_buttons(branches: Sequence[Branch], lang: str) -> list[Button]:
    return [button(localize(b.label, lang), branch_payload(b.path)) for b in branches]


def _case_json(branches: Sequence[Branch], lang: str) -> list[dict[str, str]]:
    return [{"id": b.path, "label": localize(b.label, lang), "payload": branch_payload(b.path)}
            for b in branches]


def two_objections(found: Sequence[tuple[Objection, str]], lang: str) -> Reply:
    """Several objections in one message: each with its title and first line, in the order said."""
    lines = [ui("two_objections_intro", lang, count=len(found))]
    items = []
    for number, (objection, clause) in enumerate(found, 1):
        title = localize(objection.title, lang)
        opener = localize(objection.opener, lang)
        lines.append(f"{number}.【{title}】{ui('say_first', lang)}{quote(opener, lang)}")
        items.append({"objection": objection.id, "intent": objection.intent, "title": title, "clause": clause,
                      "opener": opener, "payload": f"/{objection.intent}",
                      "branches": _case_json(objection.branches, lang)})
    lines.append(ui("two_objections_pick", lang))
    buttons = [button(localize(o.title, lang), f"/{o.intent}") for o, _ in found]
    buttons.append(button(ui("button_another", lang), _ANOTHER))
    return Reply("\n".join(lines), buttons, card("two_objections", lang, items=items))


def did_you_mean(options: Sequence[Objection], lang: str, confidences: Sequence[float] = ()) -> Reply:
    """Low confidence: the likeliest objections as chips, never a card that may be the wrong one."""
    titles = [localize(o.title, lang) for o in options]
    text = ui("did_you_mean", lang, options=ui("or", lang).join(f"「{t}」" if lang != "en" else f'"{t}"'
                                                                 for t in titles))
    buttons = [button(t, f"/{o.intent}") for t, o in zip(titles, options, strict=False)]
    buttons.append(button(ui("button_another", lang), _ANOTHER))
    found = [{"objection": o.id, "intent": o.intent, "label": t, "payload": f"/{o.intent}",
              **({"confidence": round(c, 3)} if c is not None else {})}
             for o, t, c in zip(options, titles, [*confidences, *([None] * len(options))], strict=False)]
    return Reply(text, buttons, card("did_you_mean", lang, options=found))


def next_line(objection: Objection, branch: Optional[Branch], index: int, lang: str) -> Reply:
    """'What do I say now?': the next line of the case in play, or the opener and the cases to pick."""
    title = localize(objection.title, lang)
    if branch is None:
        opener = localize(objection.opener, lang)
        text = "\n".join([f"【{title}】", f"{ui('next_line_first', lang)}{quote(opener, lang)}",
                          ui("pick_branch", lang)])
        buttons = _case_buttons(objection.branches, lang) + [button(ui("button_more", lang), _MORE)]
        return Reply(text, buttons, card("next_line", lang, objection=objection.id, branch=None, index=0,
                                         line=opener, title=title,
                                         branches=_case_json(objection.branches, lang)))
    samples = [localize(x, lang) for x in branch.lines]
    line = samples[index % len(samples)]
    others = [b for b in walk(objection.branches) if b.path != branch.path]
    text = "\n".join([
        f"【{title} › {localize(branch.label, lang)}】",
        f"{ui('next_line', lang, n=index % len(samples) + 1, total=len(samples))}{quote(line, lang)}",
        f"{_principle_label(branch, lang)}{localize(branch.principle, lang)}",
        ui("next_line_other_case", lang),
    ])
    buttons = _case_buttons(others, lang) + [button(ui("button_more", lang), _MORE)]
    return Reply(text, buttons, card("next_line", lang, objection=objection.id, branch=branch.path,
                                     index=index % len(samples), line=line, total=len(samples), title=title,
                                     case=localize(branch.label, lang),
                                     principle=localize(branch.principle, lang),
                                     branches=_case_json(others, lang)))


def compact_detail(objection: Objection, branch: Branch, lang: str) -> Reply:
    """'More', for a phone: the chosen case only (strategy, one or two lines, the principle), and
    the other cases as buttons. The payload is objection_detail with every key it always had
    (`cases` still lists every case, for scripts) plus `compact`, `focus` (the case shown) and `others`."""
    full = full_detail(objection, lang).custom or {}
    others = [b for b in walk(objection.branches) if b.path != branch.path]
    samples = [localize(x, lang) for x in branch.lines[:COMPACT_LINES]]
    text = "\n".join([
        f"【{localize(objection.title, lang)} › {localize(branch.label, lang)}】",
        f"{ui('strategy', lang)}{localize(branch.strategy, lang)}",
        *[f"{i}. {quote(s, lang)}" for i, s in enumerate(samples, 1)],
        f"{_principle_label(branch, lang)}{localize(branch.principle, lang)}",
        ui("compact_other_cases", lang),
    ])
    buttons = _case_buttons(others, lang) + [button(ui("button_another", lang), _ANOTHER)]
    focus = {"id": branch.path, "label": localize(branch.label, lang),
             "strategy": localize(branch.strategy, lang),
             "lines": samples, "principle": localize(branch.principle, lang),
             "principle_label": _principle_label(branch, lang)}
    custom: Payload = {**full, "compact": True, "focus": focus, "others": _case_json(others, lang)}
    return Reply(text, buttons, custom)
