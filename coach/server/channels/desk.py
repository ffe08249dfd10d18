"""The trainer's desk and the rep's own lists over HTTP, under the web chat's /webhooks/coach/ prefix.

`desk_routes` is given two checks by the web channel (coach/server/channels/web.py): `person`
returns the signed-in Person of a request (InboundError 401 without a valid token) and `trainer`
the same for trainers only (403 for a rep).
"""
from __future__ import annotations

from typing import Any, Callable, List

from sanic.request import Request

from coach.server.channels.base import Route

Authorize = Callable[[Request], Any]


def desk_routes(person: Authorize, trainer: Authorize) -> List[Route]:
    """The desk's routes; each handler calls `person` or `trainer` before anything else."""
    return []
