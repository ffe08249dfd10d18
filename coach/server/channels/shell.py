"""`make shell`: Rasa's command-line channel, without the JSON payloads.

`rasa shell` prints every message's `custom` payload in full after its text ("Custom json: {...}"),
which buries the coaching in JSON on a terminal. This channel is Rasa's CmdlineInput (same name,
"cmdline", so `rasa run --connector coach.server.channels.shell.CoachShellInput` starts the same
terminal chat) whose output drops `custom`: the terminal gets the text and the buttons. The
tracker still records the whole message, payload included, so actions see what was shown.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.console import CmdlineInput
from sanic import Blueprint

# What a terminal can show; `custom` (and anything else) is left out.
SHOWN = ("text", "buttons", "quick_replies", "image", "attachment", "elements")


class TextAndButtons(OutputChannel):
    """Passes on a message's text and buttons only; a payload-only message is not sent at all."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner

    @classmethod
    def name(cls) -> str:
        return CmdlineInput.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        shown = {key: value for key, value in message.items() if key in SHOWN and value}
        if shown:
            await self.inner.send_response(recipient_id, shown)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.inner.send_text_message(recipient_id, text, **kwargs)


class CoachShellInput(CmdlineInput):
    """The terminal chat: each message's output channel is wrapped in TextAndButtons."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def text_and_buttons(message: UserMessage) -> Any:
            message.output_channel = TextAndButtons(message.output_channel)
            return await on_new_message(message)

        return super().blueprint(text_and_buttons)
