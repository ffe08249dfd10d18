"""The rep's state for the chat page (GET /webhooks/coach/state): the drill running in their tracker.

A rep may start a drill on one phone and open the page on another, whose stored transcript knows
nothing of it. The page asks here when it opens and after a login, so it can show the drill
(persona, the customer's last line) and let the rep go on or end it: a lookup typed in quick
mode must never be scored as a drill turn. The answer is {"drill": null} or {"drill": {...}}
(`drill_state`); the session is read from the `drill` slot as the actions write it.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Protocol

from coach.content.drills import Drill
from coach.content.library import default_library
from coach.drill.session import DrillSession
from coach.errors import InboundError
from coach.i18n import LANGUAGES, localize

logger = logging.getLogger(__name__)
DRILL_SLOT = "drill"
STARTING = "The coach is still starting. Try again in a moment."
UNREADABLE = "The coach can't read your conversation just now. Try again in a moment."


class Drills(Protocol):
    def get(self, drill_id: str) -> Optional[Drill]: ...


def last_customer_line(session: DrillSession) -> str:
    """What the customer said last (the opening line before the rep's first reply)."""
    return next((line.text for line in reversed(session.transcript) if line.speaker == "customer"), "")


def drill_state(slot: Any, drills: Drills, lang: Optional[str]) -> Optional[Dict[str, Any]]:
    """The running drill in a `drill` slot value, for the page; None when none is running.

    Title and persona are in `lang` (the page's; the session's when unknown), the result's "lang";
    the customer's last line is in the language the drill runs in, its "customer_lang". A drill
    whose file was removed reads as none: the next message ends it anyway (drill_end).
    """
    session = DrillSession.from_slot(slot)
    if session is None or not session.running:
        return None
    drill = drills.get(session.drill_id)
    if drill is None:
        return None
    shown = lang if lang in LANGUAGES else session.lang
    return {
        "drill_id": drill.id, "title": localize(drill.title, shown),
        "persona": {"name": localize(drill.persona_name, shown),
                    "about": localize(drill.persona_about, shown),
                    "speaks_as": localize(drill.persona_name, session.lang)},
        "last_customer_line": last_customer_line(session), "turn": session.turn, "lang": shown,
        "customer_lang": session.lang, "mood": session.mood, "mode": drill.mode, "max_turns": drill.max_turns,
    }


async def rep_state(agent: Any, sender: str, lang: Optional[str], drills: Optional[Drills] = None
                    ) -> Dict[str, Any]:
    """{"drill": ...} for `sender`, from the Rasa agent's tracker store; InboundError 503 if unreadable.

    The tracker is only read (no lock, no new session): a rep without one has no drill.
    """
    store = getattr(agent, "tracker_store", None)
    if store is None:
        raise InboundError(503, STARTING)
    try:
        tracker = await store.retrieve(sender)
    except Exception:  # a database hiccup: the page keeps its own idea and asks again later
        logger.exception("reading the tracker of sender %r failed", sender)
        raise InboundError(503, UNREADABLE) from None
    slot = tracker.get_slot(DRILL_SLOT) if tracker is not None else None
    return {"drill": drill_state(slot, drills or default_library(), lang)}
