"""OpenAI-shaped messages and tools, which the openai, ollama and llama.cpp APIs share."""

import json
from collections.abc import Sequence
from typing import Any

from prompts.messages import ChatMessage
from tools.base import ToolSpec


def tool_dicts(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                "name": tool.name,
                "description": tool.description,
                "parameters": tool.parameters,
            },
        }
        for tool in tools
    ]


def message_dicts(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    """OpenAI chat-completions messages (tool-call arguments as JSON text)."""
    out: list[dict[str, Any]] = []
    for message in messages:
        item: dict[str, Any] = {"role": message.role, "content": message.content}
        if message.tool_calls:
            item["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
                }
                for call in message.tool_calls
            ]
        if message.tool_call_id is not None:
            item["tool_call_id"] = message.tool_call_id
        out.append(item)
    return out


def tool_name(messages: Sequence[ChatMessage], call_id: str | None) -> str | None:
    """The name of the tool an earlier assistant message called with `call_id`."""
    for message in messages:
        for call in message.tool_calls:
            if call.id == call_id:
                return call.name
    return None
