"""What the desk's routes read and write, as JSON-ready dicts; plain functions, run off the event loop.

Each function takes a `Sources` (the stores, the drill library and the clock) so the route logic
can be tested with fakes; `default_sources()` gives the real ones. The numbers themselves are the
engines' (coach/desk/analytics.py, coach/practice/assignments.py): this module finds, checks and joins.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from coach.content.playbook import OBJECTION_INTENTS, SITUATION_INTENTS, default_playbook
from coach.desk import analytics
from coach.drill.rubric import move_label
from coach.errors import InboundError
from coach.i18n import localize
from coach.practice import assignments as plans

DEFAULT_PASS_MARK = 60  # the pass mark most drills use (data/drills/*.yml rubric.pass_mark)
# Passed means the drill's own verdict (its pass mark, red lines): the desk adds no bar of its own.
DRILL_VERDICT = 0


@dataclass
class Sources:
    people: Callable[[], Any]  # a PeopleStore (coach/people/store.py)
    results: Callable[..., List[Any]]  # results(rep_id=None): stored DrillResults, all or one rep's
    library: Callable[[], Any]  # the DrillLibrary: .all(), .get(id), .status()
    assignments: Callable[[], Any]  # an AssignmentStore
    now: Callable[[], float] = time.time


def default_sources() -> Sources:
    from coach.content.library import default_library
    from coach.people.store import default_people
    from coach.results.store import default_store

    return Sources(default_people, lambda rep_id=None: default_store().results(rep_id), default_library,
                   plans.default_assignments)


def person_json(person: Any) -> Dict[str, Any]:
    return {"person_id": person.person_id, "name": person.name, "role": person.role, "team": person.team,
            "created_at": person.created_at, "revoked_at": person.revoked_at, "active": person.active}


def pass_mark(drills: List[Any]) -> int:
    """The line the heat map's colours and the trend chart draw: the lowest pass mark of any drill."""
    return min((d.pass_mark for d in drills), default=DEFAULT_PASS_MARK)


def objection_labels(lang: str) -> Dict[str, str]:
    """Each objection and situation intent, named as the playbook titles it in `lang`."""
    playbook = default_playbook()
    labels = {}
    for intent in (*OBJECTION_INTENTS, *SITUATION_INTENTS):
        entry = playbook.for_intent(intent)
        labels[intent] = localize(entry.title, lang) if entry else intent
    return labels


def team(src: Sources, lang: str) -> Dict[str, Any]:
    drills = src.library().all()
    reps = [p for p in src.people().people(role="rep") if p.active]
    covered = {d.objections[0] for d in drills if d.objections}
    objections = [i for i in (*OBJECTION_INTENTS, *SITUATION_INTENTS) if i in covered]
    body = analytics.heatmap(src.results(), reps, objections, src.now(), DRILL_VERDICT)
    return {**body, "labels": objection_labels(lang), "pass_mark": pass_mark(drills)}


def find_person(src: Sources, person_id: str, role: Optional[str] = "rep") -> Any:
    found = src.people().get(person_id)
    if found is None or (role and found.role != role):
        raise InboundError(404, f"No {role or 'person'} has the id {person_id!r}; "
                                "pick one from the desk's list.")
    return found


def reps(src: Sources) -> Dict[str, Any]:
    return {"reps": [person_json(p) for p in src.people().people()]}


def invite(src: Sources, name: str, team_name: str, trainer: Any, page: str) -> Dict[str, Any]:
    try:
        person, code = src.people().invite(name, role="rep", team=team_name, created_by=trainer.person_id)
    except ValueError as exc:  # the store's own text check: says what to change
        raise InboundError(400, str(exc)) from None
    return {"person": person_json(person), "code": code, "link": f"{page}#code={code}"}


def revoke(src: Sources, person_id: str) -> Dict[str, Any]:
    find_person(src, person_id)
    src.people().revoke(person_id)
    return {"person": person_json(find_person(src, person_id))}


def new_code(src: Sources, person_id: str, page: str) -> Dict[str, Any]:
    find_person(src, person_id)
    code = src.people().new_code(person_id)  # a revoked rep is let back in with it
    return {"person": person_json(find_person(src, person_id)), "code": code, "link": f"{page}#code={code}"}


def rep_detail(src: Sources, person_id: str, lang: str) -> Dict[str, Any]:
    person = find_person(src, person_id)
    drills = src.library().all()
    results = src.results(person_id)  # one rep's rows, selected in SQL
    body = analytics.rep_detail(person_id, results, src.now(), DRILL_VERDICT)
    return {**body, "person": person_json(person), "labels": objection_labels(lang),
            "pass_mark": pass_mark(drills)}


def attempt(src: Sources, result_id: str, lang: str) -> Dict[str, Any]:
    """The transcript, with the drill's title and each move's name in `lang` (as the rep read them)."""
    found = next((r for r in src.results() if r.result_id == result_id), None)
    if found is None:
        raise InboundError(404, f"No attempt has the id {result_id!r}; open one from a rep's attempts list.")
    person = src.people().get(found.rep_id)
    detail = analytics.attempt_detail(found)
    drill = src.library().get(found.drill_id)
    named = {m for turn in detail["turns"] for m in [*(turn.get("moves") or []),
                                                      *(p[0] for p in turn.get("penalties") or [])]}
    return {**detail, "rep_id": found.rep_id, "name": person.name if person else found.rep_id,
            "title": localize(drill.title, lang) if drill else found.drill_id,
            "move_labels": {m: move_label(drill, m, lang) if drill else m for m in sorted(named)}}


def drills(src: Sources, lang: str) -> Dict[str, Any]:
    library = src.library()
    served = library.all()
    table = analytics.drill_table(src.results(), served, lang)
    status = library.status()
    # Files that need the trainer: problems to fix, or not served as written (broken, stale, too large).
    files = [f for f in status if f.get("problems") or f.get("state") not in ("ok", "draft")]
    by_id = {d.id: d for d in served}
    penalties = {(row["drill_id"], row["top_penalty"]) for row in table if row.get("top_penalty")}
    return {"drills": table, "files": files, "labels": objection_labels(lang),
            # the most common penalty of each drill, named as its reps read it
            "penalty_labels": {f"{d}:{m}": move_label(by_id[d], m, lang) if d in by_id else m
                               for d, m in penalties}}


def drill_choices(src: Sources, lang: str) -> List[Dict[str, Any]]:
    return [{"drill_id": d.id, "title": localize(d.title, lang), "objection": d.objections[0],
             "difficulty": d.difficulty} for d in src.library().all()]
