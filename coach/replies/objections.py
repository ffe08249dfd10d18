"""Build the coach's replies: short text for a phone screen, buttons, and a JSON payload.

Every reply is a `Reply`; actions only dispatch them. The JSON payload (`custom`) carries the
same content with structure, for pages and scripts that render cards themselves.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from coach.content.playbook import Branch, Objection, Playbook, Source
from coach.i18n import LANGUAGE_NAMES, LANGUAGES, localize, ui


@dataclass
class Reply:
    text: str
    buttons: list = field(default_factory=list)  # [{"title": str, "payload": str}]
    custom: Optional[dict] = None


def button(title: str, payload: str) -> dict:
    return {"title": title, "payload": payload}


def branch_payload(path: str) -> str:
    return "/choose_branch" + json.dumps({"branch": path}, ensure_ascii=False)


def _source_text(source: Source) -> str:
    return f"{source.file} · {source.section}"


def _source_json(source: Source) -> dict:
    return {"file": source.file, "section": source.section}


def _nav_buttons(lang: str) -> list:
    return [button(ui("button_more", lang), "/more_detail"), button(ui("button_another", lang), "/another_objection")]


def _branch_buttons(branches: tuple, lang: str) -> list:
    return [button(localize(b.label, lang), branch_payload(b.path)) for b in branches]


def _branch_json(branches: tuple, lang: str) -> list:
    return [{"id": b.path, "label": localize(b.label, lang), "payload": branch_payload(b.path)} for b in branches]


def quote(text: str, lang: str) -> str:
    return f"\u201c{text}\u201d" if lang == "en" else f"「{text}」"


def objection_card(objection: Objection, lang: str) -> Reply:
    """First answer to an objection: what it may mean, what to say first, which case it is."""
    analysis = [localize(a, lang) for a in objection.analysis]
    opener = localize(objection.opener, lang)
    lines = [f"【{localize(objection.title, lang)}】", ui("may_mean", lang)]
    lines += [f"• {a}" for a in analysis]
    lines += [f"{ui('say_first', lang)}{quote(opener, lang)}", ui("pick_branch", lang)]
    buttons = _branch_buttons(objection.branches, lang) + _nav_buttons(lang)
    custom = {
        "type": "objection_card",
        "lang": lang,
        "objection": objection.id,
        "intent": objection.intent,
        "title": localize(objection.title, lang),
        "analysis": analysis,
        "opener": opener,
        "branches": _branch_json(objection.branches, lang),
        "actions": buttons[len(objection.branches):],
        "source": _source_json(objection.source),
    }
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
        f"{ui('principle', lang)}{localize(branch.principle, lang)}",
        f"{ui('source', lang)}{_source_text(branch.source)}",
    ]
    if branch.children:
        lines.append(ui("then_which", lang))
    buttons = _branch_buttons(branch.children, lang) + _nav_buttons(lang)
    custom = {
        "type": "strategy",
        "lang": lang,
        "objection": objection.id,
        "branch": branch.path,
        "title": localize(branch.label, lang),
        "signal": localize(branch.signal, lang),
        "strategy": localize(branch.strategy, lang),
        "lines": sample,
        "principle": localize(branch.principle, lang),
        "source": _source_json(branch.source),
        "branches": _branch_json(branch.children, lang),
    }
    return Reply("\n".join(lines), buttons, custom)


def _walk(branches: tuple, depth: int = 0):
    for b in branches:
        yield depth, b
        yield from _walk(b.children, depth + 1)


def full_detail(objection: Objection, lang: str) -> Reply:
    """'More': every case of the objection with its strategy, first sample line and source."""
    lines = [f"【{localize(objection.title, lang)}】", ui("may_mean", lang)]
    lines += [f"• {localize(a, lang)}" for a in objection.analysis]
    if objection.note:
        lines.append(f"{ui('note', lang)}{localize(objection.note, lang)}")
    cases = []
    for depth, b in _walk(objection.branches):
        indent = "  " * depth
        lines += [
            f"{indent}▶ {localize(b.label, lang)}",
            f"{indent}  {ui('strategy', lang)}{localize(b.strategy, lang)}",
            f"{indent}  {quote(localize(b.lines[0], lang), lang)}",
            f"{indent}  {ui('principle', lang)}{localize(b.principle, lang)}",
            f"{indent}  {ui('source', lang)}{_source_text(b.source)}",
        ]
        cases.append({"id": b.path, "depth": depth, "label": localize(b.label, lang),
                      "strategy": localize(b.strategy, lang), "lines": [localize(x, lang) for x in b.lines],
                      "principle": localize(b.principle, lang), "source": _source_json(b.source)})
    buttons = _branch_buttons(objection.branches, lang) + [button(ui("button_another", lang), "/another_objection")]
    custom = {"type": "objection_detail", "lang": lang, "objection": objection.id,
              "title": localize(objection.title, lang), "note": localize(objection.note, lang) if objection.note else None,
              "cases": cases, "source": _source_json(objection.source)}
    return Reply("\n".join(lines), buttons, custom)


def objection_menu(playbook: Playbook, lang: str, intro_key: str, footer_key: Optional[str] = None) -> Reply:
    """A message (help, fallback, out of scope) followed by the nine objections as buttons."""
    buttons = [button(localize(o.title, lang), f"/{o.intent}") for o in playbook.ordered()]
    text = ui(intro_key, lang) + (f"\n{ui(footer_key, lang)}" if footer_key else "")
    custom = {"type": "objection_menu", "lang": lang, "reason": intro_key,
              "objections": [{"intent": o.intent, "label": b["title"], "payload": b["payload"]}
                             for o, b in zip(playbook.ordered(), buttons)]}
    return Reply(text, buttons, custom)


def plain(key: str, lang: str) -> Reply:
    return Reply(ui(key, lang))


def language_menu(lang: str) -> Reply:
    buttons = [button(LANGUAGE_NAMES[code], "/switch_language" + json.dumps({"language": code})) for code in LANGUAGES]
    return Reply(ui("language_ask", lang), buttons, {"type": "language_menu", "lang": lang})


def language_set(lang: str) -> Reply:
    return Reply(ui("language_set", lang, name=LANGUAGE_NAMES[lang]), [], {"type": "language", "lang": lang})
