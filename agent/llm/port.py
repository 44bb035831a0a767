"""The chat-model port every backend implements (ollama, openai, local llama.cpp)."""

from collections.abc import AsyncIterator, Sequence
from typing import Any, Protocol

from agent.llm.types import ChatResult, StreamEvent
from prompts.messages import ChatMessage
from tools.base import ToolSpec


class ChatModel(Protocol):
    """A chat model. Implementations retry transient failures and raise only LLMError."""

    name: str  # backend:model, e.g. "local:SmolLM2-135M-Instruct"

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
        """One completion. With `json_schema`, the reply is a JSON object (in `parsed`).
        `frequency_penalty` (OpenAI's meaning, 0 = none) keeps a small model from looping."""
        ...

    def stream(
        self,
        messages: Sequence[ChatMessage],
        *,
        tools: Sequence[ToolSpec] = (),
        temperature: float = 0.0,
        max_tokens: int = 256,
        seed: int | None = 0,
        frequency_penalty: float = 0.0,
    ) -> AsyncIterator[StreamEvent]:
        """Tokens as they come, then one StreamDone with the whole result."""
        ...
