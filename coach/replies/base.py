"""What every reply is made of: text for a phone screen, buttons, and a JSON payload.

The payload (`custom`) carries the same content with structure, for pages and scripts that render
cards themselves; its "type" names the card (objection_card, strategy, scorecard, ...).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, TypedDict


class Button(TypedDict):
    title: str
    payload: str  # what the button sends back, e.g. "/more_detail" or '/start_drill{"drill_id": ...}'


Payload = dict[str, Any]  # a custom JSON message; always has "type" and "lang"


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    custom: Optional[Payload] = None


def button(title: str, payload: str) -> Button:
    return {"title": title, "payload": payload}


def card(kind: str, lang: str, **fields: Any) -> Payload:
    """A JSON payload: "type" and "lang" first, then the card's own fields in the order given."""
    return {"type": kind, "lang": lang, **fields}
