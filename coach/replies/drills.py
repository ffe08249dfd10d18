"""Drill messages: short text for a phone, buttons, and a JSON payload for pages and scripts.

Payload types: drill_intro, customer_line, drill_feedback, scorecard, drill_menu, progress.
"""
from __future__ import annotations

import json
from typing import Optional

from coach.content.drills import Drill
from coach.content.playbook import Playbook
from coach.drill.engine import TurnResult, say
from coach.drill.scoring import Mark, Scorecard
from coach.i18n import localize, ui
from coach.replies.objections import Reply, button, quote


def start_payload(drill_id: str) -> str:
    return "/start_drill" + json.dumps({"drill_id": drill_id})


def stars(difficulty: int) -> str:
    return "★" * difficulty + "☆" * (3 - difficulty)


def move_label(drill: Drill, move: str, lang: str) -> str:
    found = drill.moves.get(move)
    return say(found.label, lang) if found else move


def _item_label(drill: Drill, kind: str, move: Optional[str], lang: str) -> str:
    if kind in ("move", "forbidden"):
        return move_label(drill, move or "", lang)
    return ui("rubric_truth" if kind == "uncover_truth" else "rubric_goal", lang)


def _rubric_json(drill: Drill, lang: str) -> dict:
    return {
        "pass_mark": drill.pass_mark,
        "required": [{"kind": i.kind, "move": i.move, "label": _item_label(drill, i.kind, i.move, lang),
                      "weight": i.weight} for i in drill.required],
        "forbidden": [{"move": m, "label": move_label(drill, m, lang), "penalty": p} for m, p in drill.forbidden],
    }


def intro(drill: Drill, lang: str) -> Reply:
    """Before the first line: who the customer is, the goal, and the full rubric (no hidden criteria)."""
    mode = ui("mode_exam" if drill.exam else "mode_practice", lang)
    rubric = _rubric_json(drill, lang)
    sep = " · "
    lines = [
        ui("drill_intro", lang, title=say(drill.title, lang), stars=stars(drill.difficulty), mode=mode),
        ui("drill_customer", lang, name=say(drill.persona_name, lang), about=say(drill.persona_about, lang)),
        ui("drill_goal", lang, goal=say(drill.stages[-1].goal, lang)),
        ui("drill_rubric", lang, pass_mark=drill.pass_mark),
        "• " + sep.join(f"{r['label']} {r['weight']}" for r in rubric["required"]),
    ]
    if rubric["forbidden"]:
        lines.append("• " + ui("drill_penalties", lang) + sep.join(f"{f['label']} −{f['penalty']}"
                                                                     for f in rubric["forbidden"]))
    lines.append(ui("drill_rules", lang, turns=drill.max_turns))
    custom = {"type": "drill_intro", "lang": lang, "drill_id": drill.id, "title": say(drill.title, lang),
              "difficulty": drill.difficulty, "mode": drill.mode, "max_turns": drill.max_turns,
              "persona": {"name": say(drill.persona_name, lang), "about": say(drill.persona_about, lang)},
              "goal": say(drill.stages[-1].goal, lang), "rubric": rubric}
    return Reply("\n".join(lines), [], custom)


def customer_line(drill: Drill, session: dict, text: str, state: str) -> Reply:
    lang = session["lang"]
    name = say(drill.persona_name, lang)
    custom = {"type": "customer_line", "lang": lang, "drill_id": drill.id, "persona": name, "text": text,
              "state": state, "turn": session["turn"], "stage": session["stage"], "mood": session["mood"],
              "ended": session["ended"]}
    return Reply(f"{name}：{quote(text, lang)}" if lang != "en" else f"{name}: {quote(text, lang)}", [], custom)


def feedback(drill: Drill, result: TurnResult, rep_text: str, lang: str) -> Reply:
    """After a rep turn (practice mode): the line quoted, moves found, what the strategy does next."""
    labels = [move_label(drill, m, lang) for m in result.moves]
    lines = [f"{ui('you_said', lang)}{quote(rep_text, lang)}",
             ui("moves_found", lang, moves="、".join(labels) if lang != "en" else ", ".join(labels))
             if labels else ui("moves_none", lang)]
    lines += [ui("penalty_warning", lang, move=move_label(drill, m, lang), penalty=p) for m, p in result.penalties]
    nxt = None
    if result.next_step is not None:
        tip, line = say(result.next_step.tip, lang), say(result.next_step.line, lang)
        lines += [ui("next_tip", lang, tip=tip), f"{ui('model_line', lang)}{quote(line, lang)}"]
        nxt = {"move": result.next_step.move, "label": move_label(drill, result.next_step.move, lang),
               "tip": tip, "line": line}
    custom = {"type": "drill_feedback", "lang": lang, "drill_id": drill.id, "turn": result.session["turn"],
              "quote": rep_text, "moves": [{"name": m, "label": l} for m, l in zip(result.moves, labels)],
              "penalties": [{"move": m, "penalty": p} for m, p in result.penalties], "next": nxt}
    return Reply("\n".join(lines), [], custom)


def _mark_text(drill: Drill, mark: Mark, lang: str) -> str:
    label = _item_label(drill, mark.kind, mark.move, lang)
    where = ui("turn_n", lang, turn=mark.turn) if mark.turn else ""
    if mark.kind == "forbidden":
        return f"{where} {label} {mark.points}".strip()
    if mark.points == 0:
        return f"{where} {ui('missed_item', lang, label=label)}".strip()
    return f"{where} {label} +{mark.points}".strip()


def _mark_json(drill: Drill, mark: Mark, lang: str) -> dict:
    return {"kind": mark.kind, "move": mark.move, "label": _item_label(drill, mark.kind, mark.move, lang),
            "points": mark.points, "turn": mark.turn, "text": _mark_text(drill, mark, lang)}


def scorecard(drill: Drill, card: Scorecard, session: dict, lang: str, suggestion: Optional[Drill] = None) -> Reply:
    verdict = ui("verdict_passed" if card.passed else "verdict_failed", lang)
    truth = " / ".join(say(s.truth, lang) for s in drill.stages if s.truth)
    lines = [ui("scorecard_title", lang, score=card.score, verdict=verdict, pass_mark=card.pass_mark),
             ui(f"outcome_{card.outcome}", lang),
             ui("truth_found" if card.truth_uncovered else "truth_missed", lang, truth=truth)]
    if card.strengths:
        lines += [ui("strengths", lang)] + [f"• {_mark_text(drill, m, lang)}" for m in card.strengths]
    if card.gaps:
        lines += [ui("gaps", lang)] + [f"• {_mark_text(drill, m, lang)}" for m in card.gaps]
    lines.append(f"{ui('model_answer', lang)}{say(drill.model_answer, lang)}")
    buttons = [button(ui("button_retry", lang), start_payload(drill.id))]
    if suggestion is not None:
        lines.append(ui("next_drill", lang, title=say(suggestion.title, lang)))
        buttons.append(button(ui("button_next_drill", lang), start_payload(suggestion.id)))
    buttons.append(button(ui("button_progress", lang), "/my_progress"))
    custom = {
        "type": "scorecard", "lang": lang, "drill_id": drill.id, "result_id": session["id"],
        "score": card.score, "passed": card.passed, "pass_mark": card.pass_mark, "outcome": card.outcome,
        "truth_uncovered": card.truth_uncovered, "truth": truth,
        "strengths": [_mark_json(drill, m, lang) for m in card.strengths],
        "gaps": [_mark_json(drill, m, lang) for m in card.gaps],
        "moves": card.moves, "turns": len(card.moves),
        "model_answer": say(drill.model_answer, lang),
        "next_drill": {"drill_id": suggestion.id, "title": say(suggestion.title, lang)} if suggestion else None,
    }
    return Reply("\n".join(lines), buttons, custom)


def drill_menu(drills: list, playbook: Playbook, lang: str, intro_key: str = "drill_menu", **values: object) -> Reply:
    if not drills:
        return Reply(ui("drills_empty", lang), [], {"type": "drill_menu", "lang": lang, "drills": []})
    buttons, listed = [], []
    for d in drills:
        objection = playbook.for_intent(d.objections[0])
        topic = localize(objection.title, lang) if objection else d.objections[0]
        title = say(d.title, lang)
        buttons.append(button(f"{stars(d.difficulty)} {title}", start_payload(d.id)))
        listed.append({"drill_id": d.id, "title": title, "objection": d.objections[0], "topic": topic,
                       "difficulty": d.difficulty, "mode": d.mode, "payload": start_payload(d.id)})
    return Reply(ui(intro_key, lang, **values), buttons, {"type": "drill_menu", "lang": lang, "drills": listed})


def progress(rows: list, playbook: Playbook, lang: str, suggestion: Optional[Drill]) -> Reply:
    """The rep's own figures per objection (from the results store), plus the next drill."""
    def name(intent: str) -> str:
        objection = playbook.for_intent(intent)
        return localize(objection.title, lang) if objection else intent

    if not rows:
        text = ui("progress_empty", lang)
    else:
        lines = [ui("progress_title", lang, attempts=sum(r.attempts for r in rows))]
        lines += ["• " + ui("progress_row", lang, objection=name(r.objection), attempts=r.attempts,
                            first=r.first_score, best=r.best_score, latest=r.latest_score) for r in rows]
        text = "\n".join(lines)
    buttons = []
    if suggestion is not None:
        text += "\n" + ui("next_drill", lang, title=say(suggestion.title, lang))
        buttons.append(button(ui("button_next_drill", lang), start_payload(suggestion.id)))
    buttons.append(button(ui("button_drills", lang), "/list_drills"))
    custom = {"type": "progress", "lang": lang,
              "rows": [{"objection": r.objection, "label": name(r.objection), "attempts": r.attempts,
                        "first": r.first_score, "best": r.best_score, "latest": r.latest_score,
                        "passed": r.passed} for r in rows],
              "next_drill": {"drill_id": suggestion.id, "title": say(suggestion.title, lang)} if suggestion else None}
    return Reply(text, buttons, custom)
