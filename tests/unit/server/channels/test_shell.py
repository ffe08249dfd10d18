"""`make shell`: the terminal channel sends text and buttons, never the JSON payload."""
from __future__ import annotations

import asyncio
import json
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.console import CmdlineInput

from coach.server.channels.shell import CoachShellInput, TextAndButtons
from coach.settings import PROJECT_ROOT

CARD = {"recipient_id": "rep", "text": "【价格太高】先说：…",
        "buttons": [{"title": "更多细节", "payload": "/more_detail"}],
        "custom": {"type": "objection_card", "lang": "zh-Hans", "objection": "price"}}


def test_text_and_buttons_drop_the_custom_payload():
    inner = CollectingOutputChannel()
    channel = TextAndButtons(inner)

    async def send() -> None:
        await channel.send_response("rep", dict(CARD))
        await channel.send_response("rep", {"custom": {"type": "drill_end"}})  # payload only: nothing to show

    asyncio.run(send())
    assert inner.messages and all("custom" not in m for m in inner.messages)
    assert [m.get("text") for m in inner.messages] == [CARD["text"]]
    assert inner.messages[0]["buttons"][0]["payload"] == "/more_detail"
    assert "Custom json" not in json.dumps(inner.messages)


def test_the_shell_channel_is_rasas_cmdline_with_its_output_wrapped():
    assert CoachShellInput.name() == CmdlineInput.name() == "cmdline"  # so Rasa starts the terminal chat
    seen: list[Any] = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message)
        await message.output_channel.send_response(message.sender_id, dict(CARD))

    blueprint = CoachShellInput().blueprint(on_new_message)
    receive = next(route.handler for route in blueprint._future_routes if route.uri == "/webhook")

    class _Request:
        json = {"sender": "rep", "message": "太贵了"}
        args: dict = {}

    response = asyncio.run(receive(_Request()))
    body = json.loads(response.body)
    assert seen and isinstance(seen[0].output_channel, TextAndButtons)
    assert seen[0].input_channel == "cmdline", "actions can still tell the terminal apart"
    assert body == [{k: v for k, v in CARD.items() if k != "custom"}]


def test_make_shell_uses_the_shell_channel():
    script = (PROJECT_ROOT / "scripts" / "shell.sh").read_text(encoding="utf-8")
    assert "--connector coach.server.channels.shell.CoachShellInput" in script
