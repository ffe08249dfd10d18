"""Reps and trainers from the command line (`make trainer NAME=...` runs `trainer`).

  python -m coach.people.cli trainer --name "Li Na" [--team east]   # a trainer; prints the code once
  python -m coach.people.cli invite --name "Wang Wei" [--team east]  # a rep (scripts, tests)
  python -m coach.people.cli new-code rep-k3m9q2    # a new code; the old one and every token stop working
  python -m coach.people.cli revoke rep-k3m9q2      # no more access; tokens stop working at once
  python -m coach.people.cli list [--role rep]
  python -m coach.people.cli rotate-key             # new signing key: everyone signs in again
  --db PATH|URL (before the command) picks the database, as for coach.results.report.

Exit status: 0 done, 1 nothing to do (unknown id, already revoked), 2 a usage or database error.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import socket
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional, Union

from coach import settings
from coach.errors import CoachError
from coach.people.codes import ROLES
from coach.people.store import PeopleStore, Person, PersonNotFound
from coach.people.tokens import SECRET_FILE, rotate_key
from coach.results.report import display_text, display_width
from coach.results.shared import add_db_argument
from coach.settings import is_url

DEFAULT_PORT = "5005"  # scripts/run.sh's default RASA_PORT
_WILDCARD = {"0.0.0.0", "::", ""}
Target = Union[str, Path]


def _link_host() -> str:
    current = settings.current()
    host = current.host
    if host in _WILDCARD:  # every interface: the name reps use (which the coach must answer to)
        host = current.allowed_hosts[0] if current.allowed_hosts else socket.gethostname()
    return f"[{host}]" if ":" in host else host  # an IPv6 address goes in brackets


def sign_in_link(code: str) -> str:
    """The page address that signs in with `code`, as `make run` serves it: $COACH_HOST (when it
    listens on every interface, the first of $COACH_ALLOWED_HOSTS or this machine's name) and
    $RASA_PORT."""
    port = os.environ.get("RASA_PORT") or DEFAULT_PORT
    return f"http://{_link_host()}:{port}/webhooks/coach/#code={code}"


def _handover(person: Person, code: str, what: str) -> None:
    team = f", team {person.team}" if person.team else ""
    print(f"{what} {person.name} ({person.person_id}, {person.role}{team}).")
    print(f"Sign-in code (shown only now): {code}")
    print(f"Sign-in link: {sign_in_link(code)}")
    print("Only a hash of the code is kept: hand it over now. If it is lost, run "
          f"`python -m coach.people.cli new-code {person.person_id}`.")


def _when(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")


def format_people(people: List[Person]) -> str:
    """An aligned table: id, role, team, name, created (UTC), status."""
    lines = [["id", "role", "team", "name", "created (UTC)", "status"]]
    for p in people:
        status = "active" if p.active else f"revoked {_when(p.revoked_at or 0)}"
        lines.append([p.person_id, p.role, display_text(p.team) or "-", display_text(p.name),
                      _when(p.created_at), status])
    widths = [max(display_width(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(line))
                     .rstrip() for line in lines)


def _add(store: PeopleStore, args: argparse.Namespace, role: str) -> int:
    person, code = store.invite(args.name, role=role, team=args.team or "", created_by="cli")
    _handover(person, code, "Created")
    return 0


def _new_code(store: PeopleStore, args: argparse.Namespace) -> int:
    before = store.get(args.id)
    if before is None:
        raise PersonNotFound(f"No person has the id {args.id!r}; `list` shows everyone's id.")
    code = store.new_code(args.id)
    person = dataclasses.replace(before, revoked_at=None)
    _handover(person, code, "New code for" if before.active else "Let back in with a new code:")
    print("The old code and every signed-in device of theirs no longer work.")
    return 0


def _revoke(store: PeopleStore, args: argparse.Namespace) -> int:
    if store.revoke(args.id):
        print(f"Revoked {args.id}: their code and every signed-in device stop working now.")
        return 0
    person = store.get(args.id)
    if person is None:
        raise PersonNotFound(f"No person has the id {args.id!r}; `list` shows everyone's id.")
    print(f"{args.id} was already revoked on {_when(person.revoked_at or 0)} UTC; nothing changed.")
    return 1


def _list(store: PeopleStore, args: argparse.Namespace) -> int:
    people = store.people(args.role)
    if not people:
        print(f"Nobody yet in {store.path}. Create the first trainer: make trainer NAME=\"...\"")
        return 0
    print(format_people(people))
    return 0


COMMANDS: Dict[str, Callable[[PeopleStore, argparse.Namespace], int]] = {
    "trainer": lambda store, args: _add(store, args, "trainer"),
    "invite": lambda store, args: _add(store, args, "rep"),
    "new-code": _new_code, "revoke": _revoke, "list": _list,
}
_CREATES = {"trainer", "invite"}  # the others need people that already exist


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coach.people.cli",
                                     description="Reps and trainers: invite, new codes, revoke, list.")
    add_db_argument(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, role in (("trainer", "trainer"), ("invite", "rep")):
        sub = commands.add_parser(name, help=f"create a {role} and print their one-time sign-in code")
        sub.add_argument("--name", required=True, help="as shown to trainers (at most 40 characters)")
        sub.add_argument("--team", default="", help="optional team (at most 40 characters)")
    for name, what in (("new-code", "issue a new code (ends the old code and every token)"),
                       ("revoke", "end this person's access and tokens now")):
        commands.add_parser(name, help=what).add_argument("id", help="person id, e.g. rep-k3m9q2")
    listing = commands.add_parser("list", help="everyone, sorted by team and name")
    listing.add_argument("--role", choices=ROLES)
    commands.add_parser("rotate-key", help=f"replace the token signing key ({SECRET_FILE.name}): "
                                           "everyone signs in again")
    return parser


def _target(db: Optional[str]) -> Target:
    if db is None:
        return settings.current().results_db
    return db if is_url(db) else Path(db)  # a URL stays a string: Path() would fold its "//"


def _rotate() -> int:
    path = rotate_key(SECRET_FILE)
    print(f"New signing key in {path}: every token signed with the old key stops working now; "
          "everyone signs in again with their code (codes are unchanged).")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "rotate-key":
            return _rotate()
        target = _target(args.db)
        if isinstance(target, Path) and args.command not in _CREATES and not target.exists():
            print(f"error: no results database at {target}; check the --db path.", file=sys.stderr)
            return 2
        with PeopleStore(target) as store:
            return COMMANDS[args.command](store, args)
    except PersonNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (ValueError, CoachError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
