"""Facts from a fan message by a chat model: the request (prompt, JSON schema) and the checks its
answer goes through. The call itself is the agent's (agent/graph/model_facts.py), which owns the
chat model; on by FANAGENT_MEMORY_LLM_EXTRACTION with a capable model, beside the patterns.

The model's items are checked one by one and dropped when malformed, unsure (below
MIN_CONFIDENCE), a repeat, already found by the patterns, or not grounded in the message: a fact
must be a phrase sharing a content word with what the fan wrote, and its names and numbers must
be the message's own ("Has a dog named Max" for "my dog's name is Max", not "Has a dog named
Rex"), which keeps a model from storing what it made up.
"""

import re
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field, ValidationError

from memory.extract import word_set
from memory.types import MAX_BODY, MEMORY_KINDS, SUBJECT, Fact, MemoryKind

SYSTEM_PROMPT = """\
You read one message a fan sent to a creator and list the durable facts it states about the fan
himself: facts still worth knowing weeks later. Skip greetings, flirting, questions, moods,
jokes, and what happened to other people.

Kinds:
- pet_name: what the fan likes to be called, or his nickname ("Likes being called 'babe'")
- key_date: birthday, anniversaries ("Birthday is March 14")
- preference: content or things he likes or dislikes ("Prefers videos over photos")
- personal_detail: job, city, pets, family, hobbies, age ("Works as a nurse", "Has a dog named Max")
- conversation_fact: events and plans he mentioned ("Mentioned a work trip to Denver next week")

For each fact give: kind; fact, one short sentence in the third person without the fan's name,
using the message's own words for names and places; subject, a lowercase word for what a fact
that can change is about (city, job, birthday, partner), or "" for facts that add up (likes,
trips); confidence 0-1 that the message really states it; importance 0-1 for a personal reply.
No facts: {"facts": []}."""
MAX_FACTS = 5  # bounds keep a grammar-constrained answer short enough to finish
MIN_CONFIDENCE = 0.6
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
NUMBER = re.compile(r"\d+")
CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
QUOTED = re.compile(r"'([^']+)'")
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


def facts_from_answer(
    answer: dict[str, Any] | None,
    message: str,
    *,
    known: Sequence[Fact] = (),
    source_message_id: UUID | None = None,
) -> list[Fact]:
    """The checked facts of the model's parsed answer to `message`, without those `known`
    already (the patterns'), each once."""
    items = (answer or {}).get("facts")
    seen = {fact.body.casefold() for fact in known}
    slots = {(fact.kind, fact.subject) for fact in known if fact.subject}
    facts: list[Fact] = []
    for item in items if isinstance(items, list) else []:
        try:
            found = ExtractedFact.model_validate(item)
        except ValidationError:
            continue
        body = " ".join(found.fact.split())
        subject = as_subject(found.subject)
        if (
            found.confidence < MIN_CONFIDENCE
            or not grounded(body, message)
            or body.casefold() in seen
            or (found.kind, subject) in slots
        ):
            continue
        seen.add(body.casefold())
        facts.append(
            Fact(
                kind=found.kind,
                body=body,
                subject=subject,
                confidence=found.confidence,
                importance=found.importance,
                source_message_id=source_message_id,
            )
        )
    return facts


def grounded(fact: str, message: str) -> bool:
    """Whether the fact is a phrase sharing a content word (three letters or more, not a
    function word) with the message, whose names and numbers are all the message's own."""
    said = set(WORD.findall(message.lower())) | set(NUMBER.findall(message))
    words = WORD.findall(fact.lower())
    shares = any(w in said for w in words if len(w) >= 3 and w not in FUNCTION_WORDS)
    return len(words) > 1 and shares and _names_and_numbers(fact) <= said


def _names_and_numbers(fact: str) -> set[str]:
    """The fact's numbers, and its names: capitalised or quoted words after the first word."""
    rest = fact.split(maxsplit=1)[1] if len(fact.split()) > 1 else ""
    names = CAPITALISED.findall(rest) + QUOTED.findall(rest)
    return set(NUMBER.findall(fact)) | {w for name in names for w in WORD.findall(name.lower())}


def as_subject(text: str) -> str | None:
    """The model's subject as a valid subject key ("Home City" -> "home_city"), or None."""
    key = re.sub(r"\s*:\s*", ":", text.strip().lower())
    key = re.sub(r"[^a-z0-9:_-]+", "_", key).strip("_")[:63]
    return key if SUBJECT.match(key) else None
