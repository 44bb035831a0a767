"""The local backend: a GGUF model run in-process on the CPU by llama-cpp-python.

The model is loaded once per (file, settings) and shared; llama.cpp is not thread-safe, so
each generation holds the model's lock inside a worker thread. Tools use the
chatml-function-calling format (arguments grammar-constrained by their schema); structured
output is grammar-constrained by the JSON schema. A timeout gives LLMTimeout at once but
cannot interrupt a running generation (max_tokens bounds it); local calls are not retried,
since the same computation would run out of time again.
"""

import asyncio
import functools
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from llama_cpp import Llama
from llama_cpp.llama_chat_format import get_chat_completion_handler

from agent.llm.json_repair import RawReply, RawToolCall, complete_checked
from agent.llm.retry import RetryPolicy, retried_stream, with_retries
from agent.llm.types import (
    ChatResult,
    LLMError,
    LLMRequestError,
    LLMUnavailable,
    StreamDone,
    StreamEvent,
    TokenDelta,
    Usage,
)
from agent.llm.wire import message_dicts, tool_dicts, tool_name
from prompts.messages import ChatMessage
from tools.base import ToolSpec

# Plain replies are formatted as plain ChatML: the function-calling format's template escapes
# message text as HTML (a model then sees and writes "&lt;" and "&#39;").
PLAIN_FORMAT = "chatml"


@dataclass(frozen=True)
class Engine:
    llama: Llama
    lock: threading.Lock


@functools.cache
def load_engine(path: Path, n_ctx: int, n_threads: int | None, chat_format: str) -> Engine:
    """The model in `path`, loaded on first use and kept for the process."""
    try:
        llama = Llama(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=n_threads,
            chat_format=chat_format,
            verbose=False,
        )
    except ValueError as error:  # missing or unreadable file
        raise LLMRequestError(f"local: cannot load {path}: {error}") from error
    return Engine(llama, threading.Lock())


def local_messages(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    """OpenAI-shaped messages; tool results become user turns, which the chatml template
    renders (it has no 'tool' role and would drop them)."""
    return [
        {
            "role": "user",
            "content": f"{tool_name(messages, message.tool_call_id) or 'the tool'} returned: "
            f"{message.content}",
        }
        if message.role == "tool"
        else item
        for item, message in zip(message_dicts(messages), messages, strict=True)
    ]


def _translate(error: Exception) -> LLMError:
    if isinstance(error, ValueError):  # e.g. the prompt does not fit the context window
        return LLMRequestError(f"local: {error}")
    return LLMUnavailable(f"local: {error}")


@dataclass(frozen=True)
class _End:
    """The end of a streamed generation."""

    usage: Usage
    finish_reason: str | None


def _streamed_usage(llama: Llama, text: str, finish_reason: str | None) -> Usage:
    """llama.cpp streams no usage: the completion is the generated text re-tokenized, the
    prompt the rest of the context (less the last token when cut at max_tokens: it was
    sampled but never evaluated). Call it holding the lock, right after the generation."""
    completion = len(llama.tokenize(text.encode(), add_bos=False, special=True))
    prompt = llama.n_tokens - completion + (1 if finish_reason == "length" else 0)
    return Usage(prompt, completion)


class LocalChatModel:
    def __init__(
        self,
        *,
        gguf_path: Path,
        n_ctx: int,
        n_threads: int | None,
        chat_format: str,
        policy: RetryPolicy,
        model: str | None = None,
    ) -> None:
        self.name = f"local:{model or gguf_path.stem}"
        self._plain = chat_format.startswith("chatml")
        self._model = model or gguf_path.stem
        self._load = functools.partial(load_engine, gguf_path, n_ctx, n_threads, chat_format)
        self._policy = replace(policy, max_retries=0)

    def _request(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec],
        json_schema: dict[str, Any] | None,
        temperature: float,
        max_tokens: int,
        seed: int | None,
        frequency_penalty: float,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "messages": local_messages(messages),
            "temperature": temperature,
            "max_tokens": max_tokens,
            "seed": seed,
        }
        if tools:
            body.update(tools=tool_dicts(tools), tool_choice="auto")
        if json_schema is not None:
            body["response_format"] = {"type": "json_object", "schema": json_schema}
        if frequency_penalty:
            body["frequency_penalty"] = frequency_penalty
        return body

    def _generate(self, engine: Engine, body: dict[str, Any], stream: bool) -> Any:
        """llama.cpp's completion; a plain reply of a ChatML model as plain ChatML."""
        if self._plain and "tools" not in body and "response_format" not in body:
            handler = get_chat_completion_handler(PLAIN_FORMAT)
            return handler(llama=engine.llama, **body, stream=stream)
        return engine.llama.create_chat_completion(**body, stream=stream)

    def _complete(self, body: dict[str, Any]) -> RawReply:
        """One blocking generation (in a worker thread)."""
        engine = self._load()
        try:
            with engine.lock:
                response = cast(dict[str, Any], self._generate(engine, body, stream=False))
        except (ValueError, RuntimeError) as error:
            raise _translate(error) from error
        choice = response["choices"][0]
        message = choice["message"]
        calls = tuple(
            RawToolCall(call["id"], call["function"]["name"], call["function"]["arguments"])
            for call in message.get("tool_calls") or ()
        )
        usage = response["usage"]
        return RawReply(
            message.get("content") or "",
            calls,
            Usage(usage["prompt_tokens"], usage["completion_tokens"]),
            self._model,
            choice["finish_reason"],
        )

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
        async def ask(attempt: Sequence[ChatMessage]) -> RawReply:
            body = self._request(
                attempt, tools, json_schema, temperature, max_tokens, seed, frequency_penalty
            )
            return await with_retries(lambda: asyncio.to_thread(self._complete, body), self._policy)

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
        if tools:
            # llama-cpp-python cannot stream an automatic tool choice: answer in one piece.
            result = await self.chat(
                messages,
                tools=tools,
                temperature=temperature,
                max_tokens=max_tokens,
                seed=seed,
                frequency_penalty=frequency_penalty,
            )
            if result.content:
                yield TokenDelta(result.content)
            yield StreamDone(result)
            return
        body = self._request(messages, (), None, temperature, max_tokens, seed, frequency_penalty)
        content: list[str] = []
        async for item in retried_stream(lambda: self._pieces(body), self._policy):
            if isinstance(item, _End):
                text = "".join(content)
                yield StreamDone(ChatResult(text, (), item.usage, self._model, item.finish_reason))
            elif item:
                content.append(item)
                yield TokenDelta(item)

    async def _pieces(self, body: dict[str, Any]) -> AsyncGenerator[str | _End, None]:
        """Text pieces from a generation in a worker thread, then one _End."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | _End | Exception] = asyncio.Queue()
        stop = threading.Event()

        def produce() -> None:
            try:
                engine = self._load()
                with engine.lock:
                    finish: str | None = None
                    pieces: list[str] = []
                    chunks = cast(
                        Iterator[dict[str, Any]],
                        self._generate(engine, body, stream=True),
                    )
                    for chunk in chunks:
                        if stop.is_set():
                            return
                        choice = chunk["choices"][0]
                        finish = choice["finish_reason"] or finish
                        pieces.append(choice["delta"].get("content") or "")
                        loop.call_soon_threadsafe(queue.put_nowait, pieces[-1])
                    usage = _streamed_usage(engine.llama, "".join(pieces), finish)
                loop.call_soon_threadsafe(queue.put_nowait, _End(usage, finish))
            except Exception as error:  # handed to the consumer, raised there
                loop.call_soon_threadsafe(queue.put_nowait, error)

        loop.run_in_executor(None, produce)
        try:
            while True:
                item = await queue.get()
                if isinstance(item, Exception):
                    raise item if isinstance(item, LLMError) else _translate(item)
                yield item
                if isinstance(item, _End):
                    return
        finally:
            stop.set()  # the thread stops at its next chunk and releases the lock
