"""The outbound guard: what may never reach a fan, whoever wrote it (a chatter, the agent, an
approver's edit), checked on every path to the outbox: the send endpoint (agent/sending.py), an
approval (agent/service.py) and the send tools themselves (tools/messages.py), which every
executed send goes through. It blocks what the platforms ban: moving payment off the platform
(cash apps, a $cashtag), moving contact off it (phone numbers, email addresses, other apps'
handles), meeting in person, the platforms' prohibited content terms, and any reference to a
minor. Each block is logged in `outbound_guard_blocks` (migration 0024: the creator's own rows,
append-only) with the reason a person reads.

The rules are word patterns, tuned to let ordinary replies through: "call me babe", "$25",
"pay per view", "snap a pic", "a minor detail" pass; text spelled to slip past (v3nm0, p@ypal)
is read with its look-alike characters mapped back to letters first.
"""

import re
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from db.connect import creator_scope

Category = Literal[
    "off_platform_payment",
    "off_platform_contact",
    "meeting_in_person",
    "prohibited_content",
    "minor",
]
# Where it was stopped: the send endpoint, an approval, the agent's own tool call (proposed or
# run), the execution of a decided action (tools/messages.py: every send runs through it), an
# automation rule's message (agent/automations.py), a broadcast's message to one of its fans
# (crm/broadcasts/delivery.py).
Path = Literal["send", "approval", "agent", "execution", "automation", "broadcast"]
WHY: dict[Category, str] = {
    "off_platform_payment": "asks for payment outside the platform",
    "off_platform_contact": "moves the conversation off the platform",
    "meeting_in_person": "proposes meeting in person",
    "prohibited_content": "uses a term the platform prohibits",
    "minor": "refers to a minor",
}
_RULES: tuple[tuple[Category, str], ...] = (
    ("off_platform_payment", r"\b(?:cash\s?app|venmo|pay\s?pal|zelle|western\s+union|moneygram)\b"),
    ("off_platform_payment", r"\b(?:bitcoin|btc|crypto\s+wallet|usdt|gift\s?cards?)\b"),
    ("off_platform_payment", r"(?<![\w$])\$[a-z][a-z0-9_]{1,19}\b"),  # a $cashtag; $25 is a price
    ("off_platform_contact", r"[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"),  # an email
    ("off_platform_contact", r"(?<![\d$])(?:\+?\d[\s().-]*){9,}\d(?![\d%])"),  # 10+ digits
    ("off_platform_contact", r"(?<![\d$])\d{3}[\s.-]\d{4}(?!\d)"),  # a local number: 555-1234
    ("off_platform_contact", r"\b(?:snapchat|instagram|telegram|whats\s?app|kik|discord|tiktok)\b"),
    (
        "off_platform_contact",
        r"\b(?:my|on|add\s+me\s+on|follow\s+me\s+on)\s+(?:snap|insta|ig|sc)\b",
    ),
    ("off_platform_contact", r"\b(?:snap|insta|ig|sc)\s*[:@]"),
    (
        "off_platform_contact",
        r"\b(?:my|your)\s+(?:phone\s+number|cell(?:\s+number)?|digits|number)\b"
        r"(?!\s+(?:one|1|fan)\b)",
    ),
    ("off_platform_contact", r"\b(?:call|text)\s+me\s+(?:at|on)\b"),
    (
        "meeting_in_person",
        r"\bmeet\s+(?:up|irl|in\s+person|(?:me|you|u)\s+(?:at|in)|at|for\s+(?:a\s+)?"
        r"(?:coffee|drinks?|dinner|lunch))\b",
    ),
    (
        "meeting_in_person",
        r"\b(?:see|visit|date|hang\s+(?:out\s+)?with)\s+(?:you|u|me)\s+(?:in\s+person|irl|in\s+real"
        r"\s+life)\b|\bhang\s+(?:out\s+)?irl\b",
    ),
    ("meeting_in_person", r"\b(?:come\s+over|my\s+place|your\s+place|my\s+address|hotel\s+room)\b"),
    ("prohibited_content", r"\b(?:incest|bestiality|zoophilia|necrophilia|rape|raped|noncon)\b"),
    ("prohibited_content", r"\b(?:non[\s-]?consensual|scat|escort(?:ing)?|prostitut\w*)\b"),
    ("prohibited_content", r"\b(?:full\s+service|drugged|blackout\s+drunk)\b"),
    ("minor", r"\b(?:underage|under\s+age|jailbait|lolita|loli|schoolgirl|high\s?schooler)\b"),
    (
        "minor",
        r"\b(?:minors?|teens?|teenagers?)\b[^.!?]{0,40}\b(?:sex|nudes?|naked|pics?|content)\b",
    ),
    ("minor", r"\b(?:sex|nudes?|naked)\b[^.!?]{0,40}\b(?:minors?|teens?|teenagers?)\b"),
    ("minor", r"\b1[0-7]\s*(?:yo|y/o|yrs?\s+old|years?[\s-]old)\b"),
    (
        "minor",
        r"\b(?:i'?m|i\s+am|she'?s|he'?s|you'?re|turned|just\s+turned)\s+1[0-7]"
        r"(?![\d.,]*\s*(?:%|\$|[a-z]*\s*(?:min|mins|minutes?|hours?|hrs?|secs?|seconds?|days?|"
        r"weeks?|months?|dollars|bucks|k|inch|inches|cm|pics|photos|videos|times|more|left)\b))",
    ),
)
RULES = tuple((category, re.compile(pattern, re.IGNORECASE)) for category, pattern in _RULES)
# Look-alike characters read as the letters they stand for, inside words only.
LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
WORD_WITH_LOOKALIKES = re.compile(r"\b(?=[\w@]*[a-z])(?=[\w@]*[0-9@])[\w@]+\b", re.IGNORECASE)
# A word spelled a letter at a time to slip past ("c a s h a p p", "v.e.n.m.o") is read joined.
SPELLED_OUT = re.compile(r"(?<![\w.])(?:[a-z][\s.*_-]+){3,}[a-z](?![\w])", re.IGNORECASE)
SPELLING_GAPS = re.compile(r"[\s.*_-]+")
ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff]")

RECORD = """
INSERT INTO outbound_guard_blocks
    (creator_id, fan_id, path, category, reason, matched, body, user_id, action_id)
VALUES (app_current_creator(), %(fan_id)s, %(path)s, %(category)s, %(reason)s, %(matched)s,
        %(body)s, %(user_id)s, %(action_id)s)
"""
RECENT = """
SELECT id, fan_id, path, category, reason, matched, body, user_id, action_id, blocked_at
FROM outbound_guard_blocks
ORDER BY blocked_at DESC, id DESC
LIMIT %s
"""


@dataclass(frozen=True)
class Block:
    category: Category
    matched: str  # the words that tripped the guard

    @property
    def reason(self) -> str:
        return f'{WHY[self.category]} ("{self.matched}")'


@dataclass(frozen=True)
class Attempt:
    """A message on its way to a fan, and who and what sent it there."""

    fan_id: UUID
    body: str
    path: Path
    user_id: UUID | None = None
    action_id: UUID | None = None


class OutboundBlocked(ValueError):
    """The attempt may not reach its fan; `block` says why."""

    def __init__(self, block: Block, attempt: Attempt) -> None:
        super().__init__(f"blocked by the outbound guard: the message {block.reason}")
        self.block = block
        self.attempt = attempt


def screen(text: str) -> Block | None:
    """The first rule `text` breaks, or None when it may go out."""
    plain = ZERO_WIDTH.sub("", text)
    unmasked = WORD_WITH_LOOKALIKES.sub(lambda m: m.group(0).translate(LOOKALIKES), plain)
    joined = SPELLED_OUT.sub(lambda m: SPELLING_GAPS.sub("", m.group(0)), unmasked)
    readings = dict.fromkeys((plain, unmasked, joined))  # each distinct reading searched once
    for category, rule in RULES:
        for candidate in readings:
            found = rule.search(candidate)
            if found:
                return Block(category, " ".join(found.group(0).split()))
    return None


def inspect(attempt: Attempt) -> None:
    """Raises OutboundBlocked when the attempt's text breaks a rule. Logs nothing: whoever
    catches it records it (`record`) in a transaction that commits."""
    block = screen(attempt.body)
    if block is not None:
        raise OutboundBlocked(block, attempt)


def enforce(conn: psycopg.Connection[Any], creator_id: UUID, attempt: Attempt) -> None:
    """`inspect`, logging a block in a transaction of its own (`conn` in autocommit, outside
    one): the log row stays though the caller abandons its work on the raise."""
    try:
        inspect(attempt)
    except OutboundBlocked as blocked:
        with creator_scope(conn, creator_id):
            record(conn, blocked)
        raise


def record(conn: psycopg.Connection[Any], blocked: OutboundBlocked) -> None:
    """Logs the block in the caller's creator scope and transaction."""
    attempt, block = blocked.attempt, blocked.block
    conn.execute(
        RECORD,
        {
            "fan_id": attempt.fan_id,
            "path": attempt.path,
            "category": block.category,
            "reason": block.reason,
            "matched": block.matched,
            "body": attempt.body,
            "user_id": attempt.user_id,
            "action_id": attempt.action_id,
        },
    )


def recent_blocks(conn: psycopg.Connection[Any], limit: int) -> list[dict[str, Any]]:
    """The creator's latest blocks, newest first (in the caller's scope)."""
    return conn.cursor(row_factory=dict_row).execute(RECENT, [limit]).fetchall()
