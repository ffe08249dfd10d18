"""Rasa's REST channel with the coach's input checks: POST /webhooks/rest/webhook {"sender", "message"}.

Same name, URL and reply shape as Rasa's RestInput (a JSON list of bot messages; GET
/webhooks/rest/ is the health check, as is /webhooks/rest/health), but a bad request gets a 4xx
with {"error": "..."} instead of an empty list or a 500, and a failure inside the coach gets the
"restarting" reply (coach/server/channels/inbound.py). `?stream=true` still answers in lines of
JSON, written once the turn is done. The body's `input_channel` and `metadata` are ignored
(always "rest", no metadata: Rasa stored it twice, and deeply nested metadata made it recurse).

Who may post (README, "Security"): with COACH_API_TOKEN set, only requests with
`Authorization: Bearer <token>` (401 otherwise). Without a token the channel answers only while
the coach listens on loopback (the default); bound to another address it is off (403).
"""
from __future__ import annotations

import hmac
import json
from typing import Any, List

import rasa.utils.endpoints
from rasa.core.channels.rest import RestInput
from sanic import response
from sanic.request import Request

from coach import settings
from coach.errors import InboundError
from coach.server.channels.base import CoachInput, OnNewMessage, Reply, Route, is_loopback
from coach.server.channels.inbound import Turn, check_sender, clean_message, handle, json_body

EXAMPLE = '{"sender": "rep-7", "message": "老板说太贵了"}'


def json_lines(turn: Turn) -> Reply:
    """Rasa's stream format: one JSON message per line."""
    async def lines(resp: Any) -> None:
        for message in turn.messages:
            await resp.write(json.dumps(message) + "\n")

    return response.stream(lines, content_type="text/event-stream")


def check_token(request: Request) -> None:
    """InboundError 401 / 403 unless this request may use the REST channel (module docstring)."""
    current = settings.current()
    if current.api_token is None:
        if is_loopback(current.host):
            return
        raise InboundError(403, f"The REST channel is off: the coach listens on {current.host} and no API "
                                "token is set. The operator sets COACH_API_TOKEN; clients then send "
                                "\"Authorization: Bearer <token>\".")
    header = request.headers.get("authorization", "")
    given = header[7:].strip() if header[:7].lower() == "bearer " else ""
    # Compared as bytes in constant time: the time taken says nothing about how much was right.
    if not hmac.compare_digest(given.encode("utf-8", "replace"), current.api_token.encode()):
        what = "a wrong" if given else "no"
        raise InboundError(401, f"The REST channel needs \"Authorization: Bearer <token>\" with the coach's "
                                f"API token (COACH_API_TOKEN); this request has {what} token.")


class CoachRestInput(CoachInput, RestInput):
    """credentials.yml: `coach.server.channels.rest.CoachRestInput:` (replaces `rest:`).

    Still a RestInput, for anything in Rasa that looks for one; every route is the coach's own.
    """

    health_paths = ("/",)

    @classmethod
    def name(cls) -> str:
        return "rest"

    def authorize(self, request: Request) -> None:
        check_token(request)

    def routes(self, on_new_message: OnNewMessage) -> List[Route]:
        async def receive(request: Request) -> Reply:
            body = json_body(request, EXAMPLE)
            request.ctx.sender = body.get("sender")  # for the log line of a refusal (base.log_refusal)
            sender = check_sender(request.ctx.sender)
            text = clean_message(body.get("message"))
            turn = await handle(on_new_message, text, sender, self.name())
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return json_lines(turn)
            return response.json(turn.messages)

        return [Route("/webhook", ("POST",), receive)]
