"""Malformed JSON and tool calls: repaired once (tolerantly, or by re-asking), else LLMBadOutput."""

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from agent.llm.json_repair import Malformed, RawReply, RawToolCall, check, parse_json_object
from agent.llm.schema_check import schema_errors
from agent.llm.types import LLMBadOutput, Usage
from prompts.messages import ChatMessage
from tests.llm.conftest import FAST_RETRIES
from tests.llm.flavours import FLAVOURS, OPENAI, Flavour, openai_tool_reply
from tests.llm.scenarios import INTENT_QUESTION, INTENT_SCHEMA, SPEND_QUESTION, SPEND_TOOL
from tests.llm.scripted_server import scripted_server

by_name = pytest.mark.parametrize("flavour", FLAVOURS, ids=lambda flavour: flavour.name)
GOOD = '{"intent": "purchase", "confidence": 0.9}'
TOO_DEEP = '{"fan_id": ' + "[" * 5000 + "]" * 5000 + "}"  # beyond the decoder's recursion
DEEP = '{"fan_id": 42, "note": ' + "[" * 40 + "]" * 40 + "}"  # decodes, beyond MAX_DEPTH


def last_user_turn(request: Any) -> str:
    return str(request["messages"][-1]["content"])


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        (GOOD, False),
        (f"```json\n{GOOD}\n```", True),
        (f"Sure! Here it is: {GOOD} Hope that helps.", True),
        (f"{GOOD}\n<|im_end|>", True),
    ],
)
def test_json_is_found_strictly_or_tolerantly(text: str, repaired: bool) -> None:
    assert parse_json_object(text) == ({"intent": "purchase", "confidence": 0.9}, repaired)


@pytest.mark.parametrize(
    "text", ["", "no json here", '{"intent": "purchase"', "[1, 2]", "42", TOO_DEEP, f"x {TOO_DEEP}"]
)
def test_what_is_not_a_json_object_is_malformed(text: str) -> None:
    with pytest.raises(Malformed):
        parse_json_object(text)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"confidence": 0.9}, "missing 'intent'"),
        ({"intent": "refund", "confidence": 0.9}, "not one of"),
        ({"intent": "chat", "confidence": "high"}, "expected number"),
        ({"intent": "chat", "confidence": True}, "expected number"),
    ],
)
def test_schema_errors_name_the_problem(value: dict[str, Any], problem: str) -> None:
    errors = schema_errors(value, INTENT_SCHEMA)

    assert len(errors) == 1
    assert problem in errors[0]


def test_schema_checker_follows_refs_unions_and_bounds() -> None:
    schema = {
        "$defs": {"Tag": {"type": "string", "minLength": 2}},
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}, "maxItems": 2},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "score": {"type": "integer", "minimum": 0, "maximum": 10},
        },
        "additionalProperties": False,
    }

    assert schema_errors({"tags": ["ok"], "note": None, "score": 3}, schema) == []
    assert schema_errors({"tags": ["a", "bb", "cc"], "note": 1, "score": 11, "x": 0}, schema) == [
        "$.tags: length 3 is above maxItems 2",
        "$.tags[0]: length 1 is below minLength 2",
        "$.note: matches 0 of anyOf, needs at least one",
        "$.score: value 11 is above maximum 10",
        "$: unexpected property 'x'",
    ]


def reply(*calls: RawToolCall) -> RawReply:
    return RawReply("", calls, Usage(1, 1), "m", "tool_calls")


def test_a_call_of_a_tool_not_offered_is_malformed() -> None:
    with pytest.raises(Malformed, match="no tool 'refund_fan'"):
        check(reply(RawToolCall("c", "refund_fan", "{}")), [SPEND_TOOL], None)


def test_tool_arguments_are_checked_against_the_tool_schema() -> None:
    with pytest.raises(Malformed, match="arguments of get_fan_spend"):
        check(reply(RawToolCall("c", "get_fan_spend", '{"fan_id": "x"}')), [SPEND_TOOL], None)


@by_name
def test_malformed_json_is_re_asked_once(flavour: Flavour) -> None:
    answers = (flavour.reply('{"intent": "purchase", "confid'), flavour.reply(GOOD))
    with scripted_server(*answers) as server:
        model = flavour.build(server.url, FAST_RETRIES)
        result = asyncio.run(model.chat(INTENT_QUESTION, json_schema=INTENT_SCHEMA))

    assert result.parsed == {"intent": "purchase", "confidence": 0.9}
    assert result.repaired
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (10, 6)  # both calls
    assert server.hits == 2
    assert "That reply was invalid: invalid JSON" in last_user_turn(server.requests[1])


@by_name
def test_json_breaking_the_schema_is_re_asked_with_the_errors(flavour: Flavour) -> None:
    answers = (flavour.reply('{"intent": "refund", "confidence": 0.9}'), flavour.reply(GOOD))
    with scripted_server(*answers) as server:
        model = flavour.build(server.url, FAST_RETRIES)
        result = asyncio.run(model.chat(INTENT_QUESTION, json_schema=INTENT_SCHEMA))

    assert result.repaired
    assert "'refund' is not one of" in last_user_turn(server.requests[1])


@by_name
def test_malformed_twice_is_bad_output(flavour: Flavour) -> None:
    with scripted_server(flavour.reply("I think it is a purchase.")) as server:
        model = flavour.build(server.url, FAST_RETRIES)
        with pytest.raises(LLMBadOutput, match="after one repair attempt"):
            asyncio.run(model.chat(INTENT_QUESTION, json_schema=INTENT_SCHEMA))

    assert server.hits == 2


@by_name
def test_fenced_json_is_repaired_without_asking_again(flavour: Flavour) -> None:
    with scripted_server(flavour.reply(f"```json\n{GOOD}\n```")) as server:
        model = flavour.build(server.url, FAST_RETRIES)
        result = asyncio.run(model.chat(INTENT_QUESTION, json_schema=INTENT_SCHEMA))

    assert result.parsed == {"intent": "purchase", "confidence": 0.9}
    assert result.repaired
    assert server.hits == 1


@pytest.mark.parametrize(
    "bad_call",
    [
        ("get_fan_spend", '{"fan_id": 42'),
        ("get_fan_spend", '{"fan": 42}'),
        ("refund", "{}"),
        ("get_fan_spend", TOO_DEEP),
        ("get_fan_spend", DEEP),
    ],
    ids=["truncated", "schema", "unknown_tool", "too_deep", "deep"],
)
def test_a_malformed_tool_call_is_re_asked_once(bad_call: tuple[str, str]) -> None:
    answers = (openai_tool_reply(bad_call), openai_tool_reply(("get_fan_spend", '{"fan_id": 42}')))
    with scripted_server(*answers) as server:
        model = OPENAI.build(server.url, FAST_RETRIES)
        result = asyncio.run(model.chat(SPEND_QUESTION, tools=[SPEND_TOOL]))

    assert [(call.name, call.arguments) for call in result.tool_calls] == [
        ("get_fan_spend", {"fan_id": 42})
    ]
    assert result.repaired
    assert server.hits == 2
    retry_turns: Sequence[Any] = server.requests[1]["messages"]
    assert retry_turns[-2] == {"role": "assistant", "content": f"{bad_call[0]}({bad_call[1]})"}


def test_tool_arguments_with_trailing_garbage_are_repaired_in_place() -> None:
    answer = openai_tool_reply(("get_fan_spend", '{"fan_id": 42}\n<|im_end|>'))
    with scripted_server(answer) as server:
        model = OPENAI.build(server.url, FAST_RETRIES)
        result = asyncio.run(model.chat(SPEND_QUESTION, tools=[SPEND_TOOL]))

    assert result.tool_calls[0].arguments == {"fan_id": 42}
    assert result.repaired
    assert server.hits == 1


def test_a_tool_call_still_malformed_is_bad_output() -> None:
    with scripted_server(openai_tool_reply(("get_fan_spend", "fan 42"))) as server:
        model = OPENAI.build(server.url, FAST_RETRIES)
        with pytest.raises(LLMBadOutput, match="no JSON object"):
            asyncio.run(model.chat([ChatMessage("user", "spend of fan 42?")], tools=[SPEND_TOOL]))

    assert server.hits == 2
