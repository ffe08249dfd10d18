"""What a rep's message means while a drill runs: a command to the coach, or a reply to the customer.

In a drill everything the rep types is said to the customer. Sales lines often sound like
commands ("那我们开始吧，先进两件试试", "您先别急着退出"), and the NLU reads them as start_drill
or stop_drill, so the intent alone never leaves a drill. A command is only:
- stop: the Stop button's payload, or a stop word on its own ("退出", "stop", trailing punctuation ok);
- start: a drill button's payload, a message that opens with "练习" / "practice", or a start_drill
  message that asks for a drill ("来个练习", "let's role-play the price objection");
- go on: the "go on" button of a confirmation, or, while one is asked, a bare "继续" / "go on";
- while "stop?" is asked, a bare yes ("是", "确定", "yes") confirms it;
- language: a language button's payload (the rep's language is then pinned by the action).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional

from coach.i18n import normalize_text

STOP, START, GO_ON, LANGUAGE, REPLY = "stop", "start", "go_on", "language", "reply"
START_PREFIX = START + ":"  # a pending start names its drill: "start:policy_needs"

# Compared with the whole message, Simplified and lower-cased (so "結束練習" and "Stop!" match too).
_STOP_WORDS = frozenset({
    "退出", "退出练习", "结束练习", "结束", "结束演练", "退出演练",
    "停止练习", "停止演练", "不练了", "先不练了",
    "stop", "quit", "exit", "stop please", "stop drill", "stop the drill", "end drill", "end the drill",
    "quit drill", "quit practice", "exit the drill", "stop the role-play", "end the role-play",
})
_GO_ON_WORDS = frozenset({"继续", "继续练习", "接着练", "go on", "continue", "keep going"})
_YES_WORDS = frozenset({"是", "是的", "确定", "好", "好的", "yes", "ok", "okay", "y", "sure"})
# A start_drill message that names none of these is a sales line ("Shall we start with two cases…").
_DRILL_WORDS = ("练习", "演练", "练一", "drill", "practice", "practise", "role play", "role-play", "roleplay")
_EDGES = " \t\n\u3000.,!?;:。，、！？；：…~～\"'“”‘’「」"
_PAYLOAD = re.compile(r"/(\w+)")


@dataclass(frozen=True)
class RepMessage:
    """One rep message as the NLU read it: the text as typed, the intent, the drill id, the moves."""

    text: str
    moves: List[str] = field(default_factory=list)
    intent: Optional[str] = None
    drill_id: object = None  # the drill_id entity's raw value: only a payload carries one


def bare(text: str) -> str:
    """The message as compared with command words: Simplified, lower case, no edge punctuation."""
    return " ".join(normalize_text(text).lower().strip(_EDGES).split())


def payload_intent(text: str) -> Optional[str]:
    """'stop_drill' for '/stop_drill', 'start_drill' for '/start_drill{...}'; None for typed text."""
    found = _PAYLOAD.match(text.strip())
    return found.group(1) if found else None


def command(message: RepMessage, pending: Optional[str]) -> str:
    """STOP, START, GO_ON, LANGUAGE or REPLY; `pending` is the confirmation being asked, if any."""
    payload, words = payload_intent(message.text), bare(message.text)
    if payload == "stop_drill" or words in _STOP_WORDS or (pending == STOP and words in _YES_WORDS):
        return STOP
    if payload == "continue_drill" or (pending and words in _GO_ON_WORDS):
        return GO_ON
    if payload == "start_drill":
        return START
    if payload == "switch_language":
        return LANGUAGE
    if payload is None and (words.startswith(_DRILL_WORDS)
                            or (message.intent == "start_drill" and any(w in words for w in _DRILL_WORDS))):
        return START
    return REPLY
