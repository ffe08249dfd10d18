"""Drill messages: short text for a phone, buttons, and a JSON payload for pages and scripts.

Payload types: drill_intro, customer_line, drill_feedback, scorecard, drill_menu, progress, drill_end.
A scorecard's and progress's `next_drill` says why it comes next: `reason` (coach.practice.next_drill
REASONS) and `reason_text`.
"""
from __future__ import annotations

import json
from typing import Optional, Sequence

from coach.content.drills import Drill
from coach.content.playbook import Playbook
from coach.drill import rubric
from coach.drill.engine import TurnResult, replay
from coach.drill.rubric import move_label
from coach.drill.scoring import Mark, Scorecard
from coach.drill.session import DrillSession
from coach.i18n import EN, list_join, localize, quote, ui
from coach.practice.next_drill import REASONS
from coach.replies.base import Button, Payload, Reply, button
from coach.results.store import ProgressRow

_SEP = " · "


def start_payload(drill_id: str) -> str:
    return "/start_drill" + json.dumps({"drill_id": drill_id})


def stars(difficulty: int) -> str:
    return "★" * difficulty + "☆" * (3 - difficulty)


def _rubric_json(drill: Drill, lang: str) -> Payload:
    return {
        "pass_mark": drill.pass_mark,
        "required": [{"kind": i.kind, "move": i.move, "label": rubric.label(i.kind, drill, i.move, lang),
                      "weight": i.weight} for i in drill.required],
        "forbidden": [{"move": m, "label": move_label(drill, m, lang), "penalty": p}
                      for m, p in drill.forbidden],
    }


def intro(drill: Drill, lang: str) -> Reply:
    """Before the first line: who the customer is, the goal, and the full rubric (no hidden criteria)."""
    mode = ui("mode_exam" if drill.exam else "mode_practice", lang)
    title, goal = localize(drill.title, lang), localize(drill.stages[-1].goal, lang)
    persona = {"name": localize(drill.persona_name, lang), "about": localize(drill.persona_about, lang)}
    rubric_json = _rubric_json(drill, lang)
    lines = [
        ui("drill_intro", lang, title=title, stars=stars(drill.difficulty), mode=mode),
        ui("drill_customer", lang, **persona),
        ui("drill_goal", lang, goal=goal),
        ui("drill_rubric", lang, pass_mark=drill.pass_mark),
        "• " + _SEP.join(f"{r['label']} {r['weight']}" for r in rubric_json["required"]),
    ]
    if rubric_json["forbidden"]:
        lines.append("• " + ui("drill_penalties", lang) + _SEP.join(f"{f['label']} −{f['penalty']}"
                                                                      for f in rubric_json["forbidden"]))
    lines.append(ui("drill_rules", lang, turns=drill.max_turns))
    custom = {"type": "drill_intro", "lang": lang, "drill_id": drill.id, "title": title,
              "difficulty": drill.difficulty, "mode": drill.mode, "max_turns": drill.max_turns,
              "persona": persona, "goal": goal, "rubric": rubric_json}
    return Reply("\n".join(lines), [], custom)


def customer_line(drill: Drill, session: DrillSession, text: str, state: str) -> Reply:
    lang = session.lang
    name = localize(drill.persona_name, lang)
    custom = {"type": "customer_line", "lang": lang, "drill_id": drill.id, "persona": name, "text": text,
              "state": state, "turn": session.turn, "stage": session.stage, "mood": session.mood,
              "ended": session.ended}
    return Reply(f"{name}：{quote(text, lang)}" if lang != EN else f"{name}: {quote(text, lang)}", [], custom)


def feedback(drill: Drill, result: TurnResult, rep_text: str, lang: str) -> Reply:
    """After a rep turn (practice mode): the line quoted, moves found, what the strategy does next."""
    labels = [move_label(drill, m, lang) for m in result.moves]
    lines = [f"{ui('you_said', lang)}{quote(rep_text, lang)}",
             ui("moves_found", lang, moves=list_join(labels, lang)) if labels else ui("moves_none", lang)]
    lines += [ui("penalty_warning", lang, move=move_label(drill, m, lang), penalty=p)
              for m, p in result.penalties]
    lines += [ui("red_line_warning", lang, move=move_label(drill, m, lang)) for m in result.red_lines]
    # Moves found but not earned (coach.drill.credit), so the rep sees why the score did not move.
    unearned = [m for m in result.moves if m not in result.credited and m not in dict(result.penalties)
                and m not in result.red_lines]
    if unearned:
        lines.append(ui("not_credited", lang, moves=list_join([move_label(drill, m, lang) for m in unearned],
                                                              lang)))
    nxt = None
    if result.next_step is not None:
        tip, line = localize(result.next_step.tip, lang), localize(result.next_step.line, lang)
        lines += [ui("next_tip", lang, tip=tip), f"{ui('model_line', lang)}{quote(line, lang)}"]
        nxt = {"move": result.next_step.move, "label": move_label(drill, result.next_step.move, lang),
               "tip": tip, "line": line}
    custom = {"type": "drill_feedback", "lang": lang, "drill_id": drill.id, "turn": result.session.turn,
              "quote": rep_text,
              "moves": [{"name": m, "label": label} for m, label in zip(result.moves, labels, strict=True)],
              "penalties": [{"move": m, "penalty": p} for m, p in result.penalties], "next": nxt,
              "red_lines": [{"move": m, "label": move_label(drill, m, lang)} for m in result.red_lines]}
    return Reply("\n".join(lines), [], custom)


def _mark_text(drill: Drill, mark: Mark, lang: str) -> str:
    label = rubric.label(mark.kind, drill, mark.move, lang)
    where = ui("turn_n", lang, turn=mark.turn) if mark.turn else ""
    if mark.kind == rubric.FORBIDDEN:
        return f"{where} {label} {mark.points}".strip()
    if mark.points == 0:
        return f"{where} {ui('missed_item', lang, label=label)}".strip()
    return f"{where} {label} +{mark.points}".strip()


def _mark_json(drill: Drill, mark: Mark, lang: str) -> Payload:
    return {"kind": mark.kind, "move": mark.move, "label": rubric.label(mark.kind, drill, mark.move, lang),
            "points": mark.points, "turn": mark.turn, "text": _mark_text(drill, mark, lang)}


def _next_drill(suggestion: Optional[Drill], lang: str, reason: Optional[str] = None) -> Optional[Payload]:
    """The suggestion and why; each of REASONS has its words in ui.yml as `next_reason_<reason>`."""
    if suggestion is None:
        return None
    why = ui(f"next_reason_{reason}", lang) if reason in REASONS else None
    return {"drill_id": suggestion.id, "title": localize(suggestion.title, lang), "reason": reason,
            "reason_text": why}


def _next_drill_line(suggestion: Drill, lang: str, reason: Optional[str]) -> str:
    """'Suggested next drill: …', with why (assigned, due for review, weakest) when it is known."""
    title = localize(suggestion.title, lang)
    if reason in REASONS:
        return ui("next_drill_why", lang, title=title, reason=ui(f"next_reason_{reason}", lang))
    return ui("next_drill", lang, title=title)


def _red_line_json(drill: Drill, mark: Mark, lang: str) -> Payload:
    label = move_label(drill, mark.move or "", lang)
    return {"move": mark.move, "label": label, "turn": mark.turn,
            "text": ui("red_line_failed", lang, turn=mark.turn, move=label)}


def _unanswered(drill: Drill, lang: str) -> str:
    moves = [s.answers_truth for s in drill.stages if s.answers_truth]
    return ui("truth_unanswered", lang, move=list_join([move_label(drill, m, lang) for m in moves], lang))


def _scorecard_lines(drill: Drill, card: Scorecard, truth: str, lang: str) -> list[str]:
    verdict = ui("verdict_passed" if card.passed else "verdict_failed", lang)
    lines = [ui("scorecard_title", lang, score=card.score, verdict=verdict, pass_mark=card.pass_mark),
             ui(f"outcome_{card.outcome}", lang),
             ui("truth_found" if card.truth_uncovered else "truth_missed", lang, truth=truth)]
    lines += [_red_line_json(drill, m, lang)["text"] for m in card.red_lines]
    if not card.truth_answered:
        lines.append(_unanswered(drill, lang))
    if card.strengths:
        lines += [ui("strengths", lang)] + [f"• {_mark_text(drill, m, lang)}" for m in card.strengths]
    if card.gaps:
        lines += [ui("gaps", lang)] + [f"• {_mark_text(drill, m, lang)}" for m in card.gaps]
    lines.append(f"{ui('model_answer', lang)}{localize(drill.model_answer, lang)}")
    return lines


def scorecard(drill: Drill, card: Scorecard, session: DrillSession, lang: str,
              suggestion: Optional[Drill] = None, saved: bool = True, reason: Optional[str] = None) -> Reply:
    """The result, tied to turns; `saved` False says the results store could not keep it; `reason`
    (one of REASONS) says why `suggestion` comes next."""
    truth = " / ".join(localize(s.truth, lang) for s in drill.stages if s.truth)
    lines = _scorecard_lines(drill, card, truth, lang)
    buttons = [button(ui("button_retry", lang), start_payload(drill.id))]
    if suggestion is not None:
        lines.append(_next_drill_line(suggestion, lang, reason))
        buttons.append(button(ui("button_next_drill", lang), start_payload(suggestion.id)))
    buttons.append(button(ui("button_progress", lang), "/my_progress"))
    custom = {
        "type": "scorecard", "lang": lang, "drill_id": drill.id, "result_id": session.id,
        "score": card.score, "passed": card.passed, "pass_mark": card.pass_mark, "outcome": card.outcome,
        "truth_uncovered": card.truth_uncovered, "truth": truth,
        "strengths": [_mark_json(drill, m, lang) for m in card.strengths],
        "gaps": [_mark_json(drill, m, lang) for m in card.gaps],
        "moves": card.moves, "turns": len(card.moves),
        "red_lines": [_red_line_json(drill, m, lang) for m in card.red_lines],
        "truth_answered": card.truth_answered,
        "model_answer": localize(drill.model_answer, lang),
        "next_drill": _next_drill(suggestion, lang, reason),
    }
    if not saved:
        lines.append(ui("result_not_saved", lang))
        custom["saved"] = False
    return Reply("\n".join(lines), buttons, custom)


def drill_menu(drills: Sequence[Drill], playbook: Playbook, lang: str, intro_key: str = "drill_menu",
               **values: object) -> Reply:
    if not drills:
        return Reply(ui("drills_empty", lang), [], {"type": "drill_menu", "lang": lang, "drills": []})
    buttons, listed = [], []
    for d in drills:
        objection = playbook.for_intent(d.objections[0])
        topic = localize(objection.title, lang) if objection else d.objections[0]
        title = localize(d.title, lang)
        buttons.append(button(f"{stars(d.difficulty)} {title}", start_payload(d.id)))
        listed.append({"drill_id": d.id, "title": title, "objection": d.objections[0], "topic": topic,
                       "difficulty": d.difficulty, "mode": d.mode, "payload": start_payload(d.id)})
    custom = {"type": "drill_menu", "lang": lang, "drills": listed}
    return Reply(ui(intro_key, lang, **values), buttons, custom)


def not_running(drills: Sequence[Drill], playbook: Playbook, lang: str) -> Reply:
    """'stop' with no drill running: say so, then offer the drills."""
    menu = drill_menu(drills, playbook, lang)
    return Reply(ui("drill_not_running", lang) + "\n" + menu.text, menu.buttons, menu.custom)


def drill_gone(drill_id: str, lang: str) -> Reply:
    """The running drill's file was removed or broken: the page leaves drill mode on this payload."""
    return Reply(ui("drill_gone", lang), [], {"type": "drill_end", "lang": lang, "drill_id": drill_id,
                                              "reason": "removed"})


def _progress_row(row: ProgressRow, label: str) -> Payload:
    return {"objection": row.objection, "label": label, "attempts": row.attempts, "first": row.first_score,
            "best": row.best_score, "latest": row.latest_score, "passed": row.passed}


def progress(rows: Sequence[ProgressRow], playbook: Playbook, lang: str,
             suggestion: Optional[Drill], reason: Optional[str] = None) -> Reply:
    """The rep's own figures per objection (from the results store), plus the next drill and why."""
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
    buttons: list[Button] = []
    if suggestion is not None:
        text += "\n" + _next_drill_line(suggestion, lang, reason)
        buttons.append(button(ui("button_next_drill", lang), start_payload(suggestion.id)))
    buttons.append(button(ui("button_drills", lang), "/list_drills"))
    custom = {"type": "progress", "lang": lang, "rows": [_progress_row(r, name(r.objection)) for r in rows],
              "next_drill": _next_drill(suggestion, lang, reason)}
    return Reply(text, buttons, custom)


def stored_transcript(drill: Drill, session: DrillSession, lang: str) -> list[Payload]:
    """The transcript as the results store keeps it: each rep line with its moves, penalties
    ([move, points]) and the feedback text of that turn, also in exam mode (the trainer sees why)."""
    turns = {t.turn: r for t, r in zip(session.turns, replay(drill, session), strict=True)}
    lines: list[Payload] = []
    for line in session.transcript_json():
        turn = turns.get(line["turn"]) if line["speaker"] == "rep" else None
        if turn is not None:
            line.update(moves=list(turn.moves), penalties=[[m, p] for m, p in turn.penalties],
                        feedback=feedback(drill, turn, line["text"], lang).text)
        lines.append(line)
    return lines


# --- drill control: confirmations, going on, an attempt that is not scored ------------------------

GO_ON_PAYLOAD = "/continue_drill"


def stop_payload(drill_id: str) -> str:
    """The confirmed stop: naming the drill, it ends that drill without asking again."""
    return "/stop_drill" + json.dumps({"drill_id": drill_id})


def _confirm(text: str, buttons: list[Button], lang: str, ask: str, drill: Drill,
             session: DrillSession, **extra: object) -> Reply:
    custom = {"type": "drill_confirm", "lang": lang, "ask": ask, "drill_id": drill.id, "turn": session.turn,
              "scored": bool(session.turns), **extra}
    return Reply(text, buttons, custom)


def confirm_stop(drill: Drill, session: DrillSession, lang: str) -> Reply:
    """'stop' asks once: end and score, or go on; with no reply yet, ending scores nothing."""
    key = "drill_confirm_stop" if session.turns else "drill_confirm_no_reply"
    text = ui(key, lang, title=localize(drill.title, lang), turns=session.turn)
    buttons = [button(ui("button_end_and_score", lang), stop_payload(drill.id)),
               button(ui("button_go_on", lang), GO_ON_PAYLOAD)]
    return _confirm(text, buttons, lang, "stop", drill, session)


def confirm_start(drill: Drill, session: DrillSession, wanted: Drill, lang: str) -> Reply:
    """Another drill asked for mid-drill: end this one (scored) and start it, or go on with this one."""
    text = ui("drill_confirm_start", lang, title=localize(drill.title, lang),
              next=localize(wanted.title, lang))
    buttons = [button(ui("button_end_and_start", lang), start_payload(wanted.id)),
               button(ui("button_go_on", lang), GO_ON_PAYLOAD)]
    return _confirm(text, buttons, lang, "start", drill, session, next_drill_id=wanted.id)


def going_on(lang: str) -> Reply:
    """'Go on': the drill continues at the same turn (the customer's last line follows)."""
    return Reply(ui("drill_going_on", lang))


def not_scored(drill: Drill, lang: str) -> Reply:
    """A drill ended before any reply: nothing was stored; the page leaves drill mode on this payload."""
    buttons = [button(ui("button_retry", lang), start_payload(drill.id)),
               button(ui("button_drills", lang), "/list_drills")]
    custom = {"type": "drill_end", "lang": lang, "drill_id": drill.id, "reason": "no_reply", "scored": False}
    return Reply(ui("drill_not_scored", lang, title=localize(drill.title, lang)), buttons, custom)
