"""From raw model output to a checked ChatResult: JSON and tool calls parsed, validated, repaired.

A reply is first parsed strictly; JSON wrapped in a code fence or followed by stray text is
recovered by tolerant parsing (marked `repaired`). What is still malformed (not JSON, breaks
the schema, calls a tool that was not offered) is sent back to the model once with the
problem; a second bad reply raises LLMBadOutput. Nothing else escapes to the caller.
"""

import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from agent.llm.schema_check import schema_errors
from agent.llm.types import ChatResult, LLMBadOutput, Usage
from prompts.messages import ChatMessage, ToolCall
from tools.base import ToolSpec

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class RawToolCall:
    id: str
    name: str
    arguments: str | Mapping[str, Any]  # JSON text (openai, llama.cpp) or parsed (ollama)


@dataclass(frozen=True)
class RawReply:
    """One answer of a backend, before any checking."""

    content: str
    tool_calls: tuple[RawToolCall, ...]
    usage: Usage
    model: str
    finish_reason: str | None


class Malformed(ValueError):
    """What is wrong with a reply, in words the model can act on."""


# Deeper output is malformed: the value travels on (prompts, checkpoints) through code that
# recurses once per level, and too deep a text cannot even be decoded (RecursionError).
MAX_DEPTH = 32


def _depth(value: Any) -> int:
    """How deeply `value` nests dicts and lists (a scalar is 1), counted without recursion."""
    depth, level = 0, [value]
    while level:
        depth += 1
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return depth


def parse_json_object(text: str) -> tuple[dict[str, Any], bool]:
    """The JSON object in `text`, and whether tolerant parsing was needed to find it."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        pass
    except RecursionError:
        raise Malformed(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    else:
        if isinstance(value, dict):
            return value, False
        raise Malformed(f"expected a JSON object, got {type(value).__name__}")
    fenced = _FENCE.search(text)
    candidate = fenced.group(1) if fenced else text
    start = candidate.find("{")
    if start < 0:
        raise Malformed("no JSON object found")
    try:
        value, _ = json.JSONDecoder().raw_decode(candidate, start)
    except json.JSONDecodeError as error:
        raise Malformed(f"invalid JSON: {error}") from None
    except RecursionError:
        raise Malformed(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if not isinstance(value, dict):
        raise Malformed("no JSON object found")
    return value, True


def _checked_object(data: dict[str, Any], schema: dict[str, Any], what: str) -> None:
    if _depth(data) > MAX_DEPTH:
        raise Malformed(f"{what} is nested deeper than {MAX_DEPTH} levels")
    errors = schema_errors(data, schema)
    if errors:
        raise Malformed(f"{what} does not match its schema: " + "; ".join(errors[:5]))


def _tool_call(raw: RawToolCall, tools: Mapping[str, ToolSpec]) -> tuple[ToolCall, bool]:
    tool = tools.get(raw.name)
    if tool is None:
        raise Malformed(f"there is no tool {raw.name!r}; the tools are {sorted(tools)}")
    if isinstance(raw.arguments, str):
        arguments, repaired = parse_json_object(raw.arguments or "{}")
    else:
        arguments, repaired = dict(raw.arguments), False
    _checked_object(arguments, tool.parameters, f"the arguments of {raw.name}")
    return ToolCall(raw.id, raw.name, arguments), repaired


def check(
    reply: RawReply, tools: Sequence[ToolSpec], json_schema: dict[str, Any] | None
) -> ChatResult:
    """The reply as a ChatResult, or Malformed. The schema applies when no tool was called."""
    by_name = {tool.name: tool for tool in tools}
    checked = [_tool_call(raw, by_name) for raw in reply.tool_calls]
    repaired = any(fixed for _, fixed in checked)
    parsed = None
    if json_schema is not None and not checked:
        parsed, fixed = parse_json_object(reply.content)
        _checked_object(parsed, json_schema, "the reply")
        repaired = repaired or fixed
    return ChatResult(
        content=reply.content,
        tool_calls=tuple(call for call, _ in checked),
        usage=reply.usage,
        model=reply.model,
        finish_reason=reply.finish_reason,
        repaired=repaired,
        parsed=parsed,
    )


def check_final(reply: RawReply, tools: Sequence[ToolSpec]) -> ChatResult:
    """`check` for a finished stream, which cannot be re-asked: Malformed is LLMBadOutput."""
    try:
        return check(reply, tools, None)
    except Malformed as problem:
        raise LLMBadOutput(str(problem)) from problem


def _said(reply: RawReply) -> str:
    calls = [f"{call.name}({call.arguments})" for call in reply.tool_calls]
    return "\n".join([reply.content, *calls]).strip()


async def complete_checked(
    ask: Callable[[Sequence[ChatMessage]], Awaitable[RawReply]],
    messages: Sequence[ChatMessage],
    tools: Sequence[ToolSpec],
    json_schema: dict[str, Any] | None,
) -> ChatResult:
    """Ask, check, and re-ask once with the problem if the reply is malformed."""
    first = await ask(messages)
    try:
        return check(first, tools, json_schema)
    except Malformed as problem:
        complaint = f"That reply was invalid: {problem}. Reply again, with only the fixed output."
    second = await ask(
        [*messages, ChatMessage("assistant", _said(first)), ChatMessage("user", complaint)]
    )
    try:
        result = check(second, tools, json_schema)
    except Malformed as again:
        raise LLMBadOutput(f"malformed after one repair attempt: {again}") from again
    return replace(result, usage=first.usage + second.usage, repaired=True)
