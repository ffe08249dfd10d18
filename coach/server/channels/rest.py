"""Rasa's REST channel with the coach's input checks: POST /webhooks/rest/webhook {"sender", "message"}.

Same name, URL and reply shape as Rasa's RestInput (a JSON list of bot messages; GET
/webhooks/rest/ is the health check), but a bad request gets a 4xx with {"error": "..."} instead
of an empty list or a 500, and a failure inside the coach gets the "restarting" reply
(coach/server/channels/inbound.py). `?stream=true` still answers in lines of JSON, written once the turn is done.
The body's `input_channel` is ignored (always "rest"); `metadata` is passed on if it is an object.
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Text, Union

import rasa.utils.endpoints
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from coach.server import patches as rasa_speedups
from coach.server.channels.inbound import (
    InboundError,
    check_sender,
    clean_message,
    error_response,
    handle,
    json_body,
)

EXAMPLE = '{"sender": "rep-7", "message": "老板说太贵了"}'


class CoachRestInput(RestInput):
    """credentials.yml: `coach.server.channels.rest.CoachRestInput:` (replaces `rest:`)."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rasa_speedups.install()  # runs in the Rasa server process, before the first message
        bp = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Union[ResponseStream, HTTPResponse]:
            try:
                body = json_body(request, EXAMPLE)
                sender = check_sender(body.get("sender"))
                text = clean_message(body.get("message"))
            except InboundError as exc:
                return error_response(exc.status, exc.message)
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            turn = await handle(on_new_message, text, sender, self.name(), metadata)
            if not rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.json(turn.messages)

            async def lines(resp: Any) -> None:  # Rasa's stream format: one JSON message per line
                for message in turn.messages:
                    await resp.write(json.dumps(message) + "\n")

            return response.stream(lines, content_type="text/event-stream")

        return bp
