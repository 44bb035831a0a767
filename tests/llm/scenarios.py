"""The prompts every backend is tested with, and checks shared by the backend tests."""

from collections.abc import AsyncIterator
from typing import Any

from agent.llm.schema_check import schema_errors
from agent.llm.types import ChatResult, StreamDone, StreamEvent, TokenDelta
from prompts.messages import ChatMessage
from tools.base import ToolSpec

GREETING = (
    ChatMessage("system", "You are a friendly assistant of a content creator. Be brief."),
    ChatMessage("user", "Hi! How is your day going?"),
)
SPEND_TOOL = ToolSpec(
    name="get_fan_spend",
    description="Total amount a fan has spent, in dollars.",
    parameters={
        "type": "object",
        "properties": {"fan_id": {"type": "integer"}},
        "required": ["fan_id"],
    },
)
SPEND_QUESTION = (ChatMessage("user", "How much has fan 42 spent so far?"),)
INTENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "intent": {"type": "string", "enum": ["purchase", "chat", "complaint"]},
        "confidence": {"type": "number"},
    },
    "required": ["intent", "confidence"],
}
INTENT_QUESTION = (
    ChatMessage("system", "Classify the fan's message. Answer in JSON."),
    ChatMessage("user", "how much for a custom vid?"),
)


def assert_counted(result: ChatResult) -> None:
    assert result.usage.reported
    assert result.usage.prompt_tokens > 0
    assert result.usage.completion_tokens > 0


def assert_spend_call(result: ChatResult) -> None:
    assert len(result.tool_calls) == 1
    call = result.tool_calls[0]
    assert call.name == "get_fan_spend"
    assert schema_errors(call.arguments, SPEND_TOOL.parameters) == []
    assert call.id


def assert_intent(result: ChatResult) -> None:
    assert result.parsed is not None
    assert schema_errors(result.parsed, INTENT_SCHEMA) == []
    assert result.tool_calls == ()


async def collect(events: AsyncIterator[StreamEvent]) -> tuple[list[str], ChatResult]:
    """The text deltas of a stream and its final result; exactly one StreamDone, last."""
    deltas: list[str] = []
    done: list[ChatResult] = []
    async for event in events:
        assert not done, "an event after StreamDone"
        if isinstance(event, TokenDelta):
            deltas.append(event.text)
        else:
            assert isinstance(event, StreamDone)
            done.append(event.result)
    assert len(done) == 1
    return deltas, done[0]
