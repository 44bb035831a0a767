"""The openai backend, replayed from cassettes recorded against the embedded SmolLM2 served by
llama-cpp-python's OpenAI-compatible server (see cassettes/README.md)."""

import asyncio

import pytest

from agent.llm.openai_backend import OpenAIChatModel
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

CASSETTE_FOLDER = "openai"
# Where the recording server listened; replay matches on it.
LLAMA_SERVER = "http://127.0.0.1:18431/v1"
# Sent while recording so the cassettes prove the key is scrubbed (tests/llm/test_secrets.py).
RECORDING_KEY = "sk-recording-key-must-not-appear-in-cassettes"

pytestmark = pytest.mark.usefixtures("cassette")


def llama_server_model() -> OpenAIChatModel:
    return OpenAIChatModel(
        model="SmolLM2-135M-Instruct",
        base_url=LLAMA_SERVER,
        api_key=RECORDING_KEY,
        json_mode="json_object",  # llama-cpp-python's server rejects json_schema
        policy=FAST_RETRIES,
    )


def test_chat() -> None:
    result = asyncio.run(llama_server_model().chat(GREETING, max_tokens=40))

    assert result.content.strip()
    assert result.tool_calls == ()
    assert result.finish_reason in ("stop", "length")
    assert result.model == "SmolLM2-135M-Instruct"
    assert_counted(result)


def test_tool_call() -> None:
    result = asyncio.run(llama_server_model().chat(SPEND_QUESTION, tools=[SPEND_TOOL]))

    assert_spend_call(result)
    assert result.tool_calls[0].arguments == {"fan_id": 42}
    assert result.finish_reason == "tool_calls"
    assert not result.repaired
    assert_counted(result)


def test_tool_result_round_trip() -> None:
    call = ToolCall("call_1", "get_fan_spend", {"fan_id": 42})
    messages = (
        *SPEND_QUESTION,
        ChatMessage("assistant", "", tool_calls=(call,)),
        ChatMessage("tool", '{"total_usd": 310}', tool_call_id="call_1"),
    )

    result = asyncio.run(llama_server_model().chat(messages, max_tokens=40))

    assert result.content.strip()
    assert_counted(result)


def test_structured_output() -> None:
    result = asyncio.run(
        llama_server_model().chat(INTENT_QUESTION, json_schema=INTENT_SCHEMA, max_tokens=60)
    )

    assert_intent(result)
    assert not result.repaired
    assert_counted(result)


def test_streaming() -> None:
    deltas, result = asyncio.run(collect(llama_server_model().stream(GREETING, max_tokens=40)))

    assert len(deltas) > 3
    assert "".join(deltas) == result.content
    assert result.finish_reason in ("stop", "length")
    # llama-cpp-python's server ignores stream_options.include_usage: no counts to report.
    assert not result.usage.reported
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (0, 0)
