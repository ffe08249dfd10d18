"""Quick-answer replies: objection cards, case details, the objection and language menus.

Every reply is a `Reply` (coach.replies.base); actions only dispatch them.
Payload types: objection_card, strategy, objection_detail, objection_menu, language_menu, language.
"""
from __future__ import annotations

import json
from typing import Iterator, Optional

from coach.content.playbook import Branch, Objection, Playbook, Source
from coach.content.sources import citation, title
from coach.i18n import LANGUAGE_NAMES, LANGUAGES, localize, quote, ui
from coach.replies.base import Button, Payload, Reply, button, card

_ANOTHER = "/another_objection"


def branch_payload(path: str) -> str:
    return "/choose_branch" + json.dumps({"branch": path}, ensure_ascii=False)


def _source_text(source: Source, lang: str) -> str:
    """The readable citation, never the file name: 《如何开发OTC市场空白点客户》三、(六) 价格太高."""
    return citation(source.file, source.section, lang, source.section_en)


def _source_json(source: Source, lang: str) -> dict[str, str]:
    """`file` and `section` as before (pages read them); `title` and `cite` are what a reader should see."""
    found = {"file": source.file, "section": source.section, "title": title(source.file, lang),
             "cite": _source_text(source, lang)}
    if source.section_en:
        found["section_en"] = source.section_en
    return found


def _principle_label(branch: Branch, lang: str) -> str:
    """「注解（原文）」 for the seed's 注解 restated, 「教练建议」 for the coach's own advice."""
    return ui("principle_seed" if branch.principle_source == "seed" else "principle_coach", lang)


def _nav_buttons(lang: str) -> list[Button]:
    return [button(ui("button_more", lang), "/more_detail"), button(ui("button_another", lang), _ANOTHER)]


def _branch_buttons(branches: tuple[Branch, ...], lang: str) -> list[Button]:
    return [button(localize(b.label, lang), branch_payload(b.path)) for b in branches]


def _branch_json(branches: tuple[Branch, ...], lang: str) -> list[dict[str, str]]:
    return [{"id": b.path, "label": localize(b.label, lang), "payload": branch_payload(b.path)}
            for b in branches]


def objection_card(objection: Objection, lang: str) -> Reply:
    """First answer to an objection: what it may mean, what to say first, which case it is."""
    analysis = [localize(a, lang) for a in objection.analysis]
    opener = localize(objection.opener, lang)
    lines = [f"【{localize(objection.title, lang)}】", ui("may_mean", lang)]
    lines += [f"• {a}" for a in analysis]
    lines += [f"{ui('say_first', lang)}{quote(opener, lang)}", ui("pick_branch", lang)]
    buttons = _branch_buttons(objection.branches, lang) + _nav_buttons(lang)
    custom = card("objection_card", lang, objection=objection.id, intent=objection.intent,
                  title=localize(objection.title, lang), analysis=analysis, opener=opener,
                  branches=_branch_json(objection.branches, lang), actions=buttons[len(objection.branches):],
                  source=_source_json(objection.source, lang))
    return Reply("\n".join(lines), buttons, custom)


def branch_detail(objection: Objection, branch: Branch, lang: str) -> Reply:
    """One documented case: how to tell, the strategy, sample lines, the principle, the source."""
    title = f"【{localize(objection.title, lang)} › {localize(branch.label, lang)}】"
    sample = [localize(x, lang) for x in branch.lines]
    lines = [
        title,
        f"{ui('how_to_tell', lang)}{localize(branch.signal, lang)}",
        f"{ui('strategy', lang)}{localize(branch.strategy, lang)}",
        ui("sample_lines", lang),
        *[f"{i}. {quote(s, lang)}" for i, s in enumerate(sample, 1)],
        f"{_principle_label(branch, lang)}{localize(branch.principle, lang)}",
        f"{ui('source', lang)}{_source_text(branch.source, lang)}",
    ]
    if branch.children:
        lines.append(ui("then_which", lang))
    buttons = _branch_buttons(branch.children, lang) + _nav_buttons(lang)
    custom = card("strategy", lang, objection=objection.id, branch=branch.path,
                  title=localize(branch.label, lang), signal=localize(branch.signal, lang),
                  strategy=localize(branch.strategy, lang), lines=sample,
                  principle=localize(branch.principle, lang), principle_source=branch.principle_source,
                  principle_label=_principle_label(branch, lang), source=_source_json(branch.source, lang),
                  branches=_branch_json(branch.children, lang))
    return Reply("\n".join(lines), buttons, custom)


def _walk(branches: tuple[Branch, ...], depth: int = 0) -> Iterator[tuple[int, Branch]]:
    for b in branches:
        yield depth, b
        yield from _walk(b.children, depth + 1)


def _case_lines(branch: Branch, depth: int, lang: str) -> list[str]:
    indent = "  " * depth
    return [
        f"{indent}▶ {localize(branch.label, lang)}",
        f"{indent}  {ui('strategy', lang)}{localize(branch.strategy, lang)}",
        f"{indent}  {quote(localize(branch.lines[0], lang), lang)}",
        f"{indent}  {_principle_label(branch, lang)}{localize(branch.principle, lang)}",
        f"{indent}  {ui('source', lang)}{_source_text(branch.source, lang)}",
    ]


def _case_json(branch: Branch, depth: int, lang: str) -> Payload:
    return {"id": branch.path, "depth": depth, "label": localize(branch.label, lang),
            "strategy": localize(branch.strategy, lang), "lines": [localize(x, lang) for x in branch.lines],
            "principle": localize(branch.principle, lang), "principle_source": branch.principle_source,
            "principle_label": _principle_label(branch, lang), "source": _source_json(branch.source, lang)}


def full_detail(objection: Objection, lang: str) -> Reply:
    """'More': every case of the objection with its strategy, first sample line and source."""
    lines = [f"【{localize(objection.title, lang)}】", ui("may_mean", lang)]
    lines += [f"• {localize(a, lang)}" for a in objection.analysis]
    note = localize(objection.note, lang) if objection.note else None
    if note is not None:
        lines.append(f"{ui('note', lang)}{note}")
    cases = []
    for depth, b in _walk(objection.branches):
        lines += _case_lines(b, depth, lang)
        cases.append(_case_json(b, depth, lang))
    buttons = _branch_buttons(objection.branches, lang) + [button(ui("button_another", lang), _ANOTHER)]
    custom = card("objection_detail", lang, objection=objection.id, title=localize(objection.title, lang),
                  note=note, cases=cases, source=_source_json(objection.source, lang))
    return Reply("\n".join(lines), buttons, custom)


def objection_menu(playbook: Playbook, lang: str, intro_key: str, footer_key: Optional[str] = None) -> Reply:
    """A message (help, fallback, out of scope) followed by the nine objections as buttons."""
    buttons = [button(localize(o.title, lang), f"/{o.intent}") for o in playbook.ordered()]
    text = ui(intro_key, lang) + (f"\n{ui(footer_key, lang)}" if footer_key else "")
    custom = card("objection_menu", lang, reason=intro_key,
                  objections=[{"intent": o.intent, "label": b["title"], "payload": b["payload"]}
                              for o, b in zip(playbook.ordered(), buttons, strict=True)])
    return Reply(text, buttons, custom)


def plain(key: str, lang: str) -> Reply:
    return Reply(ui(key, lang))


def language_menu(lang: str) -> Reply:
    buttons = [button(LANGUAGE_NAMES[code], "/switch_language" + json.dumps({"language": code}))
               for code in LANGUAGES]
    return Reply(ui("language_ask", lang), buttons, card("language_menu", lang))


def language_set(lang: str) -> Reply:
    return Reply(ui("language_set", lang, name=LANGUAGE_NAMES[lang]), [], card("language", lang))
