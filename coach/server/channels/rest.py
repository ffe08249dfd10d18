"""Rasa's REST channel with the coach's input checks: POST /webhooks/rest/webhook {"sender", "message"}.

Same name, URL and reply shape as Rasa's RestInput (a JSON list of bot messages; GET
/webhooks/rest/ is the health check, as is /webhooks/rest/health), but a bad request gets a 4xx
with {"error": "..."} instead of an empty list or a 500, and a failure inside the coach gets the
"restarting" reply (coach/server/channels/inbound.py). `?stream=true` still answers in lines of
JSON, written once the turn is done. The body's `input_channel` is ignored (always "rest");
`metadata` is passed on if it is an object.
"""
from __future__ import annotations

import json
from typing import Any, List

import rasa.utils.endpoints
from rasa.core.channels.rest import RestInput
from sanic import response
from sanic.request import Request

from coach.server.channels.base import CoachInput, OnNewMessage, Reply, Route
from coach.server.channels.inbound import Turn, check_sender, clean_message, handle, json_body

EXAMPLE = '{"sender": "rep-7", "message": "老板说太贵了"}'


def json_lines(turn: Turn) -> Reply:
    """Rasa's stream format: one JSON message per line."""
    async def lines(resp: Any) -> None:
        for message in turn.messages:
            await resp.write(json.dumps(message) + "\n")

    return response.stream(lines, content_type="text/event-stream")


class CoachRestInput(CoachInput, RestInput):
    """credentials.yml: `coach.server.channels.rest.CoachRestInput:` (replaces `rest:`).

    Still a RestInput, for anything in Rasa that looks for one; every route is the coach's own.
    """

    health_paths = ("/",)

    @classmethod
    def name(cls) -> str:
        return "rest"

    def routes(self, on_new_message: OnNewMessage) -> List[Route]:
        async def receive(request: Request) -> Reply:
            body = json_body(request, EXAMPLE)
            sender = check_sender(body.get("sender"))
            text = clean_message(body.get("message"))
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            turn = await handle(on_new_message, text, sender, self.name(), metadata)
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return json_lines(turn)
            return response.json(turn.messages)

        return [Route("/webhook", ("POST",), receive)]
