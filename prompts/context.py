"""What the prompts are rendered from. The agent fills these from the database; the order in
which it lists memories, messages or intents does not matter (rendering sorts them)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from personas.model import Persona


@dataclass(frozen=True)
class MemoryFact:
    id: str
    kind: str  # fan_memories.kind
    body: str
    score: float  # relevance to this message: higher is kept first


@dataclass(frozen=True)
class ConversationTurn:
    id: str
    at: datetime
    direction: Literal["inbound", "outbound"]  # inbound: from the fan
    body: str

    @classmethod
    def from_json(cls, turn: dict[str, Any]) -> "ConversationTurn":
        """From {id, at (ISO 8601), direction, body}."""
        return cls(
            str(turn["id"]), datetime.fromisoformat(turn["at"]), turn["direction"], turn["body"]
        )


@dataclass(frozen=True)
class IntentScore:
    signal: str
    confidence: float


@dataclass(frozen=True)
class Signal:
    """A label the classifier may answer with, and what it means."""

    name: str
    description: str


@dataclass(frozen=True)
class DraftContext:
    creator_name: str
    persona: Persona
    fan_summary: str
    memories: Sequence[MemoryFact]
    conversation: Sequence[ConversationTurn]  # the recent messages, before `message`
    intents: Sequence[IntentScore]
    message: str  # the fan message to answer
