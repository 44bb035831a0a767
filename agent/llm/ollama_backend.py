"""The ollama backend: Ollama's native /api/chat (tools, `format` JSON schema, keep_alive)."""

from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from typing import Any

import httpx
import ollama

from agent.llm.json_repair import RawReply, RawToolCall, check_final, complete_checked
from agent.llm.loop_local import LoopLocal
from agent.llm.retry import RetryPolicy, retried_stream, status_error, with_retries
from agent.llm.types import (
    ChatResult,
    LLMError,
    LLMRequestError,
    LLMTimeout,
    LLMUnavailable,
    StreamDone,
    StreamEvent,
    TokenDelta,
    Usage,
)
from agent.llm.wire import tool_dicts, tool_name
from prompts.messages import ChatMessage
from tools.base import ToolSpec


def _translate(error: Exception) -> LLMError:
    if isinstance(error, httpx.TimeoutException):
        return LLMTimeout(f"ollama: {error}")
    if isinstance(error, ollama.ResponseError):
        if error.status_code < 0:  # an error object inside a 200 stream
            return LLMUnavailable(f"ollama: {error.error}")
        return status_error(error.status_code, error.error)
    if isinstance(error, ollama.RequestError):
        return LLMRequestError(f"ollama: {error.error}")
    return LLMUnavailable(f"ollama: {error}")  # connection refused, broken transport or body


# ValueError: a body that is not the JSON the client expects (JSONDecodeError, pydantic's);
# RecursionError: a body nested too deeply to decode.
_ERRORS = (
    ollama.ResponseError,
    ollama.RequestError,
    ConnectionError,
    httpx.HTTPError,
    ValueError,
    RecursionError,
)


def ollama_messages(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    """Ollama's messages: tool-call arguments as objects, tool results named by tool_name."""
    out: list[dict[str, Any]] = []
    for message in messages:
        item: dict[str, Any] = {"role": message.role, "content": message.content}
        if message.tool_calls:
            item["tool_calls"] = [
                {"function": {"name": call.name, "arguments": call.arguments}}
                for call in message.tool_calls
            ]
        if message.role == "tool":
            item["tool_name"] = tool_name(messages, message.tool_call_id)
        out.append(item)
    return out


def _calls(message: ollama.Message) -> tuple[RawToolCall, ...]:
    # Ollama gives tool calls no id: number them in order.
    return tuple(
        RawToolCall(f"call_{index}", call.function.name, call.function.arguments)
        for index, call in enumerate(message.tool_calls or ())
    )


def _usage(response: ollama.ChatResponse) -> Usage:
    return Usage(response.prompt_eval_count or 0, response.eval_count or 0)


class OllamaChatModel:
    """ChatModel over the ollama client; retries are ours (retry.py)."""

    def __init__(self, *, host: str, model: str, keep_alive: str, policy: RetryPolicy) -> None:
        self.name = f"ollama:{model}"
        self._model = model
        self._keep_alive = keep_alive
        self._policy = policy
        self._client = LoopLocal(lambda: ollama.AsyncClient(host=host, timeout=policy.timeout_s))

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
        """The keyword arguments of AsyncClient.chat for one call."""
        options: dict[str, Any] = {"temperature": temperature, "num_predict": max_tokens}
        if seed is not None:
            options["seed"] = seed
        if frequency_penalty:
            options["frequency_penalty"] = frequency_penalty
        return {
            "model": self._model,
            "messages": ollama_messages(messages),
            "tools": tool_dicts(tools) or None,
            "format": json_schema,
            "options": options,
            "keep_alive": self._keep_alive,
        }

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
                response = await self._client.get().chat(**body, stream=False)
            except _ERRORS as error:
                raise _translate(error) from error
            return RawReply(
                response.message.content or "",
                _calls(response.message),
                _usage(response),
                response.model or self._model,
                response.done_reason,
            )

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
        content: list[str] = []
        calls: list[RawToolCall] = []
        last: ollama.ChatResponse | None = None
        async for part in retried_stream(lambda: self._parts(body), self._policy):
            last = part
            calls += _calls(part.message)
            if part.message.content:
                content.append(part.message.content)
                yield TokenDelta(part.message.content)
        if last is None or not last.done:
            raise LLMUnavailable("ollama: the stream ended before the model finished")
        numbered = tuple(
            RawToolCall(f"call_{index}", call.name, call.arguments)
            for index, call in enumerate(calls)
        )
        reply = RawReply(
            "".join(content), numbered, _usage(last), last.model or self._model, last.done_reason
        )
        yield StreamDone(check_final(reply, tools))

    async def _parts(self, body: dict[str, Any]) -> AsyncGenerator[ollama.ChatResponse, None]:
        try:
            async for part in await self._client.get().chat(**body, stream=True):
                yield part
        except _ERRORS as error:
            raise _translate(error) from error
