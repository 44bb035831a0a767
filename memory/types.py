"""A fact to remember about a fan, and a remembered one (a fan_memories row)."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args
from uuid import UUID

MemoryKind = Literal["pet_name", "key_date", "preference", "personal_detail", "conversation_fact"]
MEMORY_KINDS: tuple[MemoryKind, ...] = get_args(MemoryKind)
# How much a kind of fact weighs in a draft when nothing says otherwise: what a fan would be hurt
# to see forgotten (a pet's name, a birthday) above what came up in passing.
KIND_IMPORTANCE: dict[MemoryKind, float] = {
    "pet_name": 0.8,
    "key_date": 0.8,
    "personal_detail": 0.6,
    "preference": 0.5,  # the most common kind and the least telling: the old neutral default
    "conversation_fact": 0.4,
}
# Facts that stay true as they age (names, pets, job, birthday, tastes): their score does not
# decay with time; a conversation fact ("back from Vegas") does.
DURABLE_KINDS: frozenset[MemoryKind] = frozenset(KIND_IMPORTANCE) - {"conversation_fact"}
# The CHECK on fan_memories.subject (db/migrations/0005_memory.sql).
SUBJECT = re.compile(r"^[a-z][a-z0-9_:-]{0,62}$")
MAX_BODY = 2000


@dataclass(frozen=True)
class Fact:
    """A durable fact about one fan, written in the third person ("Has a dog named Biscuit").

    `subject` names what the fact is about ("city", "job", "pet:dog"): a fan has one current
    fact per (kind, subject), so a new one replaces the old. None for facts that accumulate.
    """

    kind: MemoryKind
    body: str
    subject: str | None = None
    confidence: float = 1.0
    importance: float | None = None  # None: the kind's (KIND_IMPORTANCE), set on creation
    source_message_id: UUID | None = None
    expires_at: datetime | None = None  # a plan ("going to Vegas next week"): over from then
    said_at: datetime | None = None  # when the fan said it; the memory is dated so (None: now)

    def __post_init__(self) -> None:
        if self.kind not in MEMORY_KINDS:
            raise ValueError(f"kind must be one of {', '.join(MEMORY_KINDS)}, not {self.kind!r}")
        if self.importance is None:
            object.__setattr__(self, "importance", KIND_IMPORTANCE[self.kind])
        if not 1 <= len(self.body.strip()) <= MAX_BODY:
            raise ValueError(f"body must have 1 to {MAX_BODY} characters")
        if self.subject is not None and not SUBJECT.match(self.subject):
            raise ValueError(f"subject {self.subject!r} must match {SUBJECT.pattern}")
        for name in ("confidence", "importance"):
            if not 0 <= getattr(self, name) <= 1:  # importance is set by now
                raise ValueError(f"{name} must be between 0 and 1")
        for name in ("expires_at", "said_at"):
            moment = getattr(self, name)
            if moment is not None and moment.tzinfo is None:
                raise ValueError(f"{name} must say its time zone")


@dataclass(frozen=True)
class Memory:
    """A fan_memories row (without its embedding).

    `expires_at`: a plan's end; from then on the plan is past (`body_on`), and search across
    fans leaves it out.
    `personal`: it tells where the fan lives, their job, real name or contact details (the
    database decides by subject and text, migration 0017); chatters never see such a memory.
    """

    id: UUID
    fan_id: UUID
    kind: MemoryKind
    subject: str | None
    body: str
    source_message_id: UUID | None
    confidence: float
    importance: float
    personal: bool
    superseded_by: UUID | None
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None

    def body_on(self, now: datetime) -> str:
        """The memory as a draft reads it on `now`: a plan says when it was said, and that its
        time is past once it is ("Mentioned a trip to Vegas next week (said on Dec 2; past)")."""
        if self.expires_at is None:
            return self.body
        past = "; past" if self.expires_at <= now else ""
        return f"{self.body} (said on {self.created_at:%b %-d}{past})"
