"""Checks for what a trainer sends the desk: each field's type, length and form, with a 400 that says
what to send instead. Whether an id exists is the store's question (coach/server/channels/desk_data.py).
"""
from __future__ import annotations

import unicodedata
from datetime import date, datetime, timezone
from typing import Any, Dict, List, Optional

from coach.errors import InboundError
from coach.i18n import LANGUAGES
from coach.server.channels.inbound import clean_message

MAX_NAME = 40  # a person's name or a team, as the people store keeps them (coach/people/store.py)
MAX_ID = 100
MAX_DRILLS = 30  # drills in one assignment (an ordered session plan)
MAX_LINES = 40  # rep lines in one dry run; a drill has fewer turns than this
# Due dates from 2000 to 2100: anything else is a typo (or milliseconds instead of seconds).
EARLIEST, LATEST = 946684800, 4102444800


def _visible(text: str) -> bool:
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc") for ch in text)


def text_field(body: Dict[str, Any], key: str, limit: int, required: bool = True) -> str:
    """body[key] as clean one-line text: a string, no control characters or lone surrogates, not too long."""
    value = body.get(key, "" if not required else None)
    if value is None:
        raise InboundError(400, f'The "{key}" field is missing: send it as text.')
    if not isinstance(value, str):
        raise InboundError(400, f'The "{key}" field must be text (a JSON string).')
    text = unicodedata.normalize("NFC", value).strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        raise InboundError(400, f'The "{key}" field has control characters or broken Unicode: '
                                "type it again as plain text.")
    if len(text) > limit:
        raise InboundError(400, f'The "{key}" field has {len(text):,} characters; use at most {limit}.')
    if required and not _visible(text):
        raise InboundError(400, f'The "{key}" field is empty: type it.')
    return text


def id_text(value: object, what: str) -> str:
    """An id from the URL or the body: 1 to MAX_ID characters (whether it exists is checked later)."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID:
        raise InboundError(400, f"The {what} must be an id of 1 to {MAX_ID} characters, as listed.")
    return value.strip()


def drill_ids(body: Dict[str, Any]) -> List[str]:
    """The assignment's drill ids in order: a non-empty list of ids, no repeats."""
    value = body.get("drill_ids")
    if not isinstance(value, list) or not value:
        raise InboundError(400, 'The "drill_ids" field must be a list of drill ids, e.g. ["price_margin"].')
    if len(value) > MAX_DRILLS:
        raise InboundError(400, f"An assignment has at most {MAX_DRILLS} drills; split it in two.")
    ids = [id_text(item, "drill id") for item in value]
    if len(set(ids)) != len(ids):
        raise InboundError(400, "A drill is listed twice in drill_ids; list each drill once.")
    return ids


def due_at(value: object) -> float:
    """A due date as unix time: a number of seconds, or an ISO date ("2026-12-31", the day's end, UTC)."""
    if isinstance(value, bool):
        value = None  # JSON true is not a date
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
            moment = (datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=timezone.utc) if day
                      else datetime.fromisoformat(value.strip()))
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        value = moment.timestamp() if moment else None
    if not isinstance(value, int | float) or not EARLIEST <= value <= LATEST:
        raise InboundError(400, 'The "due_at" field must be a date such as "2026-12-31" '
                                "(or unix time in seconds) between 2000 and 2100.")
    return float(value)


def target(body: Dict[str, Any]) -> Dict[str, Optional[str]]:
    """Who an assignment is for: exactly one of "rep_id" and "team"."""
    rep = body.get("rep_id") or None
    team = body.get("team") or None
    if (rep is None) == (team is None):
        raise InboundError(400, 'Give either "rep_id" (one rep) or "team" (every rep of a team), not both.')
    if rep is not None:
        return {"rep_id": id_text(rep, "rep_id"), "team": None}
    return {"rep_id": None, "team": text_field(body, "team", MAX_NAME)}


def language(value: object) -> str:
    if value is None:
        return LANGUAGES[0]
    if value not in LANGUAGES:
        raise InboundError(400, f'The "lang" field must be one of {", ".join(LANGUAGES)}.')
    return str(value)


def lines(body: Dict[str, Any]) -> List[str]:
    """The dry run's rep lines so far: a list of texts, each cleaned as a rep's message is."""
    value = body.get("lines", [])
    if not isinstance(value, list):
        raise InboundError(400, 'The "lines" field must be a list of the rep\'s lines, e.g. ["您好"].')
    if len(value) > MAX_LINES:
        raise InboundError(400, f"A dry run takes at most {MAX_LINES} lines; the drill is over long before.")
    cleaned = []
    for number, line in enumerate(value, 1):
        try:
            cleaned.append(clean_message(line))
        except InboundError as exc:
            raise InboundError(400, f"Line {number}: {exc.message.replace('message', 'line')}") from None
    return cleaned

