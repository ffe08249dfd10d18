"""What every input channel does with a rep's request before and after Rasa sees it.

One place for both channels (Rasa's REST channel, coach/server/channels/rest.py, and the page,
coach/server/channels/web.py): read the JSON body, check and clean the text and the sender id, then run
the message so that a failure inside Rasa or the action server still gives the rep a reply
("the coach is restarting, send that again") instead of silence or a stack trace.
README, "Web chat: secrets and limits".
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, FrozenSet, List, Optional

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.constants import DEFAULT_INTENTS
from sanic.request import Request

from coach.cache import process_cache
from coach.errors import InboundError
from coach.i18n import reply_language, ui
from coach.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

MAX_MESSAGE = 2000  # characters, as sent; README "Web chat: secrets and limits"
MAX_SENDER = 100  # characters of a REST sender id
# A body never needs more: 2,000 characters written as \uXXXX escapes are 12 KB. Checked before
# parsing, so a huge upload costs nothing but reading it.
MAX_BODY = 64 * 1024
_SURROGATES = re.compile("[\ud800-\udfff]")  # json.loads joins valid pairs, so any left is alone
_KEEP = {"\n", "\t"}  # the only control characters a message may keep
UNAVAILABLE = "service_unavailable"  # payload type of the "restarting" reply
RESEND_PREVIEW = 20  # characters of the rep's message shown on its "send again" button
MAX_ENTITY = 100  # characters of one value in a /intent{...} payload (a drill id, a branch path)
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"
# What Rasa reads as a payload: "/" then an intent name (RegexMessageHandler); "/ text" is text.
_COMMAND_START = re.compile(r"/[^\s{@]")
# The only payload shapes buttons send: /intent, /intent@confidence, /intent{"entity": "value"}.
_COMMAND = re.compile(r"/(?P<intent>[^\s{@]+)(?P<confidence>@[0-9.]+)?(?P<entities>\{.*\})?", re.DOTALL)
_COMMAND_EXAMPLE = '/list_drills or /start_drill{"drill_id": "price_margin"}'


def json_body(request: Request, example: str) -> Dict[str, Any]:
    """The request's JSON object, or InboundError 415 / 413 / 400 naming what to send (`example`)."""
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        got = f'"{media_type}"' if media_type else "none"
        raise InboundError(415, f'Send JSON with the header "Content-Type: application/json" (got {got}), '
                                f"e.g. {example}.")
    body = request.body or b""
    if len(body) > MAX_BODY:
        raise InboundError(413, "The request is too large. "
                                f"Messages have at most {MAX_MESSAGE:,} characters.")
    try:
        data = json.loads(body)  # not Sanic's request.json: its error is an HTML page, not ours
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise InboundError(400, f"The body is not valid JSON. Send {example}.") from None
    if not isinstance(data, dict):
        raise InboundError(400, f"The body must be a JSON object, e.g. {example}.")
    return data


def replace_surrogates(text: str) -> str:
    """A lone surrogate (JSON "\\ud800") can't be encoded as UTF-8 and crashes the NLU: make it U+FFFD."""
    return _SURROGATES.sub("\ufffd", text)


def clean_message(value: object) -> str:
    """The rep's text, cleaned, or InboundError: 400 (missing, not a string, empty), 413 (too long).

    Control characters go (except newline and tab; CR and CRLF become a newline) and lone
    surrogates become U+FFFD; the text is NFC-normalised. Emoji, ZWJ sequences, RTL marks and
    Chinese are kept as they are: the NLU does its own normalisation (NFKC, Traditional→Simplified).
    """
    if value is None:
        raise InboundError(400, 'The "message" field is missing: send the text, '
                                'e.g. {"message": "老板说太贵了"}.')
    if not isinstance(value, str):
        raise InboundError(400, f'The "message" field must be a string (text), not {_json_type(value)}.')
    if len(value) > MAX_MESSAGE:
        raise InboundError(413, f"The message has {len(value):,} characters; the limit is {MAX_MESSAGE:,}. "
                                "Shorten it or send it in parts.")
    text = replace_surrogates(value).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) != "Cc")
    text = unicodedata.normalize("NFC", text)
    # Only spaces and invisible marks (ZWJ, RTL mark...) left: nothing for the coach to read.
    if not any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text):
        raise InboundError(400, "The message is empty. Type what the customer said.")
    check_command(text)
    return text


@process_cache
def command_intents() -> FrozenSet[str]:
    """The intents a /command may name: the domain's own, none of Rasa's built-ins.

    /restart, /back and /session_start would throw a running drill away unstored; out_of_scope
    and nlu_fallback are the NLU's verdicts, not something to send.
    """
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8")) or {}
    names = {item if isinstance(item, str) else next(iter(item)) for item in domain.get("intents", [])}
    return frozenset(names - set(DEFAULT_INTENTS))


def check_command(text: str) -> None:
    """InboundError 400 unless a "/..." message is a payload the coach's buttons send.

    The intent must be one of `command_intents()`, and a {...} part a flat JSON object whose
    values are texts of at most MAX_ENTITY characters (nested JSON made Rasa recurse to death).
    Text that does not start like a payload ("/ hello", "/") is left for the NLU.
    """
    stripped = text.strip()  # Rasa strips before matching
    if not _COMMAND_START.match(stripped):
        return
    match = _COMMAND.fullmatch(stripped)
    if match is None:
        raise InboundError(400, 'A message starting with "/" is a button\'s command, '
                                f'e.g. {_COMMAND_EXAMPLE}; this one is malformed. '
                                'To ask something, type it without the "/".')
    intent = match.group("intent")
    if intent not in command_intents():
        raise InboundError(400, f'"/{intent[:40]}" is not a command the coach takes. Commands come from '
                                f"its buttons, e.g. {_COMMAND_EXAMPLE}; to ask something, type it "
                                'without the "/".')
    if match.group("entities"):
        _check_entities(intent, match.group("entities"))


def _check_entities(intent: str, raw: str) -> None:
    shape = (f'The {{...}} after "/{intent}" must be a JSON object of short texts, '
             f'e.g. /start_drill{{"drill_id": "price_margin"}}')
    try:
        entities = json.loads(raw)
    except (ValueError, RecursionError):
        raise InboundError(400, f"{shape}; it is not valid JSON.") from None
    if not isinstance(entities, dict):
        raise InboundError(400, f"{shape}; it is {_json_type(entities)}.")
    for key, value in entities.items():
        if not isinstance(value, str) or len(value) > MAX_ENTITY:
            what = _json_type(value) if not isinstance(value, str) else f"{len(value):,} characters long"
            name = json.dumps(key[:40], ensure_ascii=False)  # escaped: the reason goes into a log line
            raise InboundError(400, f"{shape}: {name} is {what}; each value is a text of at most "
                                    f"{MAX_ENTITY} characters.")


def check_sender(value: object) -> str:
    """A REST sender id, unchanged, or InboundError 400.

    It must be a non-empty string of at most 100 characters, without control characters or
    invisible format characters (Unicode Cf: "rep-1\u200b" would be a look-alike of rep-1).
    """
    example = 'e.g. {"sender": "rep-7", "message": "..."}'
    if value is None:
        raise InboundError(400, f'The "sender" field is missing: give the rep\'s id, {example}.')
    if not isinstance(value, str):
        raise InboundError(400, 'The "sender" field must be a string (the rep\'s id), '
                                f"not {_json_type(value)}; {example}.")
    if not value.strip():
        raise InboundError(400, f'The "sender" field is empty: give the rep\'s id, {example}.')
    if len(value) > MAX_SENDER:
        raise InboundError(400, f"The sender id has {len(value):,} characters; "
                                f"at most {MAX_SENDER} are allowed.")
    hidden = [ch for ch in value if unicodedata.category(ch) in ("Cc", "Cs", "Cf")]
    if hidden:
        raise InboundError(400, "The sender id contains control or invisible characters "
                                f"(U+{ord(hidden[0]):04X}); use printable characters only.")
    return value


def _json_type(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object",
             type(None): "null"}
    return names.get(type(value), type(value).__name__)


@dataclass
class Turn:
    """The bot's messages for one rep message; `failed` = they are the "restarting" notice (don't cache)."""

    messages: List[Dict[str, Any]] = field(default_factory=list)
    failed: bool = False


def unavailable_messages(text: str, sender_id: str) -> List[Dict[str, Any]]:
    """'The coach is restarting, send that again', in the language of the rep's message.

    Text and payload as two messages, the shape Rasa gives every other reply.
    """
    lang = reply_language(text, None, None)
    # One tap sends the same text again (a new message id, so the page's replay cache lets it run).
    short = text if len(text) <= RESEND_PREVIEW else text[:RESEND_PREVIEW] + "…"
    resend = {"title": ui("resend", lang, text=short), "payload": text}
    return [{"recipient_id": sender_id, "text": ui("service_unavailable", lang), "buttons": [resend]},
            {"recipient_id": sender_id, "custom": {"type": UNAVAILABLE, "retry": True, "lang": lang}}]


async def handle(on_new_message: Callable[[UserMessage], Awaitable[Any]], text: str, sender_id: str,
                 input_channel: str, metadata: Optional[Dict[str, Any]] = None) -> Turn:
    """Run one checked message through Rasa and collect the replies.

    If Rasa raises, or answers nothing at all (what happens when the action server is down:
    the processor logs "Encountered an exception while running action" and the turn ends
    silently), the rep gets the "restarting" notice; the details go to the server log only.
    """
    collector = CollectingOutputChannel()
    try:
        await on_new_message(UserMessage(text, collector, sender_id, input_channel=input_channel,
                                         metadata=metadata))
    except Exception:  # never a stack trace to the rep; CancelledError (client gone) is not caught
        logger.exception("message from sender %r on channel %s failed", sender_id, input_channel)
        return Turn(collector.messages + unavailable_messages(text, sender_id), failed=True)
    if not collector.messages:
        # Not a diagnosis: only the line above, if there is one, says the action server failed.
        logger.error("no reply to a message from sender %r on channel %s: Rasa answered nothing; if "
                     "'Encountered an exception while running action' is logged just above, the action "
                     "server failed or could not be reached", sender_id, input_channel)
        return Turn(unavailable_messages(text, sender_id), failed=True)
    return Turn(collector.messages)
