"""What comes out of a chat model, whatever the backend, and how a call can fail. What goes in:
prompts.messages (the conversation) and tools.base.ToolSpec (the tools it may call)."""

from dataclasses import dataclass, field
from typing import Any

from prompts.messages import ToolCall


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int
    # False when the backend sent no counts (llama-cpp-python's server ignores the OpenAI
    # stream_options.include_usage): both counts are then 0, not an estimate.
    reported: bool = True

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.reported and other.reported,
        )


@dataclass(frozen=True)
class ChatResult:
    content: str
    tool_calls: tuple[ToolCall, ...]
    usage: Usage
    model: str
    finish_reason: str | None = None
    # Set when the structured output or a tool call was repaired from malformed model text.
    repaired: bool = False
    parsed: dict[str, Any] | None = field(default=None)  # the JSON object when a schema was given


@dataclass(frozen=True)
class TokenDelta:
    """One piece of streamed text."""

    text: str


@dataclass(frozen=True)
class StreamDone:
    """The end of a stream, with the whole result."""

    result: ChatResult


StreamEvent = TokenDelta | StreamDone


class LLMError(Exception):
    """Base of every failure a caller of the port can see."""


class LLMTimeout(LLMError):
    """The backend did not answer within the per-call timeout (after retries)."""


class LLMUnavailable(LLMError):
    """Connection refused, 429 or 5xx after the retries ran out."""


class LLMBadOutput(LLMError):
    """The model's JSON or tool call stayed malformed after one repair attempt."""


class LLMRequestError(LLMError):
    """The backend rejected the request itself (4xx other than 429): retrying will not help."""
