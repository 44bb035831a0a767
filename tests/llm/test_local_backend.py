"""The local backend runs the real embedded SmolLM2 in-process (no cassette: vcrpy cannot see
an in-process model). Greedy decoding with a fixed seed makes it deterministic; the tests
assert structure (schema-valid JSON, a well-formed call of the offered tool, streamed text
equal to the final text, real usage counts). They double as the smoke test proving the
offline default works."""

import asyncio
from pathlib import Path

import pytest

from agent.llm.local_backend import LocalChatModel, local_messages
from agent.llm.retry import RetryPolicy
from agent.llm.types import LLMRequestError, LLMTimeout
from prompts.messages import ChatMessage, ToolCall
from tests.llm.conftest import FAST_RETRIES, local_smollm2
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


def test_chat_is_deterministic(local_model: LocalChatModel) -> None:
    first = asyncio.run(local_model.chat(GREETING, max_tokens=40))
    again = asyncio.run(local_model.chat(GREETING, max_tokens=40))

    assert first.content.strip()
    assert first.finish_reason in ("stop", "length")
    assert first.model == "SmolLM2-135M-Instruct.Q4_1"
    assert local_model.name == "local:SmolLM2-135M-Instruct.Q4_1"
    assert_counted(first)
    assert again == first


def test_tool_call(local_model: LocalChatModel) -> None:
    result = asyncio.run(local_model.chat(SPEND_QUESTION, tools=[SPEND_TOOL], max_tokens=40))

    assert_spend_call(result)
    assert result.finish_reason == "tool_calls"
    assert_counted(result)


def test_tool_result_becomes_a_turn_the_model_sees(local_model: LocalChatModel) -> None:
    call = ToolCall("call_1", "get_fan_spend", {"fan_id": 42})
    messages = (
        *SPEND_QUESTION,
        ChatMessage("assistant", "", tool_calls=(call,)),
        ChatMessage("tool", '{"total_usd": 310}', tool_call_id="call_1"),
    )

    assert local_messages(messages)[-1] == {
        "role": "user",
        "content": 'get_fan_spend returned: {"total_usd": 310}',
    }
    result = asyncio.run(local_model.chat(messages, max_tokens=40))
    assert result.content.strip()


def test_structured_output_is_grammar_constrained(local_model: LocalChatModel) -> None:
    result = asyncio.run(
        local_model.chat(INTENT_QUESTION, json_schema=INTENT_SCHEMA, max_tokens=60)
    )

    assert_intent(result)
    assert not result.repaired  # the grammar makes a repair unnecessary
    assert_counted(result)


@pytest.mark.parametrize("max_tokens", [40, 6])  # stopped by the model, cut at max_tokens
def test_streaming_matches_the_whole_answer(local_model: LocalChatModel, max_tokens: int) -> None:
    deltas, streamed = asyncio.run(collect(local_model.stream(GREETING, max_tokens=max_tokens)))
    whole = asyncio.run(local_model.chat(GREETING, max_tokens=max_tokens))

    assert len(deltas) > 1
    assert "".join(deltas) == streamed.content == whole.content
    assert streamed.finish_reason == whole.finish_reason
    assert streamed.usage == whole.usage  # counted after the stream, same as llama.cpp's


def test_streaming_with_tools_ends_with_the_call(local_model: LocalChatModel) -> None:
    deltas, result = asyncio.run(
        collect(local_model.stream(SPEND_QUESTION, tools=[SPEND_TOOL], max_tokens=40))
    )

    assert deltas == []
    assert_spend_call(result)


def test_timeout_is_typed_and_not_retried() -> None:
    hurried = local_smollm2(
        RetryPolicy(timeout_s=0.001, max_retries=2, backoff_s=0, backoff_max_s=0)
    )

    with pytest.raises(LLMTimeout, match=r"\(attempts: 1\)"):
        asyncio.run(hurried.chat(GREETING, max_tokens=8))


def test_missing_model_file_is_a_request_error(tmp_path: Path) -> None:
    model = LocalChatModel(
        gguf_path=tmp_path / "absent.gguf",
        n_ctx=512,
        n_threads=1,
        chat_format="chatml-function-calling",
        policy=FAST_RETRIES,
    )

    with pytest.raises(LLMRequestError, match=r"absent\.gguf"):
        asyncio.run(model.chat(GREETING))
