"""A chat model that answers every request at once with the same reply and reports no usage:
what the benchmarks put behind the service to measure everything but the model, and what the
evals draft with when a case is not one the model under test answers. Not a backend to serve
fans with."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from agent.llm.types import ChatResult, StreamDone, StreamEvent, TokenDelta
from agent.llm.types import Usage as ModelUsage
from prompts.messages import ChatMessage
from tools.base import ToolSpec


@dataclass
class FixedReplyChatModel:
    reply: str
    name: str

    async def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        json_schema: dict[str, Any] | None = None,
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
        frequency_penalty: float = 0.0,
    ) -> ChatResult:
        return ChatResult(self.reply, (), ModelUsage(0, 0, reported=False), self.name, "stop")

    async def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
        frequency_penalty: float = 0.0,
    ) -> AsyncIterator[StreamEvent]:
        result = await self.chat(messages)
        yield TokenDelta(result.content)
        yield StreamDone(result)
