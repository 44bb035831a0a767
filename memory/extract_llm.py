"""Durable facts from a fan message by a chat model with structured (JSON schema) output.

For what the patterns of extract.py do not know. The model's items are checked one by one and
dropped when malformed, unsure (below `min_confidence`), repeated, or not grounded in the
message: a fact must be a phrase sharing a word with what the fan wrote ("Has a dog named Max"
for "my dog's name is Max"), which keeps a small model from storing facts it made up.
"""

import re
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field, ValidationError

from agent.llm.port import ChatModel
from agent.llm.types import ChatMessage
from memory.extract import word_set
from memory.types import MAX_BODY, MEMORY_KINDS, SUBJECT, Fact, MemoryKind

SYSTEM_PROMPT = """\
You read one message a fan sent to a creator and list the durable facts it states about the fan:
facts still worth knowing weeks later. Skip greetings, flirting, questions and moods.

Kinds:
- pet_name: what the fan likes to be called, or his nickname ("Likes being called 'babe'")
- key_date: birthday, anniversaries ("Birthday is March 14")
- preference: content or things he likes or dislikes ("Prefers videos over photos")
- personal_detail: job, city, pets, hobbies, age ("Works as a nurse", "Has a dog named Max")
- conversation_fact: events he mentioned ("Mentioned a work trip to Denver next week")

For each fact give: kind; fact, one short sentence in the third person without the fan's name;
subject, a lowercase word for what a fact that can change is about (city, job, birthday,
pet:dog, nickname), or "" for facts that add up (likes, trips); confidence 0-1 that the message
really states it; importance 0-1 for a personal reply. No facts: {"facts": []}."""
# Bounds keep a small model's grammar-constrained answer short enough to finish.
MAX_FACTS = 5
FACTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "facts": {
            "type": "array",
            "maxItems": MAX_FACTS,
            "items": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": list(MEMORY_KINDS)},
                    "fact": {"type": "string", "minLength": 3, "maxLength": 120},
                    "subject": {"type": "string", "maxLength": 40},
                    "confidence": {"type": "number"},
                    "importance": {"type": "number"},
                },
                "required": ["kind", "fact", "subject", "confidence", "importance"],
            },
        }
    },
    "required": ["facts"],
}


WORD = re.compile(r"[a-z0-9]+")
FUNCTION_WORDS = word_set(
    "a an the and or but of to in on at for with from by as is are was were be been being "
    "has have had he she his her him it its they them their this that i my me you your"
)


class ExtractedFact(BaseModel):
    """One item of the model's answer."""

    kind: MemoryKind
    fact: str = Field(min_length=1, max_length=MAX_BODY)
    subject: str = ""
    confidence: float = Field(ge=0, le=1)
    importance: float = Field(default=0.5, ge=0, le=1)


class LLMFactExtractor:
    """Facts from a message by a ChatModel (any backend of the port)."""

    def __init__(
        self, model: ChatModel, *, min_confidence: float = 0.6, max_tokens: int = 384
    ) -> None:
        self._model = model
        self._min_confidence = min_confidence
        self._max_tokens = max_tokens

    async def extract(self, text: str, *, source_message_id: UUID | None = None) -> list[Fact]:
        """The facts the model finds in `text`. Raises the port's LLMError if the call fails."""
        result = await self._model.chat(
            [ChatMessage("system", SYSTEM_PROMPT), ChatMessage("user", text)],
            json_schema=FACTS_SCHEMA,
            temperature=0.0,
            max_tokens=self._max_tokens,
        )
        items = (result.parsed or {}).get("facts")
        facts: dict[tuple[str, str], Fact] = {}
        for item in items if isinstance(items, list) else []:
            try:
                found = ExtractedFact.model_validate(item)
            except ValidationError:
                continue
            body = found.fact.strip()
            if found.confidence < self._min_confidence or not grounded(body, text):
                continue
            fact = Fact(
                kind=found.kind,
                body=body,
                subject=as_subject(found.subject),
                confidence=found.confidence,
                importance=found.importance,
                source_message_id=source_message_id,
            )
            facts.setdefault((fact.kind, body.casefold()), fact)
        return list(facts.values())


def grounded(fact: str, message: str) -> bool:
    """Whether the fact is a phrase that shares a word (not a function word) with the message."""
    said = set(WORD.findall(message.lower()))
    words = WORD.findall(fact.lower())
    return len(words) > 1 and any(w in said for w in words if w not in FUNCTION_WORDS)


def as_subject(text: str) -> str | None:
    """The model's subject as a valid subject key ("Home City" -> "home_city"), or None."""
    key = re.sub(r"\s*:\s*", ":", text.strip().lower())
    key = re.sub(r"[^a-z0-9:_-]+", "_", key).strip("_")[:63]
    return key if SUBJECT.match(key) else None
