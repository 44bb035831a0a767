"""The ollama backend against /api/chat, replayed from cassettes WRITTEN FROM OLLAMA'S API
REFERENCE (docs/api.md), not recorded: no Ollama server was reachable (cassettes/README.md).

The requests in the cassettes must match what the adapter sends (JSON-equal bodies), so these
tests pin the wire format: options, keep_alive, `format` with the schema, tools, tool_name.
"""

import asyncio

import pytest

from agent.llm.ollama_backend import OllamaChatModel
from prompts.messages import ChatMessage, ToolCall
from tests.llm.conftest import FAST_RETRIES
from tests.llm.scenarios import (
    GREETING,
    INTENT_QUESTION,
    INTENT_SCHEMA,
    SPEND_QUESTION,
    SPEND_TOOL,
    assert_counted,
    assert_intent,
    assert_spend_call,
    collect,
)

CASSETTE_FOLDER = "ollama"

pytestmark = pytest.mark.usefixtures("cassette")


def ollama_model() -> OllamaChatModel:
    return OllamaChatModel(
        host="http://127.0.0.1:11434", model="llama3.2", keep_alive="5m", policy=FAST_RETRIES
    )


def test_chat() -> None:
    result = asyncio.run(ollama_model().chat(GREETING, max_tokens=40))

    assert result.content == "Going great, thanks for asking! How is yours?"
    assert result.finish_reason == "stop"
    assert result.model == "llama3.2"
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (31, 12)
    assert_counted(result)


def test_tool_call() -> None:
    result = asyncio.run(ollama_model().chat(SPEND_QUESTION, tools=[SPEND_TOOL]))

    assert_spend_call(result)
    assert result.tool_calls[0] == ToolCall("call_0", "get_fan_spend", {"fan_id": 42})
    assert_counted(result)


def test_tool_result_round_trip() -> None:
    call = ToolCall("call_0", "get_fan_spend", {"fan_id": 42})
    messages = (
        *SPEND_QUESTION,
        ChatMessage("assistant", "", tool_calls=(call,)),
        ChatMessage("tool", '{"total_usd": 310}', tool_call_id="call_0"),
    )

    result = asyncio.run(ollama_model().chat(messages, max_tokens=40))

    assert result.content == "Fan 42 has spent $310 so far."


def test_structured_output() -> None:
    result = asyncio.run(
        ollama_model().chat(INTENT_QUESTION, json_schema=INTENT_SCHEMA, max_tokens=60)
    )

    assert_intent(result)
    assert result.parsed == {"intent": "purchase", "confidence": 0.92}
    assert not result.repaired
    assert_counted(result)


def test_streaming() -> None:
    deltas, result = asyncio.run(collect(ollama_model().stream(GREETING, max_tokens=40)))

    assert deltas == ["Going", " great", ",", " thanks", "!"]
    assert result.content == "Going great, thanks!"
    assert result.finish_reason == "stop"
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (31, 6)


def test_streaming_tool_call() -> None:
    deltas, result = asyncio.run(collect(ollama_model().stream(SPEND_QUESTION, tools=[SPEND_TOOL])))

    assert deltas == []
    assert_spend_call(result)
    assert_counted(result)
