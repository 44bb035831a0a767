"""The openai backend: chat completions on OpenAI or any OpenAI-compatible server (base_url)."""

from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx2
import openai
from openai.types import CompletionUsage
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionMessageFunctionToolCall,
)

from agent.llm.json_repair import RawReply, RawToolCall, check_final, complete_checked
from agent.llm.loop_local import LoopLocal
from agent.llm.retry import RetryPolicy, retried_stream, status_error, with_retries
from agent.llm.types import (
    ChatResult,
    LLMError,
    LLMTimeout,
    LLMUnavailable,
    StreamDone,
    StreamEvent,
    TokenDelta,
    Usage,
)
from agent.llm.wire import message_dicts, tool_dicts
from prompts.messages import ChatMessage
from tools.base import ToolSpec

JsonMode = Literal["json_schema", "json_object"]


def _translate(error: Exception) -> LLMError:
    if isinstance(error, openai.APITimeoutError | httpx2.TimeoutException):
        return LLMTimeout(f"openai: {error}")
    if isinstance(error, openai.APIStatusError):
        return status_error(error.status_code, error.message)
    return LLMUnavailable(f"openai: {error}")  # connection errors, broken responses


# ValueError: a body that is not JSON (JSONDecodeError) or not a completion (pydantic's);
# RecursionError: a body nested too deeply to decode.
_ERRORS = (openai.APIError, httpx2.HTTPError, ValueError, RecursionError)


def _usage(usage: CompletionUsage | None) -> Usage:
    if usage is None:
        return Usage(0, 0, reported=False)
    return Usage(usage.prompt_tokens, usage.completion_tokens)


def _reply(response: object) -> RawReply:
    """The first choice; an answer without one (not a completion, `choices: []`) is broken."""
    if not isinstance(response, ChatCompletion) or not response.choices:
        raise LLMUnavailable("openai: the answer is not a chat completion with a choice")
    choice = response.choices[0]
    calls = tuple(
        RawToolCall(call.id, call.function.name, call.function.arguments)
        for call in choice.message.tool_calls or ()
        if isinstance(call, ChatCompletionMessageFunctionToolCall)
    )
    return RawReply(
        choice.message.content or "",
        calls,
        _usage(response.usage),
        response.model,
        choice.finish_reason,
    )


@dataclass
class _PartialCall:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


@dataclass
class StreamAccumulator:
    """Builds the whole reply from stream chunks (content and tool-call pieces, usage last)."""

    model: str
    content: list[str] = field(default_factory=list)
    calls: dict[int, _PartialCall] = field(default_factory=dict)
    usage: Usage = field(default_factory=lambda: Usage(0, 0, reported=False))
    finish_reason: str | None = None

    def add(self, chunk: ChatCompletionChunk) -> str:
        """Take in one chunk; return its new text."""
        self.model = chunk.model or self.model
        if chunk.usage is not None:
            self.usage = _usage(chunk.usage)
        text = ""
        for choice in chunk.choices[:1]:
            self.finish_reason = choice.finish_reason or self.finish_reason
            text = choice.delta.content or ""
            self.content.append(text)
            for piece in choice.delta.tool_calls or ():
                call = self.calls.setdefault(piece.index, _PartialCall())
                call.id = piece.id or call.id
                if piece.function is not None:
                    call.name = piece.function.name or call.name
                    call.arguments.append(piece.function.arguments or "")
        return text

    def reply(self) -> RawReply:
        if self.finish_reason is None:
            raise LLMUnavailable("openai: the stream ended before the model finished")
        calls = tuple(
            RawToolCall(call.id or f"call_{index}", call.name, "".join(call.arguments))
            for index, call in sorted(self.calls.items())
        )
        return RawReply("".join(self.content), calls, self.usage, self.model, self.finish_reason)


class OpenAIChatModel:
    """ChatModel over the openai client; retries are ours (retry.py), the client's are off."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str | None,
        json_mode: JsonMode,
        policy: RetryPolicy,
    ) -> None:
        self.name = f"openai:{model}"
        self._model = model
        self._json_mode = json_mode
        self._policy = policy
        # A local OpenAI-compatible server needs no key, but the client insists on one.
        self._client = LoopLocal(
            lambda: openai.AsyncOpenAI(
                base_url=base_url,
                api_key=api_key or "unused",
                max_retries=0,
                timeout=policy.timeout_s,
            )
        )

    def request(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec],
        json_schema: dict[str, Any] | None,
        temperature: float,
        max_tokens: int,
        seed: int | None,
        frequency_penalty: float,
    ) -> dict[str, Any]:
        """The keyword arguments of chat.completions.create for one call."""
        body: dict[str, Any] = {
            "model": self._model,
            "messages": message_dicts(messages),
            "temperature": temperature,
            "max_tokens": max_tokens,
        }
        if seed is not None:
            body["seed"] = seed
        if frequency_penalty:
            body["frequency_penalty"] = frequency_penalty
        if tools:
            body["tools"] = tool_dicts(tools)
            body["tool_choice"] = "auto"
        if json_schema is not None and self._json_mode == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "reply", "schema": json_schema},
            }
        elif json_schema is not None:  # llama-cpp-python's dialect, outside the typed params
            body["extra_body"] = {"response_format": {"type": "json_object", "schema": json_schema}}
        return body

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
        async def once(attempt: Sequence[ChatMessage]) -> RawReply:
            body = self.request(
                attempt, tools, json_schema, temperature, max_tokens, seed, frequency_penalty
            )
            try:
                response = await self._client.get().chat.completions.create(**body)
            except _ERRORS as error:
                raise _translate(error) from error
            return _reply(response)

        async def ask(attempt: Sequence[ChatMessage]) -> RawReply:
            return await with_retries(lambda: once(attempt), self._policy)

        return await complete_checked(ask, messages, tools, json_schema)

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
        body = self.request(messages, tools, None, temperature, max_tokens, seed, frequency_penalty)
        whole = StreamAccumulator(self._model)
        async for chunk in retried_stream(lambda: self._chunks(body), self._policy):
            text = whole.add(chunk)
            if text:
                yield TokenDelta(text)
        yield StreamDone(check_final(whole.reply(), tools))

    async def _chunks(self, body: dict[str, Any]) -> AsyncGenerator[ChatCompletionChunk, None]:
        try:
            stream = await self._client.get().chat.completions.create(
                **body, stream=True, stream_options={"include_usage": True}
            )
            async with stream:
                async for chunk in stream:
                    yield chunk
        except _ERRORS as error:
            raise _translate(error) from error
