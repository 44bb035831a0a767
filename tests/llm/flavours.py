"""The openai and ollama backends pointed at a scripted server, with answers in their shapes."""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from agent.llm.ollama_backend import OllamaChatModel
from agent.llm.openai_backend import OpenAIChatModel
from agent.llm.port import ChatModel
from agent.llm.retry import RetryPolicy
from tests.llm.scripted_server import Answer, json_answer


@dataclass(frozen=True)
class Flavour:
    name: str
    build: Callable[[str, RetryPolicy], ChatModel]
    reply: Callable[[str], Answer]  # a complete answer with this content
    stream: Callable[[Sequence[str]], Answer]  # a streamed answer of these pieces
    error: Callable[[int], Answer]


def _openai_reply(content: str, tool_calls: Sequence[tuple[str, str]] = ()) -> Answer:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = [
            {"id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": a}}
            for i, (n, a) in enumerate(tool_calls)
        ]
    return json_answer(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": "scripted",
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
        }
    )


def openai_tool_reply(*calls: tuple[str, str]) -> Answer:
    """An openai answer calling tools: (name, raw argument text) each."""
    return _openai_reply("", calls)


def sse(*chunks: dict[str, Any]) -> Answer:
    """An OpenAI server-sent-event stream of these chunks ('choices' and 'usage' each)."""
    head = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "scripted"}
    events = "".join(f"data: {json.dumps({**head, **chunk})}\n\n" for chunk in chunks)
    return Answer(200, (events + "data: [DONE]\n\n").encode(), "text/event-stream")


def choice(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}


def _openai_stream(pieces: Sequence[str], finish: str | None = "stop") -> Answer:
    chunks = [choice({"content": piece}) for piece in pieces]
    return sse(*chunks, *([choice({}, finish)] if finish else []))


def openai_unfinished_stream(pieces: Sequence[str]) -> Answer:
    """A stream cut off before the model finished (no finish_reason)."""
    return _openai_stream(pieces, finish=None)


def _ollama_reply(content: str) -> Answer:
    return json_answer(
        {
            "model": "scripted",
            "created_at": "2024-07-22T20:33:28Z",
            "message": {"role": "assistant", "content": content},
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": 5,
            "eval_count": 3,
        }
    )


def _ollama_stream(pieces: Sequence[str]) -> Answer:
    parts = [
        {"model": "scripted", "message": {"role": "assistant", "content": p}, "done": False}
        for p in pieces
    ]
    parts.append(
        {
            "model": "scripted",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": 5,
            "eval_count": len(pieces),
        }
    )
    body = "".join(json.dumps(part) + "\n" for part in parts)
    return Answer(200, body.encode(), "application/x-ndjson")


def _openai(url: str, policy: RetryPolicy) -> ChatModel:
    return OpenAIChatModel(
        model="scripted", base_url=f"{url}/v1", api_key=None, json_mode="json_schema", policy=policy
    )


def _ollama(url: str, policy: RetryPolicy) -> ChatModel:
    return OllamaChatModel(host=url, model="scripted", keep_alive="5m", policy=policy)


OPENAI = Flavour(
    "openai",
    _openai,
    _openai_reply,
    _openai_stream,
    lambda status: json_answer({"error": {"message": f"status {status}"}}, status),
)
OLLAMA = Flavour(
    "ollama",
    _ollama,
    _ollama_reply,
    _ollama_stream,
    lambda status: json_answer({"error": f"status {status}"}, status),
)
FLAVOURS = [OPENAI, OLLAMA]
