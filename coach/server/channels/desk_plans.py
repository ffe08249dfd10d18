"""Assignments on the desk (create, list with completion, remove), a rep's own list, and the CSV tables.

Like desk_data.py: plain functions over a `Sources`, run off the event loop by desk.py.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from coach.errors import InboundError
from coach.i18n import localize
from coach.practice import assignments as plans
from coach.results.csv_export import csv_text
from coach.server.channels import desk_data
from coach.server.channels.desk_data import Sources, find_person

TABLES = ("team", "rep", "drills", "assignments")


def _known_drills(src: Sources, ids: List[str]) -> None:
    try:
        plans.check_drill_ids(ids, [d.id for d in src.library().all()])
    except ValueError as exc:  # names each unknown id
        raise InboundError(404, str(exc)) from None


def _check_target(src: Sources, rep_id: Optional[str], team: Optional[str]) -> None:
    if rep_id is not None:
        if not find_person(src, rep_id).active:
            raise InboundError(409, "That rep was revoked; assign the drills to an active rep.")
        return
    if not any(p.active and p.team == team for p in src.people().people(role="rep")):
        raise InboundError(404, f"No active rep is in the team {team!r}; check the spelling or invite one.")


def create(src: Sources, title: str, drill_ids: List[str], due_at: float, target: Dict[str, Optional[str]],
           trainer: Any) -> Dict[str, Any]:
    _known_drills(src, drill_ids)
    _check_target(src, target["rep_id"], target["team"])
    try:
        made = src.assignments().add(title, drill_ids, due_at, trainer.person_id,
                                     rep_id=target["rep_id"], team=target["team"])
    except ValueError as exc:  # the store's own checks, each problem named
        raise InboundError(400, str(exc)) from None
    return {"assignment": _flat(made)}


def _flat(assignment: Any) -> Dict[str, Any]:
    return {**assignment.to_json(), "rep_id": assignment.rep_id, "team": assignment.team}


def listing(src: Sources) -> Dict[str, Any]:
    results, people = src.results(), src.people().people()
    return {"assignments": [{**_flat(a), "completion": plans.completion(a, results, people)}
                            for a in src.assignments().all()]}


def remove(src: Sources, assignment_id: str) -> Dict[str, Any]:
    if not src.assignments().remove(assignment_id):
        raise InboundError(404, f"No assignment has the id {assignment_id!r}; it may be removed already.")
    return {"removed": assignment_id}


def mine(src: Sources, person: Any, lang: str) -> Dict[str, Any]:
    """The signed-in person's own assignments, open ones first; nothing of anyone else's."""
    rep_id, team = person.person_id, person.team
    own = src.assignments().for_rep(rep_id, team)
    results = src.results(rep_id)  # every rep page asks: their own rows only, selected in SQL
    rows = plans.my_assignments(rep_id, team, own, results, src.now())
    library = src.library()
    for row in rows:
        for drill in row["drills"]:
            found = library.get(drill["drill_id"])
            drill["title"] = localize(found.title, lang) if found else drill["drill_id"]
    return {"assignments": rows}


def _team_rows(src: Sources, lang: str) -> tuple[List[str], List[List[Any]]]:
    body = desk_data.team(src, lang)
    columns = ["rep_id", "name", "team", "objection", "best", "latest", "attempts", "last_at", "overdue"]
    rows = [[row["rep_id"], row["name"], row["team"], intent, *(cell.get(k) for k in columns[4:])]
            for row in body["rows"] for intent, cell in row["cells"].items()]
    return columns, rows


def _rep_rows(src: Sources, rep_id: str, lang: str) -> tuple[List[str], List[List[Any]]]:
    columns = ["result_id", "drill_id", "objection", "difficulty", "score", "passed", "outcome",
               "truth_uncovered", "turns", "finished_at"]
    body = desk_data.rep_detail(src, rep_id, lang)
    return ["rep_id", *columns], [[rep_id, *(a.get(k) for k in columns)] for a in body["attempts"]]


def _drill_rows(src: Sources, lang: str) -> tuple[List[str], List[List[Any]]]:
    columns = ["drill_id", "title", "objection", "difficulty", "attempts", "pass_rate", "avg_score",
               "truth_rate", "avg_turns", "top_penalty", "flag"]
    return columns, [[row.get(k) for k in columns] for row in desk_data.drills(src, lang)["drills"]]


def _plan_rows(src: Sources) -> tuple[List[str], List[List[Any]]]:
    columns = ["assignment_id", "title", "rep_id", "team", "due_at", "drill_ids", "for_rep", "name", "done",
               "passed", "complete"]
    rows = []
    for item in listing(src)["assignments"]:
        head = [item["assignment_id"], item["title"], item["rep_id"], item["team"], item["due_at"],
                " ".join(item["drill_ids"])]
        for rep in item["completion"]["reps"] or [{}]:
            rows.append([*head, rep.get("rep_id"), rep.get("name"), " ".join(rep.get("done", [])),
                         " ".join(rep.get("passed", [])), rep.get("complete")])
    return columns, rows


def export(src: Sources, table: str, rep_id: Optional[str], lang: str) -> str:
    """One desk table as CSV text (the engine escapes cells that a spreadsheet would run as formulas)."""
    if table == "team":
        columns, rows = _team_rows(src, lang)
    elif table == "rep":
        if rep_id is None:
            raise InboundError(400, "Say whose attempts to export: trainer/export/rep.csv?rep=<rep id>.")
        columns, rows = _rep_rows(src, rep_id, lang)
    elif table == "drills":
        columns, rows = _drill_rows(src, lang)
    elif table == "assignments":
        columns, rows = _plan_rows(src)
    else:
        raise InboundError(404, f"No table {table!r} to export; use one of {', '.join(TABLES)}.")
    return csv_text(columns, [dict(zip(columns, row, strict=True)) for row in rows])
