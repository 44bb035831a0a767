"""The LLM extractor's own logic, with a fake chat model standing for any backend of the port: what
it asks for (a JSON schema, the message) and how it turns the answer into facts. The backends'
wire formats are tested with cassettes in tests/llm."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from agent.llm.types import (
    ChatMessage,
    ChatResult,
    LLMBadOutput,
    StreamEvent,
    ToolSpec,
    Usage,
)
from memory.extract_llm import FACTS_SCHEMA, LLMFactExtractor, as_subject


class FakeChatModel:
    """Answers every call with one prepared JSON object and records the calls."""

    name = "fake:extractor"

    def __init__(self, answer: dict[str, Any] | None, error: Exception | None = None) -> None:
        self.answer = answer
        self.error = error
        self.calls: list[dict[str, Any]] = []

    async def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        json_schema: dict[str, Any] | None = None,
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
    ) -> ChatResult:
        self.calls.append({"messages": list(messages), "json_schema": json_schema})
        if self.error:
            raise self.error
        return ChatResult(json.dumps(self.answer), (), Usage(10, 10), self.name, parsed=self.answer)

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
    ) -> AsyncIterator[StreamEvent]:
        raise NotImplementedError("the extractor does not stream")


def extract(model: FakeChatModel, text: str, **kwargs: Any) -> list[Any]:
    return asyncio.run(LLMFactExtractor(model, **kwargs).extract(text, source_message_id=SOURCE))


SOURCE = uuid.uuid4()


def test_it_asks_for_the_facts_schema_with_the_fans_message() -> None:
    model = FakeChatModel({"facts": []})
    assert extract(model, "my parrot Kiwi says hi") == []
    (call,) = model.calls
    assert call["json_schema"] == FACTS_SCHEMA
    assert [m.role for m in call["messages"]] == ["system", "user"]
    assert call["messages"][1].content == "my parrot Kiwi says hi"


def test_valid_items_become_facts_with_provenance() -> None:
    model = FakeChatModel(
        {
            "facts": [
                {
                    "kind": "personal_detail",
                    "fact": "Has a parrot named Kiwi",
                    "subject": "Pet: Parrot",
                    "confidence": 0.9,
                    "importance": 0.6,
                },
                {
                    "kind": "conversation_fact",
                    "fact": " Mentioned a trip to Rome ",
                    "subject": "",
                    "confidence": 0.8,
                    "importance": 0.4,
                },
            ]
        }
    )
    facts = extract(model, "my parrot Kiwi says hi, off to Rome soon")
    assert [(f.kind, f.subject, f.body) for f in facts] == [
        ("personal_detail", "pet:parrot", "Has a parrot named Kiwi"),
        ("conversation_fact", None, "Mentioned a trip to Rome"),
    ]
    assert all(f.source_message_id == SOURCE for f in facts)
    assert [f.confidence for f in facts] == [0.9, 0.8]


def test_malformed_or_unsure_items_are_dropped_and_the_rest_kept() -> None:
    good = {
        "kind": "key_date",
        "fact": "Birthday is May 2",
        "subject": "birthday",
        "confidence": 0.95,
        "importance": 0.9,
    }
    model = FakeChatModel(
        {
            "facts": [
                {**good, "kind": "favourite_colour"},  # not a kind
                {**good, "confidence": 1.7},  # out of range
                {**good, "fact": ""},  # empty
                {**good, "confidence": 0.3},  # unsure
                "Birthday is May 2",  # not an object
                good,
            ]
        }
    )
    facts = extract(model, "my birthday is may 2")
    assert [(f.body, f.subject) for f in facts] == [("Birthday is May 2", "birthday")]


def test_invented_or_repeated_facts_are_dropped() -> None:
    item = {"kind": "preference", "subject": "", "confidence": 0.9, "importance": 0.5}
    model = FakeChatModel(
        {
            "facts": [
                {**item, "fact": "Loves sushi"},
                {**item, "fact": "loves sushi"},  # the same again
                {**item, "fact": "Loves horror movies"},  # nothing of it in the message
                {**item, "fact": "sushi"},  # a word, not a fact
                {**item, "kind": "pet_name", "fact": "pet_name"},
            ]
        }
    )
    facts = extract(model, "honestly i could eat sushi every day")
    assert [f.body for f in facts] == ["Loves sushi"]


@pytest.mark.parametrize("answer", [None, {}, {"facts": "none"}, {"other": []}])
def test_an_answer_without_a_list_of_facts_gives_no_facts(answer: dict[str, Any] | None) -> None:
    assert extract(FakeChatModel(answer), "hello") == []


def test_a_failing_model_raises_the_ports_error() -> None:
    with pytest.raises(LLMBadOutput):
        extract(FakeChatModel(None, LLMBadOutput("not JSON twice")), "hello")


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("city", "city"),
        ("Home City", "home_city"),
        ("pet:dog", "pet:dog"),
        ("", None),
        ("42", None),
    ],
)
def test_subjects_are_made_valid_keys_or_dropped(text: str, subject: str | None) -> None:
    assert as_subject(text) == subject
