"""A scripted chat model for graph-logic tests: it answers with the replies it was given, in
order, and keeps every request so a test can see what the model was shown."""

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.llm.types import ChatResult, StreamDone, StreamEvent, TokenDelta, Usage
from prompts.messages import ChatMessage, ToolCall
from tools.base import ToolSpec

Reply = ChatResult | Callable[[Sequence[ChatMessage]], ChatResult]


def says(text: str) -> ChatResult:
    return ChatResult(text, (), Usage(100, 10), "scripted")


def calls(*tool_calls: tuple[str, dict[str, Any]], text: str = "") -> ChatResult:
    made = tuple(
        ToolCall(f"call_{index}_{name}", name, args)
        for index, (name, args) in enumerate(tool_calls)
    )
    return ChatResult(text, made, Usage(100, 10), "scripted", "tool_calls")


@dataclass(frozen=True)
class Request:
    messages: tuple[ChatMessage, ...]
    tools: tuple[str, ...]


@dataclass
class ScriptedChatModel:
    replies: list[Reply]
    requests: list[Request] = field(default_factory=list)
    name: str = "scripted:test"
    otherwise: ChatResult | None = None  # the answer once the scripted replies are used up

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
        self.requests.append(Request(tuple(messages), tuple(t.name for t in tools)))
        if not self.replies:
            if self.otherwise is not None:
                return self.otherwise
            raise AssertionError("the model was called more often than the test scripted")
        reply = self.replies.pop(0)
        return reply(messages) if callable(reply) else reply

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
        result = await self.chat(messages, tools=tools, max_tokens=max_tokens)
        for word in result.content.split(" "):
            yield TokenDelta(word + " ")
        yield StreamDone(result)

    def tool_messages(self, request: int) -> list[str]:
        """The tool results the model was shown in its `request`-th call."""
        return [m.content for m in self.requests[request].messages if m.role == "tool"]
